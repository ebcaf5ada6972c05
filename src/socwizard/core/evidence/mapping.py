"""Which evidence question each fact of a report answers: one table, data only.

Each row names a question id and how to get its answer from a :class:`Report`. Choice
values are checked against the bank at run time (a row whose question or choice the bank
does not have is skipped), so the table follows the bank without hard-coded labels. When
the bank's evidence questions change, only this table changes (docs/recommendation.md
lists fact → question).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

From = Literal[
    "kind_in_reports",  # the kind (soc1/soc2/soc3) added to a "what did the vendor send" list
    "type",  # type1 / type2
    "period_start",  # Type II period start
    "period_end_or_as_of",  # Type II period end, or a Type I's as-of date
    "criteria",  # Trust Services categories
    "opinion",  # unmodified / qualified / adverse / disclaimer
    "exceptions_any",  # "none" when Section 4 has no exceptions, "some" when it has (as the bank words it)
    "exceptions_count",  # how many exceptions Section 4 lists
    "exception_areas",  # the criteria areas the exceptions hit (CC6, CC7, CC8, A1…)
    "report_date",  # the date the auditor signed the report
    "service_auditor",  # the audit firm that signed it
    "subservice_method",  # carve_out / inclusive / none
    "standard_label",  # the standard as a label: SSAE 18 (AT-C, ISAE), SSAE 16, SAS 70
    "is_bridge_letter",  # true for a bridge letter
]


@dataclass(frozen=True)
class Row:
    """One question answered from one fact, for the report kinds listed."""

    question: str
    source: From
    kinds: tuple[str, ...]
    choices: tuple[tuple[str, str], ...] = ()
    """Fact value → choice value, where the two differ."""
    only_when_shown: bool = False
    """Propose it only when the question would be shown once this report is on file
    (one opinion question for a single report, one per report when there are both)."""


SOC_KINDS = ("soc1", "soc2", "soc3")
KIND_CHOICES = (("iso27001_certificate", "iso27001"),)
# Exception control ids -> areas: the longest matching prefix wins; "#" means a SOC 1 number.
AREAS = (
    ("CC6", "cc6_access"),
    ("CC7", "cc7_operations"),
    ("CC8", "cc8_change"),
    ("CC", "cc_governance"),
    ("A1", "a1_availability"),
    ("PI1", "pi1_processing"),
    ("C1", "c1_confidentiality"),
    ("P", "p_privacy"),
    ("#", "soc1_objectives"),
)

ROWS: tuple[Row, ...] = (
    Row("evidence_reports", "kind_in_reports", (*SOC_KINDS, "iso27001_certificate"), KIND_CHOICES),
    Row("soc1_type", "type", ("soc1",)),
    Row("soc1_period_start", "period_start", ("soc1",)),
    Row("soc1_period_end", "period_end_or_as_of", ("soc1",)),
    Row("soc1_report_date", "report_date", ("soc1",)),
    Row("soc2_type", "type", ("soc2",)),
    Row("soc2_period_start", "period_start", ("soc2",)),
    Row("soc2_period_end", "period_end_or_as_of", ("soc2", "soc3")),
    Row("soc2_report_date", "report_date", ("soc2", "soc3")),
    Row("soc2_criteria", "criteria", ("soc2", "soc3")),
    Row("report_opinion", "opinion", SOC_KINDS, only_when_shown=True),
    Row("soc1_opinion", "opinion", ("soc1",), only_when_shown=True),
    Row("soc2_opinion", "opinion", ("soc2", "soc3"), only_when_shown=True),
    Row("report_exceptions", "exceptions_any", ("soc1", "soc2"), (("none", "none"), ("some", "some"))),
    Row("exceptions_count", "exceptions_count", ("soc1", "soc2")),
    Row("exception_areas", "exception_areas", ("soc1", "soc2")),
    Row(
        "subservice_method",
        "subservice_method",
        ("soc1", "soc2"),
        (("carve_out", "carve_out"), ("inclusive", "inclusive"), ("none", "no_subservice")),
    ),
    Row(
        "report_label",
        "standard_label",
        ("soc1", "soc2"),
        (("ssae18", "ssae18"), ("SSAE 16", "ssae16"), ("SAS 70", "sas70")),
    ),
    Row("audit_firm", "service_auditor", SOC_KINDS),
    Row("bridge_letter_given", "is_bridge_letter", ("bridge_letter",)),
    Row("iso27001_expiry", "period_end_or_as_of", ("iso27001_certificate",)),
)
