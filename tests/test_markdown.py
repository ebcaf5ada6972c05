"""Markdown that reads well and is still safe: checked by a real Markdown parser."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from socwizard.core.bank.models import Bank
from socwizard.core.export import render_export
from socwizard.core.markdown import md_cell, md_line, md_lines
from socwizard.core.text import clean

COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])
GFM = MarkdownIt("gfm-like")  # tables, strikethrough, autolinks (linkify), raw HTML

PIECES = [
    *"\\`*_[]<>~|&#;:/.-+=!()\"' \tabc019\n",
    "www.",
    "https://",
    "&amp;",
    "&#60;",
    "1.",
    "2)",
    "<b>",
    "<!--",
    "```",
    "---",
    "a\u00a0b",
]


def test_ordinary_text_is_left_alone() -> None:
    for text in ("2027-03-01", "Dana (IT)", "1.0.0", "Acme, Inc.", "Société Générale", "Tom & Jerry", "3M"):
        assert md_line(text) == text


def test_syntax_is_escaped_only_where_it_is_syntax() -> None:
    assert md_line("# not a heading") == "\\# not a heading"
    assert md_line("a # b") == "a # b"
    assert md_line("- x") == "\\- x" and md_line("a - x") == "a - x"
    assert md_line("1. first") == "1\\. first" and md_line("2) x") == "2\\) x"
    assert md_line("> quoted") == "\\> quoted" and md_line("a > b") == "a > b"
    assert md_line("<b>x</b>") == "\\<b>x\\</b>"
    assert md_line("[x](https://e.example)") == "\\[x\\](https\\://e.example)"
    assert md_line("&amp; &#60;") == "\\&amp; \\&#60;"
    assert md_line("*a* _b_ `c` ~~d~~") == "\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~"
    assert md_cell("a|b\nc") == "a\\|b c" and md_cell("") == "—"
    assert md_lines("one\n\n# two\n") == ["one", "\\# two"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_any_line_reads_back_as_exactly_its_text(text: str) -> None:
    """Whatever a file holds, CommonMark+GFM tables read it back as one plain paragraph."""
    flat = " ".join(clean(text).split())
    out = COMMONMARK.render(md_line(text))
    if not flat:
        assert out == ""
        return
    match = re.fullmatch(r"<p>(.*)</p>\n", out, re.S)
    assert match, out
    assert html.unescape(match.group(1)) == flat


def test_gfm_autolinks_are_not_triggered() -> None:
    for text in ("see https://evil.example/x", "www.evil.example", "http://a.b"):
        assert "<a " not in GFM.render(md_line(text)), text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_the_report_renders_only_its_own_structure(mini_bank: Bank) -> None:
    from test_export import HOSTILE, hostile

    text = render_export(hostile(mini_bank), mini_bank, "markdown")
    for renderer in (COMMONMARK, GFM):
        page = renderer.render(text)
        parser = _Tags()
        parser.feed(page)
        allowed = {"h1", "h2", "h3", "p", "ul", "li", "strong", "em", "br", "table", "thead", "tbody", "tr"}
        assert set(parser.tags) <= allowed | {"th", "td"}, set(parser.tags) - allowed
        assert parser.tags.count("h1") == 1
        assert html.unescape(re.sub(r"<[^>]+>", "", page)).count(HOSTILE) >= 4
