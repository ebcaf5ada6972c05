"""Nothing cut off, every key findable, places kept (issue 13)."""

from __future__ import annotations

from typing import Any

from textual.command import CommandPalette
from textual.widgets import Input

from socwizard.core.answers import Answer
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.format import distinct
from socwizard.tui.screens.help import HelpScreen, key_name
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.importer import ImportScreen
from socwizard.tui.screens.interview import SIDEBAR_FOLD, InterviewScreen
from socwizard.tui.screens.new import NewScreen
from socwizard.tui.screens.results import ResultsScreen
from socwizard.tui.screens.review import ReviewScreen
from socwizard.tui.widgets.entry_table import EntryTable
from socwizard.tui.widgets.sidebar import Sidebar

from .conftest import make_app, save_fixed, screen_lines, settle


def test_distinct_never_shows_two_different_texts_alike() -> None:
    texts = [
        "Do you rely on the vendor to control who can see your data?",
        "Do you rely on the vendor to encrypt your data and look after the keys?",
        "When does the SOC 1 report's test period start?",
        "When does the SOC 1 report's period end?",
        "Team chat — Example Chat Co. (example-chat-co-a04b9590)",
        "Team chat — Example Chat Co. (example-chat-co-ce3ad089)",
        "Short",
        "Short",
    ]
    for width in (16, 22, 30, 45):
        shown = distinct(texts, width)
        assert all(len(s) <= width for s in shown)
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                if texts[i] != texts[j]:
                    assert shown[i] != shown[j], (width, shown[i])
    assert distinct(["Short"], 10) == ["Short"]


def test_key_names_are_words() -> None:
    assert key_name("ctrl+n") == "Ctrl+N"
    assert key_name("alt+left") == "Alt+←"
    assert key_name("f2") == "F2"
    assert key_name("escape") == "Escape"


async def test_map_follows_the_width_and_folds_on_a_narrow_terminal(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="fye")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        side = screen.query_one("#side")
        narrow = side.region.width
        assert narrow >= 28
        await pilot.resize_terminal(150, 40)
        await settle(pilot)
        assert side.region.width > narrow + 10  # wider terminal, wider map
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert (SIDEBAR_FOLD > 60 and not side.display) or side.region.width == 0
        text = "\n".join(screen_lines(app))
        assert "Basics  Question 4 of 6" in text  # whole
        assert "Note" in text and "Next ›" in text
        await pilot.press("f9")
        await settle(pilot)
        assert side.region.width > 0  # F9 still shows it
        await pilot.press("f9")
        await settle(pilot)
        assert side.region.width == 0
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert side.region.width > 0
        await pilot.press("f9")  # and hides it on a wide one
        await settle(pilot)
        assert side.region.width == 0


async def test_resume_shows_the_current_question_in_the_map(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="notes")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        sidebar = app.screen.query_one(Sidebar)
        here = next(n for n, row in enumerate(sidebar.rows) if row.current)
        top = int(sidebar.scroll_offset.y)
        assert top <= here < top + sidebar.scrollable_content_region.height


async def test_interview_footer_shows_help_and_quit_at_80(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="data_types")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_lines(app)[-1]
        for words in ("Next", "Back", "Review", "Results", "Quit", "Help"):
            assert words in footer, footer
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        footer = screen_lines(app)[-1]
        assert "Quit" in footer and "Help" in footer, footer


async def test_f1_opens_the_keys_of_every_screen_and_escape_goes_back(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="data_types")
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(screen_lines(app))
        assert "Ctrl+N" in text and "Import" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.open_assessment(path)
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("f1")
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        for words in ("F2", "Don't know", "F5", "Why we ask", "F9", "Ctrl+R"):
            assert words in text
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")  # Review → the interview
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")  # Results → the interview
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("ctrl+t")  # Results has a Home key
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, NewScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_palette_lists_each_command_once_with_the_apps_own(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="notes")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for screen in (app.screen,):
            titles = [command.title for command in app.get_system_commands(screen)]
            assert len(titles) == len(set(titles)), titles
            for wanted in ("New", "Import", "Home", "Help", "Theme", "Review", "Results"):
                assert wanted in titles
            assert "Down" not in titles and "Copy selected text" not in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"New")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, NewScreen)


async def test_a_completed_assessment_opens_on_its_results(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "done", status="complete", answers={"financial": Answer(value=False)})
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)


async def test_review_returns_at_the_row_that_was_changed(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(
        store, mini_bank, "acme", cursor="data_types", answers={"financial": Answer(value=True)}
    )
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 16)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.dismiss("fye")
        await settle(pilot)
        await pilot.press(*"2025-12-31")
        await pilot.press("ctrl+n")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        answers = review.query_one("#answers")
        highlighted = answers.highlighted  # type: ignore[attr-defined]
        assert answers.get_option_at_index(highlighted).id == "fye"  # type: ignore[attr-defined]


async def test_fast_typing_on_the_new_screen_lands_in_its_field(store: Store) -> None:
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewScreen)
        # Keys queued at once, as a fast typist or tmux sends them.
        for key in ("A", "c", "m", "e", "tab", "T", "e", "s", "t", "tab", "M", "e"):
            app.post_message(_key(key))
        await settle(pilot)
        values = [screen.query_one(f"#{name}", Input).value for name in ("vendor", "title", "assessor")]
        assert values == ["Acme", "Test", "Me"]


def _key(key: str) -> Any:
    from textual import events

    return events.Key(key, key if len(key) == 1 else None)


async def test_import_previews_warns_then_selects_the_new_row(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", answers={"financial": Answer(value=True)})
    save_fixed(store, mini_bank, "other", title="Other", vendor="Zeta")
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press("ctrl+o")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ImportScreen)
        dialog.query_one("#path", Input).value = str(path)
        await pilot.pause(0.5)
        await settle(pilot)
        preview = "\n".join(screen_lines(app))
        assert "already in your store" in preview and "1 answer" in preview
        assert "Import a copy" in preview
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await settle(pilot)
        table = home.query_one("#table", EntryTable)
        current = home.current()
        assert current is not None and current.path != path and current.title == "Payroll outsourcing"
        assert table.row_count == 3


async def test_every_key_the_footer_shows_is_in_the_help(store: Store, mini_bank: Bank) -> None:
    """F1 lists every key: Home's help left out Enter (Open), which the footer shows as "⏎ Open"
    (the filter box, focused, stands in front of the screen's Enter binding)."""
    from socwizard.tui.widgets.footer import StableFooter

    path = save_fixed(store, mini_bank, "acme", cursor="data_types")
    app = make_app(store.root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        async def check(kind: type) -> None:
            screen = app.screen
            assert isinstance(screen, kind)
            shown = [binding.description for binding, _on, _tip in screen.query_one(StableFooter).fitting()]
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            text = "\n".join(screen_lines(app))
            missing = [words for words in shown if words not in text]
            assert missing == [], text
            await pilot.press("escape")
            await settle(pilot)

        await check(HomeScreen)
        app.open_assessment(path)
        await settle(pilot)
        await check(InterviewScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await check(ReviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await check(ResultsScreen)


async def test_escape_in_the_register_clears_the_filters_then_goes_back(
    store: Store, mini_bank: Bank
) -> None:
    """Escape goes back on every screen: in the register it only cleared the filters, and
    with none set it did nothing."""
    from socwizard.tui.screens.register import RegisterScreen

    save_fixed(store, mini_bank, "acme", vendor="Acme")
    save_fixed(store, mini_bank, "beta", vendor="Beta")
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        await pilot.press("f2")  # overdue only: a filter
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)  # the register stays
        assert not screen.overdue  # the filter went
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_no_palette_entry_repeats_its_title_as_its_help(store: Store, mini_bank: Bank) -> None:
    """The palette showed "Copy selected text / Copy selected text", "Focus Next / Focus Next":
    read as duplicate entries. Each second line now says what the key does, or the key."""
    path = save_fixed(store, mini_bank, "acme", cursor="data_types")
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_assessment(path)
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        commands = list(app.get_system_commands(app.screen_stack[-1]))
        titles = [command.title for command in commands]
        assert len(titles) == len(set(titles))
        assert [c.title for c in commands if c.help == c.title or not c.help] == []
        helps = {command.title: command.help for command in commands}
        assert helps["Next"].endswith("(Ctrl+N)") and "Tab" in helps["Focus Next"]


async def test_the_help_keeps_close_in_view_at_60x20(store: Store, mini_bank: Bank) -> None:
    """At 60×20 an interview's list of keys ran the Close button off the screen; Textual's own
    keys (Copy selected text) came first."""
    path = save_fixed(store, mini_bank, "acme", cursor="data_types")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("f1")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        close = help_screen.query_one("#close")
        assert close.region.bottom <= 20 and "Close" in "\n".join(screen_lines(app))
        keys = [str(s.render()) for s in help_screen.query(".help-keys")]
        assert keys[0].startswith("Ctrl+N") and keys[-1] in ("Tab", "Shift+Tab", "Ctrl+C / Super+C")
