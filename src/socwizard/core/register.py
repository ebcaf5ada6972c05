"""The vendor register: one row per vendor, its standing and when its next review is due.

Built from the store listing (no bank, no textual): the assessments of a vendor share a
vendor key and form its history, oldest first. The vendor's *standing* (tier, SOC 1 /
SOC 2 needed, evidence verdict, next review) comes from its latest complete assessment —
a re-assessment still in progress does not make an overdue vendor look reviewed — and
from the latest assessment when none is complete.

Dates are relative to ``today``, which the caller passes in (tests fix it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, TypeVar

from socwizard.core.index import Entry
from socwizard.core.text import one_line

NOT_REVIEWED = "not_reviewed"
REGISTER_BY_DEFAULT = 5
"""The TUI opens on the register when the store holds more vendors than this."""
TIERS: tuple[str, ...] = ("high", "medium", "low")
VERDICTS: tuple[str, ...] = ("sufficient", "conditional", "insufficient", "not_reviewed")


class RegisterRow(Protocol):
    """What sorting, filtering and the summary read of a row.

    A :class:`VendorRow`, or the :class:`~socwizard.core.register_cache.CachedRow` the TUI
    shows until the store is read.
    """

    @property
    def key(self) -> str:
        """The vendor key."""
        ...

    @property
    def vendor(self) -> str:
        """The vendor's name."""
        ...

    @property
    def tier(self) -> str:
        """high, medium, low ('' when unknown)."""
        ...

    @property
    def verdict(self) -> str:
        """The evidence verdict ('' when unknown)."""
        ...

    @property
    def last_reviewed(self) -> dt.date | None:
        """The review date of the standing assessment."""
        ...

    @property
    def next_review(self) -> dt.date | None:
        """When the next review is due."""
        ...

    @property
    def assessor(self) -> str:
        """Who answered."""
        ...

    @property
    def status(self) -> str:
        """complete, in_progress, reassessing or broken."""
        ...

    @property
    def assessments(self) -> int:
        """How many assessments the vendor has."""
        ...

    @property
    def latest_title(self) -> str:
        """The newest assessment's title."""
        ...

    @property
    def latest_name(self) -> str:
        """The newest assessment's file name."""
        ...

    @property
    def broken(self) -> bool:
        """True when every file of the vendor is unreadable."""
        ...

    def outcome(self, outcome_id: str) -> str:
        """A level of the standing assessment ('' when unknown)."""
        ...

    def days_left(self, today: dt.date) -> int | None:
        """Days until the next review (negative when overdue; None without a date)."""
        ...

    def overdue(self, today: dt.date) -> bool:
        """True when the next review date has passed."""
        ...


class ListedRow(RegisterRow, Protocol):
    """What the register's files (JSON, CSV, XLSX, HTML, calendar) read of a row.

    A :class:`VendorRow` (grouped from the listing), or a :class:`StoredRow` (read from the
    index's vendor table by ``socwizard register``): both give the same files, byte for byte.
    """

    @property
    def latest_id(self) -> str:
        """The newest assessment's id."""
        ...

    def history_records(self) -> list[dict[str, Any]]:
        """The vendor's assessments, oldest first, as ``register --format json`` lists them."""
        ...


R = TypeVar("R", bound=RegisterRow)


def _history_key(entry: Entry) -> tuple[Any, ...]:
    """Oldest first: review date, then evidence reviewed, then complete, then when written."""
    verdict = entry.outcomes.get("evidence.verdict", NOT_REVIEWED)
    stamp = entry.updated or entry.created
    return (
        entry.reviewed_on or dt.date.min,
        verdict != NOT_REVIEWED,
        entry.status == "complete",
        stamp.timestamp() if stamp else 0.0,
        entry.path.name,
    )


@dataclass(frozen=True)
class VendorRow:
    """One vendor of the register."""

    key: str
    """The vendor key its assessments share."""
    history: tuple[Entry, ...]
    """Its assessments, oldest first."""
    standing: Entry
    """The assessment the row's tier, verdicts and dates come from."""

    @property
    def latest(self) -> Entry:
        """The newest assessment (maybe a re-assessment in progress)."""
        return self.history[-1]

    @property
    def vendor(self) -> str:
        """The vendor's name as its newest assessment spells it (else a title or filename)."""
        for entry in reversed(self.history):
            if entry.vendor:
                return entry.vendor
        return self.latest.title if not self.latest.error else self.latest.path.name

    @property
    def assessments(self) -> int:
        """How many assessments the vendor has."""
        return len(self.history)

    @property
    def latest_title(self) -> str:
        """The newest assessment's title."""
        return self.latest.title

    @property
    def latest_name(self) -> str:
        """The newest assessment's file name."""
        return self.latest.path.name

    @property
    def latest_id(self) -> str:
        """The newest assessment's id."""
        return self.latest.id

    @property
    def broken(self) -> bool:
        """True when every file of this vendor is unreadable."""
        return all(e.error for e in self.history)

    def history_records(self) -> list[dict[str, Any]]:
        """The vendor's assessments, oldest first, as ``register --format json`` lists them."""
        return [
            _history_record(
                e.id,
                e.path.name,
                e.reviewed_on.isoformat() if e.reviewed_on else None,
                e.status,
                e.previous,
                e.error,
            )
            for e in self.history
        ]

    def outcome(self, outcome_id: str) -> str:
        """A level of the standing assessment ('' when unknown)."""
        return self.standing.outcomes.get(outcome_id, "")

    @property
    def tier(self) -> str:
        """high, medium, low ('' when unknown)."""
        return self.outcome("tier")

    @property
    def verdict(self) -> str:
        """The evidence verdict ('' when unknown)."""
        return self.outcome("evidence.verdict")

    @property
    def last_reviewed(self) -> dt.date | None:
        """The review date of the standing assessment."""
        return self.standing.reviewed_on

    @property
    def next_review(self) -> dt.date | None:
        """When the vendor is due for its next review."""
        return self.standing.next_review

    @property
    def assessor(self) -> str:
        """Who answered the newest assessment that names someone."""
        for entry in reversed(self.history):
            if entry.assessor:
                return entry.assessor
        return ""

    @property
    def status(self) -> str:
        """complete, in_progress, reassessing (a newer one in progress) or broken."""
        if self.broken:
            return "broken"
        if self.latest.status != "complete" and self.standing is not self.latest:
            return "reassessing"
        return self.standing.status

    def days_left(self, today: dt.date) -> int | None:
        """Days until the next review (negative when overdue; None without a date)."""
        return None if self.next_review is None else (self.next_review - today).days

    def overdue(self, today: dt.date) -> bool:
        """True when the next review date has passed."""
        days = self.days_left(today)
        return days is not None and days < 0


def _history_record(
    id_: str, file: str, reviewed_on: str | None, status: str, previous: str, error: str
) -> dict[str, Any]:
    return {
        "id": id_,
        "file": file,
        "reviewed_on": reviewed_on,
        "status": status,
        "status_label": label_of("status", status),
        "previous": previous or None,
        "error": error or None,
    }


class StoredRow(NamedTuple):
    """One vendor as the index's vendor table keeps it (what a :class:`VendorRow` gives).

    ``socwizard register`` reads these instead of grouping every assessment: the table is
    rebuilt for a vendor whenever the index re-reads or drops one of its files.
    """

    key: str
    vendor: str
    tier: str
    verdict: str
    outcomes: dict[str, str]
    """The standing assessment's outcomes (shared by rows with the same table)."""
    last_reviewed: dt.date | None
    next_review: dt.date | None
    assessor: str
    status: str
    assessments: int
    latest_title: str
    latest_name: str
    broken: bool
    latest_id: str
    history_json: str
    """The history's JSON-file fields (:func:`stored_fields`), decoded only for JSON."""

    def outcome(self, outcome_id: str) -> str:
        """A level of the standing assessment ('' when unknown)."""
        return self.outcomes.get(outcome_id, "")

    def days_left(self, today: dt.date) -> int | None:
        """Days until the next review (negative when overdue; None without a date)."""
        return None if self.next_review is None else (self.next_review - today).days

    def overdue(self, today: dt.date) -> bool:
        """True when the next review date has passed."""
        days = self.days_left(today)
        return days is not None and days < 0

    def history_records(self) -> list[dict[str, Any]]:
        """The vendor's assessments, oldest first, as ``register --format json`` lists them.

        Raises ValueError when the stored text is not what :func:`stored_fields` wrote.
        """
        import json

        items = json.loads(self.history_json)
        if not isinstance(items, list) or len(items) != self.assessments:
            raise ValueError("damaged vendor history")
        records = []
        for item in items:
            if not (
                isinstance(item, list)
                and len(item) == 6
                and all(type(v) is str for n, v in enumerate(item) if n != 2)
                and (item[2] is None or type(item[2]) is str)
            ):
                raise ValueError("damaged vendor history")
            records.append(_history_record(*item))
        return records


def stored_fields(row: VendorRow) -> tuple[Any, ...]:
    """A vendor row as the index's ``vendors`` table stores it (:class:`StoredRow`'s fields)."""
    import json

    history = [
        [
            e.id,
            e.path.name,
            e.reviewed_on.isoformat() if e.reviewed_on else None,
            e.status,
            e.previous,
            e.error,
        ]
        for e in row.history
    ]
    return (
        row.key,
        row.vendor,
        row.tier,
        row.verdict,
        json.dumps(row.standing.outcomes, separators=(",", ":")),
        row.last_reviewed.toordinal() if row.last_reviewed else None,
        row.next_review.toordinal() if row.next_review else None,
        row.assessor,
        row.status,
        row.assessments,
        row.latest_title,
        row.latest_name,
        int(row.broken),
        row.latest_id,
        json.dumps(history, separators=(",", ":")),
    )


def status_text(status: str) -> str:
    """A register status in words (``reassessing`` → ``Re-assessing``)."""
    from socwizard.core.labels import status_label

    return "Re-assessing" if status == "reassessing" else status_label(status)


def due_text(days: int | None) -> str:
    """``overdue by 3 days``, ``due today``, ``due in 12 days``, or ``—``."""
    if days is None:
        return "—"
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


def vendor_key(entry: Entry) -> str:
    """The key a listing entry is grouped under (its vendor key, else its own)."""
    return entry.vendor_key or "file-" + entry.path.stem


_key = vendor_key


def count_vendors(entries: Iterable[Entry]) -> int:
    """How many vendors the listing holds."""
    return len({_key(e) for e in entries})


def build(entries: Iterable[Entry]) -> list[VendorRow]:
    """Group the listing by vendor key; rows sorted by next review (soonest first)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(_key(entry), []).append(entry)
    rows = []
    for key, group in groups.items():
        group.sort(key=_history_key)
        readable = [e for e in group if not e.error]
        complete = [e for e in readable if e.status == "complete"]
        standing = (complete or readable or group)[-1]
        rows.append(VendorRow(key, tuple(group), standing))
    return sort_rows(rows)


def sort_rows(rows: Sequence[R], by: str = "due") -> list[R]:
    """Sort by ``due`` (soonest first, undated last), ``vendor``, ``tier`` or ``reviewed``."""
    far = dt.date.max.toordinal()
    if by == "vendor":
        return sorted(rows, key=lambda r: (r.vendor.casefold(), r.key))
    if by == "tier":
        rank = {t: n for n, t in enumerate(TIERS)}
        return sorted(rows, key=lambda r: (rank.get(r.tier, 9), r.vendor.casefold(), r.key))
    if by == "reviewed":
        return sorted(
            rows,
            key=lambda r: (-(r.last_reviewed or dt.date.min).toordinal(), r.vendor.casefold(), r.key),
        )
    return sorted(
        rows,
        key=lambda r: (r.next_review.toordinal() if r.next_review else far, r.vendor.casefold(), r.key),
    )


def select(
    rows: Iterable[R],
    today: dt.date,
    *,
    overdue: bool = False,
    due_within: int | None = None,
    tier: str | None = None,
    verdict: str | None = None,
    text: str = "",
) -> list[R]:
    """The rows matching every filter given.

    ``due_within`` N keeps vendors whose next review is at most N days away, overdue ones
    included (they are due too).
    """
    words = text.casefold().split()
    kept: list[R] = []
    for row in rows:
        days = row.days_left(today)
        if overdue and not row.overdue(today):
            continue
        if due_within is not None and (days is None or days > due_within):
            continue
        if tier is not None and row.tier != tier:
            continue
        if verdict is not None and row.verdict != verdict:
            continue
        if words:
            haystack = " ".join(
                (row.vendor, row.key, row.assessor, row.tier, row.verdict, row.status, row.latest_title)
            ).casefold()
            if not all(w in haystack for w in words):
                continue
        kept.append(row)
    return kept


@dataclass(frozen=True)
class Summary:
    """Counts for the register's chart: tier × evidence verdict, and the overdue ones."""

    counts: dict[str, dict[str, int]]
    """counts[tier][verdict] (tier '' and verdict '' for unknown)."""
    overdue: int
    total: int

    @property
    def tiers(self) -> list[str]:
        """Tiers present, highest first (unknown last)."""
        return [t for t in (*TIERS, *sorted(set(self.counts) - set(TIERS))) if t in self.counts]

    def verdicts(self) -> list[str]:
        """Verdicts present, in their natural order (unknown last)."""
        present = {v for per in self.counts.values() for v in per}
        return [v for v in (*VERDICTS, *sorted(present - set(VERDICTS))) if v in present]


def summarise(rows: Iterable[RegisterRow], today: dt.date) -> Summary:
    """Counts by tier × verdict, and how many vendors are overdue."""
    counts: dict[str, dict[str, int]] = {}
    overdue = total = 0
    for row in rows:
        per = counts.setdefault(row.tier, {})
        per[row.verdict] = per.get(row.verdict, 0) + 1
        overdue += row.overdue(today)
        total += 1
    return Summary(counts, overdue, total)


# --- tabular forms --------------------------------------------------------------------

FIELDS: tuple[str, ...] = (
    "vendor",
    "vendor_key",
    "tier",
    "soc1",
    "soc1_type",
    "soc2",
    "soc2_type",
    "evidence",
    "last_reviewed",
    "next_review",
    "days_left",
    "overdue",
    "assessor",
    "status",
    "assessments",
    "latest_id",
    "latest_file",
)


HEADERS: dict[str, str] = {
    "vendor": "Vendor",
    "vendor_key": "Vendor key",
    "tier": "Tier",
    "soc1": "SOC 1",
    "soc1_type": "SOC 1 type",
    "soc2": "SOC 2",
    "soc2_type": "SOC 2 type",
    "evidence": "Evidence",
    "last_reviewed": "Last reviewed",
    "next_review": "Next review",
    "days_left": "Days left",
    "overdue": "Overdue",
    "assessor": "Assessor",
    "status": "Status",
    "assessments": "Assessments",
    "latest_id": "Latest id",
    "latest_file": "Latest file",
}
"""Column headings for people (CSV and XLSX)."""

LABELLED: tuple[str, ...] = ("tier", "soc1", "soc1_type", "soc2", "soc2_type", "evidence", "status")
"""Fields stored as ids: people read their label (CSV, XLSX), JSON adds ``<field>_label``."""


def label_of(name: str, value: str) -> str:
    """A labelled field's value in words (``high`` → ``High``; empty stays empty)."""
    from socwizard.core.labels import value_label

    if not value:
        return ""
    return status_text(value) if name == "status" else value_label(value)


def labelled_record(row: ListedRow, today: dt.date) -> dict[str, Any]:
    """:func:`record` as people read it: ids replaced by their labels."""
    data = record(row, today)
    for name in LABELLED:
        data[name] = label_of(name, str(data[name] or ""))
    return data


def record(row: ListedRow, today: dt.date) -> dict[str, Any]:
    """One row as plain values (dates as dates), keyed by :data:`FIELDS`."""
    return {
        "vendor": one_line(row.vendor, 200),
        "vendor_key": row.key,
        "tier": row.tier,
        "soc1": row.outcome("soc1.level"),
        "soc1_type": row.outcome("soc1.type"),
        "soc2": row.outcome("soc2.level"),
        "soc2_type": row.outcome("soc2.type"),
        "evidence": row.verdict,
        "last_reviewed": row.last_reviewed,
        "next_review": row.next_review,
        "days_left": row.days_left(today),
        "overdue": row.overdue(today),
        "assessor": one_line(row.assessor, 200),
        "status": row.status,
        "assessments": row.assessments,
        "latest_id": row.latest_id,
        "latest_file": row.latest_name,
    }


def to_json(rows: Sequence[ListedRow], today: dt.date) -> dict[str, Any]:
    """The register as JSON-ready data (``socwizard register --format json``)."""
    out = []
    for row in rows:
        data = record(row, today)
        for key in ("last_reviewed", "next_review"):
            data[key] = data[key].isoformat() if data[key] else None
        for name in LABELLED:
            data[f"{name}_label"] = label_of(name, str(data[name] or ""))
        data["history"] = row.history_records()
        out.append(data)
    summary = summarise(rows, today)
    return {
        "today": today.isoformat(),
        "vendors": out,
        "summary": {"total": summary.total, "overdue": summary.overdue, "by_tier": summary.counts},
    }


def spreadsheet_safe(text: str) -> str:
    """A cell text no spreadsheet runs as a formula (``=``, ``+``, ``-``, ``@`` lead)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: Sequence[ListedRow], today: dt.date) -> str:
    """The register as CSV for people (RFC 4180, headings and labels as in the XLSX, ISO dates)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([HEADERS[name] for name in FIELDS])
    for row in rows:
        data = labelled_record(row, today)
        cells = []
        for name in FIELDS:
            value = data[name]
            if isinstance(value, bool):
                cells.append("yes" if value else "no")
            elif isinstance(value, dt.date):
                cells.append(value.isoformat())
            elif value is None:
                cells.append("")
            elif isinstance(value, int):
                cells.append(str(value))
            else:
                cells.append(spreadsheet_safe(str(value)))
        writer.writerow(cells)
    return buffer.getvalue()
