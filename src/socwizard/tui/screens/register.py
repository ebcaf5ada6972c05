"""The vendor register: one row per vendor, a summary chart, sort and filters.

Everything shown is computed by the core (:mod:`socwizard.core.register`); this screen
reads the store off the UI thread, asks the core for the rows, and draws them as plain
text. Enter opens a vendor's history (:class:`VendorScreen`), and from there an assessment.

At start the app may open it on the rows it last built (:mod:`socwizard.core.register_cache`,
read before the bank is loaded): they are shown, sorted and filtered at once, and replaced
by the rows built from the files as soon as the store is listed (``fresh``); a vendor
opened before then opens when they arrive.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, Static

from socwizard.core import register
from socwizard.core.errors import SocwizardError
from socwizard.core.labels import value_label
from socwizard.core.register import RegisterRow, VendorRow, due_text, status_text
from socwizard.core.register_cache import HOUSEKEEPING
from socwizard.core.text import one_line
from socwizard.tui.format import short_date
from socwizard.tui.safe import join, line
from socwizard.tui.widgets.entry_table import INDENT, MIN_FLEX, Column, EntryTable, pick
from socwizard.tui.widgets.footer import StableFooter
from socwizard.tui.widgets.lazy_rows import LazyRows
from socwizard.tui.widgets.register_chart import RegisterChart

if TYPE_CHECKING:
    from socwizard.core.store import Entry
    from socwizard.tui.app import SocwizardApp

SORTS: tuple[tuple[str, str], ...] = (
    ("due", "next review"),
    ("vendor", "vendor"),
    ("tier", "tier"),
    ("reviewed", "last reviewed"),
)
DUE_WINDOWS: tuple[int | None, ...] = (None, 30, 60, 90)
TIER_FILTERS: tuple[str | None, ...] = (None, *register.TIERS)
VERDICT_FILTERS: tuple[str | None, ...] = (None, *register.VERDICTS)
COLUMNS: tuple[Column, ...] = (
    ("vendor", "Vendor", 0, True),
    ("tier", "Tier", 6, True),
    ("soc1", "SOC 1", 11, False),
    ("soc2", "SOC 2", 11, False),
    ("verdict", "Evidence", 12, True),
    ("due", "Next review", 13, True),
    ("next", "Due on", 10, False),
    ("reviewed", "Reviewed", 10, False),
    ("status", "Status", 12, False),
    ("assessor", "Assessor", 14, False),
    ("history", "N", 3, False),
)
CHECKING = (" · checking the files…", " · checking…")
"""While the rows are the cached ones: the note, and its form below :data:`NARROW` columns."""
NARROW = 72
BASE_COLUMNS = 6
"""Always shown; the others while they fit."""
EMPTY = "No vendors yet. Press Ctrl+G for the assessments list, then Ctrl+N to start one."


def soc_text(row: RegisterRow, family: str) -> str:
    """``required II``, ``not needed``, ``—``."""
    level = row.outcome(f"{family}.level")
    kind = row.outcome(f"{family}.type")
    if not level:
        return "—"
    text = value_label(level)
    if kind in ("type1", "type2") and level != "not_needed":
        text += " I" if kind == "type1" else " II"
    return text


def due_cell(row: RegisterRow, today: dt.date) -> tuple[str, str]:
    """``!overdue 230d`` (alert), ``in 45 days``, ``today``, ``—``."""
    days = row.days_left(today)
    if days is None:
        return ("—", "")
    if days < 0:
        return (f"!overdue {-days}d", "alert")
    if days == 0:
        return ("!due today", "alert")
    return (f"in {days} day{'s' if days != 1 else ''}", "")


def cells(row: RegisterRow, today: dt.date) -> dict[str, tuple[str, str]]:
    """One vendor's cells by column key (plain texts and tones)."""
    dash = ("—", "")
    if row.broken:
        return {"vendor": (row.latest_name, ""), "status": ("broken", "alert"), "history": dash}
    verdict = row.verdict
    tone = {"sufficient": "good", "insufficient": "alert"}.get(verdict, "")
    status = row.status
    return {
        "vendor": (row.vendor, ""),
        "tier": (value_label(row.tier) if row.tier else "—", ""),
        "soc1": (soc_text(row, "soc1"), ""),
        "soc2": (soc_text(row, "soc2"), ""),
        "verdict": (value_label(verdict) if verdict else "—", tone),
        "due": due_cell(row, today),
        "next": (short_date(row.next_review), ""),
        "reviewed": (short_date(row.last_reviewed), ""),
        "status": (
            status_text(status),
            "good" if status == "complete" else "",
        ),
        "assessor": (row.assessor or "—", ""),
        "history": (str(row.assessments), ""),
    }


def visible_columns(width: int) -> tuple[Column, ...]:
    """The first six columns always; the others while they fit in ``width`` cells.

    On one line while the vendor column keeps :data:`MIN_FLEX` cells; else (80 columns)
    the table's two-line rows, the extra columns filling the second line.
    """
    shown = list(COLUMNS[:BASE_COLUMNS])
    fixed = sum(w + 1 for _k, _l, w, _t in shown if w)
    if width - 2 - fixed >= MIN_FLEX:
        for column in COLUMNS[BASE_COLUMNS:]:
            if width - 2 - fixed - (column[2] + 1) < MIN_FLEX:
                break
            shown.append(column)
            fixed += column[2] + 1
        return tuple(shown)
    bottom = INDENT + sum(w + 1 for _k, _l, w, top in shown if w and not top)
    for column in COLUMNS[BASE_COLUMNS:]:
        if bottom + column[2] + 1 > width - 1:
            break
        shown.append(column)
        bottom += column[2] + 1
    return tuple(shown)


class RegisterScreen(Screen[None]):
    """Every vendor, its standing and what is due."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#register-filter"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="register-open", tooltip="The highlighted vendor's history"),
        Binding(
            "ctrl+g", "assessments", "Assessments", id="register-home", tooltip="The list of assessments"
        ),
        Binding("f2", "overdue", "Overdue", id="register-overdue", tooltip="Only overdue vendors (toggle)"),
        Binding("f3", "due", "Due ≤", id="register-due", tooltip="Due within 30, 60, 90 days, or any time"),
        Binding("f4", "tier", "Tier", id="register-tier", tooltip="Only one risk tier (cycles)"),
        Binding(
            "f5", "verdict", "Evidence", id="register-verdict", tooltip="Only one evidence verdict (cycles)"
        ),
        Binding("ctrl+r", "sort", "Sort", id="register-sort", tooltip="Change the sort order"),
        Binding(
            "escape", "clear", "Clear filters", show=False, tooltip="Clear the filters, or go back when none"
        ),
        Binding("ctrl+l", "reload", "Reload", show=False, tooltip="Read the store again"),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("up", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self, entries: list[Entry] | None = None, *, cached: Sequence[RegisterRow] = ()) -> None:
        super().__init__()
        self.entries = entries
        """The listing Home already read (so a big store is not listed twice)."""
        self.vendors: Sequence[RegisterRow] = cached
        self.rows: list[RegisterRow] = []
        self.loaded = False
        """Rows are on screen (maybe the cached ones)."""
        self.fresh = False
        """The rows were built from the store's files (not from the cache)."""
        self.pending: str | None = None
        """The key of a vendor opened while the rows were the cached ones."""
        self.overdue = False
        self.due_index = 0
        self.tier_index = 0
        self.verdict_index = 0
        self.sort_index = 0

    @property
    def wizard(self) -> SocwizardApp:
        """The app, typed."""
        from socwizard.tui.app import SocwizardApp

        assert isinstance(self.app, SocwizardApp)
        return self.app

    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [  # type: ignore[misc]
        (0, "-short"),
        (24, "-tall"),
    ]

    def compose(self) -> ComposeResult:
        """Chart, filter, table, detail."""
        yield Static(join(("socwizard", "bold"), "  ·  ", ("Vendor register", "")), id="register-topbar")
        yield RegisterChart(id="register-chart")
        yield Input(
            placeholder="Type to filter by vendor, assessor, tier…", id="register-filter", compact=True
        )
        yield Static(id="register-filters")
        yield EntryTable(COLUMNS, id="register-table")
        yield Static(id="register-detail")
        yield StableFooter()

    def on_mount(self) -> None:
        """Rows come from a worker (the cached ones at once, when the app has them)."""
        self.query_one("#register-detail", Static).update("Reading your assessments…")
        if self.vendors:
            self.loaded = True
            self.refresh_rows()
        if self.wizard.store is not None:
            self.reload()

    def take_entries(self, entries: list[Entry]) -> None:
        """Home has listed the store (the screen showed the cached rows): build the real ones."""
        self.entries = entries
        self.reload()

    def on_resize(self) -> None:
        """More columns when they fit."""
        if self.loaded:
            self.refresh_rows()

    def on_screen_resume(self) -> None:
        """Back from a vendor or an interview: the store may have changed."""
        if self.loaded:
            self.reload()

    @work(exclusive=True, group="register-list")
    async def reload(self) -> None:
        """Read the store and build the register off the UI thread."""
        store = self.wizard.store
        if store is None and self.entries is None:
            return  # the app is still loading: Home hands the listing over (take_entries)
        housekeeping = self.wizard.store_dir / HOUSEKEEPING
        given, self.entries = self.entries, None

        def read() -> tuple[list[VendorRow], list[str]]:
            notices: list[str] = []
            if given is None:
                assert store is not None
                given_now = store.list()
                notices = list(store.notices)
            else:
                given_now = given
            return register.build(given_now), notices

        try:
            vendors, notices = await asyncio.to_thread(read)
        except (SocwizardError, OSError) as exc:  # an unsafe or unreadable store: one line
            message = getattr(exc, "first_line", None) or str(exc)
            self.notify(one_line(message, 300), title="Cannot read the store", severity="error", markup=False)
            return
        if not self.query("#register-table"):  # closed while the store was read: nothing to show
            return
        for notice in notices[:2]:
            self.notify(notice, title="Index", severity="warning", markup=False, timeout=8)
        self.vendors = vendors
        self.loaded = self.fresh = True
        self.refresh_rows()
        self.keep(housekeeping, vendors)
        pending, self.pending = self.pending, None
        if pending is not None:
            row = next((r for r in vendors if r.key == pending), None)
            if row is not None and self.app.screen is self:
                self._open_vendor(row)

    def keep(self, housekeeping: Path, vendors: list[VendorRow]) -> None:
        """Keep the rows for the next start (after they are shown: it is not on their way).

        Not ``@work``: its description would be the repr of every row (seconds at 10,000).
        """
        from socwizard.core import register_cache

        self.run_worker(
            functools.partial(register_cache.save, housekeeping, vendors),
            name="keep the register",
            description="keep the register for the next start",
            group="register-cache",
            exclusive=True,
            thread=True,
        )

    # --- rows -----------------------------------------------------------------------

    def refresh_rows(self) -> None:
        """Filter and sort (in the core), then show."""
        today = self.wizard.today()
        table = self.query_one("#register-table", EntryTable)
        previous = self.current()
        ordered = register.sort_rows(self.vendors, SORTS[self.sort_index][0])
        self.rows = register.select(
            ordered,
            today,
            overdue=self.overdue,
            due_within=DUE_WINDOWS[self.due_index],
            tier=TIER_FILTERS[self.tier_index],
            verdict=VERDICT_FILTERS[self.verdict_index],
            text=self.query_one("#register-filter", Input).value,
        )
        cursor = 0
        if previous is not None:
            cursor = next((n for n, r in enumerate(self.rows) if r.key == previous.key), 0)
        width = (table.size.width or self.app.size.width - 2) - table.styles.scrollbar_size_vertical
        columns = visible_columns(width)
        table.columns = columns
        table.set_rows(LazyRows(self.rows, lambda row: pick(cells(row, today), columns)), cursor)
        self.query_one("#register-chart", RegisterChart).show(register.summarise(self.vendors, today))
        self.show_filters()
        self.show_detail()

    def show_filters(self) -> None:
        """Which filters are on, and the count."""
        active = []
        if self.overdue:
            active.append("overdue")
        if DUE_WINDOWS[self.due_index] is not None:
            active.append(f"due ≤ {DUE_WINDOWS[self.due_index]} days")
        if TIER_FILTERS[self.tier_index]:
            active.append(f"tier {TIER_FILTERS[self.tier_index]}")
        verdict = VERDICT_FILTERS[self.verdict_index]
        if verdict:
            active.append(f"evidence {value_label(verdict)}")
        count = f"{len(self.rows)} of {len(self.vendors)}" if len(self.rows) != len(self.vendors) else ""
        count = count or str(len(self.vendors))
        plural = "s" if len(self.vendors) != 1 else ""
        self.query_one("#register-filters", Static).update(
            join(
                (f"{count} vendor{plural}", "bold"),
                (
                    f" · {', '.join(active)}" if active else " · all",
                    "bold $sw-warn" if active else "$sw-muted",
                ),
                (f" · sorted by {SORTS[self.sort_index][1]}", "$sw-muted"),
                ("" if self.fresh else CHECKING[self.app.size.width < NARROW], "$sw-muted"),
            )
        )

    def current(self) -> RegisterRow | None:
        """The highlighted vendor."""
        table = self.query_one("#register-table", EntryTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def show_detail(self) -> None:
        """A line about the highlighted vendor."""
        detail = self.query_one("#register-detail", Static)
        row = self.current()
        if row is None:
            empty = self.loaded and not self.vendors
            detail.update(line(EMPTY if empty else "No vendor matches the filters."))
            return
        today = self.wizard.today()
        late = row.overdue(today)
        status = status_text(row.status)
        count = f"{row.assessments} assessment{'s' if row.assessments != 1 else ''}"
        detail.update(
            join(
                (one_line(row.vendor, 40), "bold"),
                (f" · {status} · {count}", ""),
                (f" · by {one_line(row.assessor, 24)}" if row.assessor else "", "$sw-muted"),
                "\n",
                (due_text(row.days_left(today)), "bold $sw-bad" if late else "$sw-accent"),
                (f" · next {short_date(row.next_review)}", "$sw-muted"),
                (f" · reviewed {short_date(row.last_reviewed)}", "$sw-muted"),
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
        by_column = {"vendor": "vendor", "tier": "tier", "due": "due", "next": "due", "reviewed": "reviewed"}
        target = by_column.get(event.column_key)
        if target is not None:
            self.sort_index = [k for k, _ in SORTS].index(target)
            self.refresh_rows()

    @on(Input.Changed, "#register-filter")
    def _filter_changed(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#register-filter")
    def _filter_submitted(self) -> None:
        self.action_open()

    # --- actions --------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        """Up/down from the filter box move the highlighted row."""
        table = self.query_one("#register-table", EntryTable)
        if self.rows:
            table.move_cursor(row=max(0, min(len(self.rows) - 1, table.cursor_row + delta)))

    def action_overdue(self) -> None:
        """Only overdue vendors, or all."""
        self.overdue = not self.overdue
        self.refresh_rows()

    def action_due(self) -> None:
        """Due within 30, 60, 90 days, or any time."""
        self.due_index = (self.due_index + 1) % len(DUE_WINDOWS)
        self.refresh_rows()

    def action_tier(self) -> None:
        """Next tier filter."""
        self.tier_index = (self.tier_index + 1) % len(TIER_FILTERS)
        self.refresh_rows()

    def action_verdict(self) -> None:
        """Next evidence-verdict filter."""
        self.verdict_index = (self.verdict_index + 1) % len(VERDICT_FILTERS)
        self.refresh_rows()

    def action_sort(self) -> None:
        """Next sort order."""
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.refresh_rows()

    def action_clear(self) -> None:
        """No filters; with none set, Escape goes back to the assessments, as on every screen."""
        box = self.query_one("#register-filter", Input)
        if not (self.overdue or self.due_index or self.tier_index or self.verdict_index or box.value):
            self.action_assessments()
            return
        self.overdue = False
        self.due_index = self.tier_index = self.verdict_index = 0
        self.query_one("#register-filter", Input).value = ""
        self.refresh_rows()

    def action_reload(self) -> None:
        """Read the store again."""
        self.reload()

    def action_assessments(self) -> None:
        """Back to the assessments list."""
        self.dismiss(None)

    def action_open(self) -> None:
        """The highlighted vendor's history."""
        row = self.current()
        if row is None:
            return
        if not isinstance(row, VendorRow):  # the cached rows: open it once the store is read
            self.pending = row.key
            self.notify("Reading the store: the vendor opens in a moment.", timeout=3, markup=False)
            return
        self._open_vendor(row)

    def _open_vendor(self, row: VendorRow) -> None:
        from socwizard.tui.screens.vendor import VendorScreen

        self.app.push_screen(VendorScreen(row))
