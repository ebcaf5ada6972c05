"""The register as files: XLSX (openpyxl), a printable HTML page with its chart, an iCalendar.

Every text comes from untrusted files: it is cleaned to one line, escaped for HTML, kept
from running as a spreadsheet formula, and escaped/folded by icalendar.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Sequence

from socwizard.core.labels import NONE, value_label
from socwizard.core.register import (
    FIELDS,
    HEADERS,
    ListedRow,
    Summary,
    due_text,
    labelled_record,
    record,
    spreadsheet_safe,
    status_text,
    summarise,
)
from socwizard.core.text import one_line

WIDTHS: dict[str, int] = {"vendor": 32, "vendor_key": 28, "assessor": 20, "latest_file": 34, "latest_id": 14}
VERDICT_COLOURS: dict[str, str] = {
    "sufficient": "#2e7d32",
    "conditional": "#f9a825",
    "insufficient": "#c62828",
    "not_reviewed": "#9e9e9e",
    "": "#cfd8dc",
}


def to_xlsx(rows: Sequence[ListedRow], today: dt.date) -> bytes:
    """A workbook: header row, date cells, column widths, frozen header, autofilter."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Register"
    bold = Font(bold=True)
    for column, name in enumerate(FIELDS, 1):
        cell = sheet.cell(row=1, column=column, value=HEADERS[name])
        cell.font = bold
    overdue_fill = PatternFill("solid", fgColor="FFEBEE")
    for n, row in enumerate(rows, 2):
        data = labelled_record(row, today)
        for column, name in enumerate(FIELDS, 1):
            value = data[name]
            cell = sheet.cell(row=n, column=column)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, bool):
                cell.value = "yes" if value else "no"
            elif isinstance(value, int):
                cell.value = value
            elif value is not None:
                cell.value = spreadsheet_safe(str(value))
                cell.data_type = "s"  # openpyxl reads a leading '=' as a formula otherwise
            if data["overdue"]:
                cell.fill = overdue_fill
    for column, name in enumerate(FIELDS, 1):
        width = WIDTHS.get(name, max(12, len(HEADERS[name]) + 2))
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(FIELDS))}{max(1, len(rows) + 1)}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- HTML -------------------------------------------------------------------------------


def chart_svg(summary: Summary) -> str:
    """A stacked bar per tier (vendors by evidence verdict) plus the overdue count, as SVG."""
    tiers = summary.tiers or [""]
    verdicts = summary.verdicts()
    biggest = max([sum(summary.counts.get(t, {}).values()) for t in tiers] + [1])
    bar_w, left, row_h = 420, 90, 28
    height = row_h * len(tiers) + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + bar_w + 60}" height="{height}" '
        'role="img" aria-label="Vendors by tier and evidence verdict">'
    ]
    for n, tier in enumerate(tiers):
        y = 10 + n * row_h
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="13">'
            f"{html.escape(_word(tier))}</text>"
        )
        x = float(left)
        per = summary.counts.get(tier, {})
        for verdict in verdicts:
            count = per.get(verdict, 0)
            if not count:
                continue
            width = bar_w * count / biggest
            colour = VERDICT_COLOURS.get(verdict, "#90a4ae")
            label = html.escape(f"{_word(tier)} · {_word(verdict)}: {count}")
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{row_h - 6}" fill="{colour}">'
                f"<title>{label}</title></rect>"
            )
            parts.append(
                f'<text x="{x + width / 2:.1f}" y="{y + 17}" text-anchor="middle" font-size="12" '
                f'fill="#fff">{count}</text>'
            )
            x += width
    y = 10 + len(tiers) * row_h + 10
    lx = left
    for verdict in verdicts:
        colour = VERDICT_COLOURS.get(verdict, "#90a4ae")
        name = html.escape(_word(verdict))
        parts.append(f'<rect x="{lx}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 16}" y="{y + 11}" font-size="12">{name}</text>')
        lx += 24 + 8 * len(name)
    parts.append(
        f'<text x="{left}" y="{y + 34}" font-size="13" font-weight="bold" fill="#c62828">'
        f"{summary.overdue} of {summary.total} overdue</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def to_html(rows: Sequence[ListedRow], today: dt.date, title: str = "Vendor register") -> str:
    """A self-contained printable page: the chart, then one table row per vendor."""
    summary = summarise(rows, today)
    e = html.escape
    body = []
    for row in rows:
        data = record(row, today)
        cls = ' class="overdue"' if data["overdue"] else ""
        cells = [
            e(data["vendor"]),
            e(_word(data["tier"])),
            e(_soc(data["soc1"], data["soc1_type"])),
            e(_soc(data["soc2"], data["soc2_type"])),
            e(_word(data["evidence"])),
            e(data["last_reviewed"].isoformat() if data["last_reviewed"] else "—"),
            e(data["next_review"].isoformat() if data["next_review"] else "—"),
            e(due_text(data["days_left"])),
            e(data["assessor"] or "—"),
            e(status_text(data["status"])),
            str(data["assessments"]),
        ]
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    heads = (
        "Vendor",
        "Tier",
        "SOC 1",
        "SOC 2",
        "Evidence",
        "Last reviewed",
        "Next review",
        "Due",
        "Assessor",
        "Status",
        "Assessments",
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{e(one_line(title, 120))}</title><style>"
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse;width:100%;font-size:12px}"
        "th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}th{background:#eee}"
        "tr.overdue td{background:#ffebee;font-weight:bold}"
        "@media print{body{margin:0}tr{break-inside:avoid}thead{display:table-header-group}}"
        "</style></head><body>"
        f"<h1>{e(one_line(title, 120))}</h1>"
        f"<p>{summary.total} vendor{'s' if summary.total != 1 else ''} · "
        f"<strong>{summary.overdue} overdue</strong> · as of {today.isoformat()}</p>"
        f"<figure>{chart_svg(summary)}<figcaption>Vendors by risk tier and evidence verdict"
        "</figcaption></figure>"
        "<table><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in heads)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></body></html>\n"
    )


def _word(value: str) -> str:
    return value_label(value) if value else NONE


def _soc(level: str, kind: str) -> str:
    """``Required (Type II)``, ``Not needed``."""
    from socwizard.core.labels import outcome_text

    return outcome_text({"x.level": level, "x.type": kind}, "x.level") if level else NONE


# --- iCalendar ------------------------------------------------------------------------

PRODID = "-//socwizard//vendor register//EN"
UID_DOMAIN = "socwizard.vendor-review"


def to_ics(rows: Sequence[ListedRow], today: dt.date, now: dt.datetime | None = None) -> bytes:
    """One all-day event per vendor's next review; UIDs stable per vendor key.

    Re-importing the calendar updates the events instead of duplicating them; the
    sequence number grows with the vendor's history, so calendars take the newer date.
    """
    from icalendar import Calendar, Event

    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Vendor reviews (socwizard)")
    for row in rows:
        if row.next_review is None or row.broken:
            continue
        data = record(row, today)
        event = Event()
        event.add("uid", f"{row.key}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.next_review)
        event.add("dtend", row.next_review + dt.timedelta(days=1))
        event.add("summary", f"Vendor review due: {data['vendor']}")
        event.add("sequence", row.assessments)
        event.add("transp", "TRANSPARENT")
        lines = [
            f"Tier: {_word(data['tier'])}",
            f"SOC 1: {_soc(data['soc1'], data['soc1_type'])}",
            f"SOC 2: {_soc(data['soc2'], data['soc2_type'])}",
            f"Evidence: {_word(data['evidence'])}",
            f"Last reviewed: {data['last_reviewed'].isoformat() if data['last_reviewed'] else 'never'}",
            f"Assessor: {data['assessor'] or '—'}",
            f"Latest assessment: {data['latest_id']} ({data['latest_file']})",
        ]
        event.add("description", "\n".join(lines))
        event.add("categories", ["Vendor review", f"Tier {_word(data['tier'])}"])
        calendar.add_component(event)
    return bytes(calendar.to_ical())
