"""Hostile text renders literally, clicking it does nothing, broken files never crash."""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.widgets import Static, TextArea

from socwizard.core.answers import Answer
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.app import DENIED_ACTIONS
from socwizard.tui.safe import block, join, line, styled
from socwizard.tui.screens.error import ErrorScreen
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.results import ResultsScreen

from .conftest import make_app, save_fixed, screen_lines, settle

SIZE = (80, 24)
CLOSE = "[/]"
CLICK = "[@click=app.quit]x[/]"
LINK = "[link=http://evil]y[/link]"
HOSTILE = f"Acme {CLOSE} {CLICK} {LINK} [b]bold[/b] $accent"
OSC52 = "\x1b]52;c;aGVsbG8=\x07"


def test_display_helpers_strip_escapes_and_never_parse_markup() -> None:
    for make in (block, line, lambda t: styled(t, "bold"), lambda t: join(t, (t, "italic"))):
        content = make(f"{OSC52}{HOSTILE}\x1b[2J\u202e")
        assert isinstance(content, Content)
        text = content.plain
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert CLICK in text and LINK in text and CLOSE in text
        assert not [
            span for span in content.spans if "@click" in str(span.style) or "link" in str(span.style)
        ]


def test_check_action_denies_dangerous_actions(tmp_path: Path) -> None:
    app = make_app(tmp_path / "store")
    assert "screenshot" in DENIED_ACTIONS
    for action in ("screenshot", "simulate_key", "push_screen", "suspend_process"):
        assert app.check_action(action, ()) is False
    assert app.check_action("quit", ()) is not False


async def test_hostile_assessment_renders_literally_and_clicks_do_nothing(
    store: Store, bank_copy: Path
) -> None:
    bank_file = bank_copy / "basics.toml"
    text = bank_file.read_text()
    hostile_prompt = f"Which data {CLOSE} {CLICK} {LINK} does the vendor hold?"
    bank_file.write_text(text.replace("Which data does the vendor hold?", hostile_prompt.replace('"', '\\"')))
    bank = load_bank(bank_copy)
    answers = {"data_types": Answer(value=("none",), note=f"vendor said {CLICK} {LINK} {CLOSE}")}
    path = save_fixed(
        store,
        bank,
        "hostile",
        title=HOSTILE,
        vendor=HOSTILE,
        assessor=CLICK,
        answers=answers,
        cursor="data_types",
    )
    app = make_app(store.root, bank_dir=bank_copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        detail = str(home.query_one("#detail", Static).content)
        assert CLICK in detail and LINK in detail
        for offset in ((2, 0), (12, 0), (30, 0), (40, 1)):
            await pilot.click("#detail", offset=offset)
        await settle(pilot)
        assert app.is_running and app.return_code is None
        app.open_assessment(path)
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        topbar = str(interview.query_one("#topbar", Static).content)
        assert "Acme [/]" in topbar
        prompt = str(interview.query_one("#q-prompt", Static).content)
        assert prompt == hostile_prompt
        assert interview.query_one("#note", TextArea).text == answers["data_types"].note
        for selector in ("#topbar", "#q-prompt", "#sidebar"):
            await pilot.click(selector)
            await pilot.click(selector, offset=(12, 0))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        await pilot.press("ctrl+g")
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        status = str(results.query_one("#status", Static).content)
        assert CLICK in status
        await pilot.click("#status", offset=(30, 1))
        await settle(pilot)
        assert app.is_running and app.return_code is None


async def test_broken_file_in_store_shows_error_not_traceback(store: Store, mini_bank: Bank) -> None:
    save_fixed(store, mini_bank, "good")
    (store.root / "broken.toml").write_text('reviewed_on = "not a date"\n[answers]\nfinancial = "maybe"\n')
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert len(home.rows) == 2
        broken = next(i for i, e in enumerate(home.rows) if e.error)
        home.query_one("#table").move_cursor(row=broken)  # type: ignore[attr-defined]
        await pilot.pause()
        assert "Cannot read this file" in str(home.query_one("#detail", Static).content)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running


async def test_open_a_broken_file_from_the_command_line(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml")
    app = make_app(store.root, open_path=bad)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running


async def test_broken_bank_shows_error_screen(store: Store, bank_copy: Path) -> None:
    (bank_copy / "basics.toml").write_text('[[questions]]\nid = "Bad Id"\ntype = "yesno"\nprompt = "[/]"\n')
    app = make_app(store.root, bank_dir=bank_copy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        message = str(app.screen.query_one("#error-message", Static).content)
        assert "basics.toml" in message
        await pilot.click("#quit")
        await pilot.pause()
    assert app.return_code == 2


async def test_missing_bank_shows_error_screen(store: Store, tmp_path: Path) -> None:
    app = make_app(store.root, bank_dir=tmp_path / "nowhere")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 2


async def test_palette_lists_the_screen_bindings(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "palette")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Next", "Back", "Don't know", "Review", "Results", "Home"} <= titles
        assert "Screenshot" not in titles


async def test_switching_theme_redraws_the_cached_lines(store: Store, mini_bank: Bank) -> None:
    """The sidebar and the Home table cache rendered lines: a new theme must not keep old colours."""
    from socwizard.tui.widgets.sidebar import Sidebar

    path = save_fixed(store, mini_bank, "theme")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(Sidebar)
        before = sidebar.render_line(1)
        app.theme = "textual-light"
        await settle(pilot)
        after = sidebar.render_line(1)
        assert before.text == after.text
        assert [s.style for s in before] != [s.style for s in after]


async def test_answers_and_notes_with_newlines_stay_inside_their_editor(
    store: Store, mini_bank: Bank
) -> None:
    """Issue 9 item 4: text with line breaks from a file never draws over the map."""
    attack = "first line\nATTACK " + "x" * 150 + "\nATTACK again\n\n\nATTACK last"
    path = save_fixed(
        store,
        mini_bank,
        "nl",
        answers={
            "data_types": Answer(value=("customer_pii",), note="note\nATTACK in the note\n" + "y" * 120),
            "notes": Answer(value=attack, note="short\nATTACK note"),
        },
        cursor="notes",
    )
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        for question in ("notes", "data_types"):
            await interview.show_question(question)
            await settle(pilot)
            side = interview.query_one("#side").region
            main = interview.query_one("#main").region
            lines = screen_lines(app)
            assert side.width > 0 and main.x >= side.right
            for row in lines:
                # A raw line break sent to the terminal moves its cursor: what follows is
                # drawn over the map and left behind there.
                assert "\n" not in row and "\r" not in row, row
                assert "ATTACK" not in row[: side.right], row  # nothing drawn over the map
            editors = [w for w in interview.query(TextArea) if "ATTACK" in w.text]
            assert editors, "the text is in a multi-line editor"
            for editor in editors:
                assert editor.region.right <= main.right
            view = interview.view()
            assert view is not None
            reading = view.read()
            assert reading.error == ""
            assert reading.answer is not None and "ATTACK" in (
                str(reading.answer.value) + reading.answer.note
            )
        await pilot.press("ctrl+r")
        await settle(pilot)
        review_lines = screen_lines(app)
        assert sum("ATTACK" in row for row in review_lines) >= 1
        assert all(len(row) <= 100 for row in review_lines)
