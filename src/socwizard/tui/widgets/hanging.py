"""A choice's text with a hanging indent: wrapped lines start under the text, not the mark."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.content import Content
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions


class Hanging(Visual):
    """``mark`` on the first line; ``body`` beside it, every wrapped line indented as far.

    An :class:`~textual.widgets.OptionList` prompt: ``● Not tiered yet, or not sure: work
    it out`` wraps as ``  from my answers`` under "Not", not under the radio mark.
    """

    def __init__(self, mark: Content, body: Content) -> None:
        self.mark = mark
        self.body = body
        self.indent = cell_len(mark.plain)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """The mark plus the body's widest line."""
        return self.indent + self.body.get_optimal_width(rules, max(1, container_width - self.indent))

    def get_minimal_width(self, rules: RulesMap) -> int:
        """The mark plus the body's longest word."""
        return self.indent + self.body.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """The body's height in the room beside the mark."""
        return self.body.get_height(rules, max(1, width - self.indent))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """The body in ``width - indent`` cells, the mark (or blanks) before each line."""
        room = max(1, width - self.indent)
        body = self.body.render_strips(room, height, style, options)
        mark = self.mark.render_strips(self.indent, 1, style, options)
        blank = Strip.blank(self.indent, style.rich_style)
        lines: list[Strip] = []
        for n, strip in enumerate(body):
            lead = mark[0] if n == 0 and mark else blank
            lines.append(Strip.join([lead.crop_extend(0, self.indent, style.rich_style), strip]))
        return lines
