"""The plain-text rendering of a result and its JSON (``socwizard show``).

Every string that came from a file is cleaned of control characters. Markdown is
:func:`socwizard.core.export.render_markdown` (one renderer for show and export).
"""

from __future__ import annotations

import json
from typing import Any

from socwizard.core.assessment import Loaded
from socwizard.core.bank.models import Bank
from socwizard.core.labels import state_label, status_label, value_label
from socwizard.core.recommendation import OutcomeResult, Reason, Result
from socwizard.core.text import clean, one_line


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
            "status_label": status_label(a.status),
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


def _reason_lines(reasons: tuple[Reason, ...]) -> list[str]:
    lines = []
    for reason in reasons:
        lines.append(_t(reason.text))
        for ref in reason.answers:
            lines.append(f"  ↳ {_t(ref.prompt)} → {_t(ref.answer)}")
    return lines


def _t(text: str) -> str:
    return one_line(text, 2000)


def render(loaded: Loaded, bank: Bank) -> str:
    """The plain-text report of ``socwizard show`` (labels, never stored ids)."""
    a = loaded.assessment
    r = loaded.result
    out: list[str] = []
    title = _t(a.display_title)
    out.append(title)
    out.append("=" * min(len(title), 78))
    meta = [
        ("Vendor", _t(a.vendor) or "—"),
        ("Assessor", _t(a.assessor) or "—"),
        ("Reviewed on", a.reviewed_on.isoformat()),
        ("Status", status_label(a.status) + ("  (provisional result)" if r.provisional else "")),
        ("Bank", f"{_t(r.bank_id)} {_t(r.bank_version)}"),
        ("Coverage", f"{r.scores.coverage:.0%} of the question weight answered"),
    ]
    if r.next_review:
        meta.append(("Next review", f"{r.next_review.isoformat()} — {_t(r.next_review_reason)}"))
    for key, value in meta:
        out.append(f"{key + ':':<13} {value}")
    out += ["", _t(r.headline()), "", "RECOMMENDATION", ""]
    for _group, outcomes in _groups(r):
        for outcome in outcomes:
            out.append(f"{_t(outcome.label)}: {value_label(outcome.value)}")
            out += [f"    {line}" for line in _reason_lines(outcome.reasons)]
        out.append("")
    if r.findings:
        out.append("EVIDENCE FINDINGS")
        for finding in r.findings:
            out.append(f"  • {_t(finding.label)} — {_t(finding.reason.text)}")
        out.append("")
    out.append("SCORES (0–100, higher = more risk)")
    for dim in r.scores.dimensions.values():
        bar = "█" * round(dim.score / 5) + "░" * (20 - round(dim.score / 5))
        out.append(f"  {_t(dim.label):<24} {dim.score:5.1f}  {bar}  coverage {dim.coverage:.0%}")
    out.append("")
    if r.follow_ups:
        out.append("FOLLOW-UPS")
        for fu in r.follow_ups:
            out.append(f"  • {_t(fu.ask)} ({state_label(fu.state)})")
            for change in fu.changes:
                options = ", ".join(value_label(p) for p in change.possible)
                current = value_label(change.current)
                out.append(f"      could change {_t(change.label)}: {current} → {options}")
        out.append("")
    if r.visibility.set_aside or a.set_aside:
        out.append("ANSWERS KEPT ASIDE (not counted)")
        for qid in (*r.visibility.set_aside, *a.set_aside):
            question = bank.question(qid)
            out.append(f"  • {_t(question.prompt if question else qid)}")
        out.append("")
    return "\n".join(clean(line) for line in out).rstrip() + "\n"
