"""Generate a large synthetic bank (for figure 6): N questions with conditions."""

from __future__ import annotations

import sys
from pathlib import Path

import tomli_w


def generate(directory: Path, questions: int = 2000, per_section: int = 100) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    sections = max(1, questions // per_section)
    meta = {
        "id": "synthetic",
        "version": "1",
        "title": "Synthetic bank",
        "dimensions": [{"id": f"d{i}", "label": f"Dimension {i}"} for i in range(4)],
        "sections": [{"id": f"s{i}", "title": f"Section {i}"} for i in range(sections)],
        "scales": {"level": ["low", "medium", "high"]},
        "outcomes": [{"id": f"o{i}.level", "label": f"Outcome {i}", "scale": "level"} for i in range(20)],
        "rules": [
            {
                "id": f"r{i}",
                "when": {
                    "any": [{"question": f"q{i * 8}", "equals": "c2"}, {"score": f"d{i % 4}", "gte": 50}]
                },
                "set": {f"o{i % 20}.level": "high" if i % 2 else "medium"},
                "reason": f"Rule {i}",
            }
            for i in range(100)
        ],
    }
    (directory / "bank.toml").write_text(tomli_w.dumps(meta))
    n = 0
    for s in range(sections):
        items = []
        for _ in range(per_section):
            q: dict[str, object] = {
                "id": f"q{n}",
                "prompt": f"Question {n}?",
                "help": "Help text.",
                "why": "Why we ask this question, in a sentence or two.",
            }
            kind = n % 4
            if kind in (0, 1):
                q["type"] = "single"
                q["choices"] = [
                    {"value": f"c{c}", "label": f"Choice {c}", "scores": {f"d{(n + c) % 4}": c * 30}}
                    for c in range(4)
                ]
            elif kind == 2:
                q["type"] = "yesno"
                q["yes_scores"] = {f"d{n % 4}": 80}
                q["no_scores"] = {f"d{n % 4}": 0}
            else:
                q["type"] = "number"
                q["min"] = 0
                q["max"] = 100
                q["bands"] = [{"at_least": 50, "scores": {f"d{n % 4}": 60}}]
            if n % 5 == 4 and n >= 4 and kind in (0, 1):
                q["when"] = {"question": f"q{n - 4}", "any_of": ["c1", "c2", "c3"]}
            items.append(q)
            n += 1
        (directory / f"s{s}.toml").write_text(tomli_w.dumps({"questions": items}))


def full_answers(count: int) -> dict[str, object]:
    """A complete set of raw answers for the synthetic bank."""
    answers: dict[str, object] = {}
    for n in range(count):
        kind = n % 4
        answers[f"q{n}"] = f"c{n % 4}" if kind in (0, 1) else (n % 3 == 0 if kind == 2 else float(n % 100))
    return answers


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
