"""Results and exports: every export goes through deliver_export; results stay plain text."""

from __future__ import annotations

import html
import json
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet, Static

from socwizard.core.answers import UNKNOWN, Answer
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp
from socwizard.tui.screens.export import ExportScreen, formats
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.results import ResultsScreen, plain_text

from .conftest import make_app, save_fixed, settle

SIZE = (80, 24)
VENDOR = "<script>alert(1)</script> [b]x[/b]"
CLICK = "[@click=app.quit]q[/]"
ANSWERS = {"data_types": Answer(value=("confidential",)), "financial": UNKNOWN}


async def _results(pilot: Pilot[Any]) -> ResultsScreen:
    """From the interview (opened from the command line) to the results."""
    await settle(pilot)
    await pilot.press("ctrl+g")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ResultsScreen) and screen.result is not None
    return screen


async def _export(pilot: Pilot[Any], fmt: str, folder: Path | None) -> ExportScreen:
    """Open the export dialog, pick a format (with the keyboard) and a folder, and export."""
    await pilot.press("ctrl+e")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExportScreen)
    assert pilot.app.focused is screen.query_one("#formats", RadioSet)
    names = [f for f, _ in formats()]
    step = names.index(fmt) - names.index(screen.fmt)  # it opens on the last format used
    await pilot.press(*["down" if step > 0 else "up"] * abs(step), "enter")
    await pilot.pause()
    assert screen.fmt == fmt
    if folder is not None:
        screen.query_one("#folder", Input).value = str(folder)
    await pilot.press("ctrl+e")
    await settle(pilot)
    return screen


def _footer_label(screen: ResultsScreen, key: str) -> str:
    return screen.active_bindings[key].binding.description


def _status(screen: ResultsScreen) -> str:
    return screen.session.assessment.status


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
async def test_export_from_results_writes_a_private_escaped_file(
    store: Store, mini_bank: Bank, tmp_path: Path, fmt: str
) -> None:
    path = save_fixed(store, mini_bank, "hostile", vendor=VENDOR, answers=ANSWERS, cursor="sla")
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        results = await _results(pilot)
        status = str(results.query_one("#status", Static).content)
        assert f"vendor {VENDOR}" in status  # literal, not markup
        await _export(pilot, fmt, out)
        assert app.screen is results
        await _export(pilot, fmt, out)  # a second export never replaces the first
        assert app.screen is results
        assert app.is_running and app.return_code is None
    files = sorted(out.iterdir())
    assert len(files) == 2
    assert len({f.read_bytes() for f in files}) == 1
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
    text = files[0].read_text(encoding="utf-8")
    if fmt == "html":
        assert html.escape(VENDOR) in text
        assert "<script>alert" not in text
    elif fmt == "json":
        assert json.loads(text)["assessment"]["vendor"] == VENDOR
    else:
        assert not re.search(r"(?<!\\)<", text)  # every < escaped: no HTML reaches the Markdown
        assert r"\<script>alert(1)\</script> \[b\]x\[/b\]" in text  # Markdown-escaped
    assert not list(out.glob(".*.tmp"))


async def test_export_from_home(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    save_fixed(store, mini_bank, "home-export", vendor=VENDOR, answers=ANSWERS)
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await _export(pilot, "html", out)
        assert isinstance(app.screen, HomeScreen)
    [file] = out.glob("*.html")
    assert file.suffix == ".html" and "home-export" in file.name
    assert html.escape(VENDOR) in file.read_text(encoding="utf-8")


async def test_export_uses_the_current_folder_by_default(
    store: Store, mini_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_fixed(store, mini_bank, "cwd", answers=ANSWERS)
    monkeypatch.chdir(tmp_path)
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _export(pilot, "json", None)
        assert isinstance(app.screen, HomeScreen)
    [file] = tmp_path.glob("*.json")
    assert json.loads(file.read_text())["assessment"]["id"] == "cwd"


async def test_export_to_a_missing_folder_says_so(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    save_fixed(store, mini_bank, "missing", answers=ANSWERS)
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _export(pilot, "markdown", tmp_path / "nowhere")
        assert app.screen is screen
        assert "Not a folder" in str(screen.query_one("#export-status", Static).content)
        assert app.focused is screen.query_one("#folder", Input)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert not (tmp_path / "nowhere").exists()


async def test_export_in_a_browser_is_a_download(
    store: Store, mini_bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_fixed(store, mini_bank, "web", vendor=VENDOR, answers=ANSWERS, cursor="sla")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(SocwizardApp, "is_web", property(lambda self: True))
    delivered: list[dict[str, Any]] = []

    def deliver_binary(self: SocwizardApp, file: Any, **kwargs: Any) -> None:
        delivered.append({"text": file.read().decode("utf-8"), **kwargs})

    monkeypatch.setattr(SocwizardApp, "deliver_binary", deliver_binary)
    app = make_app(store.root, open_path=path)
    notes: list[str] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        results = await _results(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert not screen.query("#folder")  # no folder to pick in a browser
        await pilot.press("down", "enter", "ctrl+e")
        await settle(pilot)
        assert app.screen is results
        notes = [str(n.message) for n in app._notifications]
    [download] = delivered
    assert download["save_filename"].endswith(".html") and download["mime_type"] == "text/html"
    assert download["open_method"] == "download"
    assert html.escape(VENDOR) in download["text"]
    assert any(n.startswith("Downloading ") and n.endswith(" in your browser") for n in notes)
    assert list(tmp_path.glob("*.html")) == []


async def test_mark_complete_footer_label_follows_the_status(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "status", answers=ANSWERS, cursor="sla")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        results = await _results(pilot)
        assert _footer_label(results, "ctrl+k") == "Complete"
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert _status(results) == "complete"
        assert _footer_label(results, "ctrl+k") == "Reopen"
        assert str(results.query_one("#complete").label) == "Reopen"  # type: ignore[attr-defined]
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert _status(results) == "in_progress"
        assert _footer_label(results, "ctrl+k") == "Complete"
        await pilot.click("#complete")
        await settle(pilot)
        assert _status(results) == "complete"
        assert _footer_label(results, "ctrl+k") == "Reopen"


async def test_reasons_are_plain_text_and_wrap_under_their_indent(
    store: Store, bank_copy: Path, tmp_path: Path
) -> None:
    long_reason = "It holds your data " + "and much more besides " * 8 + CLICK
    rules = bank_copy / "bank.toml"
    rules.write_text(rules.read_text().replace("It holds your data.", long_reason))
    basics = bank_copy / "basics.toml"
    basics.write_text(basics.read_text().replace("Confidential business data", f"Secret {CLICK} [b]x[/b]"))
    bank = load_bank(bank_copy)
    path = save_fixed(store, bank, "plain", vendor=VENDOR, answers=ANSWERS, cursor="sla")
    app = make_app(store.root, bank_dir=bank_copy, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        results = await _results(pilot)
        assert not results.query_one("#details").display  # the summary first
        await pilot.press("f5")  # the reasons, one key away
        await settle(pilot)
        groups = results.query_one("#groups")
        text = plain_text(groups)
        assert long_reason in text
        assert f"Secret {CLICK} [b]x[/b]" in text
        rows = {str(row.content): row for row in groups.query(Static)}
        reason = next(row for t, row in rows.items() if long_reason in t)
        outcome = next(row for t, row in rows.items() if t.startswith("SOC 2"))
        assert "reason" in reason.classes and not str(reason.content).startswith(" ")
        assert reason.size.height > 1  # it wraps …
        assert reason.content_region.x == outcome.content_region.x + 3  # … under its own indent
        ref = next(row for t, row in rows.items() if t.startswith("↳") and "Secret" in t)
        assert ref.content_region.x == outcome.content_region.x + 5
        for row in (reason, ref):
            results.query_one("#report").scroll_to_widget(row, animate=False)
            await pilot.pause()
            for x in range(0, 40, 4):
                await pilot.click(row, offset=(x, 0))
        await settle(pilot)
        assert app.is_running and app.return_code is None
        widgets = list(groups.query(Static))
        await pilot.press("f5")  # hide the reasons
        await settle(pilot)
        assert not results.query_one("#details").display
        assert "SOC 2" in plain_text(results.query_one("#summary"))
        await pilot.press("f5")  # and show them again, without rebuilding the page
        await settle(pilot)
        assert results.query_one("#details").display
        assert list(groups.query(Static)) == widgets


async def test_a_long_title_is_whole_on_results_at_60_columns(store: Store, mini_bank: Bank) -> None:
    """At 60×20 the top line wrapped nothing and cut the title with "…" (issue 13)."""
    title = "Team chat renewal for the whole company, 2026-2027 review"
    path = save_fixed(store, mini_bank, "long", title=title, answers=ANSWERS, cursor="sla")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        results = await _results(pilot)
        bar = results.query_one("#topbar", Static)
        lines = [strip.text for strip in bar.render_lines(bar.region.reset_offset)]
        shown = " ".join(" ".join(line.split()) for line in lines)
        assert title in shown, lines
        assert "…" not in shown
