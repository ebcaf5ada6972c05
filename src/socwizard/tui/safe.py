"""Plain-text helpers: text from files is never markup and never carries control characters.

Every string that came from a file (titles, vendor names, notes, bank prompts and labels,
error messages that quote a file) goes through these helpers before it reaches a widget.
"""

from __future__ import annotations

from textual.content import Content

from socwizard.core.text import clean, one_line

__all__ = ["block", "join", "line", "styled"]


def block(text: str) -> Content:
    """Multi-line plain text: control characters stripped, markup never parsed."""
    return Content(clean(text))


def line(text: str, limit: int = 200) -> Content:
    """One line of plain text, at most ``limit`` characters."""
    return Content(one_line(text, limit))


def styled(text: str, style: str, *, limit: int | None = None) -> Content:
    """Plain text with a fixed style (the style is ours, never the file's)."""
    body = one_line(text, limit) if limit else clean(text)
    return Content.styled(body, style)


def join(*parts: str | Content | tuple[str, str]) -> Content:
    """Assemble plain parts; ``(text, style)`` tuples style their (cleaned) text."""
    cleaned: list[str | Content | tuple[str, str]] = []
    for part in parts:
        if isinstance(part, str):
            cleaned.append(clean(part))
        elif isinstance(part, tuple):
            cleaned.append((clean(part[0]), part[1]))
        else:
            cleaned.append(part)
    return Content.assemble(*cleaned)
