"""text.py (display safety, slugs) and errors.py (message format)."""

from __future__ import annotations

import pytest

from socwizard.core.errors import AssessmentError, BankError, Problem, SocwizardError, display_path
from socwizard.core.text import clean, find_unsafe, one_line, slugify

HOSTILE = [
    "\x1b[2J",  # CSI clear screen
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52 clipboard write
    "\x1b]0;pwned\x07",  # OSC 0 window title
    "evil\u202etxt.exe",  # right-to-left override
    "\u2066isolate\u2069",
    "c1\x9b31m",  # C1 CSI
    "del\x7f",
    "nul\x00",
    "cr\r",
    "bell\x07",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_find_unsafe_flags_controls_and_bidi(text: str) -> None:
    problem = find_unsafe(text)
    assert problem is not None
    assert problem.startswith("contains the control character U+")


@pytest.mark.parametrize("text", ["plain", "tab\tand\nnewline", "ünïcødé ✓ 日本語", "[bold]markup[/]", ""])
def test_find_unsafe_accepts_normal_text(text: str) -> None:
    assert find_unsafe(text) is None


def test_find_unsafe_flags_lone_surrogate() -> None:
    assert find_unsafe("a\ud800b") is not None


@pytest.mark.parametrize("text", HOSTILE)
def test_clean_strips_every_unsafe_character(text: str) -> None:
    cleaned = clean(text)
    assert find_unsafe(cleaned) is None
    assert "\x1b" not in cleaned
    assert "\x07" not in cleaned
    assert "\u202e" not in cleaned


def test_clean_keeps_text_around_escapes() -> None:
    assert clean("a\x1b]52;c;Zm9v\x07b") == "a]52;c;Zm9vb"
    assert clean("keep\ttabs\nand newlines") == "keep\ttabs\nand newlines"
    assert clean("x\ud800y") == "x\ufffdy"


def test_one_line_squashes_and_truncates() -> None:
    assert one_line("a\n\n b\t c") == "a b c"
    long = one_line("x" * 500, 10)
    assert len(long) == 10
    assert long.endswith("…")
    assert one_line("\x1b[31mred\x1b[0m") == "[31mred[0m"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Acme Corp", "acme-corp"),
        ("../../etc/passwd", "etc-passwd"),
        ("con", "con"),
        ("", "assessment"),
        ("日本語", "ri-ben-yu"),  # kanji by their Chinese readings (text-unidecode)
        ("トヨタ", "toyota"),  # kana romanised
        ("Société Générale", "societe-generale"),
        ("Müller & Söhne GmbH", "muller-sohne-gmbh"),
        ("Łódź Sp. z o.o.", "lodz-sp-z-o-o"),
        ("Яндекс", "iandeks"),
        ("...", "vendor-ab5df625"),  # nothing to spell: a stable name from its hash
        ("💥", "vendor-0fadd2ce"),
        ("\x1b]52;c;x\x07", "52-c-x"),
        ("a" * 100, "a" * 40),
        ("C:\\Windows\\System32", "c-windows-system32"),
    ],
)
def test_slugify(title: str, expected: str) -> None:
    slug = slugify(title)
    assert slug == expected
    assert slug.isascii()
    assert "/" not in slug and "\\" not in slug and ".." not in slug
    assert not slug.startswith("-") and not slug.endswith("-")


def test_problem_format_file_line_key_message() -> None:
    assert str(Problem("f.toml", "bad", key="answers.q", line=3)) == "f.toml:3: answers.q: bad"
    assert str(Problem("f.toml", "bad", key="answers.q")) == "f.toml: answers.q: bad"
    assert str(Problem("f.toml", "bad", line=7)) == "f.toml:7: bad"
    assert str(Problem("f.toml", "bad")) == "f.toml: bad"
    assert str(Problem("", "bad", key="k")) == "k: bad"
    assert str(Problem("", "bad")) == "bad"


def test_problem_str_is_one_clean_line() -> None:
    text = str(Problem("evil\x1b]0;x\x07.toml", "multi\nline \u202e message", key="a"))
    assert "\n" not in text
    assert find_unsafe(text) is None


def test_error_lists_every_problem_and_first_line_counts_the_rest() -> None:
    err = BankError([Problem("a", "one"), Problem("b", "two"), Problem("c", "three")])
    assert str(err).splitlines() == ["a: one", "b: two", "c: three"]
    assert err.first_line == "a: one (and 2 more problems)"
    single = AssessmentError(Problem("a", "one"))
    assert single.first_line == "a: one"
    assert SocwizardError("plain").first_line == "plain"
    assert BankError([Problem("a", "x"), Problem("b", "y")]).first_line.endswith("(and 1 more problem)")


def test_display_path_is_clean() -> None:
    from pathlib import Path

    assert display_path(Path("/tmp/a\x1b[2Jb")) == "/tmp/a[2Jb"
