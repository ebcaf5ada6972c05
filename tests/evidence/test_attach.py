"""``evidence attach``: proposals from a report, the user's answers kept, the document recorded."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest

from socwizard import paths
from socwizard.cli import main
from socwizard.core.answers import Answer
from socwizard.core.assessment import Assessment, read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.evidence.attach import apply, propose
from socwizard.core.evidence.model import Report
from socwizard.core.evidence.sandbox import read_report
from socwizard.core.recommendation import decide

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@functools.cache
def _bank() -> Bank:
    return load_bank(paths.builtin_bank_dir())


@functools.cache
def _team_chat() -> Assessment:
    return read_assessment_file(EXAMPLES / "team_chat.toml", _bank()).assessment


@pytest.fixture(scope="module")
def soc2(report_pdfs: dict[str, Path]) -> Report:
    return read_report(report_pdfs["soc2_type2_carveout"])


def test_attaching_a_soc2_type2_equals_typing_the_facts_by_hand(soc2: Report) -> None:
    bank, before = _bank(), _team_chat()
    proposals = propose(soc2, bank, before.answers)
    assert not [p for p in proposals if p.needs_consent]
    attached = apply(before, soc2, proposals, today=dt.date(2026, 1, 15))
    by_hand = dict(before.answers)
    by_hand.update(
        {
            "evidence_reports": Answer(value=("soc2", "soc3")),
            "soc2_type": Answer(value="type2"),
            "soc2_period_start": Answer(value=dt.date(2024, 10, 1)),
            "soc2_period_end": Answer(value=dt.date(2025, 9, 30)),
            "soc2_criteria": Answer(value=("security", "availability", "confidentiality")),
            "report_opinion": Answer(value="unmodified"),
            "subservice_method": Answer(value="carve_out"),
            "report_label": Answer(value="ssae18"),
            # bank 2.0: section 4 of the fixture lists one CC6.2 exception
            "report_exceptions": Answer(value="some"),
            "exceptions_count": Answer(value=1),
            "exception_areas": Answer(value=("cc6_access",)),
        }
    )
    assert {k: a.value for k, a in attached.answers.items()} == {k: a.value for k, a in by_hand.items()}
    reviewed = before.reviewed_on
    assert decide(bank, attached.answers, reviewed).snapshot() == decide(bank, by_hand, reviewed).snapshot()
    # every saved answer cites its page
    for proposal in proposals:
        if proposal.status in ("new", "adds"):
            assert f"page {proposal.page}" in attached.answers[proposal.question_id].note
    (document,) = attached.documents
    assert (document.file, document.sha256, document.pages, document.kind) == (
        "soc2_type2_carveout.pdf",
        soc2.sha256,
        7,
        "soc2",
    )


def test_answers_given_are_not_overwritten_without_consent(soc2: Report) -> None:
    bank = _bank()
    mine = _team_chat().with_answer("report_opinion", Answer(value="qualified", note="my reading"))
    proposals = propose(soc2, bank, mine.answers)
    (conflict,) = [p for p in proposals if p.needs_consent]
    assert conflict.question_id == "report_opinion" and conflict.answer.value == "unmodified"
    kept = apply(mine, soc2, proposals)
    assert kept.answers["report_opinion"] == Answer(value="qualified", note="my reading")
    replaced = apply(mine, soc2, proposals, replace={"report_opinion"})
    assert replaced.answers["report_opinion"].value == "unmodified"


def test_rows_for_questions_the_bank_lacks_are_skipped(soc2: Report, mini_bank: Bank) -> None:
    for proposal in propose(soc2, mini_bank, {}):
        assert mini_bank.question(proposal.question_id) is not None


def _imported(store_dir: Path) -> Path:
    assert main(["--store", str(store_dir), "import", str(EXAMPLES / "team_chat.toml")]) == 0
    (path,) = store_dir.glob("[!.]*.toml")
    return path


def test_cli_attach_saves_and_records_documents(
    tmp_path: Path, report_pdfs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store_dir = tmp_path / "store"
    path = _imported(store_dir)
    for name in ("soc2_type2_carveout", "bridge_letter", "soc2_type2_carveout"):
        assert (
            main(
                ["--store", str(store_dir), "evidence", "attach", str(path), str(report_pdfs[name]), "--yes"]
            )
            == 0
        )
    out = capsys.readouterr().out
    assert 'page 4: "the description presents' in out and "[new]" in out
    loaded = read_assessment_file(path, _bank())
    assert [d.file for d in loaded.assessment.documents] == ["bridge_letter.pdf", "soc2_type2_carveout.pdf"]
    assert loaded.assessment.answers["bridge_letter_given"].value is True
    assert loaded.assessment.answers["soc2_type"].value == "type2"
    assert not list(store_dir.rglob("*.pdf"))  # the PDF itself is never copied


def test_cli_attach_asks_and_can_be_declined(
    tmp_path: Path, report_pdfs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    store_dir = tmp_path / "store"
    path = _imported(store_dir)
    before = path.read_bytes()
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    argv = [
        "--store",
        str(store_dir),
        "evidence",
        "attach",
        str(path),
        str(report_pdfs["soc2_type2_carveout"]),
    ]
    assert main(argv) == 2  # no terminal to confirm on, and no --yes
    assert path.read_bytes() == before

    from socwizard import attach_cli, cli

    args = cli.build_parser().parse_args(argv)
    replies = iter(["n"])
    assert attach_cli.attach(args, ask=lambda prompt: next(replies)) == 0
    assert path.read_bytes() == before
    replies = iter(["y"])
    assert attach_cli.attach(args, ask=lambda prompt: next(replies)) == 0
    assert read_assessment_file(path, _bank()).assessment.answers["soc2_type"].value == "type2"


def test_cli_attach_outside_a_store_is_one_line(
    tmp_path: Path, report_pdfs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    loose = tmp_path / "loose.toml"
    loose.write_bytes((EXAMPLES / "team_chat.toml").read_bytes())
    argv = [
        "--store",
        str(tmp_path / "store"),
        "evidence",
        "attach",
        str(loose),
        str(report_pdfs["soc3"]),
        "--yes",
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "import it first" in err
    assert loose.read_bytes() == (EXAMPLES / "team_chat.toml").read_bytes()


def test_a_second_report_family_gets_its_own_opinion_question(report_pdfs: dict[str, Path]) -> None:
    # The team chat file already holds a SOC 2 (and SOC 3); a qualified SOC 1 is attached:
    # its opinion goes to the SOC 1's own question, never over the SOC 2's.
    bank = _bank()
    soc1 = read_report(report_pdfs["soc1_type2_qualified"])
    before = _team_chat().with_answer("evidence_reports", Answer(value=("soc2",)))
    before = before.with_answer("soc2_opinion", Answer(value="unmodified"))
    proposals = {p.question_id: p for p in propose(soc1, bank, before.answers)}
    assert "report_opinion" not in proposals
    assert proposals["soc1_opinion"].answer.value == "qualified"
    assert "soc2_opinion" not in proposals
    attached = apply(before, soc1, list(proposals.values()))
    assert attached.answers["evidence_reports"].value == ("soc1", "soc2")
    assert attached.answers["soc2_opinion"].value == "unmodified"


def test_a_single_report_keeps_the_single_opinion_question(soc2: Report) -> None:
    proposals = {p.question_id for p in propose(soc2, _bank(), {})}
    assert "report_opinion" in proposals and not proposals & {"soc1_opinion", "soc2_opinion"}
