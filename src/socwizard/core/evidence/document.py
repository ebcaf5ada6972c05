"""The text of a report, cleaned of what layout adds: running headers, page numbers, hyphens.

Pages become one string (lines joined by newlines, pages by a blank line) with the offset
where each page starts, so a match anywhere maps back to its page. ``flat`` is the same
string with newlines as spaces (same offsets), for sentences that wrap.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from socwizard.core.text import clean

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
    }
)
# Bullet glyphs as text extraction gives them (symbol fonts map to DEL or private use).
_BULLET = re.compile(
    "^[\x7f\uf0b7\uf0a7\uf0d8\uf076\uf0fc\u2022\u25aa\u25ab\u25e6\u25cf\u25a0\u25a1\u25cb\u25c6\u2756\u27a2\u25ba\u2713\u2219\u00b7*]\\s*"
)
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s+of\s+\d{1,4})?$|^[ivxlc]{1,6}$", re.I)
_EDGE = 3  # lines at the top and bottom of a page where running headers and footers sit


def normalise_line(line: str) -> str:
    """One extracted line, normalised: compatibility forms, quotes, dashes, bullets, spaces."""
    line = unicodedata.normalize("NFKC", line).translate(_TRANSLATE).replace("\u00ad", "")
    line = _BULLET.sub("\u2022 ", line.strip())
    return " ".join(clean(line).split())


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.lower())


def _strip_running(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines repeated at the edges of many pages (keep the first)."""
    count = len(pages)
    seen: Counter[str] = Counter()
    for lines in pages:
        edges = {_key(x) for x in lines[:_EDGE] + lines[-_EDGE:]}
        seen.update(edges)
    threshold = max(3, int(count * 0.3))
    running = {k for k, n in seen.items() if n >= threshold} if count >= 4 else set()
    kept_once: set[str] = set()
    out: list[list[str]] = []
    for lines in pages:
        result: list[str] = []
        last = len(lines) - 1
        for i, line in enumerate(lines):
            edge = i < _EDGE or i > last - _EDGE
            if edge and _PAGE_NUMBER.match(line):
                continue
            key = _key(line)
            if edge and key in running:
                if key in kept_once:
                    continue
                kept_once.add(key)
            result.append(line)
        out.append(result)
    return out


def _dehyphenate(lines: list[str]) -> list[str]:
    """Join ``organi-`` / ``zations`` back into one word (a hyphen before a lower-case word)."""
    out: list[str] = []
    for line in lines:
        if out and re.search(r"[A-Za-z]-$", out[-1]) and re.match(r"[a-z]", line):
            out[-1] = out[-1][:-1] + line
        else:
            out.append(line)
    return out


@dataclass(frozen=True)
class Line:
    """One line of the document with its offsets in :attr:`Document.text`."""

    text: str
    start: int
    end: int
    page: int


class Document:
    """A report's cleaned text with page offsets."""

    def __init__(self, raw_pages: Sequence[str]) -> None:
        pages = [[x for x in (normalise_line(s) for s in raw.splitlines()) if x] for raw in raw_pages]
        self.raw_first = "\n".join(pages[0]) if pages else ""
        pages = _strip_running(pages)
        pages = [_dehyphenate(lines) for lines in pages]
        for i in range(len(pages) - 1):  # a word hyphenated across a page break
            joins = pages[i] and pages[i + 1] and re.search(r"[A-Za-z]-$", pages[i][-1])
            if joins and re.match(r"[a-z]", pages[i + 1][0]):
                pages[i][-1] = pages[i][-1][:-1] + pages[i + 1].pop(0)
        self.page_count = len(pages)
        self.starts: list[int] = []
        chunks: list[str] = []
        offset = 0
        for lines in pages:
            self.starts.append(offset)
            chunk = "\n".join(lines) + "\n\n"
            chunks.append(chunk)
            offset += len(chunk)
        self.text = "".join(chunks)
        self.flat = self.text.replace("\n", " ")
        self.toc_pages = frozenset(i + 1 for i, lines in enumerate(pages) if _is_toc(lines))

    def page_of(self, pos: int) -> int:
        """The 1-based page holding offset ``pos``."""
        return max(1, bisect.bisect_right(self.starts, pos))

    def page_span(self, page: int) -> tuple[int, int]:
        """Offsets of one page (1-based)."""
        start = self.starts[page - 1]
        end = self.starts[page] if page < len(self.starts) else len(self.text)
        return start, end

    def lines(self, start: int = 0, end: int | None = None) -> Iterator[Line]:
        """The lines between two offsets."""
        end = len(self.text) if end is None else end
        pos = self.text.rfind("\n", 0, start) + 1
        while pos < end:
            stop = self.text.find("\n", pos)
            if stop < 0:
                stop = len(self.text)
            if stop > pos:
                yield Line(self.text[pos:stop], pos, stop, self.page_of(pos))
            pos = stop + 1

    def quote(self, start: int, end: int, limit: int = 220) -> str:
        """The sentence around a match, at most ``limit`` characters, on one line."""
        flat = self.flat
        page_start = self.page_span(self.page_of(start))[0]
        left = flat.rfind(". ", page_start, start)
        left = page_start if left < 0 else left + 2
        if start - left > limit // 2:
            left = flat.find(" ", start - limit // 2, start) + 1 or start
        left = max(left, page_start)
        right = end
        while True:
            right = flat.find(". ", right)
            if right < 0:
                right = len(flat)
                break
            word = flat[flat.rfind(" ", 0, right) + 1 : right]
            if len(word) > 2 and word not in ("Inc", "Ltd", "Corp", "No", "Co", "St"):
                right += 1
                break
            right += 2
        if right - end > limit // 2:
            right = max(end, flat.rfind(" ", end, end + limit // 2))
        text = " ".join(flat[left:right].split())
        return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _is_toc(lines: list[str]) -> bool:
    if any(re.fullmatch(r"(?:table\s+of\s+)?contents", x, re.I) for x in lines[:6]):
        return True
    leaders = sum(1 for x in lines if re.search(r"(?:\.\s*){4,}\s*\d{1,4}\b", x))
    return leaders >= 3
