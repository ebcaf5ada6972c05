"""60×20 is usable (issue 13): nothing a person needs is cut, the chosen choice stays in view."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Button, Input, OptionList, Static

from socwizard import paths
from socwizard.core.answers import Answer
from socwizard.core.assessment import read_assessment_file, to_toml
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank, SingleChoice
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp
from socwizard.tui.screens.home import COLUMNS, HomeScreen
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.results import ResultsScreen
from socwizard.tui.widgets.entry_table import EntryTable
from socwizard.tui.widgets.sidebar import Sidebar

from .conftest import make_app, save_fixed, screen_lines, settle

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_in(store: Store, name: str, cursor: str | None = None) -> Path:
    """A public example copied into the store, in progress at ``cursor``."""
    bank = load_bank(paths.builtin_bank_dir())
    assessment = read_assessment_file(EXAMPLES / f"{name}.toml", bank).assessment
    if cursor is not None:
        assessment = assessment.model_copy(update={"cursor": cursor, "status": "in_progress"})
    path = store.root / f"{name}.toml"
    path.write_text(to_toml(assessment))
    return path


async def test_wrapped_choices_hang_under_their_text_and_the_chosen_one_is_in_view(store: Store) -> None:
    path = example_in(store, "team_chat", cursor="integration")  # answered "sso", the second choice
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.current == "integration"
        text = screen_lines(app)
        chosen = next((n for n, row in enumerate(text) if "● " in row), None)
        assert chosen is not None, "\n".join(text)  # the chosen choice is on screen
        mark_at = text[chosen].index("● ")
        follow = text[chosen + 1]
        # the wrapped rest of its text starts under the text, not under the radio mark
        assert follow[mark_at] == " " and follow[mark_at + 2] != " ", "\n".join(text)
        choices = screen.query_one("#q-input", OptionList)
        assert choices.highlighted == 1


async def test_home_at_60_columns_shows_every_cell_whole(store: Store, mini_bank: Bank) -> None:
    save_fixed(store, mini_bank, "one", answers={"financial": Answer(value=True)}, status="complete")
    save_fixed(store, mini_bank, "two", title="Chat tool", vendor="Relay")
    app = make_app(store.root)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        text = screen_lines(app)
        table = home.query_one("#table", EntryTable)
        for line in table.lines:  # every line of a row fits the table
            assert max(x + w for _n, x, w in line) <= table.size.width
        joined = "\n".join(text)
        for words in ("Review due", "Status", "SOC 1", "SOC 2", "Complete", "In progress"):
            assert words in joined, joined
        entry = home.current()
        assert entry is not None and entry.next_review is not None
        assert entry.next_review.isoformat() in joined  # the due date whole
        assert f"reviewed {entry.reviewed_on}" in " ".join(joined.split())  # moved to the details
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert [c[0] for c in table.columns] == [c[0] for c in COLUMNS]  # and back when wide


async def test_results_buttons_stay_whole_at_60_columns(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "done", status="complete", answers={"financial": Answer(value=False)})
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        text = "\n".join(screen_lines(app))
        for button in screen.query("#results-buttons Button").results(Button):
            assert str(button.label) in text, text
            assert button.region.right <= 60


async def test_contradicting_dates_warn_under_both_questions(store: Store) -> None:
    path = example_in(store, "team_chat", cursor="soc2_report_date")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.current == "soc2_report_date"
        assert not screen.query_one("#q-warnings").has_class("-shown")
        box = screen.query_one("#q-input", Input)
        box.value = "2025-06-30"  # signed before the period it reports on ended
        await pilot.press("ctrl+b")  # back to the period end: the answer is recorded and saved
        await settle(pilot)
        await settle(pilot)
        assert screen.current == "soc2_period_end"
        warning = screen.query_one("#q-warnings", Static)
        assert warning.has_class("-shown")
        text = str(warning.render())
        assert "Dates that cannot be right" in text and "2025-06-30" in text
        assert "Dates that cannot be right" in "\n".join(screen_lines(app))  # in view at 80×24
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.current == "soc2_report_date"
        assert screen.query_one("#q-warnings").has_class("-shown")  # and under the report date
        marked = {row.id for row in screen.query_one(Sidebar).rows if row.warned}
        assert marked == {"soc2_period_end", "soc2_report_date"}  # "!" on the map


async def test_results_reasons_and_labels_are_never_cut(store: Store) -> None:
    path = example_in(store, "payroll_sox")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        await pilot.press("f5")
        await settle(pilot)
        texts = [str(widget.render()) for widget in screen.query("#report Static").results(Static)]
        assert any("Complementary user entity controls" in text for text in texts)
        cut = [text for text in texts if "…" in text]
        assert cut == []


async def test_a_ticked_choice_that_wraps_keeps_one_box_and_hangs_under_its_text(store: Store) -> None:
    path = example_in(store, "team_chat", cursor="data_types")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.current == "data_types"
        await pilot.press("down", "down")
        await settle(pilot)
        text = screen_lines(app)
        first = next(n for n, row in enumerate(text) if "Confidential business data" in row)
        assert "…" not in text[first]
        assert "▐✓▌" in text[first]  # ticked, once
        follow = text[first + 1]
        at = text[first].index("Confidential")
        assert "▐" not in follow and follow[at] != " " and follow[at - 1] == " ", "\n".join(text)


async def test_an_empty_store_says_how_to_start_at_60x20(store: Store) -> None:
    app = make_app(store.root)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        text = " ".join(" ".join(screen_lines(app)).replace("│", " ").split())
        assert "Press Ctrl+N to start your first assessment" in text
        assert "Ctrl+O to import" in text


async def test_the_interview_top_line_leaves_out_what_does_not_fit_whole(store: Store) -> None:
    path = example_in(store, "payroll_sox_with_evidence", cursor="buyer_tier")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        vendor = screen.session.assessment.vendor
        title = screen.session.assessment.display_title
        for width in (60, 80, 120):
            await pilot.resize_terminal(width, 24)
            await settle(pilot)
            top = str(screen.query_one("#topbar", Static).render())
            # at most two lines: a long title wraps (whole) rather than being cut
            assert len(top) <= 2 * (width - 2) and title in top, top
            assert "— …" not in top and (vendor in top or "—" not in top), top
        assert vendor in top and "reviewed 2026-01-15" in top  # all of it at 120


def _chosen_text(rows: list[str]) -> str | None:
    """The chosen choice's lines on screen (from its ● to the next choice or the list's edge)."""
    frame = str.maketrans("", "", "▊▎▇▆▅▄▃▂█▁▔")  # the list's border and scrollbar
    start = next((n for n, row in enumerate(rows) if "● " in row), None)
    if start is None:
        return None
    lines = [rows[start].split("● ", 1)[1]]
    for row in rows[start + 1 :]:
        if "○ " in row or "▁▁▁" in row or not row.translate(frame).strip():
            break
        lines.append(row)
    return " ".join(" ".join(lines).translate(frame).split())


@pytest.mark.parametrize("name", ["payroll_sox", "team_chat"])
async def test_at_60x20_every_chosen_choice_shows_whole_on_every_page(store: Store, name: str) -> None:
    """Flipping through a whole interview at 60×20: the chosen choice shows whole, with its help.

    Issue 13: a wrapped, chosen choice could show only its first line — the list had three
    rows left under a two-line prompt and help ("Integrated: it exchanges data with your
    systems (API, sync, imports)" and its example lost their last lines), or was not fitted
    to the room at all and pushed its last lines below the page.
    """
    bank = load_bank(paths.builtin_bank_dir())
    path = example_in(store, name, cursor=bank.questions[0].id)
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        checked = 0
        for _ in range(60):
            question = bank.question(screen.current or "")
            answer = screen.session.answer(question.id) if question else None
            if isinstance(question, SingleChoice) and answer is not None and answer.known:
                choice = next(c for c in question.choices if c.value == answer.value)
                rows = screen_lines(app)
                shown = _chosen_text(rows)
                whole = " ".join(f"{choice.label} {choice.help}".split())
                assert shown is not None and whole in shown, f"{question.id}:\n" + "\n".join(rows)
                checked += 1
            before = screen.current
            await pilot.press("ctrl+n")
            await settle(pilot)
            if not isinstance(app.screen, InterviewScreen) or screen.current == before:
                break
        assert checked >= 8


@pytest.mark.parametrize("size", [(80, 24), (72, 24), (60, 20), (120, 40)])
@pytest.mark.parametrize("cursor", ["evidence_reports", "criticality"])
async def test_the_save_indicator_and_every_button_stay_whole_with_the_map_open(
    store: Store, size: tuple[int, int], cursor: str
) -> None:
    """Issue 13: on the evidence section (a fourth button, Report…) at 80 columns with the
    map open, "✓ saved" was squeezed to "✓"."""
    path = example_in(store, "payroll_sox", cursor=cursor)
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.pause(0.1)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.current == cursor
        nav = screen.query_one("#nav")
        row = screen_lines(app)[nav.region.y]
        assert "✓ saved" in row, row
        labels = [str(b.label) for b in nav.query(Button).results(Button) if b.display]
        assert ("Report…" in labels) == (cursor == "evidence_reports")
        for label in labels:
            assert label in row, row


async def test_home_at_60x20_shows_five_rows_of_the_table(store: Store, mini_bank: Bank) -> None:
    """Issue 13: Home at 60×20 showed only about two and a half rows (three, the last cut)."""
    for n in range(1, 7):
        save_fixed(store, mini_bank, f"a{n}", title=f"Vendor number {n}", vendor="Acme")
    app = make_app(store.root)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        text = "\n".join(screen_lines(app))
        shown = [n for n in range(1, 7) if f"Vendor number {n}" in text]
        assert len(shown) >= 5, text
        assert "Type to filter" in text and "6 assessments" in " ".join(text.split())


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_export_dialog_shows_its_buttons_and_every_format_whole(
    store: Store, mini_bank: Bank, size: tuple[int, int]
) -> None:
    """At 60×20 the dialog ran past the screen: Cancel and Export were not in view, and the
    request letter's description was cut ("…, to past…")."""
    from socwizard.tui.screens.export import ExportScreen, formats

    save_fixed(store, mini_bank, "exp", answers={"financial": Answer(value=True)})
    app = make_app(store.root)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        text = "\n".join(screen_lines(app))
        for _fmt, description in formats():
            assert description in text, text
        for button in app.screen.query(Button).results(Button):
            assert str(button.label) in text, text
            assert button.region.bottom <= size[1]


async def test_at_60_columns_the_map_opens_over_the_page_and_folds_on_a_pick(store: Store) -> None:
    """F9 at 60×20 squeezed the question into some twenty columns beside the map (no choice
    in view); the map now takes the width, has the keyboard, and folds away on Enter or Escape."""
    path = example_in(store, "payroll_sox", cursor="buyer_tier")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.current == "buyer_tier"
        await pilot.press("f9")
        await settle(pilot)
        sidebar = screen.query_one(Sidebar)
        assert sidebar.has_focus and sidebar.region.width >= 55
        assert not screen.query_one("#main").display or screen.query_one("#main").region.width == 0
        await pilot.press("escape")  # folds the map, does not leave the interview
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert not screen.query_one("#side").region.width
        assert screen.query_one("#q-input").has_focus
        await pilot.press("f9", "down", "down", "enter")
        await settle(pilot)
        assert screen.current == "products_used"
        assert not screen.query_one("#side").region.width
        assert "What does the service mainly" not in "\n".join(screen_lines(app))  # the page, not the map


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_an_import_preview_with_notes_keeps_its_buttons_in_view(
    store: Store, tmp_path: Path, size: tuple[int, int]
) -> None:
    """A file with answers kept aside and a long title made the dialog taller than the
    screen: Cancel and "Import a copy" were below it, and each note repeated the file's path."""
    from socwizard.tui.screens.importer import ImportScreen

    text = (EXAMPLES / "team_chat.toml").read_text()
    kept = "".join(f'retired_question_with_a_long_identifier_{n} = "yes"\n' for n in range(5))
    text = text.replace("[answers]\n", "[answers]\n" + kept, 1)
    text = text.replace('title = "', 'title = "The renewal of the year, with a few more words in it: ', 1)
    source = tmp_path / "from-a-colleague.toml"
    source.write_text(text)
    app = make_app(store.root, paths.builtin_bank_dir())
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#path", Input).value = str(source)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.2)
        preview = str(screen.query_one("#preview", Static).render())
        assert "retired_question_with_a_long_identifier_0" in preview
        assert str(source) not in preview and "line " in preview
        assert "The renewal of the year, with a few more words in it: Team chat" in " ".join(preview.split())
        shown = "\n".join(screen_lines(app))
        for button in screen.query(Button).results(Button):
            assert button.region.bottom <= size[1] and str(button.label) in shown, shown


async def test_the_register_at_60x20_shows_four_vendors_and_its_details_whole(store: Store) -> None:
    """At 60×20 the register's details were cut after two lines ("· reviewed" without its
    date) and the table showed three and a half vendors (the public examples)."""
    from socwizard.tui.screens.register import RegisterScreen

    bank = load_bank(paths.builtin_bank_dir())
    for example in ("team_chat", "payroll_sox", "email_marketing", "office_supplies"):
        store.import_file(EXAMPLES / f"{example}.toml", bank)
    # in December two of them are overdue: the details' longest wording
    app = SocwizardApp(store.root, paths.builtin_bank_dir(), None, None, today=dt.date(2026, 12, 1))
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        text = "\n".join(screen_lines(app))
        for vendor in ("Example Chat Co.", "Example Payroll Inc.", "Example Mailer Ltd.", "Example Office"):
            assert vendor in text, text
        detail = str(screen.query_one("#register-detail", Static).render())
        assert " ".join(detail.split()) in " ".join(text.split()), text  # every line of it on screen


async def test_the_map_shows_which_section_is_optional_at_80_columns(store: Store) -> None:
    """The legend explains "(optional)", but at 80 columns the evidence section's title was
    cut before it ("Evidence from the vendor…"): no section showed it."""
    path = example_in(store, "payroll_sox", cursor="evidence_reports")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        side = screen.query_one("#side").region
        rows = [line[side.x : side.right] for line in screen_lines(app)[side.y : side.bottom]]
        assert any("Evidence from" in row and "(optional)" in row for row in rows), "\n".join(rows)


async def test_review_at_60_columns_wraps_a_long_title_instead_of_cutting_it(store: Store) -> None:
    """Review's top line read "Payroll processor (SOX-listed bu…" at 60 columns."""
    from socwizard.tui.screens.review import ReviewScreen

    path = example_in(store, "payroll_sox", cursor="buyer_tier")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        top = " ".join(" ".join(screen_lines(app)[:2]).split())
        assert "Review · Payroll processor (SOX-listed buyer)" in top, top


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_the_interview_wraps_a_long_title_instead_of_cutting_it(
    store: Store, size: tuple[int, int]
) -> None:
    """The interview's top line cut a long title: "… for the team chat renew…" at 60 columns."""
    bank = load_bank(paths.builtin_bank_dir())
    assessment = read_assessment_file(EXAMPLES / "team_chat.toml", bank).assessment
    title = "Team chat renewal for the support and the sales teams, second year"
    assessment = assessment.model_copy(
        update={"title": title, "cursor": "buyer_tier", "status": "in_progress"}
    )
    path = store.root / "long.toml"
    path.write_text(to_toml(assessment))
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        top = " ".join(" ".join(screen_lines(app)[:2]).split())
        assert title in top, top
        assert "Question 1 of" in "\n".join(screen_lines(app))  # the page is still there
