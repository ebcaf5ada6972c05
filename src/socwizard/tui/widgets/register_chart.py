"""The register's summary chart: one stacked bar per risk tier, by evidence verdict.

Counts come from the core (:func:`socwizard.core.register.summarise`); this widget only
draws them, as plain text with fixed styles (no text from a file reaches it).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from socwizard.core.labels import value_label
from socwizard.core.register import Summary

VERDICT_STYLES: dict[str, tuple[str, str]] = {
    "sufficient": ("█", "$sw-good"),
    "conditional": ("▓", "$sw-warn"),
    "insufficient": ("█", "$sw-bad"),
    "not_reviewed": ("░", "$sw-muted"),
    "": ("·", "$sw-muted"),
}
LABEL_WIDTH = 8


def chart(summary: Summary, width: int) -> Content:
    """The chart as styled text, ``width`` cells wide at most."""
    tiers = summary.tiers or ["high", "medium", "low"]
    verdicts = summary.verdicts()
    counts_width = 5
    bar_width = max(8, width - LABEL_WIDTH - counts_width - 26)
    biggest = max([sum(summary.counts.get(t, {}).values()) for t in tiers] + [1])
    parts: list[str | tuple[str, str]] = []
    for n, tier in enumerate(tiers):
        per = summary.counts.get(tier, {})
        total = sum(per.values())
        name = value_label(tier) if tier else "Unknown"
        parts.append((f"{name[: LABEL_WIDTH - 1]:<{LABEL_WIDTH}}", "bold"))
        used = 0
        for verdict in verdicts:
            count = per.get(verdict, 0)
            if not count:
                continue
            cells = max(1, round(bar_width * count / biggest))
            glyph, style = VERDICT_STYLES.get(verdict, ("▒", "$sw-muted"))
            parts.append((glyph * cells, style))
            used += cells
        parts.append(" " * max(0, bar_width - used + 1))
        parts.append((f"{total:>{counts_width}}", ""))
        if n == 0:
            parts.append("   ")
            parts.append((f"{summary.overdue} overdue", "bold $sw-bad" if summary.overdue else "$sw-muted"))
            parts.append((f" of {summary.total}", "$sw-muted"))
        parts.append("\n")
    legend: list[str | tuple[str, str]] = [" " * LABEL_WIDTH]
    for verdict in verdicts or ["sufficient", "conditional", "insufficient", "not_reviewed"]:
        glyph, style = VERDICT_STYLES.get(verdict, ("▒", "$sw-muted"))
        legend.append((glyph * 2, style))
        legend.append((f" {value_label(verdict) if verdict else 'Unknown'}  ", "$sw-muted"))
    return Content.assemble(*parts, *legend)


class RegisterChart(Static):
    """Counts by tier × evidence verdict, and the overdue count."""

    DEFAULT_CSS = """
    RegisterChart { height: auto; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary: Summary | None = None

    def show(self, summary: Summary) -> None:
        """Draw these counts."""
        self.summary = summary
        self.update(chart(summary, self.size.width or 78))

    def on_resize(self) -> None:
        """Bars take the new width."""
        if self.summary is not None:
            self.update(chart(self.summary, self.size.width))
