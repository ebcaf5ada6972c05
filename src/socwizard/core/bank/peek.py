"""A glance at a bank before it is loaded, for the first screen, without pydantic.

The wizard paints its first screen before it validates the bank (that takes pydantic and
most of the start-up time). Home only needs the bank's title; ``open FILE`` the question
the file resumes at. Both are read here from the TOML, through the same guards as every
bank read (regular file, size cap, strict UTF-8). Nothing here is trusted for more than a
preview: the validated bank replaces it as soon as it is loaded, and any problem with the
bank or the file is reported then.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli

from socwizard.core.tomlsafe import (
    MAX_ASSESSMENT_BYTES,
    MAX_BANK_FILE_BYTES,
    FileProblems,
    decode,
    read_bytes,
    read_text,
)

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


def headline_outcomes(directory: Path) -> list[tuple[str, str]] | None:
    """The ``(id, label)`` of the bank's headline outcomes, read plainly; None when unsure.

    What a store listing words its headlines with (``labels.entry_headline``), without
    validating the bank: ``bank.toml``'s ``[[outcomes]]``, each with a text id and a
    plain label (no policy reference — only the loader fills those in), ids unique.
    Anything else is None, and the caller loads the bank.
    """
    try:
        data = tomli.loads(read_text(directory / BANK_FILE, max_bytes=MAX_BANK_FILE_BYTES))
    except (FileProblems, tomli.TOMLDecodeError):
        return None
    outcomes = data.get("outcomes")
    if not isinstance(outcomes, list) or not outcomes:
        return None
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for outcome in outcomes:
        if not isinstance(outcome, dict):
            return None
        oid, label, headline = outcome.get("id"), outcome.get("label"), outcome.get("headline", False)
        if not isinstance(oid, str) or oid in seen or not isinstance(headline, bool):
            return None
        if _plain_text(label) is None or str(label).startswith("policy:"):
            return None
        seen.add(oid)
        if headline:
            found.append((oid, str(label)))
    return found


@dataclass(frozen=True)
class FirstPage:
    """What ``open FILE`` will show first, read plainly (a preview until the bank is loaded)."""

    title: str
    vendor: str
    reviewed_on: str
    prompt: str
    help: str
    choices: tuple[str, ...]


_PREVIEWED_TYPES = {"single", "multi", "yesno", "number", "date", "text"}


def _plain_text(value: object) -> str | None:
    return value if isinstance(value, str) and "{policy:" not in value else None


def first_page(directory: Path, policy_file: Path | None, file: Path) -> FirstPage | None:
    """The question an in-progress assessment resumes at, without pydantic; None when unsure.

    Checked by hash: the file must name exactly this bank (its ``[bank].hash`` is the hash
    the loader computes over the same files, so no bank-change notice comes first) and
    nothing may be set aside. The question and its section must have no condition (it is
    then shown) and no policy token (only the loader fills those in). Anything else is
    None, and the wizard simply opens the file the long way.
    """
    try:
        data = tomli.loads(read_text(file, max_bytes=MAX_ASSESSMENT_BYTES))
        meta_raw = read_bytes(directory / BANK_FILE, max_bytes=MAX_BANK_FILE_BYTES)
        meta = tomli.loads(decode(meta_raw, BANK_FILE))
    except (FileProblems, tomli.TOMLDecodeError):
        return None
    cursor, ref = data.get("cursor"), data.get("bank")
    if data.get("status", "in_progress") != "in_progress" or not isinstance(cursor, str):
        return None
    if data.get("set_aside") or not isinstance(ref, dict) or not isinstance(ref.get("hash"), str):
        return None
    sections = meta.get("sections")
    if not isinstance(sections, list):
        return None
    try:
        question, expected = _find(directory, meta_raw, meta, sections, cursor, policy_file)
    except (FileProblems, tomli.TOMLDecodeError, TypeError, KeyError):
        return None
    if question is None or ref["hash"] != expected:
        return None
    return _page(data, question)


def _find(
    directory: Path,
    meta_raw: bytes,
    meta: dict[str, Any],
    sections: list[Any],
    cursor: str,
    policy_file: Path | None,
) -> tuple[dict[str, Any] | None, str]:
    """The cursor's question (if plainly shown) and the bank's content hash, as the loader has it."""
    import hashlib  # here: `list` reads the headline outcomes through this module, never a hash

    digest = hashlib.sha256(b"bank.toml\0" + meta_raw)
    for name in meta.get("rule_files", []) if isinstance(meta.get("rule_files"), list) else []:
        if isinstance(name, str) and "/" not in name and "\\" not in name and not name.startswith("."):
            digest.update(name.encode() + b"\0" + read_bytes(directory / name, max_bytes=MAX_BANK_FILE_BYTES))
    found: dict[str, Any] | None = None
    seen: set[str] = set()
    for section in sections:
        name = section.get("file") or f"{section['id']}.toml"
        if name in seen:
            continue
        seen.add(name)
        raw = read_bytes(directory / name, max_bytes=MAX_BANK_FILE_BYTES)
        digest.update(name.encode() + b"\0" + raw)
        if found is None and cursor.encode() in raw:
            for question in tomli.loads(decode(raw, name))["questions"]:
                if question.get("id") == cursor:
                    plainly_shown = "when" not in question and "when" not in section
                    found = question if plainly_shown else {}
                    break
    if policy_file is not None and os.path.lexists(policy_file):
        digest.update(b"policy.toml\0" + read_bytes(policy_file, max_bytes=MAX_BANK_FILE_BYTES))
    return found or None, "sha256:" + digest.hexdigest()


def _page(data: dict[str, Any], question: dict[str, Any]) -> FirstPage | None:
    prompt, help_text = _plain_text(question.get("prompt")), _plain_text(question.get("help", ""))
    kind = question.get("type")
    if prompt is None or help_text is None or kind not in _PREVIEWED_TYPES:
        return None
    choices: list[str] = []
    for choice in question.get("choices", []) if kind in ("single", "multi") else []:
        label = _plain_text(choice.get("label") if isinstance(choice, dict) else None)
        if label is None:
            return None
        choices.append(label)
    if kind == "yesno":
        choices = ["Yes", "No"]
    reviewed = data.get("reviewed_on")
    title, vendor = data.get("title", ""), data.get("vendor", "")
    if not isinstance(title, str) or not isinstance(vendor, str):
        return None
    return FirstPage(
        title or vendor,
        vendor,
        reviewed.isoformat() if isinstance(reviewed, dt.date) else "",
        prompt,
        help_text,
        tuple(choices),
    )
