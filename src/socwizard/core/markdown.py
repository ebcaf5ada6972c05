r"""Markdown escaping that keeps text readable and still stops injection.

Text from a file (vendor, notes, answers, even the bank's prompts) must not become
links, images, HTML, emphasis, code, headings, lists, quotes or table cells in the
Markdown we write. Only what CommonMark and GitHub Flavoured Markdown can read as
syntax is escaped, so ``2027-03-01``, ``Dana (IT)`` and ``1.0.0`` stay as they are:

- everywhere: ``\`` `` ` `` ``*`` ``_`` ``[`` ``]`` ``<`` ``~`` ``|`` (links, images,
  HTML and autolinks, emphasis, code, strikethrough, table cells), ``&`` only where it
  would start an entity (``&amp;``), and ``://`` / ``www.`` (a bare URL is not turned
  into a link);
- at the start of a line only: ``#`` (heading), ``>`` (quote), ``-`` ``+`` ``=``
  (lists, rules and setext headings) and ``1.`` / ``1)`` (ordered lists).

Leading spaces are dropped, so no line becomes an indented code block. Control
characters are removed first (:func:`socwizard.core.text.clean`).
"""

from __future__ import annotations

import re

from socwizard.core.text import clean

_INLINE = re.compile(
    r"([\\`*_\[\]<~|])"  # always syntax
    r"|&(?=#?[A-Za-z0-9]+;)"  # an entity such as &amp; or &#60;
    r"|(?<=[A-Za-z0-9]):(?=//)|(?<=\bwww)\."  # GFM autolinks: https://… and www.…
)
_LINE_START = re.compile(r"^([#>+=-])|^(\d{1,9})([.)])(?=\s|$)")


def _inline(match: re.Match[str]) -> str:
    return "\\" + match.group(0)


def _line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def md_line(text: str) -> str:
    """One line of file text for Markdown: cleaned, flattened, escaped (not truncated)."""
    flat = " ".join(clean(text).split())
    return _LINE_START.sub(_line_start, _INLINE.sub(_inline, flat), count=1)


def md_lines(text: str) -> list[str]:
    """Multi-line file text: one escaped line per non-blank line."""
    return [line for line in (md_line(raw) for raw in clean(text).splitlines()) if line]


def md_cell(text: str) -> str:
    """File text for a table cell: one line (newlines become spaces), ``|`` escaped."""
    return md_line(text) or "—"
