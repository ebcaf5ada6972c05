"""The interview's map: sections and their visible questions, each with its status.

A line-API widget rather than an OptionList: every row is one line, rendered once and
cached by its content, so a page flip re-renders only the two or three rows that
changed. Rebuilding a 50-option OptionList was two thirds of a page flip's cost
(see BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.visual import Visual

from socwizard.core.answers import State
from socwizard.core.bank.models import Bank
from socwizard.core.scoring import Visibility
from socwizard.core.text import one_line
from socwizard.tui.format import distinct
from socwizard.tui.safe import join
from socwizard.tui.widgets.cached_lines import CachedLineView

SECTION_PREFIX = "section:"

# status → (mark, style, words)
MARKS: dict[str, tuple[str, str, str]] = {
    "answered": ("✓", "$sw-good", "answered"),
    "unknown": ("?", "$sw-warn", "don't know"),
    "not_applicable": ("–", "$sw-muted", "n/a"),
    "skipped": ("»", "$sw-warn", "skipped"),
    "todo": ("○", "$sw-muted", "to do"),
    "warned": ("!", "bold $sw-bad", "check"),
}


def question_status(
    question_id: str, vis: Visibility, passed: Collection[str], answers_state: State | None
) -> str:
    """answered, unknown, not_applicable, skipped (passed without an answer) or todo."""
    if answers_state is State.ANSWERED:
        return "answered"
    if answers_state is State.UNKNOWN:
        return "unknown"
    if answers_state is State.NOT_APPLICABLE:
        return "not_applicable"
    return "skipped" if question_id in passed else "todo"


LEGEND_LINES: tuple[tuple[str, ...], ...] = (("answered", "unknown"), ("not_applicable", "skipped", "todo"))


def legend() -> Content:
    """Every mark of the map in words, and what an optional section is."""
    parts: list[str | Content | tuple[str, str]] = []
    for keys in LEGEND_LINES:
        for n, key in enumerate(keys):
            mark, style, words = MARKS[key]
            parts += ["  " if n else "", (mark, style), f" {words}"]
        parts.append("\n")
    mark, style, words = MARKS["warned"]
    parts += [("▸", "bold $sw-accent"), " this question  ", (mark, style), f" {words}\n"]
    parts += [("(optional)", "bold"), " section: may stay blank, not counted as missing"]
    return join(*parts)


def _title(row: Row, width: int) -> str:
    """A section's title cut to leave its suffix whole: "Evidence from… (optional)".

    Cut at the end of the line, the suffix went first, and no section on the map showed the
    "(optional)" the legend explains.
    """
    room = width - cell_len(row.suffix)
    if cell_len(row.text) <= room or room < 8:
        return row.text
    return set_cell_size(row.text, room - 1).rstrip() + "…"


@dataclass(frozen=True)
class Row:
    """One line of the map: a section title, or a question with its status."""

    id: str
    text: str
    status: str = ""
    current: bool = False
    suffix: str = ""
    warned: bool = False
    """Its answer contradicts another (a warning of the result concerns it)."""

    @property
    def is_section(self) -> bool:
        """Section titles cannot be selected."""
        return self.id.startswith(SECTION_PREFIX)

    def content(self, text: str | None = None) -> Content:
        """The row as styled plain text (never markup); ``text`` replaces a long prompt."""
        shown = self.text if text is None else text
        if self.is_section:
            return join((shown, "bold $sw-accent"), (self.suffix, "$sw-muted"))
        mark, style, _ = MARKS["warned" if self.warned else self.status]
        return join(
            ("▸" if self.current else " ", "bold $sw-accent"),
            (mark, style),
            " ",
            (shown, "bold" if self.current else ""),
        )


class Sidebar(CachedLineView, can_focus=True):
    """Sections and the questions currently visible; select one to jump to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "select", "Go to", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"sidebar--cursor"}
    DEFAULT_CSS = """
    Sidebar { overflow-x: hidden; }
    Sidebar > .sidebar--cursor { background: $block-cursor-blurred-background; }
    Sidebar:focus > .sidebar--cursor { background: $block-cursor-background; }
    """

    cursor: reactive[int] = reactive(0, layout=False, always_update=True)

    class Jump(Message):
        """The user picked a question on the map."""

        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._texts: tuple[int, list[str]] = (-1, [])

    def texts(self, width: int) -> list[str]:
        """The prompts as shown at ``width``: cut, and never two alike (see :func:`distinct`)."""
        if self._texts[0] != width:
            questions = [row.text for row in self.rows if not row.is_section]
            shown = iter(distinct(questions, max(1, width - 3)))
            self._texts = (
                width,
                [_title(row, width) if row.is_section else next(shown) for row in self.rows],
            )
        return self._texts[1]

    # --- content ------------------------------------------------------------------------

    def show(
        self,
        bank: Bank,
        vis: Visibility,
        current: str | None,
        passed: Collection[str],
        warned: Collection[str] = (),
    ) -> None:
        """Show the map for the current answers; only rows that changed are re-rendered.

        ``warned``: the questions a warning of the last result concerns (marked ``!``).
        """
        rows: list[Row] = []
        seen_sections: set[str] = set()
        for qid in vis.shown:
            question = bank.question(qid)
            if question is None:
                continue
            section_id = question.section or ""
            if section_id not in seen_sections:
                seen_sections.add(section_id)
                section = bank.section(section_id)
                title = one_line(section.title if section else section_id or "Questions", 60)
                optional = " (optional)" if section is not None and section.optional else ""
                rows.append(Row(SECTION_PREFIX + section_id, title, suffix=optional))
            answer = vis.effective.get(qid)
            status = question_status(qid, vis, passed, answer.state if answer else None)
            rows.append(
                Row(qid, one_line(question.prompt, 120), status, qid == current, warned=qid in warned)
            )
        if rows != self.rows:
            if [r.text for r in rows] != [r.text for r in self.rows]:
                self._texts = (-1, [])
            self.rows = rows
            if self.virtual_size.height != len(rows):
                self.virtual_size = Size(self.size.width, len(rows))
            self.refresh()
        here = next((n for n, row in enumerate(rows) if row.current), None)
        if here is not None:
            self.cursor = here
            self._keep_visible(here, center=True)
            # On the first show the map has no size yet: centre it again once laid out.
            self.call_after_refresh(self._keep_visible, here, center=True)

    def _keep_visible(self, index: int, *, center: bool = False) -> None:
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height)
        if top <= index < top + height:
            return
        target = index - height // 2 if center else (index if index < top else index - height + 1)
        self.scroll_to(y=max(0, target), animate=False)

    def option_ids(self) -> list[str]:
        """Ids of the rows (sections are prefixed with ``section:``)."""
        return [row.id for row in self.rows]

    # --- rendering ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One row, from the cache when its content, width and highlight are unchanged."""
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        is_cursor = index == self.cursor
        text = self.texts(width)[index]

        def draw() -> Strip:
            style = self.get_visual_style("sidebar--cursor") if is_cursor else self.get_visual_style()
            content = row.content(text).truncate(width, ellipsis=True)
            strips = Visual.to_strips(self, content, width, 1, style, pad=True)
            return strips[0] if strips else Strip.blank(width, base)

        return self.cached((row, text, width, is_cursor, self.has_focus), draw)

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint only the two rows whose highlight changed."""
        for index in (old, new):
            self.refresh_line(index)

    def on_resize(self) -> None:
        """Size changed (the base class drops the cached rows); the current row stays in view."""
        self.virtual_size = Size(self.size.width, len(self.rows))
        here = next((n for n, row in enumerate(self.rows) if row.current), None)
        if here is not None:
            self.call_after_refresh(self._keep_visible, here, center=True)

    # --- interaction --------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Move the cursor to the next selectable row."""
        index = self.cursor + step
        while 0 <= index < len(self.rows) and self.rows[index].is_section:
            index += step
        if 0 <= index < len(self.rows):
            self.cursor = index
            self._keep_visible(index)

    def action_select(self) -> None:
        """Jump to the row under the cursor."""
        if 0 <= self.cursor < len(self.rows) and not self.rows[self.cursor].is_section:
            self.post_message(self.Jump(self.rows[self.cursor].id))

    def on_click(self, event: events.Click) -> None:
        """Click a question to jump to it."""
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self.rows) and not self.rows[index].is_section:
            self.cursor = index
            self.post_message(self.Jump(self.rows[index].id))
