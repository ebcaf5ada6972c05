"""Figure 8: loading an assessment grows linearly with its unknown answer ids (issue 9).

An assessment with N answers to questions the bank does not have (a file from another
bank, or an attack: 2,000 took 148 s to ``show`` in socwizard 0.1, 10,000 took 759 s to
``import``). The figure is the ratio of two load times in one run: 10× the ids must
cost about 10× the time (linear), not 100× (quadratic).
"""

from __future__ import annotations

from pathlib import Path

from socwizard.core.assessment import evaluate_assessment, read_assessment_bytes
from socwizard.core.bank.models import Bank

VALUE = "x" * 60


def with_unknown_ids(example: Path, count: int) -> bytes:
    """The example assessment plus ``count`` answers to ids the bank does not have."""
    extra = "".join(f'zz_unknown_{i:05d} = "{VALUE}"\n' for i in range(count))
    return example.read_text(encoding="utf-8").replace("[answers]\n", "[answers]\n" + extra, 1).encode()


def load(data: bytes, bank: Bank) -> int:
    """Read, validate and evaluate as ``socwizard show`` does; return the warning count."""
    assessment, lines = read_assessment_bytes(data, "unknown-ids.toml")
    return len(evaluate_assessment(assessment, bank, "unknown-ids.toml", lines).warnings)
