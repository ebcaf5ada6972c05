"""One vendor: its assessments, newest first; open one, or start the next (re-assess)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from socwizard.core.labels import status_label, value_label
from socwizard.core.register import VendorRow, due_text
from socwizard.core.text import one_line
from socwizard.tui.format import short_date
from socwizard.tui.safe import join
from socwizard.tui.widgets.entry_table import Column, EntryTable, Row
from socwizard.tui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from socwizard.core.store import Entry
    from socwizard.tui.app import SocwizardApp

COLUMNS: tuple[Column, ...] = (
    ("reviewed", "Reviewed", 10, True),
    ("title", "Assessment", 0, True),
    ("status", "Status", 11, True),
    ("verdict", "Evidence", 12, False),
    ("next", "Next review", 11, False),
    ("file", "File", 30, False),
)


def history_cells(entry: Entry, standing: Entry) -> Row:
    """One assessment of the vendor's history."""
    if entry.error:
        dash = ("—", "")
        return (dash, (entry.path.name, ""), ("broken", "alert"), dash, dash, ("", ""))
    mark = " *" if entry is standing else ""
    verdict = entry.outcomes.get("evidence.verdict", "")
    return (
        (short_date(entry.reviewed_on), ""),
        (entry.title + mark, ""),
        (status_label(entry.status), "good" if entry.status == "complete" else ""),
        (value_label(verdict) if verdict else "—", ""),
        (short_date(entry.next_review), ""),
        (entry.path.name, ""),
    )


class VendorScreen(Screen[None]):
    """A vendor's history."""

    CSS_PATH = Path(__file__).with_name("register.tcss")
    AUTO_FOCUS = "#vendor-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="vendor-open", tooltip="Open the highlighted assessment"),
        Binding(
            "ctrl+a",
            "reassess",
            "Re-assess",
            id="vendor-reassess",
            tooltip="Start the next assessment from the latest one (facts kept, evidence and dates reset)",
        ),
        Binding(
            "f7",
            "vendor_key",
            "Vendor key",
            id="vendor-key",
            tooltip="Change the key that groups this vendor's assessments (all of them)",
        ),
        Binding("escape,ctrl+b", "back", "Back", id="vendor-back", tooltip="Back to the register"),
    ]

    def __init__(self, row: VendorRow) -> None:
        super().__init__()
        self.row = row
        self.entries = list(reversed(row.history))

    @property
    def wizard(self) -> SocwizardApp:
        """The app, typed."""
        from socwizard.tui.app import SocwizardApp

        assert isinstance(self.app, SocwizardApp)
        return self.app

    def compose(self) -> ComposeResult:
        """Heading, standing, history."""
        row = self.row
        today = self.wizard.today()
        late = row.overdue(today)
        yield Static(
            join(("socwizard", "bold"), "  ·  Vendor  ·  ", (one_line(row.vendor, 50), "bold $sw-accent")),
            id="vendor-topbar",
        )
        yield Static(
            join(
                (f"Tier {value_label(row.tier) if row.tier else '—'}", "bold"),
                f" · evidence {value_label(row.verdict) if row.verdict else '—'}",
                f" · last reviewed {short_date(row.last_reviewed)}",
                "\n",
                (f"Next review {short_date(row.next_review)}: ", ""),
                (due_text(row.days_left(today)), "bold $sw-bad" if late else "$sw-accent"),
                (f" · key {row.key}", "$sw-muted"),
                "\n",
                ("* the assessment the register's row comes from (latest complete)", "$sw-muted"),
            ),
            id="vendor-standing",
        )
        yield EntryTable(COLUMNS, id="vendor-table")
        yield StableFooter()

    def on_mount(self) -> None:
        """Fill the history."""
        table = self.query_one("#vendor-table", EntryTable)
        table.set_rows([history_cells(e, self.row.standing) for e in self.entries])

    def current(self) -> Entry | None:
        """The highlighted assessment."""
        table = self.query_one("#vendor-table", EntryTable)
        if not 0 <= table.cursor_row < len(self.entries):
            return None
        return self.entries[table.cursor_row]

    @on(EntryTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        """Open the highlighted assessment (its interview, then its results)."""
        entry = self.current()
        if entry is None:
            return
        if entry.error:
            self.notify(entry.error, title="Cannot open", severity="error", markup=False, timeout=10)
            return
        self.wizard.open_assessment(entry.path)

    def action_back(self) -> None:
        """Back to the register."""
        self.dismiss(None)

    def action_vendor_key(self) -> None:
        """Give every assessment of this vendor a new key (its files rewritten), then back.

        The register is rebuilt from the files when it comes back, under the new key.
        """
        from socwizard.core.assessment import vendor_key_for
        from socwizard.tui.screens.vendor_key import VendorKeyScreen

        readable = [e for e in self.entries if not e.error]
        if self.wizard.store is None or not readable:
            self.notify("No readable assessment of this vendor to change.", severity="warning")
            return
        row = self.row

        def chosen(choice: tuple[str, bool] | None) -> None:
            if choice is not None and (choice[0] or vendor_key_for(row.vendor)) != row.key:
                self._rekey(choice[0] or vendor_key_for(row.vendor))

        self.app.push_screen(VendorKeyScreen(row.key, row.vendor, for_all=len(readable)), chosen)

    @work(exclusive=True, group="vendor-key")
    async def _rekey(self, new: str) -> None:
        import asyncio

        from socwizard.core.errors import SocwizardError
        from socwizard.core.rekey import rekey_vendor

        store = self.wizard.store
        assert store is not None
        try:
            done = await asyncio.to_thread(rekey_vendor, store, self.row.key, new)
        except (SocwizardError, OSError) as exc:
            message = getattr(exc, "first_line", None) or str(exc)
            title = "Vendor key not changed"
            self.notify(one_line(message, 300), title=title, severity="error", markup=False)
            return
        count = len(done.rekeyed.changed) + len(done.rekeyed.unchanged)
        text = f"Vendor key: {new}, for {count} assessment{'s' if count != 1 else ''}."
        if done.joined:
            text += f" Now grouped with {one_line(', '.join(done.joined), 120)}".rstrip(".") + "."
        self.notify(text, timeout=6, markup=False)
        self.dismiss(None)

    def action_reassess(self) -> None:
        """Start the next assessment from the vendor's latest readable one, and open it."""
        from socwizard.core.errors import SocwizardError
        from socwizard.core.reassess import reassess_file

        wizard = self.wizard
        source = next((e for e in self.entries if not e.error), None)
        if source is None or wizard.store is None or wizard.bank is None:
            self.notify("No readable assessment of this vendor to start from.", severity="warning")
            return
        try:
            target, plan, _ = reassess_file(wizard.store, source.path, wizard.bank, wizard.today())
        except (SocwizardError, OSError) as exc:
            message = getattr(exc, "first_line", None) or str(exc)
            self.notify(one_line(message, 300), title="Not re-assessed", severity="error", markup=False)
            return
        self.notify(
            f"{len(plan.carried)} answers carried over, {len(plan.reset)} reset (evidence and dates).",
            title="Re-assessment started",
            markup=False,
        )
        self.dismiss(None)
        wizard.open_assessment(target)
