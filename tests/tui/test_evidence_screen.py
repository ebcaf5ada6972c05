"""The interview's "Read report…" on the evidence section, at 80×24, with the team-chat example."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Checkbox, Input

from socwizard import paths
from socwizard.core.answers import Answer
from socwizard.core.assessment import read_assessment_file, to_toml
from socwizard.core.bank.loader import load_bank
from socwizard.core.recommendation import decide
from socwizard.core.store import Store
from socwizard.tui.screens.evidence import EvidenceScreen
from socwizard.tui.screens.interview import InterviewScreen

from .conftest import make_app, settle

REPORTS = Path(__file__).resolve().parents[1] / "evidence" / "reports"
TEAM_CHAT = Path(__file__).resolve().parents[1] / "examples" / "team_chat.toml"


def _team_chat_in(store: Store) -> Path:
    bank = load_bank(paths.builtin_bank_dir())
    assessment = read_assessment_file(TEAM_CHAT, bank).assessment.model_copy(
        update={"cursor": "soc2_period_end", "id": "teamchat", "status": "in_progress"}
    )
    path = store.root / "teamchat.toml"
    path.write_text(to_toml(assessment))
    return path


async def test_reading_a_soc2_type2_fills_the_evidence_section(store: Store, tmp_path: Path) -> None:
    from evidence.pdfgen import write_pdf

    pdf = write_pdf(tmp_path / "relay soc2.pdf", (REPORTS / "soc2_type2_carveout.txt").read_text())
    path = _team_chat_in(store)
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen) and interview.current == "soc2_period_end"
        assert interview.check_action("read_report", ()) is True
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        screen.query_one("#report-path", Input).value = str(pdf)
        await pilot.press("enter")
        await settle(pilot)
        boxes = list(screen.query(Checkbox))
        assert len(boxes) == len(screen.proposals) >= 5
        texts = " ".join(str(b.label) for b in boxes)
        assert "Type I or a Type II" in texts
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        session = interview.session
        answers = dict(session.assessment.answers)
    bank = session.bank
    by_hand = read_assessment_file(TEAM_CHAT, bank).assessment.answers | {
        "evidence_reports": Answer(value=("soc2", "soc3")),
        "soc2_type": Answer(value="type2"),
        "soc2_period_start": Answer(value=dt.date(2024, 10, 1)),
        "subservice_method": Answer(value="carve_out"),
        "report_label": Answer(value="ssae18"),
        # Bank 2.0 asks about exceptions; the fixture report has one, under CC6.2
        "report_exceptions": Answer(value="some"),
        "exceptions_count": Answer(value=1),
        "exception_areas": Answer(value=("cc6_access",)),
    }
    assert {k: a.value for k, a in answers.items()} == {k: a.value for k, a in by_hand.items()}
    reviewed = session.assessment.reviewed_on
    assert decide(bank, answers, reviewed).snapshot() == decide(bank, by_hand, reviewed).snapshot()
    saved = read_assessment_file(path, bank).assessment
    assert [d.file for d in saved.documents] == ["relay soc2.pdf"]
    assert saved.answers["soc2_type"].note.startswith("From relay soc2.pdf, page 1:")


async def test_an_answer_you_gave_stays_unless_ticked(store: Store, tmp_path: Path) -> None:
    from evidence.pdfgen import write_pdf

    pdf = write_pdf(tmp_path / "r.pdf", (REPORTS / "soc2_type2_adverse.txt").read_text())
    path = _team_chat_in(store)
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        screen.query_one("#report-path", Input).value = str(pdf)
        await pilot.press("enter")
        await settle(pilot)
        (index,) = [i for i, p in enumerate(screen.proposals) if p.question_id == "report_opinion"]
        assert screen.query_one(f"#take-{index}", Checkbox).value is False
        await pilot.press("ctrl+o")
        await settle(pilot)
        session = app.screen.session  # type: ignore[attr-defined]
        assert session.assessment.answers["report_opinion"].value == "unmodified"
        assert session.assessment.answers["soc2_type"].value == "type2"


async def test_unreadable_file_is_one_line_on_the_screen(store: Store, tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n[/bold] \x1b]0;title\x07 not really\n%%EOF\n")
    path = _team_chat_in(store)
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        screen.query_one("#report-path", Input).value = str(scan)
        await pilot.press("enter")
        await settle(pilot)
        status = str(screen.query_one("#evidence-status").render())
        assert "Cannot read it" in status and "\x1b" not in status
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)


async def test_at_60x20_the_reader_wraps_its_words_and_ticks_show_without_colour(
    store: Store, tmp_path: Path
) -> None:
    """At 60 columns the path label was cut ("… the file is not c"); every box drew the same
    "X", ticked or not (told apart by colour only); wrapped lines started at the edge."""
    from evidence.pdfgen import write_pdf

    from .conftest import screen_lines

    pdf = write_pdf(tmp_path / "relay soc2.pdf", (REPORTS / "soc2_type2_carveout.txt").read_text())
    path = _team_chat_in(store)
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        text = " ".join(" ".join(screen_lines(app)).replace("█", " ").split())
        assert "Path to the PDF (read on this machine; the file is not copied)" in text
        screen.query_one("#report-path", Input).value = str(pdf)
        await pilot.press("enter")
        await settle(pilot)
        first = screen.query(Checkbox).first()
        row = next(line for line in screen_lines(app) if "What has the vendor given you" in line)
        assert first.value and "✓" in row
        first.value = False
        await pilot.pause()
        row = next(line for line in screen_lines(app) if "What has the vendor given you" in line)
        assert "✓" not in row and "X" not in row
        lines = screen_lines(app)
        arrow = next(n for n, line in enumerate(lines) if "→ A SOC 2 report" in line)
        column = lines[arrow].index("→")
        # its wrapped second line starts under the arrow, not at the box's edge
        assert lines[arrow + 1][column - 1] == " " and lines[arrow + 1][column] != " ", "\n".join(lines)
