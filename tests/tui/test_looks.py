"""Looks and words: legible colours in every theme, the settings file, the results summary."""

from __future__ import annotations

import stat
from pathlib import Path

from textual.app import App
from textual.color import Color
from textual.widgets import RadioButton

from socwizard.core.answers import Answer
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui import settings
from socwizard.tui.colours import MIN_CONTRAST, SOURCES, backgrounds, contrast, text_variables
from socwizard.tui.screens.export import ExportScreen
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.results import ResultsScreen

from .conftest import make_app, save_fixed, screen_lines, settle

EXAMPLES = Path(__file__).parent.parent / "examples"


async def test_text_colours_reach_4_5_to_1_in_every_builtin_theme(store: Store) -> None:
    app = make_app(store.root)
    checked = 0
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for name in sorted(app.available_themes):
            app.theme = name
            await pilot.pause()
            variables = app.get_css_variables()
            theirs = App.get_css_variables(app)  # the theme's own, before socwizard's
            grounds = backgrounds(theirs)
            if not grounds:
                continue  # the terminal's own colours: nothing to compute
            ours = text_variables(theirs)
            assert set(ours) - {"foreground"} == set(SOURCES)
            for var, value in ours.items():
                assert variables[var] == value
                for ground in grounds:
                    ratio = contrast(Color.parse(value), ground)
                    assert ratio >= MIN_CONTRAST, (name, var, round(ratio, 2))
            foreground = Color.parse(variables["foreground"])
            assert all(contrast(foreground, g) >= MIN_CONTRAST for g in grounds), name
            checked += 1
    assert checked >= 15


def test_no_raw_theme_colour_is_used_for_text() -> None:
    """Styled text and `color:` rules use the legible ``$sw-*`` variables."""
    root = Path(__file__).parent.parent.parent / "src" / "socwizard" / "tui"
    raw = ("$warning", "$error", "$success", "$text-muted", "$text-accent", '$accent"', "$accent ")
    for path in root.rglob("*.py"):
        text = path.read_text()
        for word in raw:
            assert f'"{word.strip()}' not in text and f' {word.strip()}"' not in text, (path.name, word)
    for path in root.rglob("*.tcss"):
        for line in path.read_text().splitlines():
            if line.strip().startswith("color:"):
                assert "$sw-" in line or "$foreground" in line or "$block-cursor" in line, (path.name, line)


def test_settings_file_is_private_and_survives_garbage(isolated_home: Path) -> None:
    assert settings.load() == {}
    assert settings.remember(theme="textual-light", export_folder='/tmp/x "y"\n')
    path = settings.settings_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert settings.load() == {"theme": "textual-light"}  # a value with a newline is refused on read
    assert settings.remember(export_format="html")
    assert settings.load() == {"theme": "textual-light", "export_format": "html"}
    path.write_text("theme = 3\n[[[broken")
    assert settings.load() == {}
    path.write_text('theme = 3\nexport_format = "pdf"\nother = "x"\n')
    assert settings.load() == {"export_format": "pdf"}


async def test_the_chosen_theme_is_remembered(store: Store) -> None:
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
    assert settings.load()["theme"] == "textual-light"
    again = make_app(store.root)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"


async def test_export_choices_are_marked_and_the_folder_remembered(
    store: Store, mini_bank: Bank, tmp_path: Path
) -> None:
    path = save_fixed(store, mini_bank, "acme")
    target = tmp_path / "out"
    target.mkdir()
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ExportScreen(path))
        await settle(pilot)
        lines = "\n".join(screen_lines(app))
        assert lines.count("●") == 1  # the chosen one, told apart by more than colour
        buttons = list(app.screen.query(RadioButton))
        assert sum(b.value for b in buttons) == 1
        app.screen.query_one("#folder").value = str(target)  # type: ignore[attr-defined]
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert list(target.iterdir())
        app.push_screen(ExportScreen(path))
        await settle(pilot)
        assert app.screen.query_one("#folder").value == str(target)  # type: ignore[attr-defined]


async def test_results_open_on_a_one_screen_summary_in_words(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(
        store,
        mini_bank,
        "acme",
        answers={"data_types": Answer(value=("customer_pii",)), "financial": Answer(value=True)},
    )
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        text = "\n".join(screen_lines(app))
        assert "not_needed" not in text and "type2" not in text
        assert "Ask the vendor" in text or "SOC 2" in text
        assert not screen.query_one("#details").display
        await pilot.press("f5")
        await settle(pilot)
        assert screen.query_one("#details").display
        await pilot.press("f5")
        await settle(pilot)
        assert not screen.query_one("#details").display
