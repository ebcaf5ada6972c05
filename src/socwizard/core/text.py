"""Text safety: strings from files never carry terminal control sequences."""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls, and bidi overrides/isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def find_unsafe(text: str) -> str | None:
    """Return a description of the first unsafe character in ``text``, or None."""
    match = _UNSAFE.search(text) or _SURROGATE.search(text)
    if match is None:
        return None
    return f"contains the control character U+{ord(match.group()):04X}"


def clean(text: str) -> str:
    """Strip control characters, bidi overrides and lone surrogates (for display)."""
    return _SURROGATE.sub("\ufffd", _UNSAFE.sub("", text))


def one_line(text: str, limit: int = 200) -> str:
    """Clean ``text`` and squash it onto one line of at most ``limit`` characters."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Fast path (listings call this 200,000 times): printable means no control, bidi,
        # surrogate, newline, tab or other separator than a single inner space — what
        # clean() and the split/join would produce is the text itself.
        return text if len(text) <= limit else text[: limit - 1] + "…"
    flat = " ".join(clean(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def slugify(text: str, limit: int = 40) -> str:
    """A readable, safe, lowercase ASCII filename part; never empty.

    Every script is transliterated (python-slugify with text-unidecode): "Société
    Générale" → ``societe-generale``, "Яндекс" → ``iandeks``, "トヨタ" → ``toyota``. Text
    with nothing left to spell (emoji, symbols) becomes ``vendor-<8 hex>`` of its hash,
    so two such vendors still get different, stable names; only empty text is
    ``assessment``.
    """
    from slugify import slugify as transliterate  # loaded only when a file is named

    flat = " ".join(clean(text).split())
    slug = transliterate(flat, max_length=limit, word_boundary=True, save_order=True)
    slug = re.sub(r"[^a-z0-9-]+", "", slug).strip("-")  # belt and braces: only [a-z0-9-]
    if slug:
        return slug
    if flat:
        import hashlib  # here: OpenSSL's load is a cost the wizard's first frame would pay

        return "vendor-" + hashlib.sha256(flat.encode("utf-8")).hexdigest()[:8]
    return "assessment"


def counted(count: int, one: str, many: str) -> str:
    """``1 answer``, ``3 answers``: never "answer(s)" in what a person reads."""
    return f"{count} {one if count == 1 else many}"
