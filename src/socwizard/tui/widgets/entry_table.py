"""A table of saved assessments that stays instant with thousands of rows.

Textual's DataTable builds per-row state on ``add_row`` (about 0.1 ms a row), so
filtering 10,000 assessments rebuilt it for a second per keystroke. This line-API
table keeps the rows as plain tuples and renders only the lines on screen, caching
each rendered line (see BENCHMARKS.md, figure 5). Cell text is plain text: it goes
into segments as it is, never through markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from socwizard.core.text import one_line
from socwizard.tui.format import distinct
from socwizard.tui.widgets.cached_lines import CachedLineView

# A cell: its text and a tone ("" plain, "good", "alert").
Cell = tuple[str, str]
Row = tuple[Cell, ...]
Column = tuple[str, str, int, bool]
"""key, header, width (0: the flexible first column), and whether it stays on the first
line when a row takes two lines."""

MIN_FLEX = 24
"""Fewer cells than this for the flexible column, and rows take two lines."""
INDENT = 2
"""Second lines of two-line rows start this far in."""


def fit(text: str, width: int) -> str:
    """Pad or cut text to exactly ``width`` cells, with an ellipsis when cut."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


Placed = tuple[int, int, int]
"""A cell on a line: column index, x offset, width."""


def layout(columns: Sequence[Column], width: int, min_flex: int = MIN_FLEX) -> list[list[Placed]]:
    """Where each column goes at ``width``: one line per row, or two on a narrow terminal.

    One line when the flexible column gets at least ``min_flex`` cells; else the
    flexible column and the first-line columns on top, the others below, indented.
    """
    fixed = sum(w + 1 for _k, _l, w, _t in columns if w)
    flex = width - 1 - fixed - 1
    if flex >= min_flex:
        return [_place(columns, range(len(columns)), 1, flex)]
    top = [n for n, c in enumerate(columns) if c[3] or not c[2]]
    bottom = [n for n, c in enumerate(columns) if not (c[3] or not c[2])]
    top_fixed = sum(columns[n][2] + 1 for n in top if columns[n][2])
    return [
        _place(columns, top, 1, max(MIN_FLEX // 2, width - 1 - top_fixed - 1)),
        _place(columns, bottom, 1 + INDENT, 0),
    ]


def fits(columns: Sequence[Column], width: int, min_flex: int = MIN_FLEX) -> bool:
    """Whether every line of a row laid out at ``width`` cells stays within them."""
    return all(x + w <= width for line in layout(columns, width, min_flex) for _n, x, w in line)


def pick(by_key: dict[str, Cell], columns: Sequence[Column]) -> Row:
    """Cells in the order of the columns shown (a dash for a key with no cell)."""
    return tuple(by_key.get(key, ("—", "")) for key, _label, _width, _top in columns)


def _place(columns: Sequence[Column], indices: Sequence[int], x: int, flex: int) -> list[Placed]:
    placed: list[Placed] = []
    for n in indices:
        w = columns[n][2] or flex
        placed.append((n, x, w))
        x += w + 1
    return placed


class EntryTable(CachedLineView, can_focus=True):
    """Header line plus one line per row; only visible lines are rendered."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(-1)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-table--header",
        "entry-table--cursor",
        "entry-table--even",
        "entry-table--good",
        "entry-table--alert",
    }
    DEFAULT_CSS = """
    EntryTable { background: $surface; scrollbar-size-vertical: 1; }
    EntryTable > .entry-table--header { text-style: bold; background: $panel; color: $foreground; }
    EntryTable > .entry-table--even { background: $surface-lighten-1 40%; }
    EntryTable > .entry-table--cursor { background: $block-cursor-blurred-background; }
    EntryTable:focus > .entry-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    EntryTable > .entry-table--good { color: $sw-good; }
    EntryTable > .entry-table--alert { color: $sw-bad; text-style: bold; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class RowHighlighted(Message):
        """The cursor moved to another row."""

        def __init__(self, cursor_row: int) -> None:
            super().__init__()
            self.cursor_row = cursor_row

    class RowSelected(Message):
        """Enter (or a click on the highlighted row)."""

        def __init__(self, cursor_row: int) -> None:
            super().__init__()
            self.cursor_row = cursor_row

    class HeaderSelected(Message):
        """A column header was clicked."""

        def __init__(self, column_key: str) -> None:
            super().__init__()
            self.column_key = column_key

    def __init__(self, columns: Sequence[Column], *, id: str | None = None, min_flex: int = MIN_FLEX) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.min_flex = min_flex
        """Rows take two lines when the flexible column would get fewer cells than this."""
        self.rows: Sequence[Row] = ()
        self.lines: list[list[Placed]] = layout(self.columns, 80, min_flex)
        self._shown: tuple[tuple[object, ...], dict[int, str]] = ((), {})

    # --- data ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Number of rows."""
        return len(self.rows)

    @property
    def per_row(self) -> int:
        """Lines per row (and in the header): 1, or 2 on a narrow terminal."""
        return len(self.lines)

    @property
    def total_width(self) -> int:
        """Width of the longest line of the layout."""
        return max(x + w for line in self.lines for _n, x, w in line) + 1

    def _relayout(self) -> None:
        width = (self.size.width or 80) - self.styles.scrollbar_size_vertical
        self.lines = layout(self.columns, width, self.min_flex)
        self.virtual_size = Size(self.total_width, (len(self.rows) + 1) * self.per_row)

    def set_rows(self, rows: Sequence[Row], cursor: int = 0) -> None:
        """Replace every row (cheap: nothing is rendered until it is on screen)."""
        self.rows = rows
        self.lines_cache.clear()
        self._shown = ((), {})
        self._relayout()
        self.cursor_row = max(0, min(cursor, len(rows) - 1))
        self._keep_visible()
        self.refresh()

    def get_row_at(self, index: int) -> list[str]:
        """The plain texts of one row."""
        return [text for text, _tone in self.rows[index]]

    def move_cursor(self, *, row: int) -> None:
        """Highlight a row."""
        if self.rows:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))
            self._keep_visible()

    def on_resize(self) -> None:
        """A new width may change the layout (the base class drops the cached lines)."""
        self._relayout()

    # --- rendering ----------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _flex_width(self) -> int:
        return next(w for line in self.lines for n, _x, w in line if not self.columns[n][2])

    def shown_titles(self) -> dict[int, str]:
        """The first column of the rows on screen, cut so that no two look the same."""
        flex_col = next(n for n, c in enumerate(self.columns) if not c[2])
        width = self._flex_width()
        first = int(self.scroll_offset.y) // self.per_row
        count = self.size.height // self.per_row + 1
        indices = range(max(0, first - 1), min(len(self.rows), first + count))
        texts = [one_line(self.rows[i][flex_col][0], 400) for i in indices]
        key = (width, *texts)
        if self._shown[0] != key:
            self._shown = (key, dict(zip(indices, distinct(texts, width), strict=True)))
        return self._shown[1]

    def render_line(self, y: int) -> Strip:
        """The header's lines first; then each row's, scrolled."""
        width = self.size.width
        scroll_x = self.scroll_offset.x
        per_row = self.per_row
        if y < per_row:
            key: tuple[object, ...] = ("header", y, width, scroll_x)
            return self.cached(key, lambda: self._draw(-1, y, width, scroll_x, ""))
        absolute = int(self.scroll_offset.y) + y - per_row
        index, part = divmod(absolute, per_row)
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, self.rich_style)
        title = self.shown_titles().get(index, "")
        key = (
            self.rows[index],
            title,
            part,
            index % 2,
            index == self.cursor_row,
            self.has_focus,
            width,
            scroll_x,
        )
        return self.cached(key, lambda: self._draw(index, part, width, scroll_x, title))

    def _draw(self, index: int, part: int, width: int, scroll_x: int, title: str) -> Strip:
        base = self.rich_style
        if index < 0:
            style = base + self._style("entry-table--header")
        else:
            style = base
            if index % 2:
                style += self._style("entry-table--even")
            if index == self.cursor_row:
                style += self._style("entry-table--cursor")
        segments: list[Segment] = []
        x = 0
        for n, at, cell_width in self.lines[part]:
            if at > x:
                segments.append(Segment(" " * (at - x), style))
            if index < 0:
                segments.append(Segment(fit(self.columns[n][1], cell_width), style))
            else:
                text, tone = self.rows[index][n]
                shown = title if not self.columns[n][2] and title else one_line(text, 400)
                cell_style = style + self._style(f"entry-table--{tone}") if tone else style
                segments.append(Segment(fit(shown, cell_width), cell_style))
            x = at + cell_width
        line = Strip(segments).crop(scroll_x, scroll_x + width)
        return line.extend_cell_length(width, style)

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Repaint the rows whose highlight changed; tell the screen."""
        for index in (old, new):
            for part in range(self.per_row):
                self.refresh_line((index + 1) * self.per_row + part)
        self.post_message(self.RowHighlighted(new))

    # --- interaction --------------------------------------------------------------------

    def _keep_visible(self) -> None:
        per_row = self.per_row
        body = max(1, self.scrollable_content_region.height // per_row - 1)
        top = int(self.scroll_offset.y) // per_row
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row * per_row, animate=False)
        elif self.cursor_row >= top + body:
            self.scroll_to(y=(self.cursor_row - body + 1) * per_row, animate=False)

    def action_move(self, step: int) -> None:
        """One row up or down."""
        self.move_cursor(row=self.cursor_row + step)

    def action_page(self, step: int) -> None:
        """One screen up or down."""
        self.move_cursor(row=self.cursor_row + step * max(1, self.size.height // self.per_row - 2))

    def action_edge(self, step: int) -> None:
        """First or last row."""
        self.move_cursor(row=0 if step < 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        """Open the highlighted row."""
        if self.rows:
            self.post_message(self.RowSelected(self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        """Header: sort by that column. Row: highlight it; a second click opens it."""
        per_row = self.per_row
        if event.y < per_row:
            x = event.x + self.scroll_offset.x
            for n, at, cell_width in self.lines[event.y]:
                if at <= x < at + cell_width + 1:
                    self.post_message(self.HeaderSelected(self.columns[n][0]))
                    return
            return
        index = (int(self.scroll_offset.y) + event.y - per_row) // per_row
        if 0 <= index < len(self.rows):
            if index == self.cursor_row:
                self.post_message(self.RowSelected(index))
            else:
                self.cursor_row = index
