"""Keys and words findable (issues 11, 12, 13): the palette, the footers at 80, the map's legend."""

from __future__ import annotations

from typing import Any

from textual.command import CommandPalette
from textual.screen import Screen

from socwizard import paths
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp
from socwizard.tui.screens.export import ExportScreen
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.new import NewScreen
from socwizard.tui.screens.register import RegisterScreen
from socwizard.tui.screens.results import ResultsScreen
from socwizard.tui.screens.review import ReviewScreen
from socwizard.tui.screens.vendor import VendorScreen
from socwizard.tui.widgets.footer import PALETTE_WIDTH, StableFooter
from socwizard.tui.widgets.sidebar import MARKS, legend

from .conftest import make_app, save_fixed, settle
from .test_narrow import example_in


def titles_of(app: SocwizardApp, screen: Screen[Any]) -> list[str]:
    """The palette's command titles on ``screen``."""
    return [command.title for command in app.get_system_commands(screen)]


def test_the_legend_names_every_mark_of_the_map_and_what_optional_means() -> None:
    text = legend().plain
    for mark, _style, words in MARKS.values():
        assert f"{mark} {words}" in text
    assert "▸ this question" in text and "! check" in text  # the current and contradicting ones
    assert "(optional)" in text and "not counted as missing" in text


async def test_palette_offers_register_and_export_once_on_every_screen(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="notes")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(3):  # the interview, then Review, then Results
            titles = titles_of(app, app.screen)
            assert len(titles) == len(set(titles)), titles
            for wanted in ("New", "Import", "Export", "Register", "Help", "Theme"):
                assert wanted in titles, (type(app.screen).__name__, titles)
            await pilot.press("ctrl+r" if _ == 0 else "ctrl+g")
            await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Export")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Register")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        titles = titles_of(app, app.screen)
        assert "Register" not in titles and len(titles) == len(set(titles))
        home = app.screen_stack[-2]
        assert isinstance(home, HomeScreen)
        titles = titles_of(app, home)
        assert titles.count("Register") == 1 and "Export" in titles and "Vendors" not in titles


MAIN_KEYS: dict[str, tuple[str, ...]] = {
    "HomeScreen": ("New", "Open", "Import", "Export", "Register"),
    "RegisterScreen": ("Open", "Assessments", "Overdue", "Due ≤", "Tier"),
    "VendorScreen": ("Open", "Back"),
    "NewScreen": ("Cancel",),
    "InterviewScreen": ("Next", "Back", "Don't know", "Review"),
    "ReviewScreen": ("Change", "Results"),
    "ResultsScreen": ("Review", "Export", "Reasons", "Home"),
}
"""What each screen's footer must show at 80 columns, besides Quit and Help."""


def footer_gaps(app: SocwizardApp, *extra: str) -> list[str]:
    """The main keys of the active screen that its footer has no room for at this width."""
    screen = app.screen
    footer = screen.query_one(StableFooter)
    fitted = [binding.description for binding, _enabled, _tip in footer.fitting()]
    width = sum(len(app.get_key_display(b)) + len(b.description) + 2 for b, _e, _t in footer.fitting())
    assert width + PALETTE_WIDTH <= app.size.width
    name = type(screen).__name__
    wanted = (*MAIN_KEYS[name], *extra, "Quit", "Help")
    return [f"{name}: {words}" for words in wanted if words not in fitted]


async def test_every_screens_footer_shows_all_its_keys_at_80(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="report_end")
    app = make_app(store.root)
    gaps: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        gaps += footer_gaps(app)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        gaps += footer_gaps(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        gaps += footer_gaps(app)
        await app.go_home("new")
        await settle(pilot)
        assert isinstance(app.screen, NewScreen)
        gaps += footer_gaps(app)
        await pilot.press("escape")
        await settle(pilot)
        app.open_assessment(path)
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        gaps += footer_gaps(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        gaps += footer_gaps(app)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        gaps += footer_gaps(app)
    chat = example_in(store, "team_chat", cursor="soc2_period_end")  # the evidence section: F6
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=chat)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.check_action("read_report", ()) is True
        gaps += footer_gaps(app, "Report")  # the evidence section's own key (issue 11)
    assert gaps == [], gaps
