"""Keys and words findable (issues 11, 12, 13): the palette, the footers at 80, the map's legend."""

from __future__ import annotations

from textual.command import CommandPalette

from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.screens.export import ExportScreen
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.register import RegisterScreen
from socwizard.tui.widgets.sidebar import MARKS, legend

from .conftest import make_app, save_fixed, settle


def test_the_legend_names_every_mark_of_the_map_and_what_optional_means() -> None:
    text = legend().plain
    for mark, _style, words in MARKS.values():
        assert f"{mark} {words}" in text
    assert "▸ this question" in text  # the current question's marker
    assert "(optional)" in text and "not counted as missing" in text


async def test_palette_offers_register_and_export_once_on_every_screen(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "acme", cursor="notes")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(3):  # the interview, then Review, then Results
            titles = [command.title for command in app.get_system_commands(app.screen)]
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
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Register" not in titles and len(titles) == len(set(titles))
        home = app.screen_stack[-2]
        assert isinstance(home, HomeScreen)
        titles = [command.title for command in app.get_system_commands(home)]
        assert titles.count("Register") == 1 and "Export" in titles and "Vendors" not in titles
