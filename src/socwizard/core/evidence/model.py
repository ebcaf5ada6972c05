"""What the evidence reader finds: facts, each with the page and a short quote it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from socwizard.core.text import one_line

# The keys of ``evidence read --format json``, in the order the issue lists them.
FACT_KEYS: tuple[str, ...] = (
    "kind",
    "type",
    "period_start",
    "period_end",
    "as_of",
    "report_date",
    "service_organization",
    "service_auditor",
    "standard",
    "opinion",
    "modified_criteria",
    "criteria",
    "additional_subject_matter",
    "subservice_method",
    "subservice_organizations",
    "cuecs",
    "csocs",
    "exceptions",
    "legacy_label",
    "bridge_through",
)

KINDS = ("soc1", "soc2", "soc3", "bridge_letter", "iso27001_certificate", "other")
QUOTE_LIMIT = 240


@dataclass(frozen=True)
class Fact:
    """One fact: a value (a string, a list, an ISO date string), its page (1-based) and quote."""

    value: Any
    page: int
    quote: str

    def to_json(self) -> dict[str, Any]:
        """The fact as the JSON contract has it."""
        return {"value": self.value, "page": self.page, "quote": one_line(self.quote, QUOTE_LIMIT)}


@dataclass(frozen=True)
class Report:
    """Everything read from one document; a fact the document does not state is absent."""

    file: str
    sha256: str
    pages: int
    facts: dict[str, Fact] = field(default_factory=dict)

    def fact(self, key: str) -> Fact | None:
        """The fact for ``key``, or None when the document does not state it."""
        return self.facts.get(key)

    def value(self, key: str) -> Any:
        """The value for ``key``, or None."""
        found = self.facts.get(key)
        return None if found is None else found.value

    def to_json(self) -> dict[str, Any]:
        """The JSON contract: file, sha256, pages, then every fact key (null when not stated)."""
        data: dict[str, Any] = {"file": self.file, "sha256": self.sha256, "pages": self.pages}
        for key in FACT_KEYS:
            found = self.facts.get(key)
            data[key] = None if found is None else found.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        """Rebuild a report from :meth:`to_json` output (the child process sends it so)."""
        facts: dict[str, Fact] = {}
        for key in FACT_KEYS:
            raw = data.get(key)
            if isinstance(raw, dict):
                facts[key] = Fact(raw.get("value"), int(raw.get("page", 0)), str(raw.get("quote", "")))
        return cls(str(data["file"]), str(data["sha256"]), int(data["pages"]), facts)


def describe_value(value: Any) -> str:
    """A fact's value as one line of plain text."""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return f"{len(value)} item(s)"
        return ", ".join(str(v) for v in value) if value else "none"
    return str(value)


def render_text(report: Report) -> str:
    """``evidence read`` text output: one line per fact, its page and quote; gaps said so."""
    lines = [
        f"file: {one_line(report.file, 200)}",
        f"sha256: {report.sha256}",
        f"pages: {report.pages}",
    ]
    for key in FACT_KEYS:
        found = report.facts.get(key)
        if found is None:
            lines.append(f"{key}: not stated in the document")
            continue
        lines.append(f"{key}: {one_line(describe_value(found.value), 300)}  (page {found.page})")
        lines.append(f'    "{one_line(found.quote, QUOTE_LIMIT)}"')
        if isinstance(found.value, list):
            for item in found.value:
                if isinstance(item, dict):
                    text = one_line(f"{item.get('control', '')}: {item.get('text', '')}", 300)
                    lines.append(f"    - {text} (page {item.get('page')})")
                else:
                    lines.append(f"    - {one_line(str(item), 300)}")
    return "\n".join(lines) + "\n"
