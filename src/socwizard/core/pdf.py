"""The PDF export: a report a CFO attaches to the vendor file (ReportLab).

Headline first, then the levels, what to ask the vendor, the findings, the reasons,
the scores and every answer, as tables that split across pages with their header
repeated. Every page carries the title and "Page N of M". Text is real text (it can be
selected, searched and copied), set in DejaVu Sans, which ships inside socwizard
(``socwizard/fonts``) and is embedded as a subset, so the file looks the same on every
machine. Characters DejaVu Sans lacks — Chinese, Japanese and Korean — are set in a
TrueType font of the system when one is found (:data:`WIDE_FONTS`, embedded as a subset),
else in ReportLab's standard CID fonts, which PDF viewers supply (not embedded).

File strings reach ReportLab's paragraph markup only escaped (``&``, ``<``, ``>``) and
cleaned of control characters. Output is deterministic (``invariant``): the same
assessment gives byte-identical PDFs. Pure apart from reading the font files.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from socwizard import __version__
from socwizard.core.assessment import Loaded
from socwizard.core.bank.models import Bank
from socwizard.core.export import AnswerRow, answer_sections, meta_rows
from socwizard.core.labels import state_label, value_label
from socwizard.core.recommendation import Reason
from socwizard.core.text import clean, one_line

FONT = "SocwizardSans"
FONT_BOLD = "SocwizardSans-Bold"
FONT_WIDE = "SocwizardWide"
FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
_CJK_FONT = "HeiseiKakuGo-W5"  # Japanese, and the Han characters Chinese shares with it
_HANGUL_FONT = "HYGothic-Medium"
# TrueType fonts with Chinese, Japanese and Korean that systems often have; the first one
# found is embedded (as a subset) for the characters DejaVu Sans lacks.
WIDE_FONTS = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # Debian fonts-droid-fallback
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",  # Debian fonts-ipaexfont-gothic
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian fonts-wqy-zenhei
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",  # macOS
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msgothic.ttc",
)

ACCENT = "#0b5cad"
RULE = "#d0d7de"
MUTED = "#555555"


@cache
def _wide() -> frozenset[int]:
    """Register the first system font of :data:`WIDE_FONTS` that loads; its code points."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for candidate in WIDE_FONTS:
        if not Path(candidate).is_file():
            continue
        try:
            font = TTFont(FONT_WIDE, candidate, subfontIndex=0)
        except Exception:  # a font ReportLab cannot read (CFF outlines…): try the next
            continue
        pdfmetrics.registerFont(font)
        return frozenset(font.face.charToGlyph)
    return frozenset()


@cache
def _fonts() -> frozenset[int]:
    """Register the fonts once; the code points DejaVu Sans covers."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    regular = TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    for name in (_CJK_FONT, _HANGUL_FONT):
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)  # no italic face shipped: emphasis is colour, not slant
    addMapping(FONT, 1, 1, FONT_BOLD)
    return frozenset(regular.face.charToGlyph)


def _fallback(char: str) -> str | None:
    """The font for a character DejaVu Sans lacks, or None (leave it as it is).

    A TrueType font found on the system is embedded; else Chinese, Japanese and Korean
    use ReportLab's standard CID fonts, which viewers supply (not embedded).
    """
    if ord(char) in _wide():
        return FONT_WIDE
    name = unicodedata.name(char, "")
    if name.startswith(("HANGUL", "HALFWIDTH HANGUL")):
        return _HANGUL_FONT
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH")):
        return _CJK_FONT
    return None


def markup(text: str) -> str:
    """File text as ReportLab paragraph markup: escaped, newlines kept, fonts chosen."""
    covered = _fonts()
    out: list[str] = []
    run: list[str] = []
    run_font: str | None = None

    def flush() -> None:
        if run:
            chunk = escape("".join(run))
            out.append(f'<font name="{run_font}">{chunk}</font>' if run_font else chunk)
            run.clear()

    for char in clean(text):
        font = None if ord(char) in covered or char in "\n\t " else _fallback(char)
        if font != run_font:
            flush()
            run_font = font
        run.append(char)
    flush()
    return "".join(out).replace("\n", "<br/>")


def _line(text: str, limit: int = 4000) -> str:
    return markup(one_line(text, limit))


# --- styles and building blocks --------------------------------------------------------


@cache
def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    _fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=2)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5),
        "muted": ParagraphStyle("muted", parent=base, fontSize=8.5, leading=11.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=FONT_BOLD, fontSize=9, leading=12),
        "th": ParagraphStyle("th", parent=base, fontName=FONT_BOLD, fontSize=9, leading=12),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=8),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=12,
            spaceAfter=5,
            textColor=colors.HexColor("#1a1a1a"),
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=8, keepWithNext=1
        ),
        "headline": ParagraphStyle("headline", parent=base, fontName=FONT_BOLD, fontSize=12, leading=16),
        "reason": ParagraphStyle("reason", parent=base, leftIndent=10, bulletIndent=0, spaceAfter=1),
        "ref": ParagraphStyle(
            "ref", parent=base, fontSize=8.5, leading=11.5, leftIndent=22, bulletIndent=12, textColor=MUTED
        ),
    }


def _p(text_markup: str, style: str = "body") -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(text_markup, _styles()[style])


def _h2(title: str) -> list[Any]:
    from reportlab.platypus import HRFlowable

    rule = HRFlowable(width="100%", thickness=1.2, color=RULE, spaceAfter=5)
    rule.keepWithNext = True  # a heading never ends a page
    return [_p(escape(title), "h2"), rule]


def _table(header: Iterable[str] | None, rows: list[list[Any]], widths: list[float]) -> Any:
    """A table of paragraphs that splits across pages, its header (if any) repeated."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    head = [[_p(escape(h), "th") for h in header]] if header is not None else []
    table = Table([*head, *rows], colWidths=widths, repeatRows=len(head), hAlign="LEFT")
    shade = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f5f7"))] if head else []
    table.setStyle(
        TableStyle(
            [
                *shade,
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # not the Helvetica default (never embedded)
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(RULE)),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _headline_box(text: str, provisional: bool, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    box = Table([[_p(_line(text), "headline")]], colWidths=[width], hAlign="LEFT")
    box.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fff4e5" if provisional else "#eef5fc")),
                ("LINEBEFORE", (0, 0), (0, -1), 4, colors.HexColor("#8a4b00" if provisional else ACCENT)),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box


def _reasons(reasons: tuple[Reason, ...]) -> list[Any]:
    if not reasons:
        return [_p("Default level: no rule raised it.", "muted")]
    out: list[Any] = []
    for reason in reasons:
        out.append(_p(_line(reason.text), "reason"))
        for ref in reason.answers:
            out.append(_p(f"{_line(ref.prompt)} → <b>{_line(ref.answer)}</b>", "ref"))
    return out


def _answer_rows(rows: list[AnswerRow]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for row in rows:
        cell = [_p(markup(row.answer) or "—", "cell")]
        if row.note:
            cell.append(_p(f'<font color="{MUTED}">Note: {markup(row.note)}</font>', "cell"))
        out.append([_p(_line(row.prompt), "cell"), cell])
    return out


# --- the document -----------------------------------------------------------------------


def render_pdf(loaded: Loaded, bank: Bank) -> bytes:
    """The assessment as a PDF (A4), deterministic for the same input."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

    _fonts()
    a = loaded.assessment
    r = loaded.result
    title = one_line(f"Vendor assessment: {a.display_title}", 300)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=one_line(a.assessor, 200),
        subject=one_line(r.headline(), 300),
        creator=f"socwizard {__version__}",
        producer=f"socwizard {__version__} (ReportLab)",
        invariant=1,
        initialFontName=FONT,
    )
    width = doc.width - 12  # the frame's padding, 6 pt each side
    story: list[Any] = [_p(markup(title), "h1"), _headline_box(r.headline(), r.provisional, width)]
    story.append(Spacer(1, 8))
    meta = [[_p(escape(k), "cellb"), _p(markup(v), "cell")] for k, v in meta_rows(a, r)]
    story.append(_table(None, meta, [0.24 * width, 0.76 * width]))

    story += _h2("Recommendation")
    levels = [
        [_p(_line(o.label), "cell"), _p(escape(value_label(o.value)), "cellb")] for o in r.outcomes.values()
    ]
    story.append(_table(("Outcome", "Level"), levels, [0.62 * width, 0.38 * width]))

    if r.follow_ups:
        story += _h2("Follow-up questions for the vendor")
        rows = []
        for fu in r.follow_ups:
            changes = "<br/>".join(
                f"{_line(c.label)}: {escape(value_label(c.current))} → "
                f"{escape(', '.join(value_label(p) for p in c.possible))}"
                for c in fu.changes
            )
            rows.append(
                [
                    _p(_line(fu.ask), "cell"),
                    _p(escape(state_label(fu.state)), "cell"),
                    _p(changes or f'<font color="{MUTED}">nothing</font>', "cell"),
                ]
            )
        story.append(
            _table(("Ask", "Status", "Could change"), rows, [0.5 * width, 0.15 * width, 0.35 * width])
        )

    if r.findings:
        story += _h2("Evidence findings")
        for finding in r.findings:
            story.append(KeepTogether([_p(f"<b>{_line(finding.label)}</b>"), *_reasons((finding.reason,))]))

    story += _h2("Why")
    for outcome in r.outcomes.values():
        head = _p(f"<b>{_line(outcome.label)}: {escape(value_label(outcome.value))}</b>", "h3")
        reasons = _reasons(outcome.reasons)
        story.append(KeepTogether([head, *reasons[:3]]))
        story += reasons[3:]

    story += _h2("Scores")
    story.append(_p("0–100, higher means more risk.", "muted"))
    scores = [
        [_p(_line(d.label), "cell"), _p(f"{d.score:.1f}", "cell"), _p(f"{d.coverage:.0%}", "cell")]
        for d in r.scores.dimensions.values()
    ]
    story.append(_table(("Dimension", "Score", "Coverage"), scores, [0.6 * width, 0.2 * width, 0.2 * width]))

    sections, aside = answer_sections(loaded, bank)
    story += _h2("Answers")
    for section in sections:
        story.append(_p(_line(section.title), "h3"))
        story.append(_table(("Question", "Answer"), _answer_rows(section.rows), [0.5 * width, 0.5 * width]))
    if aside:
        story.append(_p("Answers kept aside (not counted)", "h3"))
        story.append(_table(("Question", "Answer"), _answer_rows(aside), [0.5 * width, 0.5 * width]))
    if loaded.warnings:
        story += _h2("Warnings")
        story += [_p(_line(str(w)), "reason") for w in loaded.warnings]
    story += [Spacer(1, 10), _p(f"Exported by socwizard {escape(__version__)}.", "muted")]

    doc.build(story, canvasmaker=_numbered_canvas(title))
    return buffer.getvalue()


def _numbered_canvas(title: str) -> Any:
    """A canvas class that writes "title · Page N of M" on every page once M is known."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    footer = one_line(title, 90)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = FONT  # no unembedded Helvetica in the file
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _height = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.line(18 * mm, 14 * mm, width - 18 * mm, 14 * mm)
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            self.drawRightString(width - 18 * mm, 9.5 * mm, f"Page {self._pageNumber} of {total}")
            left = _p(markup(footer), "muted")  # a paragraph: the title may need a fallback font
            left.wrapOn(self, width - 70 * mm, 10 * mm)
            left.drawOn(self, 18 * mm, 9 * mm)
            self.restoreState()

    return NumberedCanvas
