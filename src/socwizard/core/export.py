"""Exports a CFO can file: Markdown, a self-contained HTML page, or JSON.

Pure (no textual, no I/O). Every value that came from a file — vendor, title,
assessor, notes, text answers, and the bank's own prompts and labels — is cleaned
of control characters and escaped for the target format: ``html.escape`` for HTML,
Markdown escaping for Markdown. The HTML has inline CSS only: no scripts, no
external resources (a Content-Security-Policy forbids them), and prints well.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from socwizard import __version__
from socwizard.core.answers import Answer, State
from socwizard.core.assessment import Assessment, Loaded
from socwizard.core.bank.models import Bank, Question, Text
from socwizard.core.labels import state_label, status_label, value_label
from socwizard.core.markdown import md_cell, md_line, md_lines
from socwizard.core.recommendation import Reason, Result
from socwizard.core.report import assessment_json
from socwizard.core.scoring import describe
from socwizard.core.text import clean, one_line, slugify

ExportFormat = Literal["markdown", "html", "json", "pdf", "request"]
FORMATS: tuple[ExportFormat, ...] = ("markdown", "html", "json", "pdf", "request")
EXTENSIONS: dict[str, str] = {
    "markdown": "md",
    "html": "html",
    "json": "json",
    "pdf": "pdf",
    "request": "txt",
}
BINARY: frozenset[str] = frozenset({"pdf"})
"""Formats whose export is bytes, not text (:func:`render_export_bytes`)."""
EXPORT_SCHEMA = "socwizard.export/1"
_NO_SECTION = "Other questions"


# --- the document model (format-neutral) ---------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    """One question and its answer, in plain words."""

    question_id: str
    prompt: str
    answer: str
    state: str
    """answered, unknown, not_applicable or unanswered."""
    value: Any
    note: str


@dataclass(frozen=True)
class SectionRows:
    """The answers of one section, in interview order."""

    id: str
    title: str
    rows: list[AnswerRow] = field(default_factory=list)


def _json_value(answer: Answer | None) -> Any:
    if answer is None or answer.value is None:
        return None
    value = answer.value
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _row(bank: Bank, qid: str, answer: Answer | None) -> AnswerRow:
    question = bank.question(qid)
    if question is None:  # answer to a question the bank no longer has
        shown = "—" if answer is None or answer.value is None else str(_json_value(answer))
        if answer is not None and answer.state is not State.ANSWERED:
            shown = "I don't know" if answer.state is State.UNKNOWN else "Doesn't apply"
        return AnswerRow(qid, qid, one_line(shown, 4000), _state(answer), _json_value(answer), _note(answer))
    return AnswerRow(
        qid,
        question.prompt,
        clean(str(answer.value)) if _is_text(question, answer) and answer else describe(question, answer),
        _state(answer),
        _json_value(answer),
        _note(answer),
    )


def _is_text(question: Question, answer: Answer | None) -> bool:
    """Text answers are shown in full (describe() squashes them to one short line).

    Only a text question's answer: a single choice's value is a string too, and it is
    shown by its label.
    """
    return (
        isinstance(question, Text)
        and answer is not None
        and answer.state is State.ANSWERED
        and isinstance(answer.value, str)
    )


def _state(answer: Answer | None) -> str:
    return "unanswered" if answer is None else answer.state.value


def _note(answer: Answer | None) -> str:
    return clean(answer.note) if answer is not None else ""


def answer_sections(loaded: Loaded, bank: Bank) -> tuple[list[SectionRows], list[AnswerRow]]:
    """Visible questions grouped by section, and the answers kept aside.

    Unanswered visible questions show "not answered yet"; answers kept aside are to
    questions hidden now or not in this bank (kept, not counted).
    """
    a = loaded.assessment
    vis = loaded.result.visibility
    sections: dict[str, SectionRows] = {}
    for section in bank.meta.sections:
        sections[section.id] = SectionRows(section.id, section.title)
    for qid in vis.shown:
        question = bank.question(qid)
        if question is None:
            continue
        answer = a.answers.get(qid)
        if answer is None and qid not in vis.expected:
            continue  # optional section, never answered: leave it out
        sid = question.section or ""
        if sid not in sections:
            sections[sid] = SectionRows(sid, _NO_SECTION)
        sections[sid].rows.append(_row(bank, qid, answer))
    aside = [_row(bank, qid, a.answers.get(qid)) for qid in vis.set_aside]
    aside += [_row(bank, qid, answer) for qid, answer in a.set_aside.items()]
    return [s for s in sections.values() if s.rows], aside


# --- JSON -------------------------------------------------------------------------------


def export_json(loaded: Loaded, bank: Bank) -> dict[str, Any]:
    """``show --format json`` plus the answers, grouped by section."""
    sections, aside = answer_sections(loaded, bank)

    def row(r: AnswerRow) -> dict[str, Any]:
        return {
            "question": r.question_id,
            "prompt": r.prompt,
            "answer": r.answer,
            "state": r.state,
            "state_label": state_label(r.state),
            "value": r.value,
            "note": r.note,
        }

    data = assessment_json(loaded)
    data["export"] = {"schema": EXPORT_SCHEMA, "generator": f"socwizard {__version__}"}
    data["answers"] = [
        {"section": s.id, "title": s.title, "questions": [row(r) for r in s.rows]} for s in sections
    ]
    data["answers_kept_aside"] = [row(r) for r in aside]
    return data


# --- Markdown ---------------------------------------------------------------------------


def md_text(text: str) -> str:
    """Escape one line of file text for Markdown (cleaned, flattened, not truncated)."""
    return md_line(text)


def _md_block(text: str, indent: str) -> str:
    """Multi-line file text as escaped lines joined by hard line breaks."""
    return ("  \n" + indent).join(md_lines(text))


def _md_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A GFM table; cells are already escaped (``md_cell``)."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def _reasons_md(reasons: tuple[Reason, ...], indent: str) -> list[str]:
    out: list[str] = []
    for reason in reasons:
        out.append(f"{indent}- {md_text(reason.text)}")
        for ref in reason.answers:
            out.append(f"{indent}  - {md_text(ref.prompt)} → *{md_text(ref.answer)}*")
    return out


def _answers_md(rows: list[AnswerRow]) -> list[str]:
    out: list[str] = []
    for row in rows:
        out.append(f"- **{md_text(row.prompt)}**  \n  {_md_block(row.answer, '  ') or '—'}")
        if row.note:
            out.append(f"  - *Note:* {_md_block(row.note, '    ')}")
    return [*out, ""]


def render_markdown(loaded: Loaded, bank: Bank) -> str:
    """The Markdown report (``export`` and ``show --format markdown``), file values escaped.

    The headline comes first, then the levels in a table, what to ask the vendor, the
    findings, the reasons, the scores and every answer.
    """
    a = loaded.assessment
    r = loaded.result
    out: list[str] = [f"# Vendor assessment: {md_text(a.display_title)}", ""]
    out += [f"**{md_text(r.headline())}**", ""]
    for key, value in _meta(a, r, md_text):
        out.append(f"- **{key}:** {value}")
    out += ["", "## Recommendation", ""]
    out += _md_table(
        ("Outcome", "Level"),
        [(md_cell(o.label), value_label(o.value)) for o in r.outcomes.values()],
    )
    if r.follow_ups:
        out += ["## Follow-up questions for the vendor", ""]
        for fu in r.follow_ups:
            out.append(f"- {md_text(fu.ask)} ({_fu_state(fu.state)})")
            for change in fu.changes:
                out.append(f"  - could change **{md_text(change.label)}**: {_change(change)}")
        out.append("")
    if r.findings:
        out += ["## Evidence findings", ""]
        for finding in r.findings:
            out.append(f"- **{md_text(finding.label)}** — {md_text(finding.reason.text)}")
            for ref in finding.reason.answers:
                out.append(f"  - {md_text(ref.prompt)} → *{md_text(ref.answer)}*")
        out.append("")
    out += ["## Why", ""]
    for outcome in r.outcomes.values():
        out.append(f"- **{md_text(outcome.label)}: {value_label(outcome.value)}**")
        out += _reasons_md(outcome.reasons, "  ") or ["  - Default level: no rule raised it."]
    out += ["", "## Scores", "", "0–100, higher means more risk.", ""]
    out += _md_table(
        ("Dimension", "Score", "Coverage"),
        [(md_cell(d.label), f"{d.score:.1f}", f"{d.coverage:.0%}") for d in r.scores.dimensions.values()],
    )
    sections, aside = answer_sections(loaded, bank)
    out += ["## Answers", ""]
    for section in sections:
        out += [f"### {md_text(section.title)}", "", *_answers_md(section.rows)]
    if aside:
        out += ["### Answers kept aside (not counted)", "", *_answers_md(aside)]
    if loaded.warnings:
        out += ["## Warnings", ""]
        out += [f"- {md_text(str(w))}" for w in loaded.warnings]
        out.append("")
    out.append(f"*Exported by socwizard {md_text(__version__)}.*")
    return "\n".join(out).rstrip() + "\n"


# --- HTML -------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .6rem; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; border-bottom: 2px solid #d0d7de; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.meta dt { font-weight: 600; color: #444; }
dl.meta dd { margin: 0; }
.verdict { margin: .2rem 0 1rem; padding: .7rem 1rem; border-left: 5px solid #0b5cad; background: #eef5fc;
  font-weight: 600; }
.provisional { color: #8a4b00; }
table { width: 100%; border-collapse: collapse; margin: .4rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #d0d7de; }
th { background: #f3f5f7; font-weight: 600; }
td.value { font-weight: 600; white-space: nowrap; }
ul { margin: .2rem 0; padding-left: 1.2rem; }
.refs { color: #444; font-size: .95em; }
.note { white-space: pre-wrap; color: #333; font-style: italic; }
.answer { white-space: pre-wrap; }
.muted { color: #666; }
footer { margin-top: 2rem; font-size: .85em; color: #666; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  .verdict { background: none; border: 1px solid #000; }
  th { background: none; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, li, .verdict { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { margin: 18mm 15mm; }
}
""".strip()


def h(text: str) -> str:
    """Escape file text for HTML (cleaned of control characters; quotes escaped too)."""
    return html.escape(clean(text), quote=True)


def _reasons_html(reasons: tuple[Reason, ...]) -> str:
    if not reasons:
        return '<span class="muted">Default level: no rule raised it.</span>'
    items = []
    for reason in reasons:
        refs = "".join(f"<li>{h(ref.prompt)} → <em>{h(ref.answer)}</em></li>" for ref in reason.answers)
        items.append(f"<li>{h(reason.text)}" + (f'<ul class="refs">{refs}</ul>' if refs else "") + "</li>")
    return f"<ul>{''.join(items)}</ul>"


def _answers_table(rows: list[AnswerRow]) -> str:
    body = []
    for row in rows:
        note = f'<div class="note">Note: {h(row.note)}</div>' if row.note else ""
        body.append(
            f'<tr><td>{h(row.prompt)}</td><td><div class="answer">{h(row.answer) or "—"}</div>'
            f"{note}</td></tr>"
        )
    return (
        '<table><thead><tr><th style="width:50%">Question</th><th>Answer</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def render_html(loaded: Loaded, bank: Bank) -> str:
    """One self-contained, printable HTML page; every file value escaped."""
    a = loaded.assessment
    r = loaded.result
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Vendor assessment: {h(a.display_title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>Vendor assessment: {h(a.display_title)}</h1>",
    ]
    cls = "verdict provisional" if r.provisional else "verdict"
    parts += [f'<p class="{cls}">{h(r.headline())}</p>', '<dl class="meta">']  # the headline first
    for key, value in _meta(a, r, h):
        parts.append(f"<dt>{h(key)}</dt><dd>{value}</dd>")
    parts += ["</dl>", "</header>", "<main>"]
    parts += ["<section>", "<h2>Recommendation</h2>", "<table><thead><tr>"]
    parts.append('<th style="width:25%">Outcome</th><th style="width:15%">Level</th><th>Why</th>')
    parts.append("</tr></thead><tbody>")
    for outcome in r.outcomes.values():
        parts.append(
            f'<tr><td>{h(outcome.label)}</td><td class="value">{h(value_label(outcome.value))}</td>'
            f"<td>{_reasons_html(outcome.reasons)}</td></tr>"
        )
    parts += ["</tbody></table>", "</section>"]
    if r.findings:
        parts += ["<section>", "<h2>Evidence findings</h2>", "<ul>"]
        for finding in r.findings:
            parts.append(f"<li><strong>{h(finding.label)}</strong> — {_reasons_html((finding.reason,))}</li>")
        parts += ["</ul>", "</section>"]
    if r.follow_ups:
        parts += ["<section>", "<h2>Follow-up questions for the vendor</h2>", "<table><thead><tr>"]
        parts.append('<th style="width:50%">Ask</th><th>Status</th><th>Could change</th></tr></thead><tbody>')
        for fu in r.follow_ups:
            changes = "".join(f"<li>{h(change.label)}: {h(_change(change))}</li>" for change in fu.changes)
            parts.append(
                f"<tr><td>{h(fu.ask)}</td><td>{h(_fu_state(fu.state))}</td>"
                f"<td>{f'<ul>{changes}</ul>' if changes else '<span class=muted>nothing</span>'}</td></tr>"
            )
        parts += ["</tbody></table>", "</section>"]
    parts += ["<section>", "<h2>Scores</h2>", '<p class="muted">0–100, higher means more risk.</p>']
    parts.append("<table><thead><tr><th>Dimension</th><th>Score</th><th>Coverage</th></tr></thead><tbody>")
    for dim in r.scores.dimensions.values():
        parts.append(f"<tr><td>{h(dim.label)}</td><td>{dim.score:.1f}</td><td>{dim.coverage:.0%}</td></tr>")
    parts += ["</tbody></table>", "</section>"]
    sections, aside = answer_sections(loaded, bank)
    parts += ["<section>", "<h2>Answers</h2>"]
    for section in sections:
        parts += [f"<h3>{h(section.title)}</h3>", _answers_table(section.rows)]
    if aside:
        parts += ["<h3>Answers kept aside (not counted)</h3>", _answers_table(aside)]
    parts.append("</section>")
    if loaded.warnings:
        parts += ["<section>", "<h2>Warnings</h2>", "<ul>"]
        parts += [f"<li>{h(str(w))}</li>" for w in loaded.warnings]
        parts += ["</ul>", "</section>"]
    parts += [
        "</main>",
        f"<footer>Exported by socwizard {h(__version__)}.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# --- shared -----------------------------------------------------------------------------


def _fu_state(state: str) -> str:
    return state_label(state)


def _change(change: Any) -> str:
    return f"{value_label(change.current)} → {', '.join(value_label(p) for p in change.possible)}"


def _meta(a: Assessment, r: Result, esc: Callable[[str], str]) -> list[tuple[str, str]]:
    status = status_label(a.status) + (" (provisional result)" if r.provisional else "")
    rows = [
        ("Vendor", esc(a.vendor) or "—"),
        ("Reviewed on", a.reviewed_on.isoformat()),
        ("Assessor", esc(a.assessor) or "—"),
        ("Status", esc(status)),
        ("Bank", esc(f"{r.bank_id} {r.bank_version}")),
        ("Coverage", esc(f"{r.scores.coverage:.0%} of the question weight answered")),
    ]
    if a.id:
        rows.append(("Assessment id", esc(a.id)))
    if r.next_review:
        rows.append(("Next review", esc(f"{r.next_review.isoformat()} — {r.next_review_reason}")))
    return rows


def meta_rows(a: Assessment, r: Result) -> list[tuple[str, str]]:
    """The report's metadata (vendor, dates, status…) as plain, unescaped text."""
    return _meta(a, r, lambda text: text)


def render_export(loaded: Loaded, bank: Bank, fmt: ExportFormat) -> str:
    """A text export: ``markdown``, ``html``, ``json`` or ``request`` (the letter to the vendor)."""
    if fmt == "markdown":
        return render_markdown(loaded, bank)
    if fmt == "html":
        return render_html(loaded, bank)
    if fmt == "json":
        return json.dumps(export_json(loaded, bank), indent=2, ensure_ascii=False) + "\n"
    if fmt == "request":
        from socwizard.core.request import render_request

        return render_request(loaded, bank)
    if fmt in BINARY:
        raise ValueError(f"{fmt} is a binary format: use render_export_bytes")
    raise ValueError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")


def render_export_bytes(loaded: Loaded, bank: Bank, fmt: ExportFormat) -> bytes:
    """Any export as the bytes of its file (text formats in UTF-8)."""
    if fmt == "pdf":
        from socwizard.core.pdf import render_pdf  # ReportLab loads only for a PDF

        return render_pdf(loaded, bank)
    return render_export(loaded, bank, fmt).encode("utf-8")


def default_filename(assessment: Assessment, fmt: str) -> str:
    """A safe filename: slug of vendor/title, the assessment id, the format's extension."""
    extension = EXTENSIONS.get(fmt)
    if extension is None:
        raise ValueError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    slug = slugify(assessment.vendor or assessment.title or "assessment")
    ident = slugify(assessment.id or "", 64) if assessment.id else "unsaved"
    return f"{slug}-{ident}.{extension}"
