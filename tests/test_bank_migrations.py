"""The bank's declared migrations are checked when the bank loads (one line per problem)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socwizard.core.bank.loader import load_bank
from socwizard.core.errors import BankError

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"


def bank_with(tmp_path: Path, migration: str) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(QUESTIONS, folder)
    meta = folder / "bank.toml"
    text = meta.read_text(encoding="utf-8")
    anchor = "# --- next review"
    meta.write_text(text.replace(anchor, f"[[migrations]]\n{migration}\n\n{anchor}", 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("migration", "expected"),
    [
        (
            'question = "report_opinion"\ncopy_into = ["audit_firm"]\nreason = "x"',
            "'audit_firm' must be a single-choice question with every choice of 'report_opinion'",
        ),
        (
            'question = "report_opinion"\ncopy_into = ["soc1_opinion"]\n'
            'named_by = "soc2_opinion"\nreason = "x"',
            "named_by: a retired question must no longer be in the bank",
        ),
        (
            'question = "report_opinion"\ncopy_into = ["soc1_opinion"]\nnamed_by = "gone"\n'
            'others_get = "clean"\nreason = "x"',
            "'clean' is not a choice of 'report_opinion'",
        ),
        (
            'question = "report_opinion"\ncopy_into = ["soc1_opinion"]\nrename = { a = "b" }\nreason = "x"',
            "exactly one of `rename`, `into_month` or `copy_into`",
        ),
        (
            'question = "report_opinion"\ncopy_into = ["soc1_opinion"]\nnamed_by = "gone"\n'
            'names = { soc2 = "soc2_opinion" }\nreason = "x"',
            "every question in `names` must be in `copy_into`",
        ),
    ],
)
def test_a_bad_copy_into_migration_is_refused(tmp_path: Path, migration: str, expected: str) -> None:
    with pytest.raises(BankError) as info:
        load_bank(bank_with(tmp_path, migration))
    assert expected in str(info.value)
    assert "bank.toml" in str(info.value)


def test_the_builtin_copy_into_migration_loads() -> None:
    bank = load_bank(QUESTIONS)
    (migration,) = [m for m in bank.meta.migrations if m.copy_into]
    assert migration.copy_into == ["soc1_opinion", "soc2_opinion"]
    assert bank.question("modified_opinion_report") is None  # retired, never reused
