"""Fixture reports: PDFs written by reportlab from the text files in reports/ (once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pdfgen import write_pdf

REPORTS = Path(__file__).parent / "reports"
NAMES = sorted(p.stem for p in REPORTS.glob("*.txt"))


@pytest.fixture(scope="session")
def report_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every fixture report as a PDF, keyed by name."""
    out = tmp_path_factory.mktemp("reports")
    return {name: write_pdf(out / f"{name}.pdf", (REPORTS / f"{name}.txt").read_text()) for name in NAMES}
