"""Write test PDFs from a small text markup, with reportlab (the fixtures stay reviewable text).

Markup, one construct per line:

- ``%% header: TEXT`` / ``%% footer: TEXT`` (``{page}`` is the page number) at the top:
  running header and footer on every page but the first.
- ``===`` starts a new page; ``=== 2col`` / ``=== 1col`` starts one laid out in two
  columns / one column (two columns continue until ``=== 1col``).
- ``## TEXT`` a heading; ``- TEXT`` a bullet; ``| a | b | c`` table rows (consecutive rows
  are one table, the first its header); a block between two lines of three backticks is
  drawn exactly as written, line by line (to hyphenate words across lines).
- Other lines join into paragraphs; a blank line ends a paragraph.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Preformatted,
    Table,
    TableStyle,
)

_STYLES = getSampleStyleSheet()
_BODY = _STYLES["BodyText"]
_HEAD = _STYLES["Heading2"]
_CELL = _STYLES["BodyText"].clone("cell", fontSize=8, leading=10)


def _flowables(lines: Sequence[str]) -> list[Any]:
    out: list[Any] = []
    para: list[str] = []
    rows: list[list[str]] = []
    pre: list[str] | None = None

    def flush() -> None:
        if para:
            out.append(Paragraph(escape(" ".join(para)), _BODY))
            para.clear()
        if rows:
            width = max(len(r) for r in rows)
            cells = [[Paragraph(escape(c), _CELL) for c in r + [""] * (width - len(r))] for r in rows]
            table = Table(cells, colWidths=[6.5 * inch / width] * width, repeatRows=1)
            table.setStyle(
                TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
            )
            out.append(table)
            rows.clear()

    for raw in lines:
        line = raw.rstrip()
        if pre is not None:
            if line.strip() == "```":
                out.append(Preformatted("\n".join(pre), _BODY))
                pre = None
            else:
                pre.append(line)
            continue
        if line.strip() == "```":
            flush()
            pre = []
        elif line.startswith("==="):
            flush()
            layout = line[3:].strip()
            if layout in ("2col", "1col"):
                out.append(NextPageTemplate(layout))
            out.append(PageBreak())
        elif line.startswith("## "):
            flush()
            out.append(Paragraph(escape(line[3:]), _HEAD))
        elif line.startswith("- "):
            flush()
            out.append(Paragraph(escape(line[2:]), _BODY, bulletText="\u2022"))
        elif line.startswith("|"):
            if para:
                flush()
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif not line.strip():
            flush()
        else:
            if rows:
                flush()
            para.append(line.strip())
    flush()
    return out


def build_pdf(text: str, *, password: str | None = None) -> bytes:
    """The PDF for ``text`` in the markup above (encrypted with ``password`` when given)."""
    lines = text.splitlines()
    header = footer = ""
    while lines and lines[0].startswith("%%"):
        key, _, value = lines.pop(0)[2:].partition(":")
        if key.strip() == "header":
            header = value.strip()
        elif key.strip() == "footer":
            footer = value.strip()

    def decorate(canvas: Canvas, doc: Any) -> None:
        page = canvas.getPageNumber()
        if page == 1:
            return
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        if header:
            canvas.drawString(inch, LETTER[1] - 0.6 * inch, header.format(page=page))
        if footer:
            canvas.drawString(inch, 0.5 * inch, footer.format(page=page))
        canvas.restoreState()

    buffer = io.BytesIO()
    encrypt: Any = None
    if password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(password, canPrint=1, strength=128)
    doc = BaseDocTemplate(buffer, pagesize=LETTER, encrypt=encrypt, invariant=1)
    width, height = LETTER[0] - 2 * inch, LETTER[1] - 2 * inch
    one = Frame(inch, inch, width, height, id="one")
    left = Frame(inch, inch, width / 2 - 6, height, id="left")
    right = Frame(inch + width / 2 + 6, inch, width / 2 - 6, height, id="right")
    doc.addPageTemplates(
        [
            PageTemplate(id="1col", frames=[one], onPage=decorate),
            PageTemplate(id="2col", frames=[left, right], onPage=decorate),
        ]
    )
    doc.build(_flowables(lines))
    return buffer.getvalue()


def write_pdf(path: Path, text: str, *, password: str | None = None) -> Path:
    """Write :func:`build_pdf` output to ``path``."""
    path.write_bytes(build_pdf(text, password=password))
    return path


def image_only_pdf() -> bytes:
    """A 'scanned' report: two pages that are pictures of text, with no text layer."""
    from reportlab.lib.utils import ImageReader

    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover - pillow comes with reportlab
        raise
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1)
    for page in range(2):
        image = Image.new("L", (400, 200), 255)
        draw = ImageDraw.Draw(image)
        draw.text((10, 10), f"Independent Service Auditor's Report, page {page + 1}", fill=0)
        canvas.drawImage(ImageReader(image), inch, 5 * inch, 6 * inch, 3 * inch)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def raw_pdf(content: bytes, *, filters: str = "") -> bytes:
    """A minimal one-page PDF, written by hand, whose page content stream is ``content``."""
    stream_dict = f"<< /Length {len(content)}{' /Filter ' + filters if filters else ''} >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        stream_dict.encode() + b"\nstream\n" + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def bomb_pdf(inflated_mib: int = 96) -> bytes:
    """A page whose content stream inflates from under 1 MB to ``inflated_mib`` MiB (pypdf stops at 75 MB)."""
    import zlib

    packer = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    packed = b"".join(packer.compress(chunk) for _ in range(inflated_mib)) + packer.flush()
    return raw_pdf(packed, filters="/FlateDecode")
