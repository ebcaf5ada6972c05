"""Home: listing, filtering, sorting, import with preview, export, delete, bank changes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from textual.widgets import Input, Static

from socwizard.core.answers import Answer
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.screens.confirm import ConfirmScreen
from socwizard.tui.screens.export import ExportScreen
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.importer import ImportScreen
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.notice import BankChangesScreen
from socwizard.tui.widgets.entry_table import EntryTable

from .conftest import make_app, save_fixed, settle

SIZE = (80, 24)


async def test_empty_store_explains_the_tool(store: Store) -> None:
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.has_class("-empty")
        assert "Ctrl+N" in str(home.query_one("#empty", Static).content)
        await pilot.press("enter")  # opens "new" when there is nothing to open
        await pilot.pause()
        assert type(app.screen).__name__ == "NewScreen"


async def test_filter_sort_and_overdue(store: Store, mini_bank: Bank) -> None:
    save_fixed(store, mini_bank, "a1", title="Payroll", vendor="Acme")
    save_fixed(store, mini_bank, "b2", title="Hosting", vendor="Beta Cloud", reviewed_on=dt.date(2024, 1, 1))
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert len(home.rows) == 2
        overdue = next(e for e in home.rows if e.id == "b2")
        assert overdue.next_review is not None and overdue.next_review < dt.date(2026, 3, 1)
        await pilot.press(*"beta")
        await pilot.pause()
        assert [e.id for e in home.rows] == ["b2"]
        row = home.query_one("#table", EntryTable).get_row_at(0)
        assert "!2025-01-01" in row  # marked by more than colour
        assert "(overdue)" in str(home.query_one("#detail", Static).content)
        home.query_one("#filter", Input).value = ""
        await pilot.pause()
        await pilot.press("ctrl+r")  # sort by title
        await pilot.pause()
        assert [e.title for e in home.rows] == ["Hosting", "Payroll"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.session.assessment.id == "a1"


async def test_delete_asks_then_moves_to_trash(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "gone")
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert path.exists()
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert not path.exists()
        assert list(store.trash.glob("gone*.toml"))
        home = app.screen
        assert isinstance(home, HomeScreen) and home.rows == []


async def test_import_previews_then_copies(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    elsewhere = Store(tmp_path / "colleague")
    elsewhere.ensure()
    source = save_fixed(elsewhere, mini_bank, "theirs", title="Colleague's review", vendor="Gamma")
    before = source.read_bytes()
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing.toml")
        await pilot.press("enter")
        await settle(pilot)
        assert "Cannot import" in str(app.screen.query_one("#preview", Static).content)
        app.screen.query_one("#path", Input).value = str(source)
        await pilot.press("enter")
        await settle(pilot)
        preview = str(app.screen.query_one("#preview", Static).content)
        assert "Colleague's review" in preview and "Gamma" in preview and "Tier" in preview
        assert list(store.root.glob("[!.]*.toml")) == []  # nothing copied before confirming
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [e.vendor for e in app.screen.rows] == ["Gamma"]
    assert source.read_bytes() == before


async def test_export_markdown(store: Store, mini_bank: Bank, tmp_path: Path) -> None:
    save_fixed(store, mini_bank, "exp", answers={"financial": Answer(value=True)})
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        screen.query_one("#folder", Input).value = str(tmp_path)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    [target] = tmp_path.glob("*.md")
    assert "Payroll outsourcing" in target.read_text()


async def test_reopen_with_changed_bank_notice_and_queue(store: Store, tmp_path: Path) -> None:
    bank_dir = tmp_path / "bank"
    shutil.copytree(Path(__file__).parent.parent / "fixtures" / "banks" / "mini", bank_dir)
    bank = load_bank(bank_dir)
    answers = {
        "data_types": Answer(value=("none",)),
        "financial": Answer(value=False),
        "sla": Answer(value=99.0),
        "notes": Answer(value="hello"),
    }
    path = save_fixed(store, bank, "changed", answers=answers, cursor="fye")
    basics = bank_dir / "basics.toml"
    text = basics.read_text()
    text = text.replace('prompt = "Uptime commitment"', 'prompt = "Uptime commitment in the contract"')
    text = text.replace('[[questions]]\nid = "notes"\ntype = "text"\nprompt = "Anything else?"\n', "")
    text += '\n[[questions]]\nid = "hosting"\ntype = "yesno"\nprompt = "Does it host your data?"\n'
    basics.write_text(text)
    app = make_app(store.root, bank_dir=bank_dir, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notice = app.screen
        assert isinstance(notice, BankChangesScreen)
        body = str(notice.query_one("#notice-text", Static).content)
        assert "1 new question" in body and "Does it host your data?" in body
        assert "1 changed question" in body and "Uptime commitment in the contract" in body
        assert "1 answer kept aside" in body and "notes" in body
        await pilot.press("enter")
        await pilot.pause()
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        assert interview.current == "hosting"  # new questions first
        await pilot.press("enter")  # Yes
        await settle(pilot)
        assert interview.current == "fye"  # then back to the saved cursor
        assert "notes" in interview.session.assessment.set_aside


async def test_home_at_120_columns_shows_long_titles_whole(store: Store, mini_bank: Bank) -> None:
    """At 120 columns every column on one line left the title 24 cells: "Payroll processor
    (SOX-listed buyer) — Example Payroll Inc." read "Payroll processor…— Exa…"."""
    from .conftest import screen_lines

    save_fixed(
        store, mini_bank, "sox", title="Payroll processor (SOX-listed buyer)", vendor="Example Payroll Inc."
    )
    save_fixed(
        store, mini_bank, "chat", title="Team chat renewal for the support team", vendor="Example Chat Co."
    )
    app = make_app(store.root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        assert "Payroll processor (SOX-listed buyer) — Example Payroll Inc." in text, text
        assert "Team chat renewal for the support team — Example Chat Co." in text, text
        for words in ("Reviewed", "Updated", "Review due", "Status", "SOC 1", "SOC 2"):
            assert words in text
