"""The TUI register at 80×24: every vendor, the chart, overdue rows; filters; history; re-assess."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Static

from socwizard.core import register, register_cache
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.reassess import reassess_file
from socwizard.core.register import VendorRow
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.register import RegisterScreen
from socwizard.tui.screens.vendor import VendorScreen
from socwizard.tui.widgets.entry_table import EntryTable
from socwizard.tui.widgets.register_chart import RegisterChart

from .conftest import save_fixed, settle

ROOT = Path(__file__).resolve().parent.parent.parent
BANK = ROOT / "questions"
MINI = ROOT / "tests" / "fixtures" / "banks" / "mini"
TODAY = dt.date(2026, 12, 1)
SIZE = (80, 24)
VENDORS = {"Example Chat Co.", "Example Payroll Inc.", "Example Mailer Ltd.", "Example Office Supplies"}


@pytest.fixture
def examples(store: Store) -> Store:
    """The public examples, imported, plus a re-assessment of one of them."""
    bank = load_bank(BANK)
    imported = [store.import_file(p, bank)[0] for p in sorted((ROOT / "tests" / "examples").glob("*.toml"))]
    office = next(p for p in imported if "office" in p.name)
    reassess_file(store, office, bank, TODAY)
    return store


def app_for(store: Store) -> SocwizardApp:
    return SocwizardApp(store.root, BANK, None, None, today=TODAY)


def screen_text(app: SocwizardApp) -> str:
    """The screen as plain lines, rebuilt from the SVG screenshot's text runs."""
    lines: dict[int, list[str]] = {}
    pattern = r'<text[^>]*clip-path="url\(#terminal-\d+-line-(\d+)\)"[^>]*>(.*?)</text>'
    for number, text in re.findall(pattern, app.export_screenshot()):
        lines.setdefault(int(number), []).append(html.unescape(text).replace("\xa0", " "))
    return "\n".join("".join(lines[n]) for n in sorted(lines))


async def open_register(pilot: object, app: SocwizardApp) -> RegisterScreen:
    await settle(pilot)  # type: ignore[arg-type]
    if not isinstance(app.screen, RegisterScreen):
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+g")  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, RegisterScreen)
    return screen


async def test_register_shows_every_vendor_the_chart_and_overdue_rows(examples: Store) -> None:
    app = app_for(examples)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot, app)
        table = screen.query_one(EntryTable)
        names = {table.get_row_at(i)[0] for i in range(table.row_count)}
        assert names == VENDORS
        assert {r.vendor for r in screen.rows} == VENDORS
        alert = [r for r in range(table.row_count) if table.rows[r][5][1] == "alert"]
        assert {screen.rows[i].vendor for i in alert} == {"Example Chat Co.", "Example Payroll Inc."}
        assert table.get_row_at(alert[0])[5] == "!overdue 230d"
        chart = str(screen.query_one(RegisterChart).content)
        assert "2 overdue of 4" in chart and "High" in chart and "Low" in chart
        shot = screen_text(app)
        for visible in ("Example Chat Co.", "Example Office Su", "overdue 230d", "in 45 days", "2 overdue"):
            assert visible in shot, visible
        office = next(r for r in screen.rows if "Office" in r.vendor)
        assert isinstance(office, VendorRow) and screen.fresh
        assert office.status == "reassessing" and len(office.history) == 2


async def test_filters_sort_and_text(examples: Store) -> None:
    app = app_for(examples)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot, app)
        await pilot.press("f2")  # overdue only
        assert {r.vendor for r in screen.rows} == {"Example Chat Co.", "Example Payroll Inc."}
        await pilot.press("f2", "f3", "f3")  # off; due within 30, then 60 days
        assert {r.vendor for r in screen.rows} == {
            "Example Chat Co.",
            "Example Payroll Inc.",
            "Example Mailer Ltd.",
        }
        await pilot.press("escape", "f4", "f4", "f4")  # tier: high, medium, low
        assert [r.vendor for r in screen.rows] == ["Example Office Supplies"]
        await pilot.press("escape", "f5", "f5")  # evidence: sufficient, conditional
        assert [r.vendor for r in screen.rows] == ["Example Payroll Inc."]
        await pilot.press("escape", *"mailer")
        await pilot.pause()
        assert [r.vendor for r in screen.rows] == ["Example Mailer Ltd."]
        await pilot.press("escape", "ctrl+r")  # sort by vendor
        assert [r.vendor for r in screen.rows] == sorted(VENDORS)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_vendor_history_then_an_assessment(examples: Store) -> None:
    app = app_for(examples)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot, app)
        index = next(i for i, r in enumerate(screen.rows) if "Office" in r.vendor)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        vendor = app.screen
        assert isinstance(vendor, VendorScreen)
        assert len(vendor.entries) == 2
        assert vendor.entries[0].status == "in_progress"  # newest first
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)


async def test_reassess_from_the_tui(examples: Store) -> None:
    app = app_for(examples)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot, app)
        assert screen.rows[0].vendor == "Example Chat Co."
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+a")
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        assert interview.session.assessment.previous is not None
        assert interview.session.assessment.reviewed_on == TODAY
        await pilot.press("ctrl+g")  # results: what changed since the predecessor
        await settle(pilot)
        assert type(app.screen).__name__ == "ResultsScreen"
        since = "\n".join(str(w.content) for w in app.screen.query("#since Static").results(Static))
        assert "Since the previous assessment" in since
        assert "Evidence: Insufficient → Not reviewed" in since
    chat = [e for e in examples.list() if e.vendor == "Example Chat Co."]
    assert len(chat) == 2


async def test_register_is_the_default_with_more_than_five_vendors(store: Store, mini_bank: Bank) -> None:
    for n in range(6):
        save_fixed(store, mini_bank, f"v{n}", vendor=f"Vendor {n}", title=f"T{n}")
    app = SocwizardApp(store.root, ROOT / "tests" / "fixtures" / "banks" / "mini", None, None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert len(app.screen.rows) == 6


async def test_five_vendors_stay_on_home(store: Store, mini_bank: Bank) -> None:
    for n in range(5):
        save_fixed(store, mini_bank, f"v{n}", vendor=f"Vendor {n}", title=f"T{n}")
    app = SocwizardApp(store.root, ROOT / "tests" / "fixtures" / "banks" / "mini", None, None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_hostile_vendor_name_is_plain_text(store: Store, mini_bank: Bank) -> None:
    hostile = "[bold]Evil[/] [@click=app.quit]x[/]"
    save_fixed(store, mini_bank, "h1", vendor=hostile, title="T")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_register(pilot, app)
        assert screen.rows[0].vendor == hostile
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        assert app.is_running


async def test_register_closed_while_the_store_is_read(
    examples: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Home from a vendor: the register resumes (and reloads) and is closed at once.

    Its worker came back to a screen without its table (NoMatches, seen in CI under load).
    """
    import threading

    release = threading.Event()
    real_list = Store.list

    def slow_list(self: Store) -> object:
        release.wait(10)
        return real_list(self)

    app = app_for(examples)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(pilot, app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        monkeypatch.setattr(Store, "list", slow_list)
        await app.go_home()
        await pilot.pause(0.2)
        release.set()
        await pilot.pause(0.5)
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


def _seven_vendors(store: Store, mini_bank: Bank) -> None:
    for n in range(7):
        save_fixed(store, mini_bank, f"v{n}", vendor=f"Vendor {n}", title=f"T{n}")


async def _wait_for(pilot: object, predicate: Callable[[], bool]) -> None:
    for _ in range(750):  # 15 s: CI under load
        if predicate():
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("timed out")


async def test_the_register_opens_on_its_cached_rows_before_the_store_is_read(
    store: Store, mini_bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows at once from the cache; sort, filter and the chart work on them; a vendor opened
    before the listing is done opens when it is (issue 12: rows visible within a second)."""
    import threading

    _seven_vendors(store, mini_bank)
    register_cache.save(store.housekeeping, register.build(store.list()))
    release = threading.Event()
    real_list = Store.list

    def slow_list(self: Store) -> object:
        release.wait(10)
        return real_list(self)

    monkeypatch.setattr(Store, "list", slow_list)
    app = SocwizardApp(store.root, MINI, None, None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, RegisterScreen) and app.screen.loaded)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RegisterScreen) and not screen.fresh
        table = screen.query_one(EntryTable)
        assert table.row_count == 7
        assert "checking the files" in screen_text(app)
        assert "of 7" in str(screen.query_one(RegisterChart).content)
        await pilot.press("ctrl+r")  # sort by vendor
        assert [r.vendor for r in screen.rows] == [f"Vendor {n}" for n in range(7)]
        await pilot.press(*"t3")  # its title
        await pilot.pause()
        assert [r.vendor for r in screen.rows] == ["Vendor 3"]
        await pilot.press("enter")  # opens once the store is read
        await pilot.pause()
        assert screen.pending == screen.rows[0].key
        assert isinstance(app.screen, RegisterScreen)
        release.set()
        await _wait_for(pilot, lambda: isinstance(app.screen, VendorScreen))
        assert screen.fresh and all(isinstance(r, VendorRow) for r in screen.rows)
        vendor = app.screen
        assert isinstance(vendor, VendorScreen) and vendor.row.vendor == "Vendor 3"


async def test_a_store_changed_since_the_cache_shows_its_files(store: Store, mini_bank: Bank) -> None:
    _seven_vendors(store, mini_bank)
    register_cache.save(store.housekeeping, register.build(store.list()))
    (store.root / "v0.toml").unlink()  # behind socwizard's back
    save_fixed(store, mini_bank, "v9", vendor="Vendor 9", title="T9")
    app = SocwizardApp(store.root, MINI, None, None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, RegisterScreen) and app.screen.fresh)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        assert {r.vendor for r in screen.rows} == {f"Vendor {n}" for n in (1, 2, 3, 4, 5, 6, 9)}
        assert "checking the files" not in screen_text(app)
    cached = register_cache.load(store.root)
    assert cached is not None and {c.vendor for c in cached} == {r.vendor for r in screen.rows}


async def test_leaving_the_cached_register_is_not_undone_by_the_listing(
    store: Store, mini_bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+G from the cached register before the store is read: Home stays."""
    import threading

    _seven_vendors(store, mini_bank)
    register_cache.save(store.housekeeping, register.build(store.list()))
    release = threading.Event()
    real_list = Store.list

    def slow_list(self: Store) -> object:
        release.wait(10)
        return real_list(self)

    monkeypatch.setattr(Store, "list", slow_list)
    app = SocwizardApp(store.root, MINI, None, None, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, RegisterScreen))
        await pilot.press("ctrl+g")
        await pilot.pause()
        release.set()
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.loaded and len(home.entries) == 7
