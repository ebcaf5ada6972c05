"""Any text in, facts or nothing out: the reader never raises and stays quick."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from socwizard.core.evidence.model import FACT_KEYS
from socwizard.core.evidence.reader import read_pages

WORDS = st.sampled_from(
    [
        "SOC 2",
        "Type II",
        "Type 1",
        "In our opinion",
        "except for",
        "Basis for Qualified Opinion",
        "throughout the period",
        "January 1, 2025",
        "to",
        "31/12/2025",
        "as of",
        "subservice organization",
        "carve-out",
        "inclusive method",
        "uses",
        "Amazon Web Services, Inc.",
        "and",
        ",",
        ".",
        "\n",
        "Complementary User Entity Controls",
        "\u2022",
        "CC6.1",
        "Exception noted",
        "No exceptions noted",
        "Independent Service Auditor's Report",
        "Management's Assertion",
        "Description of the System",
        "Tests of Controls",
        "security",
        "availability",
        "LLP",
        "HIPAA",
        "SAS 70",
        "bridge letter",
        "ISO/IEC 27001",
        "certify that",
        "Expiry date:",
        "\x1b[2J",
        "\u202e",
        "-",
        "Section IV:",
    ]
)
PAGES = st.lists(st.lists(WORDS, max_size=60).map(" ".join), max_size=6)


@settings(max_examples=150, deadline=2000)
@given(PAGES)
def test_reader_never_raises(pages: list[str]) -> None:
    facts = read_pages(pages)
    assert set(facts) <= set(FACT_KEYS)
    for fact in facts.values():
        assert fact.page >= 1 and "\x1b" not in fact.quote and "\u202e" not in fact.quote


def test_many_names_joined_by_and_stay_linear() -> None:
    text = "Kite uses " + " and ".join(["Acme Hosting"] * 300) + " as subservice organizations."
    read_pages(
        [
            "SOC 2 Type 2 Report\n",
            "Independent Service Auditor's Report\n" + text + "\nIn our opinion, fine.\n",
        ]
    )
