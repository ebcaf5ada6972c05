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
    "no_exceptions",  # the choice for "no exceptions", only when Section 4 has none
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


SOC_KINDS = ("soc1", "soc2", "soc3")

ROWS: tuple[Row, ...] = (
    Row("evidence_reports", "kind_in_reports", SOC_KINDS),
    Row("soc1_type", "type", ("soc1",)),
    Row("soc1_period_start", "period_start", ("soc1",)),
    Row("soc1_period_end", "period_end_or_as_of", ("soc1",)),
    Row("soc2_type", "type", ("soc2",)),
    Row("soc2_period_start", "period_start", ("soc2",)),
    Row("soc2_period_end", "period_end_or_as_of", ("soc2", "soc3")),
    Row("soc2_criteria", "criteria", ("soc2", "soc3")),
    Row("report_opinion", "opinion", SOC_KINDS),
    Row("report_exceptions", "no_exceptions", ("soc1", "soc2"), (("none", "none"),)),
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
    Row("bridge_letter_given", "is_bridge_letter", ("bridge_letter",)),
)
