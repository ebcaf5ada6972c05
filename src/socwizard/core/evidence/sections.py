"""Where a report's parts start: auditor's report, assertion, description, tests, other.

A heading is a short line at the start of which a section title stands (after an optional
"Section III:" or "3."), outside the table of contents. Each part runs to the start of the
next one, in whatever order the firm put them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from socwizard.core.evidence.document import Document

_PREFIX = (
    r"^(?:section\s+(?:[ivx]+|\d{1,2}|one|two|three|four|five|six)\b\s*[:.\-]?\s*|(?:[ivx]+|\d{1,2})[.)]\s+)?"
)
_TITLES: dict[str, str] = {
    "auditor": (
        r"(?:independent\s+)?(?:service\s+)?(?:auditor|accountant|practitioner)s?'?s?'?\s+"
        r"(?:(?:assurance|examination|attestation)\s+)?report\b"
        r"|report\s+of\s+(?:the\s+)?independent\s+(?:service\s+)?(?:auditors?|accountants?|practitioners?)\b"
        r"|independent\s+(?:service\s+)?auditor'?s?'?\s+opinion\b"
    ),
    "assertion": (
        r"(?:[A-Z][\w.,&'-]*\s+){0,6}?management'?s?'?\s+(?:assertion|statement)\b"
        r"|assertion\s+(?:of|by|from)\b|statement\s+(?:of|by)\s+(?:the\s+)?(?:service\s+organi[sz]ation|management)\b"
    ),
    "description": (
        r"(?:(?:[A-Z][\w.,&-]*\s+){0,6}?[A-Z][\w.&-]*'s?\s+)?description\s+of\s+(?:the\s+|its\s+)?"
        r"(?:[\w.,&' -]{0,60}?\s)?system\b"
        r"|system\s+description\b|description\s+of\s+(?:the\s+)?(?:services|system)\b"
    ),
    "tests": (
        r"(?:[\w ,]{0,40})(?:tests?|testing)\s+of\s+(?:the\s+)?(?:controls|operating\s+effectiveness)\b"
        r"|trust\s+services?\s+(?:criteria|categories)[\w ,]{0,60}(?:tests?|testing|results)\b"
        r"|(?:control\s+objectives|criteria)[\w ,]{0,40}related\s+controls\b"
        r"|testing\s+matri(?:x|ces)\b|information\s+provided\s+by\s+(?:the\s+)?(?:independent\s+)?service\s+auditor\b"
        r"|(?:description|results)\s+of\s+(?:the\s+)?(?:service\s+auditor'?s\s+)?tests\b"
        r"|controls,?\s+tests\s+(?:performed\s+)?and\s+results\b"
        r"|(?:[\w ,]{0,40})(?:controls?|tests?)\s+(?:performed\s+)?and\s+(?:test\s+)?results\b"
        r"|results\s+of\s+(?:the\s+)?(?:service\s+auditor'?s\s+)?(?:tests|testing)\b"
    ),
    "other": r"other\s+information\s+provided\s+by\b|additional\s+information\s+provided\s+by\b",
}
_HEADINGS = {name: re.compile(_PREFIX + f"(?:{title})", re.I) for name, title in _TITLES.items()}
MAX_HEADING = 110
_SMALL = {"of", "the", "and", "a", "an", "to", "for", "in", "on", "by", "its", "or", "with", "at", "from"}


@dataclass(frozen=True)
class Region:
    """A span of the document text."""

    start: int
    end: int


def is_heading_like(text: str) -> bool:
    """A short line without sentence punctuation that reads as a title."""
    if not 3 <= len(text) <= MAX_HEADING or text.startswith("\u2022"):
        return False
    if re.search(r"[,;:]$|[a-z]\.$", text) and not re.match(r"(?i)section\s", text):
        return False
    return text[0].isupper() or text[0].isdigit()


def is_title_case(text: str) -> bool:
    """Most words capitalised (as titles are), or all capitals."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text) if w.lower() not in _SMALL]
    if not words:
        return False
    capital = sum(1 for w in words if w[0].isupper())
    return capital / len(words) >= 0.6


def _heading_name(text: str, taken: dict[str, int]) -> str | None:
    for name, pattern in _HEADINGS.items():
        match = pattern.match(text)
        if name in taken or match is None:
            continue
        whole = match.end() >= len(text.rstrip(" .:")) - 2 and len(text) <= 80
        if whole or is_title_case(text):
            return name
    return None


def find_sections(doc: Document) -> dict[str, Region]:
    """Each part's region; a part the report does not have (or titles unrecognisably) is absent."""
    starts: dict[str, int] = {}
    lines = list(doc.lines())
    for index, line in enumerate(lines):
        if line.page in doc.toc_pages or not is_heading_like(line.text):
            continue
        if line.page == 1 and doc.page_count >= 4:
            continue  # the cover's title ("Report on X's Description of Its System…") is no heading
        candidates = [line.text]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and following.page == line.page and is_heading_like(following.text):
            candidates.append(f"{line.text} {following.text}")  # a title wrapped onto two lines
        for text in candidates:
            name = _heading_name(text, starts)
            if name is not None:
                starts[name] = line.start
                break
    ordered = sorted(starts.items(), key=lambda item: item[1])
    regions: dict[str, Region] = {}
    for i, (name, start) in enumerate(ordered):
        end = ordered[i + 1][1] if i + 1 < len(ordered) else len(doc.text)
        regions[name] = Region(start, end)
    return regions
