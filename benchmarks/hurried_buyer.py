"""Hurried-buyer substitutions: how often does "I don't know" favour the vendor?

For every example assessment (tests/examples and tests/examples/review by default),
each answer that allows "I don't know" is replaced by it, one at a time; a
substitution *favours the vendor* when any outcome ends lower than with the expert's
answer (for the evidence verdict: less strict). Prints the count.

Run against any checkout (the figure before bank 2.0 came from main before it):

    python benchmarks/hurried_buyer.py [--bank DIR] [EXAMPLES_DIR ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from socwizard.core.answers import UNKNOWN
from socwizard.core.assessment import read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.recommendation import decide

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", type=Path, default=ROOT / "questions")
    parser.add_argument("dirs", nargs="*", type=Path)
    args = parser.parse_args(argv)
    dirs = args.dirs or [ROOT / "tests" / "examples", ROOT / "tests" / "examples" / "review"]
    bank = load_bank(args.bank)
    scales = {o.id: bank.meta.scales[o.scale] for o in bank.meta.outcomes}
    total = favouring = 0
    examples: list[str] = []
    started = time.perf_counter()
    for directory in dirs:
        for path in sorted(directory.glob("*.toml")):
            loaded = read_assessment_file(path, bank)
            answers = dict(loaded.assessment.answers)
            expert = loaded.result
            for qid in loaded.result.visibility.shown:
                question = bank.question(qid)
                if question is None or qid not in answers or not question.allow_unknown:
                    continue
                if question.type == "text":
                    continue
                trial = decide(bank, {**answers, qid: UNKNOWN}, loaded.assessment.reviewed_on)
                total += 1
                lowered = [
                    o
                    for o, scale in scales.items()
                    if scale.index(trial.value(o)) < scale.index(expert.value(o))
                ]
                if lowered:
                    favouring += 1
                    examples.append(f"{path.stem}: {qid} unknown lowers {', '.join(lowered)}")
    seconds = time.perf_counter() - started
    for line in examples[:40]:
        print("  " + line)
    print(f"{favouring} of {total} substitutions favour the vendor ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
