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
from socwizard.tui.widgets.cached_lines import CachedLineView

# A cell: its text and a tone ("" plain, "good", "alert").
Cell = tuple[str, str]
Row = tuple[Cell, ...]


def fit(text: str, width: int) -> str:
    """Pad or cut text to exactly ``width`` cells, with an ellipsis when cut."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


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
    EntryTable { background: $surface; }
    EntryTable > .entry-table--header { text-style: bold; background: $panel; color: $foreground; }
    EntryTable > .entry-table--even { background: $surface-lighten-1 40%; }
    EntryTable > .entry-table--cursor { background: $block-cursor-blurred-background; }
    EntryTable:focus > .entry-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    EntryTable > .entry-table--good { color: $success; }
    EntryTable > .entry-table--alert { color: $error; text-style: bold; }
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

    def __init__(self, columns: Sequence[tuple[str, str, int]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.rows: Sequence[Row] = ()

    # --- data ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Number of rows."""
        return len(self.rows)

    @property
    def total_width(self) -> int:
        """Width of a full line (columns and one space between them)."""
        return 1 + sum(width + 1 for _key, _label, width in self.columns)

    def set_rows(self, rows: Sequence[Row], cursor: int = 0) -> None:
        """Replace every row (cheap: nothing is rendered until it is on screen)."""
        self.rows = rows
        self.lines_cache.clear()
        self.virtual_size = Size(self.total_width, len(rows) + 1)
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

    # --- rendering ----------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header; the rest are rows, scrolled."""
        width = self.size.width
        scroll_x = self.scroll_offset.x
        if y == 0:
            key: tuple[object, ...] = ("header", width, scroll_x)
        else:
            index = self.scroll_offset.y + y - 1
            if not 0 <= index < len(self.rows):
                return Strip.blank(width, self.rich_style)
            key = (self.rows[index], index % 2, index == self.cursor_row, self.has_focus, width, scroll_x)
        return self.cached(key, lambda: self._draw(y, width, scroll_x))

    def _draw(self, y: int, width: int, scroll_x: int) -> Strip:
        base = self.rich_style
        segments: list[Segment] = []
        if y == 0:
            style = base + self._style("entry-table--header")
            segments.append(Segment(" ", style))
            for _key, label, col_width in self.columns:
                segments.append(Segment(fit(label, col_width) + " ", style))
        else:
            index = self.scroll_offset.y + y - 1
            style = base
            if index % 2:
                style += self._style("entry-table--even")
            if index == self.cursor_row:
                style += self._style("entry-table--cursor")
            segments.append(Segment(" ", style))
            for (text, tone), (_key, _label, col_width) in zip(self.rows[index], self.columns, strict=False):
                cell_style = style + self._style(f"entry-table--{tone}") if tone else style
                segments.append(Segment(fit(one_line(text, 400), col_width), cell_style))
                segments.append(Segment(" ", style))
        line = Strip(segments).crop(scroll_x, scroll_x + width)
        return line.extend_cell_length(width, style)

    def watch_cursor_row(self, old: int, new: int) -> None:
        """Repaint the two rows whose highlight changed; tell the screen."""
        for index in (old, new):
            self.refresh_line(index + 1)
        self.post_message(self.RowHighlighted(new))

    # --- interaction --------------------------------------------------------------------

    def _keep_visible(self) -> None:
        body = max(1, self.scrollable_content_region.height - 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + body:
            self.scroll_to(y=self.cursor_row - body + 1, animate=False)

    def action_move(self, step: int) -> None:
        """One row up or down."""
        self.move_cursor(row=self.cursor_row + step)

    def action_page(self, step: int) -> None:
        """One screen up or down."""
        self.move_cursor(row=self.cursor_row + step * max(1, self.size.height - 2))

    def action_edge(self, step: int) -> None:
        """First or last row."""
        self.move_cursor(row=0 if step < 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        """Open the highlighted row."""
        if self.rows:
            self.post_message(self.RowSelected(self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        """Header: sort by that column. Row: highlight it; a second click opens it."""
        if event.y == 0:
            x = event.x + self.scroll_offset.x - 1
            for key, _label, col_width in self.columns:
                if x < col_width + 1:
                    self.post_message(self.HeaderSelected(key))
                    return
                x -= col_width + 1
            return
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.rows):
            if index == self.cursor_row:
                self.post_message(self.RowSelected(index))
            else:
                self.cursor_row = index
