"""A 100-page SOC 2 Type II report for the evidence-reading benchmark (written by reportlab).

Cover, contents, the auditor's report, management's assertion, a 35-page description and
59 pages of tests-of-controls tables (8 rows a page, one exception): the shape of a real
report, where Section 4 is most of the pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from evidence.pdfgen import write_pdf  # noqa: E402

PAGES = 100
_HEAD = """%% header: Relay Chat, Inc. | SOC 2 Type 2 Report | Confidential
%% footer: Page {page} of 100
## Relay Chat, Inc.
SOC 2 Type 2 Report on Controls Relevant to Security, Availability, and Confidentiality

Throughout the Period October 1, 2024 to September 30, 2025
===
## Table of Contents
Section I: Independent Service Auditor's Report ........ 3
Section II: Management's Assertion ........ 6
Section III: Description of the System ........ 7
Section IV: Trust Services Criteria, Related Controls, and Tests of Controls ........ 42
"""


def report_text() -> str:
    """The markup of the report (see tests/evidence/pdfgen.py)."""
    fixture = (ROOT / "tests" / "evidence" / "reports" / "soc2_type2_carveout.txt").read_text()
    auditor = fixture[fixture.index("## Section I:") : fixture.index("## Section II:")]
    parts = [_HEAD, "===\n" + auditor]
    parts.append("===\n## Section II: Management's Assertion\nWe have prepared the description.\n")
    prose = (
        "Relay operates its messaging platform from two cloud regions. Engineers deploy changes through a "
        "pipeline that runs automated tests, requires a peer review and records every approval. Access to "
        "production is granted by role, reviewed every quarter by system owners and removed on termination. "
    ) * 4
    for page in range(35):
        title = "## Section III: Description of the System\n" if page == 0 else ""
        parts.append(f"===\n{title}Overview {page + 1}\n\n{prose}\n\n{prose}\n")
        if page == 34:
            parts.append(
                "Complementary User Entity Controls\n\n- User entities manage their users' access.\n"
                "- User entities configure single sign-on.\n- User entities report incidents to Relay.\n"
            )
    header = "| Control # | Control Activity | Test Performed | Test Results |"
    for page in range(59):
        title = "## Section IV: Trust Services Criteria and Tests of Controls\n" if page == 0 else ""
        rows = [header]
        for row in range(8):
            n = page * 8 + row
            result = (
                "Exception noted. For 2 of 25 terminated employees sampled, access was revoked late."
                if n == 200
                else "No exceptions noted."
            )
            rows.append(
                f"| CC{n % 9 + 1}.{n % 5 + 1} | Control activity {n}: the security team reviews the relevant "
                "configuration every quarter and records the review. | Inspected the review records "
                f"for a sample of {n % 25 + 1} quarters and inquired of the control owner. | {result} |"
            )
        parts.append("===\n" + title + "\n".join(rows) + "\n")
    return "".join(parts)


def write_report(path: Path) -> Path:
    """Write the report; check it has 100 pages."""
    from pypdf import PdfReader

    write_pdf(path, report_text())
    pages = len(PdfReader(path).pages)
    if pages != PAGES:
        raise SystemExit(f"the benchmark report has {pages} pages, not {PAGES}")
    return path


if __name__ == "__main__":
    print(write_report(Path(sys.argv[1] if len(sys.argv) > 1 else "report-100.pdf")))
