"""Plain-text and Markdown renderings of a result (``socwizard show``).

Every string that came from a file is cleaned of control characters; Markdown
output escapes Markdown syntax so a vendor name cannot inject links or markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from socwizard.core.assessment import Loaded
from socwizard.core.bank.models import Bank
from socwizard.core.recommendation import OutcomeResult, Reason, Result
from socwizard.core.text import clean, one_line

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def md_escape(text: str) -> str:
    """Escape Markdown (and HTML) syntax in one line of text from a file."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text, 2000))


def pretty(value: str) -> str:
    """``not_needed`` → ``not needed``; ``type2`` → ``Type II``."""
    return {"type1": "Type I", "type2": "Type II", "none": "—"}.get(value, value.replace("_", " "))


def assessment_json(loaded: Loaded) -> dict[str, Any]:
    """The JSON of ``socwizard show``: metadata, the recomputed result, warnings."""
    a = loaded.assessment
    return {
        "assessment": {
            "id": a.id,
            "title": a.title,
            "vendor": a.vendor,
            "assessor": a.assessor,
            "reviewed_on": a.reviewed_on.isoformat(),
            "status": a.status,
            "created": a.created.isoformat().replace("+00:00", "Z") if a.created else None,
            "updated": a.updated.isoformat().replace("+00:00", "Z") if a.updated else None,
        },
        **loaded.result.to_json(),
        "warnings": [str(w) for w in loaded.warnings],
    }


def render_json(loaded: Loaded) -> str:
    """Pretty JSON, stable key order."""
    return json.dumps(assessment_json(loaded), indent=2, ensure_ascii=False)


def _groups(result: Result) -> list[tuple[str, list[OutcomeResult]]]:
    """Outcomes grouped by their first id part (tier, soc1, soc2, extras, evidence…)."""
    groups: dict[str, list[OutcomeResult]] = {}
    for outcome in result.outcomes.values():
        groups.setdefault(outcome.id.split(".")[0], []).append(outcome)
    return list(groups.items())


def _reason_lines(reasons: tuple[Reason, ...], esc: Callable[[str], str]) -> list[str]:
    lines = []
    for reason in reasons:
        lines.append(esc(reason.text))
        for ref in reason.answers:
            lines.append(f"  ↳ {esc(ref.prompt)} → {esc(ref.answer)}")
    return lines


def render(loaded: Loaded, bank: Bank, *, markdown: bool = False) -> str:
    """Human-readable report; Markdown when asked (escaped, for filing)."""
    esc: Callable[[str], str] = md_escape if markdown else (lambda t: one_line(t, 2000))
    a = loaded.assessment
    r = loaded.result
    out: list[str] = []
    h1, h2 = ("# ", "## ") if markdown else ("", "")
    bullet = "- " if markdown else "  • "
    title = esc(a.display_title)
    out.append(f"{h1}{title}")
    if not markdown:
        out.append("=" * min(len(title), 78))
    meta = [
        ("Vendor", esc(a.vendor) or "—"),
        ("Assessor", esc(a.assessor) or "—"),
        ("Reviewed on", a.reviewed_on.isoformat()),
        ("Status", pretty(a.status) + ("  (provisional result)" if r.provisional else "")),
        ("Bank", f"{esc(r.bank_id)} {esc(r.bank_version)}"),
        ("Coverage", f"{r.scores.coverage:.0%} of the question weight answered"),
    ]
    if r.next_review:
        meta.append(("Next review", f"{r.next_review.isoformat()} — {esc(r.next_review_reason)}"))
    for key, value in meta:
        out.append(f"{bullet}**{key}:** {value}" if markdown else f"{key + ':':<13} {value}")
    out.append("")
    out.append(f"{h2}Recommendation" if markdown else "RECOMMENDATION")
    out.append("")
    for group, outcomes in _groups(r):
        for outcome in outcomes:
            label = esc(outcome.label)
            line = f"{label}: {pretty(outcome.value)}"
            out.append(f"{bullet}**{label}:** {pretty(outcome.value)}" if markdown else f"{line}")
            indent = "  " if markdown else "    "
            for reason_line in _reason_lines(outcome.reasons, esc):
                out.append(
                    f"{indent}{'- ' if markdown and not reason_line.startswith('  ') else ''}{reason_line}"
                )
        out.append("")
        del group
    if r.findings:
        out.append(f"{h2}Evidence findings" if markdown else "EVIDENCE FINDINGS")
        for finding in r.findings:
            out.append(f"{bullet}{esc(finding.label)} — {esc(finding.reason.text)}")
        out.append("")
    out.append(f"{h2}Scores" if markdown else "SCORES (0–100, higher = more risk)")
    for dim in r.scores.dimensions.values():
        bar = "█" * round(dim.score / 5) + "░" * (20 - round(dim.score / 5))
        text = f"{esc(dim.label):<24} {dim.score:5.1f}  {bar}  coverage {dim.coverage:.0%}"
        out.append(f"{bullet}{text}" if markdown else f"  {text}")
    out.append("")
    if r.follow_ups:
        out.append(f"{h2}Follow-up questions for the vendor" if markdown else "FOLLOW-UPS")
        for fu in r.follow_ups:
            state = "I don't know" if fu.state == "unknown" else "not answered yet"
            out.append(f"{bullet}{esc(fu.ask)} ({state})")
            for change in fu.changes:
                options = ", ".join(pretty(p) for p in change.possible)
                out.append(
                    f"{'  ' if markdown else '      '}could change {esc(change.label)}: "
                    f"{pretty(change.current)} → {options}"
                )
        out.append("")
    if r.visibility.set_aside or a.set_aside:
        out.append(f"{h2}Answers kept aside" if markdown else "ANSWERS KEPT ASIDE (not counted)")
        for qid in (*r.visibility.set_aside, *a.set_aside):
            question = bank.question(qid)
            out.append(f"{bullet}{esc(question.prompt if question else qid)}")
        out.append("")
    return "\n".join(clean(line) if not markdown else line for line in out).rstrip() + "\n"
