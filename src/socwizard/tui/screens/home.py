"""Home: the saved assessments, filtered as you type, sortable; new, open, import, export, delete."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from socwizard.core.labels import entry_headline, outcome_text, status_label, value_label
from socwizard.core.text import one_line
from socwizard.tui.format import short_date, short_time
from socwizard.tui.safe import join, line
from socwizard.tui.widgets.entry_table import Column, EntryTable, fits, pick
from socwizard.tui.widgets.footer import StableFooter
from socwizard.tui.widgets.lazy_rows import LazyRows

if TYPE_CHECKING:
    from textual.content import Content

    from socwizard.core.store import Entry
    from socwizard.tui.app import SocwizardApp

SORTS: tuple[tuple[str, str], ...] = (
    ("updated", "last updated"),
    ("title", "title"),
    ("vendor", "vendor"),
    ("reviewed", "reviewed on"),
    ("due", "review due"),
    ("status", "status"),
)
COLUMNS: tuple[Column, ...] = (
    ("title", "Assessment", 0, True),
    ("tier", "Tier", 6, False),
    ("soc1", "SOC 1", 18, False),
    ("soc2", "SOC 2", 18, False),
    ("due", "Review due", 11, False),
    ("status", "Status", 11, False),
    ("reviewed", "Reviewed", 10, True),
    ("updated", "Updated", 10, True),
)
NARROW_COLUMNS: tuple[Column, ...] = (
    ("title", "Assessment", 0, True),
    ("due", "Review due", 11, True),
    ("status", "Status", 11, True),
    ("tier", "Tier", 6, False),
    ("soc1", "SOC 1", 18, False),
    ("soc2", "SOC 2", 18, False),
)
"""Below about 72 columns: the dates move to the details under the table."""
TITLE_ROOM = 40
"""Rows take two lines when the title would get fewer cells than this: at 120 columns all
eight columns on one line left a title 24 cells ("Payroll processor…— Exa…", four rows alike);
on two lines it reads whole."""
SHORT_BELOW = 24
"""Below this many rows the list drops its blank lines and the details their verdict line
(the table's row shows the same levels), so that more rows of the table are in view."""

EMPTY = (
    "No assessments yet. Press Ctrl+N to start your first assessment, or Ctrl+O to import a "
    "colleague's file.\n\n"
    "socwizard tells you which SOC report to demand from a vendor — SOC 1, SOC 2 or both, "
    "which Trust Services Criteria, Type I or Type II — and whether the report the vendor sent "
    "you is good enough.\n\n"
    "Answer a short interview about what the vendor does for you. It takes about fifteen minutes, and "
    '"I don\'t know" is always a fine answer. You get a recommendation with the reasons behind '
    "it, and a list of follow-up questions to send the vendor."
)


def register_by_default(entries: list[Entry]) -> bool:
    """Open on the vendor register when the store holds more than a few vendors."""
    from socwizard.core.register import REGISTER_BY_DEFAULT, count_vendors

    return count_vendors(entries) > REGISTER_BY_DEFAULT


def display_title(entry: Entry) -> str:
    """``Title — Vendor`` (the vendor alone when they are the same)."""
    if not entry.vendor or entry.vendor == entry.title:
        return entry.title
    return f"{entry.title} — {entry.vendor}"


def home_columns(width: int) -> tuple[Column, ...]:
    """Every column while each of a row's lines fits ``width``; else :data:`NARROW_COLUMNS`."""
    return COLUMNS if fits(COLUMNS, width, TITLE_ROOM) else NARROW_COLUMNS


class HomeScreen(Screen[None]):
    """The list of saved assessments."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#filter"
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [  # type: ignore[misc]
        (0, "-short"),
        (SHORT_BELOW, "-tall"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "new", "New", id="new", tooltip="Start a new assessment"),
        Binding("enter", "open", "Open", id="open", tooltip="Open the highlighted assessment"),
        Binding("ctrl+o", "import", "Import", id="import", tooltip="Import a colleague's file"),
        Binding(
            "ctrl+e", "export", "Export", id="export", priority=True, tooltip="Export the highlighted one"
        ),
        Binding("ctrl+g", "register", "Register", id="register", tooltip="The vendor register: what is due"),
        Binding("ctrl+r", "sort", "Sort", id="sort", tooltip="Change the sort order"),
        Binding(
            "ctrl+d", "delete", "Delete", id="delete", priority=True, tooltip="Move it to the trash folder"
        ),
        Binding("ctrl+f", "filter", "Filter", id="filter", show=False, tooltip="Type to filter"),
        Binding("ctrl+l", "reload", "Reload", id="reload", show=False, tooltip="Read the store again"),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.rows: list[Entry] = []
        self.sort_index = 0
        self.loaded = False
        self._haystacks: dict[int, str] = {}
        self._twins: set[str] = set()
        self.select_path: Path | None = None
        """A file to highlight once the list is read again (one just imported)."""
        self.register_opened = False
        """The app opened the register on its cached rows before the store was listed."""

    @property
    def wizard(self) -> SocwizardApp:
        """The app, typed."""
        from socwizard.tui.app import SocwizardApp

        assert isinstance(self.app, SocwizardApp)
        return self.app

    def compose(self) -> ComposeResult:
        """Build the page."""
        yield Static(self._topbar(), id="topbar")
        with Vertical(id="list-pane"):
            yield Input(placeholder="Type to filter by title, vendor or verdict…", id="filter", compact=True)
            yield EntryTable(COLUMNS, id="table", min_flex=TITLE_ROOM)
            yield Static(id="detail")
        yield Static(EMPTY, id="empty", markup=False)
        yield StableFooter()

    def _topbar(self) -> Content:
        return join(("socwizard", "bold"), "  ·  ", (one_line(self.wizard.bank_title, 60), ""))

    def bank_ready(self) -> None:
        """The app has loaded the bank and the store: the validated title, then the list."""
        self.query_one("#topbar", Static).update(self._topbar())
        self.reload()

    def on_mount(self) -> None:
        """Columns now, rows from a worker (the store may hold thousands of files)."""
        self.query_one("#detail", Static).update("Reading your assessments…")
        self.set_class(True, "-loading")
        self.reload()

    def on_resize(self) -> None:
        """A narrow terminal moves the dates out of the table (and back)."""
        if self.loaded:
            table = self.query_one("#table", EntryTable)
            width = (table.size.width or self.app.size.width - 2) - table.styles.scrollbar_size_vertical
            if home_columns(width) != table.columns:
                self.refresh_table()

    def on_screen_resume(self) -> None:
        """Coming back from an interview: the list may have changed."""
        if self.loaded:
            self.reload()

    @work(exclusive=True, group="home-list")
    async def reload(self) -> None:
        """Read the store off the UI thread, then show it."""
        store = self.wizard.store
        if store is None:
            return
        entries = await asyncio.to_thread(store.list)
        first = not self.loaded
        self.entries = entries
        self._haystacks = {}
        seen: set[str] = set()
        self._twins = set()
        for entry in entries:
            shown = display_title(entry)
            (self._twins if shown in seen else seen).add(shown)
        self.loaded = True
        if first and self.register_opened:
            self._hand_to_register(entries)
        elif first and register_by_default(entries):
            self.action_register()
        self.set_class(False, "-loading")
        self.refresh_table()

    # --- table --------------------------------------------------------------------------

    def _sort_key(self, entry: Entry) -> tuple[object, ...]:
        key = SORTS[self.sort_index][0]
        far = dt.date.max
        if key == "title":
            return (entry.title.lower(), entry.vendor.lower())
        if key == "vendor":
            return (entry.vendor.lower(), entry.title.lower())
        if key == "reviewed":
            return (-(entry.reviewed_on or dt.date.min).toordinal(),)
        if key == "due":
            return ((entry.next_review or far).toordinal(), entry.title.lower())
        if key == "status":
            return (entry.status, entry.title.lower())
        stamp = entry.updated.timestamp() if entry.updated else 0.0
        return (-stamp, entry.title.lower())

    def _matches(self, entry: Entry, words: list[str]) -> bool:
        haystack = self._haystacks.get(id(entry))
        if haystack is None:
            haystack = " ".join(
                (entry.title, entry.vendor, entry.headline, entry.status, entry.path.name, entry.error)
            ).lower()
            self._haystacks[id(entry)] = haystack
        return all(word in haystack for word in words)

    def refresh_table(self) -> None:
        """Filter, sort and show the rows (keeps the highlighted row when it can)."""
        table = self.query_one("#table", EntryTable)
        previous = self.current()
        words = self.query_one("#filter", Input).value.lower().split()
        matching = (e for e in self.entries if self._matches(e, words)) if words else self.entries
        self.rows = sorted(matching, key=self._sort_key)
        today = self.wizard.today()
        cursor = 0
        if self.select_path is not None:
            wanted, self.select_path = self.select_path, None
            cursor = next((n for n, e in enumerate(self.rows) if e.path == wanted), 0)
        elif previous is not None:
            cursor = next((n for n, e in enumerate(self.rows) if e is previous), 0)
        width = (table.size.width or self.app.size.width - 2) - table.styles.scrollbar_size_vertical
        columns = home_columns(width)
        table.columns = columns
        table.set_rows(LazyRows(self.rows, lambda entry: pick(self._cells(entry, today), columns)), cursor)
        self.set_class(not self.entries, "-empty")
        self.show_detail()

    def _cells(self, entry: Entry, today: dt.date) -> dict[str, tuple[str, str]]:
        """One entry's cells by column key (plain texts and tones)."""
        if entry.error:
            return {"title": (entry.path.name, ""), "status": ("broken", "alert")}
        title = display_title(entry)
        if title in self._twins:
            title += f" ({entry.path.stem})"  # two files that say the same: their names differ
        due: tuple[str, str] = (short_date(entry.next_review), "")
        if entry.next_review is not None and entry.next_review < today:
            due = (f"!{entry.next_review.isoformat()}", "alert")
        complete = entry.status == "complete"
        return {
            "title": (title, ""),
            "tier": (value_label(entry.outcomes.get("tier", "")) if entry.outcomes else "—", ""),
            "soc1": (outcome_text(entry.outcomes, "soc1.level") if entry.outcomes else "—", ""),
            "soc2": (outcome_text(entry.outcomes, "soc2.level") if entry.outcomes else "—", ""),
            "due": due,
            "status": (status_label(entry.status), "good" if complete else ""),
            "reviewed": (short_date(entry.reviewed_on), ""),
            "updated": (short_time(entry.updated, today), ""),
        }

    def headline(self, entry: Entry) -> str:
        """The entry's headline in words (older files' saved headlines are re-worded)."""
        return entry_headline(entry.outcomes, entry.headline, self.wizard.bank)

    def current(self) -> Entry | None:
        """The highlighted entry."""
        table = self.query_one("#table", EntryTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def show_detail(self) -> None:
        """A line or two about the highlighted entry, plus the count and sort order."""
        detail = self.query_one("#detail", Static)
        entry = self.current()
        count = (
            f"{len(self.rows)} of {len(self.entries)}"
            if len(self.rows) != len(self.entries)
            else str(len(self.entries))
        )
        plural = "s" if len(self.entries) != 1 else ""
        summary = f"{count} assessment{plural} · sorted by {SORTS[self.sort_index][1]}"
        if entry is None:
            detail.update(line(summary if self.entries else ""))
            return
        if entry.error:
            detail.update(join(("Cannot read this file: ", "bold $sw-bad"), one_line(entry.error, 300)))
            return
        overdue = entry.next_review is not None and entry.next_review < self.wizard.today()
        verdict: list[str | tuple[str, str]] = [
            (one_line(self.headline(entry) or "no result yet", 300), "$sw-accent"),
            "\n",
        ]
        if self.has_class("-short") and entry.outcomes:
            verdict = []  # the highlighted row shows the levels already
        detail.update(
            join(
                (one_line(entry.title, 60), "bold"),
                (f" — {one_line(entry.vendor, 40)}" if entry.vendor else "", ""),
                "\n",
                *verdict,
                (f"{status_label(entry.status)} · ", "$sw-muted"),
                (
                    f"review due {short_date(entry.next_review)}{' (overdue)' if overdue else ''}",
                    "bold $sw-bad" if overdue else "$sw-muted",
                ),
                (f" · reviewed {short_date(entry.reviewed_on)}", "$sw-muted"),
                (f" · updated {short_time(entry.updated, self.wizard.today())}", "$sw-muted"),
                (f"\n{entry.path.name} · {summary}", "$sw-muted"),
            )
        )

    @on(EntryTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    @on(EntryTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    @on(EntryTable.HeaderSelected)
    def _header(self, event: EntryTable.HeaderSelected) -> None:
        key = event.column_key
        by_column = {
            "title": "title",
            "reviewed": "reviewed",
            "due": "due",
            "status": "status",
            "updated": "updated",
        }
        target = by_column.get(key)
        if target is not None:
            self.sort_index = [k for k, _ in SORTS].index(target)
            self.refresh_table()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refresh_table()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.action_open()

    # --- actions ------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        """Up/down from the filter box move the highlighted row."""
        table = self.query_one("#table", EntryTable)
        if self.rows:
            table.move_cursor(row=max(0, min(len(self.rows) - 1, table.cursor_row + delta)))

    def action_filter(self) -> None:
        """Focus the filter box."""
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        """Next sort order."""
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.refresh_table()
        self.notify(f"Sorted by {SORTS[self.sort_index][1]}", timeout=2)

    def action_reload(self) -> None:
        """Read the store again."""
        self.reload()

    def _hand_to_register(self, entries: list[Entry]) -> None:
        """The register opened on its cached rows: it builds the real ones from this listing."""
        from socwizard.tui.screens.register import RegisterScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, RegisterScreen) and not screen.fresh:
                screen.take_entries(entries)

    def action_register(self) -> None:
        """The vendor register (the other view of the store)."""
        from socwizard.tui.screens.register import RegisterScreen

        self.app.push_screen(RegisterScreen(self.entries if self.loaded else None))

    def _still_loading(self) -> bool:
        """True (and a note) while the app is still loading the bank after the first paint."""
        if self.wizard.bank is not None and self.wizard.store is not None:
            return False
        self.notify("Still reading the question bank…", timeout=2)
        return True

    def action_new(self) -> None:
        """Start a new assessment."""
        if self._still_loading():
            return
        from socwizard.tui.screens.new import NewScreen

        self.app.push_screen(NewScreen())

    def action_open(self) -> None:
        """Open the highlighted assessment and resume its interview."""
        entry = self.current()
        if entry is None:
            if not self.entries:
                self.action_new()
            return
        if entry.error:
            self.notify(entry.error, title="Cannot open", severity="error", markup=False, timeout=10)
            return
        self.wizard.open_assessment(entry.path)

    def action_import(self) -> None:
        """Import a colleague's file (with a preview first)."""
        if self._still_loading():
            return
        from socwizard.tui.screens.importer import ImportScreen

        def done(imported: Path | None) -> None:
            if imported is not None:
                self.query_one("#filter", Input).value = ""
                self.select_path = imported
                self.reload()

        self.app.push_screen(ImportScreen(self.entries), done)

    def action_export(self) -> None:
        """Export the highlighted assessment."""
        entry = self.current()
        if entry is None or entry.error:
            self.notify("Highlight an assessment to export first.", severity="warning")
            return
        from socwizard.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(entry.path))

    def action_delete(self) -> None:
        """Move the highlighted assessment to the trash folder, after asking."""
        entry = self.current()
        if entry is None:
            return
        from socwizard.tui.screens.confirm import ConfirmScreen

        question = join(
            "Move ",
            (one_line(entry.title, 60), "bold"),
            f" ({entry.path.name}) to the trash folder?\n\nYou can get it back from ",
            (one_line(str(self.wizard.store.trash if self.wizard.store else ""), 120), "italic"),
            ".",
        )

        def confirmed(yes: bool | None) -> None:
            if not yes or self.wizard.store is None:
                return
            try:
                where = self.wizard.store.delete(entry.path)
            except Exception as exc:  # SocwizardError or OSError: one line, no traceback
                message = getattr(exc, "first_line", None) or str(exc)
                self.notify(one_line(message, 300), title="Not deleted", severity="error", markup=False)
                return
            self.notify(f"Moved to {where.name} in the trash folder.", title="Deleted", markup=False)
            self.reload()

        self.app.push_screen(ConfirmScreen(question, "Move to trash", danger=True), confirmed)
