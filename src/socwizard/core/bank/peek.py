"""A glance at a bank before it is loaded: its title, for the first screen, without pydantic.

The wizard paints Home before it validates the bank (that takes pydantic and most of the
start-up time). Home only needs the bank's title: it is read here from ``bank.toml``'s
top-level keys, through the same guards as every bank read (regular file, size cap,
strict UTF-8). Nothing here is trusted for more than a heading: the validated bank
replaces it as soon as it is loaded, and any problem with the bank is reported then.
"""

from __future__ import annotations

from pathlib import Path

import tomli

from socwizard.core.tomlsafe import MAX_BANK_FILE_BYTES, FileProblems, read_text

BANK_FILE = "bank.toml"  # as core.bank.loader (which imports pydantic)


def bank_title(directory: Path) -> str | None:
    """The ``title`` of ``directory/bank.toml``, or None when it cannot be read plainly.

    Only the part before the first table is parsed (top-level keys come first in TOML);
    if that part does not parse on its own (a table header inside a multi-line string),
    the whole file is. A title with a ``{policy:…}`` token is None: only the loader can
    fill it in.
    """
    try:
        text = read_text(directory / BANK_FILE, max_bytes=MAX_BANK_FILE_BYTES)
    except FileProblems:
        return None
    head = text.partition("\n[")[0]
    for candidate in (head, text):
        try:
            data = tomli.loads(candidate)
        except tomli.TOMLDecodeError:
            continue
        title = data.get("title")
        if isinstance(title, str) and title.strip() and "{policy:" not in title:
            return title
        return None
    return None
