"""Load and validate a question bank directory, reporting *all* problems at once.

A bank directory holds ``bank.toml`` (metadata, dimensions, sections, scales,
outcomes, policy, rules) and one TOML file of ``[[questions]]`` per section.
An organisation may override ``[policy]`` values and question weights with a
policy file (``policy.toml`` in the config directory).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from socwizard.core.bank import conditions as c
from socwizard.core.bank.models import (
    MAX_QUESTIONS,
    Bank,
    BankMeta,
    DateQuestion,
    Migration,
    MultiChoice,
    Number,
    Question,
    RuleFile,
    SectionFile,
    SingleChoice,
    Text,
    YesNo,
)
from socwizard.core.errors import BankError, Problem, display_path
from socwizard.core.text import find_unsafe
from socwizard.core.tomlsafe import MAX_BANK_FILE_BYTES, FileProblems, LineFinder, decode, parse, read_bytes

BANK_FILE = "bank.toml"
POLICY_PREFIX = "policy:"
MAX_CONDITION_DEPTH = 12
M = TypeVar("M", bound=BaseModel)


@dataclass
class _Source:
    """A file being loaded: its display name, raw data and line finder."""

    name: str
    data: dict[str, Any]
    lines: LineFinder
    raw: bytes = b""
    """The bytes read (through the guards), hashed into the bank's content hash."""


@dataclass
class _Collector:
    problems: list[Problem] = field(default_factory=list)
    policy_bytes: bytes | None = None

    def add(self, file: str, key: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(file=file, key=key, message=message, line=line))


def key_path(loc: Iterable[int | str], data: Any) -> tuple[str, list[int | str]]:
    """Turn a pydantic ``loc`` into ``a.b[2].c``, dropping union tags by walking ``data``."""
    parts: list[int | str] = []
    node = data
    loc = list(loc)
    for n, item in enumerate(loc):
        after = loc[n + 1] if n + 1 < len(loc) else None
        if (
            isinstance(node, dict)
            and item in c.CONDITION_TAGS
            and item in node
            and after is not None
            and (after == item or not isinstance(node[item], dict | list))
        ):
            # A condition's union tag is also one of its keys: {question = "x", bogus = 1}
            # gives loc (…, "question", "bogus"), meaning the test's key "bogus".
            continue
        if isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node):
            node = node[item]
            parts.append(item)
            continue
        if isinstance(node, dict) and isinstance(item, str) and item in node:
            node = node[item]
            parts.append(item)
            continue
        if isinstance(item, str) and _is_tag(item):
            continue
        parts.append(item)
        node = None
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text, parts


_TAG_NAMES = {
    "single",
    "multi",
    "yesno",
    "number",
    "date",
    "text",
    "all",
    "any",
    "not",
    "question",
    "score",
    "coverage",
    "outcome",
    "finding",
    "function-after",
    "function-before",
    "function-plain",
    "function-wrap",
    "union",
    "tagged-union",
    "list",
    "dict",
    "str",
    "int",
    "float",
    "bool",
    "tuple",
    "nullable",
    "default",
}


def _is_tag(item: str) -> bool:
    return item in _TAG_NAMES or "[" in item


def _clean_message(message: str) -> str:
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


def validate_model(model: type[M], source: _Source, out: _Collector, line_for: Any) -> M | None:
    """Validate ``source.data`` as ``model``; add one problem per pydantic error."""
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            key, parts = key_path(error["loc"], source.data)
            out.add(source.name, key, _clean_message(error["msg"]), line_for(parts))
        return None


def _read(path: Path, out: _Collector) -> _Source | None:
    name = display_path(path)
    try:
        raw = read_bytes(path, max_bytes=MAX_BANK_FILE_BYTES)
        text = decode(raw, name)
        data = parse(text, name)
    except FileProblems as exc:
        out.problems.extend(exc.problems)
        return None
    return _Source(name, data, LineFinder(text), raw)


# A backslash escape other than \\, \", \n, \t or a line-ending backslash, or a raw
# character that text.find_unsafe rejects: only then is a full walk needed.
_SUSPICIOUS = re.compile(r'\\[^\\"nt\r\n ]|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]')


# ``{policy:name}`` inside a text: replaced by the policy value (lists joined as prose:
# "low", "low and medium", "low, medium and high").
# Only this literal form; any other "{policy:" is reported as malformed.
_POLICY_TOKEN = re.compile(r"\{policy:([A-Za-z0-9_-]+)\}")
_POLICY_TOKEN_START = "{" + POLICY_PREFIX


def _policy_text(value: Any) -> str:
    """A policy value as it reads inside a sentence."""
    if isinstance(value, list):
        items = [_policy_text(v) for v in value]
        return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _substitute_tokens(text: str, policy: dict[str, Any], source: _Source, out: _Collector, key: str) -> str:
    """Replace each ``{policy:name}`` token in ``text``; report unknown names and malformed tokens."""
    if _POLICY_TOKEN_START not in text:
        return text
    pieces: list[str] = []
    end = 0
    for match in _POLICY_TOKEN.finditer(text):
        pieces.append(text[end : match.start()])
        name = match.group(1)
        if name in policy:
            pieces.append(_policy_text(policy[name]))
        else:
            out.add(source.name, key, f"refers to {match.group(0)!r}, which [policy] does not define")
            pieces.append(match.group(0))
        end = match.end()
    pieces.append(text[end:])
    if _POLICY_TOKEN_START in _POLICY_TOKEN.sub("", text):
        out.add(source.name, key, "has a malformed policy token: write {policy:name}")
    result = "".join(pieces)
    problem = find_unsafe(result) if result != text else None
    if problem:
        out.add(source.name, key, f"with its policy values, {problem}")
    return result


def _substitute_policy(
    node: Any, policy: dict[str, Any], source: _Source, out: _Collector, key: str = ""
) -> Any:
    """Replace ``"policy:name"`` strings and ``{policy:name}`` tokens; reject control characters.

    A whole ``"policy:name"`` string becomes the policy value itself; a ``{policy:name}``
    token inside a text becomes the value written as text (lists joined with ", ").

    The walk only runs when the file's text could need it (fast path for big banks).
    """
    if POLICY_PREFIX not in source.lines.text and not _SUSPICIOUS.search(source.lines.text):
        return node
    return _walk(node, policy, source, out, key)


def _walk(node: Any, policy: dict[str, Any], source: _Source, out: _Collector, key: str) -> Any:
    if isinstance(node, dict):
        return {k: _walk(v, policy, source, out, f"{key}.{k}" if key else k) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(v, policy, source, out, f"{key}[{i}]") for i, v in enumerate(node)]
    if isinstance(node, str):
        problem = find_unsafe(node)
        if problem:
            out.add(source.name, key, problem)
        if node.startswith(POLICY_PREFIX):
            name = node.removeprefix(POLICY_PREFIX)
            if name not in policy:
                out.add(source.name, key, f"refers to {node!r}, which [policy] does not define")
                return node
            return policy[name]
        return _substitute_tokens(node, policy, source, out, key)
    return node


def _array_line(source: _Source, array: str) -> Any:
    def line_for(parts: list[int | str]) -> int | None:
        if len(parts) >= 2 and parts[0] == array and isinstance(parts[1], int):
            return source.lines.array_item(array, parts[1])
        if len(parts) == 1 and isinstance(parts[0], str):
            return source.lines.key_in_table(None, parts[0])
        return None

    return line_for


def _apply_policy_file(
    meta_raw: dict[str, Any], policy_file: Path | None, out: _Collector
) -> dict[str, float]:
    """Merge an organisation's policy overrides into ``meta_raw``; return weight overrides."""
    if policy_file is None or not os.path.lexists(policy_file):
        return {}
    # A policy another user could have written (or replaced) would silently change the
    # findings: refuse it, and a config folder writable by others (issue 9).
    from socwizard.core.private import UnsafeFolder, check_private

    try:
        check_private(policy_file.parent, "config folder")
        check_private(policy_file, "policy file")
    except UnsafeFolder as exc:
        out.problems.extend(exc.problems)
        return {}
    source = _read(policy_file, out)
    if source is None:
        return {}
    out.policy_bytes = source.raw
    policy = meta_raw.get("policy")
    policy = policy if isinstance(policy, dict) else {}
    weights: dict[str, float] = {}
    for key in source.data:
        if key not in ("policy", "weights"):
            out.add(
                source.name,
                key,
                "unknown key (expected [policy] and [weights])",
                source.lines.key_in_table(None, key),
            )
    overrides = source.data.get("policy", {})
    if not isinstance(overrides, dict):
        out.add(source.name, "policy", "must be a table")
        overrides = {}
    for name, value in overrides.items():
        line = source.lines.key_in_table("policy", name)
        if name not in policy:
            out.add(source.name, f"policy.{name}", "the bank has no such policy value", line)
        elif type(value) is not type(policy[name]) and not (
            isinstance(value, int | float)
            and isinstance(policy[name], int | float)
            and not isinstance(value, bool)
        ):
            kinds = {bool: "true or false", str: "text", list: "a list"}
            expected = kinds.get(type(policy[name]), "a number")
            out.add(source.name, f"policy.{name}", f"must be {expected}, like the bank's value", line)
        else:
            policy[name] = value
    meta_raw["policy"] = policy
    raw_weights = source.data.get("weights", {})
    if not isinstance(raw_weights, dict):
        out.add(source.name, "weights", "must be a table")
        raw_weights = {}
    for qid, weight in raw_weights.items():
        line = source.lines.key_in_table("weights", qid)
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 100:
            out.add(source.name, f"weights.{qid}", "must be a number from 0 to 100", line)
        else:
            weights[qid] = float(weight)
    return weights


def load_bank(directory: Path, policy_file: Path | None = None) -> Bank:
    """Load, validate and cross-check a bank; raise :class:`BankError` listing every problem."""
    out = _Collector()
    meta_path = directory / BANK_FILE
    digest = hashlib.sha256()
    if not directory.is_dir():
        raise BankError(Problem(display_path(directory), "bank directory not found"))
    meta_src = _read(meta_path, out)
    if meta_src is None:
        raise BankError(out.problems)
    digest.update(b"bank.toml\0" + meta_src.raw)
    weights = _apply_policy_file(meta_src.data, policy_file, out)
    raw_policy = meta_src.data.get("policy", {})
    policy = raw_policy if isinstance(raw_policy, dict) else {}
    meta_data = {k: v for k, v in meta_src.data.items() if k != "policy"}
    meta_data = _substitute_policy(meta_data, policy, meta_src, out)
    meta_data["policy"] = policy
    # Extra rule files are appended to the metadata's rules before validation.
    rule_sources: list[tuple[_Source, int]] = []
    for name in meta_data.get("rule_files", []) if isinstance(meta_data.get("rule_files"), list) else []:
        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            continue
        src = _read(directory / name, out)
        if src is None:
            continue
        digest.update(name.encode() + b"\0" + src.raw)
        src.data = _substitute_policy(src.data, policy, src, out)
        if validate_model(RuleFile, src, out, _array_line(src, "rules")) is not None:
            rules = meta_data.setdefault("rules", [])
            if isinstance(rules, list):
                rule_sources.append((src, len(rules)))
                rules.extend(src.data.get("rules", []))
    meta_view = _Source(meta_src.name, meta_data, meta_src.lines)
    meta = validate_model(BankMeta, meta_view, out, _meta_line(meta_src))
    if meta is None:
        _check_section_files_alone(directory, meta_data, policy, out)
        raise BankError(out.problems)

    questions: list[Question] = []
    where: dict[str, tuple[str, int | None]] = {}
    seen_files: set[str] = set()
    for section in meta.sections:
        file_name = section.file or f"{section.id}.toml"
        if file_name in seen_files:
            out.add(meta_src.name, f"sections.{section.id}.file", f"{file_name} is used twice")
            continue
        seen_files.add(file_name)
        src = _read(directory / file_name, out)
        if src is None:
            continue
        digest.update(file_name.encode() + b"\0" + src.raw)
        for key in src.data:
            if key != "questions":
                out.add(
                    src.name,
                    key,
                    "unknown key (a section file holds [[questions]])",
                    src.lines.key_in_table(None, key),
                )
        src.data = {
            "questions": _substitute_policy(src.data.get("questions", []), policy, src, out, "questions")
        }
        parsed = validate_model(SectionFile, src, out, _array_line(src, "questions"))
        if parsed is None:
            continue
        for i, question in enumerate(parsed.questions):
            line = src.lines.array_item("questions", i)
            if question.section not in (None, section.id):
                out.add(
                    src.name,
                    f"questions[{i}].section",
                    f"is {question.section!r} but the file belongs to section {section.id!r}",
                    line,
                )
            if question.id in where:
                other = where[question.id]
                out.add(
                    src.name,
                    f"questions[{i}].id",
                    f"duplicate question id {question.id!r} (also in {other[0]}"
                    + (f":{other[1]})" if other[1] else ")"),
                    line,
                )
                continue
            updates: dict[str, Any] = {"section": section.id}
            if question.id in weights:
                updates["weight"] = weights[question.id]
            questions.append(question.model_copy(update=updates))
            where[question.id] = (src.name, line)
    if len(questions) > MAX_QUESTIONS:
        out.add(
            meta_src.name,
            "sections",
            f"too many questions ({len(questions)}; limit {MAX_QUESTIONS})",
        )
    for qid in weights:
        if qid not in where:
            out.add(str(policy_file), f"weights.{qid}", "no question has this id")

    if out.policy_bytes is not None:
        # An organisation's policy changes results: an assessment made under another
        # policy gets the bank-change notice (issue 9). No policy: the hash is unchanged.
        digest.update(b"policy.toml\0" + out.policy_bytes)
    bank = Bank.model_construct(
        meta=meta,
        questions=questions,
        content_hash="sha256:" + digest.hexdigest(),
        source=str(directory),
    )
    _cross_check(bank, where, meta_src, out, rule_sources)
    if out.problems:
        raise BankError(out.problems)
    return bank


def _check_section_files_alone(
    directory: Path, meta_data: dict[str, Any], policy: dict[str, Any], out: _Collector
) -> None:
    """When bank.toml is invalid, still report the section files' own problems (all at once)."""
    sections = meta_data.get("sections")
    seen: set[str] = set()
    for section in sections if isinstance(sections, list) else []:
        if not isinstance(section, dict) or not isinstance(section.get("id"), str):
            continue
        name = section.get("file") or f"{section['id']}.toml"
        if not isinstance(name, str) or name in seen or not _SAFE_FILE.fullmatch(name):
            continue
        seen.add(name)
        src = _read(directory / name, out)
        if src is None:
            continue
        questions = _substitute_policy(src.data.get("questions", []), policy, src, out, "questions")
        src.data = {**src.data, "questions": questions}
        validate_model(SectionFile, src, out, _array_line(src, "questions"))


_SAFE_FILE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*\.toml")


def _meta_line(source: _Source) -> Any:
    def line_for(parts: list[int | str]) -> int | None:
        if len(parts) >= 2 and isinstance(parts[0], str) and isinstance(parts[1], int):
            return source.lines.array_item(parts[0], parts[1])
        if len(parts) >= 1 and isinstance(parts[0], str):
            if len(parts) >= 2 and isinstance(parts[1], str):
                return source.lines.key_in_table(parts[0], parts[1])
            return source.lines.key_in_table(None, parts[0])
        return None

    return line_for


# --- cross-references ---------------------------------------------------------------


def _rule_location(
    n: int, meta_src: _Source, rule_sources: list[tuple[_Source, int]]
) -> tuple[str, int | None, str]:
    """File, line and key of rule ``n`` (rules from ``rule_files`` come after bank.toml's)."""
    for src, offset in reversed(rule_sources):
        if n >= offset:
            local = n - offset
            return src.name, src.lines.array_item("rules", local), f"rules[{local}]"
    return meta_src.name, meta_src.lines.array_item("rules", n), f"rules[{n}]"


def _cross_check(
    bank: Bank,
    where: dict[str, tuple[str, int | None]],
    meta_src: _Source,
    out: _Collector,
    rule_sources: list[tuple[_Source, int]] | None = None,
) -> None:
    meta = bank.meta
    dims = {d.id for d in meta.dimensions}
    mfile = meta_src.name
    lines = meta_src.lines
    _unique([d.id for d in meta.dimensions], "dimensions", mfile, lines, out)
    _unique([s.id for s in meta.sections], "sections", mfile, lines, out)
    _unique([o.id for o in meta.outcomes], "outcomes", mfile, lines, out)
    _unique([f.id for f in meta.findings], "findings", mfile, lines, out)
    _unique([r.id for r in meta.rules], "rules", mfile, lines, out)

    for i, question in enumerate(bank.questions):
        file, line = where[question.id]
        _check_question(bank, question, dims, file, line, out)
        if isinstance(question, SingleChoice | MultiChoice):
            for choice in question.choices:
                if choice.likely_when is not None:
                    _check_condition(
                        bank,
                        choice.likely_when,
                        f"{question.id}.choices.{choice.value}.likely_when",
                        file,
                        line,
                        out,
                        questions_only=True,
                    )
        if question.when is not None:
            _check_condition(
                bank,
                question.when,
                f"{question.id}.when",
                file,
                line,
                out,
                before=i,
                questions_only=True,
            )
    first_of_section: dict[str, int] = {}
    for i, question in enumerate(bank.questions):
        first_of_section.setdefault(question.section or "", i)
    for n, section in enumerate(meta.sections):
        if section.when is not None:
            _check_condition(
                bank,
                section.when,
                f"sections[{n}].when",
                mfile,
                lines.array_item("sections", n),
                out,
                before=first_of_section.get(section.id, len(bank.questions)),
                questions_only=True,
            )

    for n, outcome in enumerate(meta.outcomes):
        line = lines.array_item("outcomes", n)
        scale = meta.scales.get(outcome.scale)
        if scale is None:
            out.add(mfile, f"outcomes[{n}].scale", f"unknown scale {outcome.scale!r}", line)
        elif outcome.default is not None and outcome.default not in scale:
            out.add(
                mfile,
                f"outcomes[{n}].default",
                f"{outcome.default!r} is not on scale {outcome.scale!r}",
                line,
            )
        for other in meta.outcomes:
            if other.id.startswith(outcome.id + "."):
                out.add(
                    mfile,
                    f"outcomes[{n}].id",
                    f"{outcome.id!r} cannot hold a value and also contain {other.id!r}",
                    line,
                )

    last_setter: dict[str, int] = {}
    for n, rule in enumerate(meta.rules):
        for target in rule.set:
            last_setter[target] = n
    raised_before: set[str] = set()
    for n, rule in enumerate(meta.rules):
        rfile, line, key = _rule_location(n, meta_src, rule_sources or [])
        for target, value in rule.set.items():
            target_outcome = bank.outcome(target)
            if target_outcome is None:
                out.add(rfile, f"{key}.set.{target}", "unknown outcome", line)
            elif value not in meta.scales.get(target_outcome.scale, []):
                out.add(
                    rfile,
                    f"{key}.set.{target}",
                    f"{value!r} is not on scale {target_outcome.scale!r}",
                    line,
                )
        if rule.finding is not None and bank.finding(rule.finding) is None:
            out.add(
                rfile,
                f"{key}.finding",
                f"unknown finding {rule.finding!r} (declare it in [[findings]])",
                line,
            )
        if rule.when is not None:
            _check_condition(
                bank,
                rule.when,
                f"{key}.when",
                rfile,
                line,
                out,
                rule_index=n,
                last_setter=last_setter,
                findings_before=raised_before,
            )
        if rule.finding is not None:
            raised_before.add(rule.finding)
    _check_annual_dates(bank, mfile, lines, out)
    _check_migrations(bank, mfile, lines, out)
    for n, rule in enumerate(meta.rules):
        rfile, line, key = _rule_location(n, meta_src, rule_sources or [])
        for target in rule.satisfies:
            if bank.outcome(target) is None:
                out.add(rfile, f"{key}.satisfies", f"unknown outcome {target!r}", line)
        for kind, qid in _REASON_TOKEN.findall(rule.reason):
            target_q = bank.question(qid)
            if target_q is None:
                out.add(rfile, f"{key}.reason", f"quotes unknown question {qid!r}", line)
            elif kind == "months_since" and not isinstance(target_q, DateQuestion):
                out.add(rfile, f"{key}.reason", f"{{months_since:{qid}}} needs a date question", line)
    for n, review in enumerate(meta.next_review):
        line = lines.array_item("next_review", n)
        if review.date != c.REVIEWED_ON and not isinstance(bank.question(review.date), DateQuestion):
            out.add(mfile, f"next_review[{n}].date", f"{review.date!r} is not a date question", line)
        if review.when is not None:
            _check_condition(
                bank,
                review.when,
                f"next_review[{n}].when",
                mfile,
                line,
                out,
                rule_index=len(meta.rules),
                last_setter=last_setter,
                findings_before=raised_before,
            )


_REASON_TOKEN = re.compile(r"\{(answer|months_since):([a-z][a-z0-9_]*)\}")


def _check_annual_dates(bank: Bank, mfile: str, lines: LineFinder, out: _Collector) -> None:
    for n, annual in enumerate(bank.meta.annual_dates):
        line = lines.array_item("annual_dates", n)
        month = bank.question(annual.month_question)
        if not isinstance(month, SingleChoice) or len(month.choices) != 12:
            out.add(
                mfile,
                f"annual_dates[{n}].month_question",
                "must be a single-choice question with twelve choices, January first",
                line,
            )
        if annual.day_question is not None and not isinstance(bank.question(annual.day_question), Number):
            out.add(mfile, f"annual_dates[{n}].day_question", "must be a number question", line)
        if bank.question(annual.id) is not None:
            out.add(mfile, f"annual_dates[{n}].id", f"{annual.id!r} is also a question id", line)


def _check_migrations(bank: Bank, mfile: str, lines: LineFinder, out: _Collector) -> None:
    for n, migration in enumerate(bank.meta.migrations):
        line = lines.array_item("migrations", n)
        key = f"migrations[{n}]"
        question = bank.question(migration.question)
        if migration.rename:
            if not isinstance(question, SingleChoice | MultiChoice):
                out.add(mfile, f"{key}.question", "a rename needs a choice question of this bank", line)
                continue
            values = {ch.value for ch in question.choices}
            for old, new in migration.rename.items():
                if old in values:
                    out.add(
                        mfile, f"{key}.rename.{old}", "is still a choice: old values are never reused", line
                    )
                if new not in values:
                    out.add(mfile, f"{key}.rename.{old}", f"{new!r} is not a choice of {question.id!r}", line)
            continue
        if migration.copy_into:
            _check_copy_into(bank, migration, key, mfile, line, out)
            continue
        if question is not None:
            out.add(mfile, f"{key}.question", "a retired question must no longer be in the bank", line)
        month = bank.question(migration.into_month or "")
        if not isinstance(month, SingleChoice) or len(month.choices) != 12:
            out.add(mfile, f"{key}.into_month", "must be a single-choice question with twelve choices", line)
        if migration.into_day is not None and not isinstance(bank.question(migration.into_day), Number):
            out.add(mfile, f"{key}.into_day", "must be a number question", line)


def _check_copy_into(
    bank: Bank, migration: Migration, key: str, mfile: str, line: int | None, out: _Collector
) -> None:
    source = bank.question(migration.question)
    if not isinstance(source, SingleChoice):
        out.add(mfile, f"{key}.question", "`copy_into` needs a single-choice question of this bank", line)
        return
    values = {ch.value for ch in source.choices}
    for qid in migration.copy_into:
        target = bank.question(qid)
        if not isinstance(target, SingleChoice) or not values <= {ch.value for ch in target.choices}:
            problem = f"{qid!r} must be a single-choice question with every choice of {source.id!r}"
            out.add(mfile, f"{key}.copy_into", problem, line)
        elif migration.others_get is not None and migration.others_get not in values:
            problem = f"{migration.others_get!r} is not a choice of {source.id!r}"
            out.add(mfile, f"{key}.others_get", problem, line)
    if migration.named_by is not None and bank.question(migration.named_by) is not None:
        out.add(mfile, f"{key}.named_by", "a retired question must no longer be in the bank", line)


def _unique(ids: list[str], array: str, file: str, lines: LineFinder, out: _Collector) -> None:
    seen: set[str] = set()
    for n, item in enumerate(ids):
        if item in seen:
            out.add(file, f"{array}[{n}].id", f"duplicate id {item!r}", lines.array_item(array, n))
        seen.add(item)


def _scored_dims(question: Question) -> list[str]:
    if isinstance(question, SingleChoice | MultiChoice):
        return [d for ch in question.choices for d in ch.scores]
    if isinstance(question, YesNo):
        return [*question.yes_scores, *question.no_scores]
    if isinstance(question, Number):
        return [d for band in question.bands for d in band.scores]
    return []


def _check_question(
    bank: Bank, q: Question, dims: set[str], file: str, line: int | None, out: _Collector
) -> None:
    for dim in _scored_dims(q):
        if dim not in dims:
            out.add(file, f"{q.id}.scores.{dim}", "unknown dimension (declare it in bank.toml)", line)
    if bank.section(q.section or "") is None:
        out.add(file, f"{q.id}.section", f"unknown section {q.section!r}", line)
    if isinstance(q, SingleChoice | MultiChoice):
        values = [ch.value for ch in q.choices]
        if len(set(values)) != len(values):
            out.add(file, f"{q.id}.choices", "choice values must be distinct", line)
        if isinstance(q, SingleChoice):
            if any(ch.exclusive for ch in q.choices):
                out.add(file, f"{q.id}.choices", "`exclusive` only applies to multiple choice", line)
            if q.default is not None and q.default not in values:
                out.add(file, f"{q.id}.default", f"{q.default!r} is not one of the choices", line)
        elif q.default is not None:
            for value in q.default:
                if value not in values:
                    out.add(file, f"{q.id}.default", f"{value!r} is not one of the choices", line)
    if isinstance(q, Number):
        ats = [b.at_least for b in q.bands]
        if ats != sorted(ats) or len(set(ats)) != len(ats):
            out.add(file, f"{q.id}.bands", "bands must be in increasing order of at_least", line)
        if q.default is not None and not (
            (q.min is None or q.default >= q.min) and (q.max is None or q.default <= q.max)
        ):
            out.add(file, f"{q.id}.default", "is outside min..max", line)
    if isinstance(q, Text) and q.default is not None and len(q.default) > q.max_length:
        out.add(file, f"{q.id}.default", "is longer than max_length", line)
    if isinstance(q, DateQuestion) and q.min and q.max and q.min > q.max:
        out.add(file, f"{q.id}.min", "is after max", line)


def _check_condition(
    bank: Bank,
    condition: c.Condition,
    key: str,
    file: str,
    line: int | None,
    out: _Collector,
    *,
    before: int | None = None,
    questions_only: bool = False,
    rule_index: int = 0,
    last_setter: dict[str, int] | None = None,
    findings_before: set[str] | None = None,
) -> None:
    """Check a condition's references; ``before`` limits questions to earlier ones."""
    if c.depth(condition) > MAX_CONDITION_DEPTH:
        out.add(file, key, f"is nested more than {MAX_CONDITION_DEPTH} levels deep", line)
        return
    meta = bank.meta
    for leaf in c.leaves(condition):
        if isinstance(leaf, c.QuestionTest):
            _check_question_test(bank, leaf, key, file, line, out, before)
            continue
        if questions_only:
            out.add(file, key, "a question's condition may only test earlier answers", line)
            continue
        if isinstance(leaf, c.ScoreTest) and leaf.score not in {d.id for d in meta.dimensions}:
            out.add(file, key, f"unknown dimension {leaf.score!r}", line)
        elif (
            isinstance(leaf, c.CoverageTest)
            and leaf.coverage != "overall"
            and leaf.coverage not in {d.id for d in meta.dimensions}
        ):
            out.add(file, key, f"coverage must be 'overall' or a dimension, not {leaf.coverage!r}", line)
        elif isinstance(leaf, c.OutcomeTest):
            tested = bank.outcome(leaf.outcome)
            if tested is None:
                out.add(file, key, f"unknown outcome {leaf.outcome!r}", line)
                continue
            scale = meta.scales.get(tested.scale, [])
            for value in leaf.values():
                if value not in scale:
                    out.add(file, key, f"{value!r} is not on the scale of {leaf.outcome!r}", line)
            if last_setter is not None and last_setter.get(leaf.outcome, -1) >= rule_index:
                out.add(
                    file,
                    key,
                    f"tests {leaf.outcome!r}, which a later rule may still raise; "
                    "move this rule after every rule that sets it",
                    line,
                )
        elif (
            isinstance(leaf, c.FindingTest)
            and findings_before is not None
            and (leaf.finding not in findings_before)
        ):
            out.add(file, key, f"tests finding {leaf.finding!r}, which no earlier rule raises", line)


_OPERATOR_TYPES: dict[str, tuple[type, ...]] = {
    "equals": (SingleChoice, YesNo, Number, Text),
    "any_of": (SingleChoice,),
    "contains": (MultiChoice,),
    "contains_any": (MultiChoice,),
    "numeric": (Number,),
    "date": (DateQuestion,),
}


def _check_question_test(
    bank: Bank,
    leaf: c.QuestionTest,
    key: str,
    file: str,
    line: int | None,
    out: _Collector,
    before: int | None,
) -> None:
    target = bank.question(leaf.question)
    if target is None:
        out.add(file, key, f"refers to unknown question {leaf.question!r}", line)
        return
    if before is not None and bank.index(leaf.question) >= before:
        out.add(file, key, f"refers to {leaf.question!r}, which is not asked earlier", line)
    operator = leaf.operator
    allowed = _OPERATOR_TYPES.get(operator)
    if allowed is not None and not isinstance(target, allowed):
        out.add(
            file,
            key,
            f"`{operator}` does not apply to {target.type} question {leaf.question!r}",
            line,
        )
        return
    if isinstance(target, SingleChoice | MultiChoice):
        values = {ch.value for ch in target.choices}
        mentioned = [leaf.equals, leaf.contains, *(leaf.any_of or []), *(leaf.contains_any or [])]
        for value in mentioned:
            if value is not None and value not in values:
                out.add(file, key, f"{value!r} is not a choice of {leaf.question!r}", line)
    if isinstance(target, YesNo) and operator == "equals" and not isinstance(leaf.equals, bool):
        out.add(file, key, f"{leaf.question!r} is yes/no: compare with true or false", line)
    if (
        isinstance(target, Number)
        and operator == "equals"
        and (isinstance(leaf.equals, bool) or not isinstance(leaf.equals, int | float))
    ):
        out.add(file, key, f"{leaf.question!r} is a number: compare with a number", line)
    for ref in leaf.date_refs():
        if isinstance(ref, dt.date) or ref == c.REVIEWED_ON:
            continue
        if before is None and any(a.id == ref for a in bank.meta.annual_dates):
            continue  # a computed date: rules only
        other = bank.question(ref)
        if not isinstance(other, DateQuestion):
            out.add(file, key, f"{ref!r} is not a date question", line)
        elif before is not None and bank.index(ref) >= before:
            out.add(file, key, f"refers to {ref!r}, which is not asked earlier", line)
