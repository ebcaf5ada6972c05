"""The PDF export, checked by a real consumer: poppler renders every page and reads the text.

pdftoppm, pdftotext and pdffonts come from Debian's poppler-utils, which the Makefile's
test setup installs when they are missing.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from socwizard.core.answers import Answer
from socwizard.core.assessment import Assessment, Loaded, evaluate_assessment, read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.export import render_export_bytes
from socwizard.core.pdf import WIDE_FONTS, markup, render_pdf
from socwizard.paths import builtin_bank_dir

EXAMPLES = Path(__file__).parent / "examples"
POPPLER = ("pdftoppm", "pdftotext", "pdffonts", "pdfinfo")

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER),
    reason="poppler-utils missing: `make test` installs it",
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(builtin_bank_dir())


def _write(tmp_path: Path, data: bytes, name: str = "report.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, timeout=60, check=True)
    return out.stdout.decode("utf-8")


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, timeout=60, check=True).stdout.decode()
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match, info
    return int(match.group(1))


def _render(pdf: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(out / "page")], check=True, timeout=120)
    return sorted(out.glob("page-*.png"))


def test_payroll_pdf_reads_as_a_cfo_expects(bank: Bank, tmp_path: Path) -> None:
    loaded = read_assessment_file(EXAMPLES / "payroll_sox_with_evidence.toml", bank)
    pdf = _write(tmp_path, render_pdf(loaded, bank))
    assert pdf.read_bytes().startswith(b"%PDF-")
    pages = _pages(pdf)
    assert 2 <= pages <= 12, pages
    images = _render(pdf, tmp_path)
    assert len(images) == pages  # every page renders
    assert all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 1000 for p in images)
    text = _text(pdf)
    flat = " ".join(text.split())
    first_page = text.split("\f")[0]
    # headline first: the title, then the headline, before anything else
    assert "Vendor assessment: Payroll processor" in first_page
    assert "Risk tier: High · SOC 1: Required (Type II) · SOC 2: Required (Type II)" in flat
    assert flat.index("Risk tier: High") < flat.index("Recommendation")
    for needle in (
        "Example Payroll Inc.",
        "Evidence findings",
        "Gap between the SOC 1 period end",
        "Carve-out: the suppliers are excluded",  # a choice label, not carve_out (the cell may wrap)
        "Page 1 of",
        f"Page {pages} of {pages}",
    ):
        assert needle in flat, needle
    for code in ("carve_out", "company_wide", "not_needed", "type2", "in_progress"):
        assert code not in flat, code


def test_fonts_are_embedded(bank: Bank, tmp_path: Path) -> None:
    loaded = read_assessment_file(EXAMPLES / "team_chat.toml", bank)
    pdf = _write(tmp_path, render_pdf(loaded, bank))
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, timeout=60, check=True).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    names = [row[0] for row in rows]
    assert any(n.endswith("+DejaVuSans") for n in names) and any(
        n.endswith("+DejaVuSans-Bold") for n in names
    ), out
    # columns: name type encoding emb sub uni object ID
    for row in rows:
        emb, uni = row[-5], row[-3]
        assert emb == "yes" and uni == "yes", out  # embedded, and text maps back to Unicode


def test_pdf_is_deterministic_and_offered_by_render_export_bytes(bank: Bank) -> None:
    loaded = read_assessment_file(EXAMPLES / "team_chat.toml", bank)
    first = render_pdf(loaded, bank)
    assert render_pdf(loaded, bank) == first
    assert render_export_bytes(loaded, bank, "pdf") == first


def test_file_text_is_text_not_markup(mini_bank: Bank, tmp_path: Path) -> None:
    hostile = '<b>bold</b> <font size=40>big</font> & <para> x[2J "Société Générale" Łódź Ωμέγα'
    data: dict[str, object] = {
        "title": hostile,
        "vendor": "株式会社サンプル",
        "reviewed_on": dt.date(2026, 3, 31),
        "answers": {"notes": Answer(value="line one\nline two <br/>")},
    }
    loaded: Loaded = evaluate_assessment(Assessment.model_validate(data), mini_bank, "test")
    pdf = _write(tmp_path, render_pdf(loaded, mini_bank))
    flat = " ".join(_text(pdf).split())
    assert "<b>bold</b> <font size=40>big</font> & <para> x[2J" in flat
    assert "Société Générale" in flat and "Łódź Ωμέγα" in flat
    assert "株式会社サンプル" in flat  # Japanese: a fallback font, still real text
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, timeout=60, check=True
    ).stdout.decode()
    if any(Path(f).is_file() for f in WIDE_FONTS):  # `make test` installs fonts-droid-fallback
        assert " no " not in fonts, fonts  # every font embedded, the Japanese one too
    else:
        assert "HeiseiKakuGo-W5" in fonts, fonts  # a standard CID font the viewer supplies
    assert "line one" in flat and "line two <br/>" in flat
    assert markup("a <b> & c\nd") == "a &lt;b&gt; &amp; c<br/>d"


def test_cli_writes_a_pdf_to_a_file_or_a_pipe(tmp_path: Path) -> None:
    import os
    import sys

    source = EXAMPLES / "team_chat.toml"
    env = {k: v for k, v in os.environ.items() if k != "SOCWIZARD_BANK"}
    run = [sys.executable, "-m", "socwizard", "export", str(source), "--format", "pdf"]
    proc = subprocess.run([*run, "-o", str(tmp_path)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    written = list(tmp_path.glob("*.pdf"))
    assert len(written) == 1 and written[0].name.startswith("example-chat-co-")
    assert "Team chat" in _text(written[0])
    piped = subprocess.run(run, capture_output=True, env=env, timeout=120)
    assert piped.returncode == 0 and piped.stdout == written[0].read_bytes()


def test_cli_refuses_to_print_a_pdf_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import sys

    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "socwizard",
                "export",
                str(EXAMPLES / "team_chat.toml"),
                "--format",
                "pdf",
            ],
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "-o PATH" in proc.stderr
