"""Saved assessment files parse identically with independent TOML implementations.

socwizard writes with tomli-w and reads with tomli; a colleague's script or editor may
use tomlkit (style-preserving, written independently) or CPython's tomllib. For any
assessment — answers of every type, notes with unicode, quotes, backslashes and
newlines, unknown and "doesn't apply" states — all three must read the same data,
and socwizard must read back exactly what it wrote.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import tomli
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socwizard.core.answers import Answer, State
from socwizard.core.assessment import Assessment, read_assessment_bytes, to_toml

# Text a user can type: anything but C0/C1 controls (TAB and LF allowed), surrogates and
# bidi overrides (check_text rejects those). Includes quotes, backslashes, emoji, CJK.
_FORBIDDEN = {chr(c) for c in range(0x20) if c not in (9, 10)} | {chr(c) for c in range(0x7F, 0xA0)}
_FORBIDDEN |= {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
TRICKY = st.sampled_from(
    ['"', "'", "\\", '"""', "'''", "\n", "\t", "\\n", "é", "日本", "🙂", "#", "=", "[x]", " "]
)
text_chars = st.characters(exclude_categories=["Cs"], exclude_characters=_FORBIDDEN)


def texts(max_size: int) -> st.SearchStrategy[str]:
    return (
        st.lists(st.one_of(text_chars, TRICKY), max_size=max_size)
        .map("".join)
        .filter(lambda s: len(s) <= max_size)
    )


ids = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
choice_lists = st.lists(ids, max_size=4, unique=True).map(tuple)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))
values = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    dates,
    texts(200),
    choice_lists,
)


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    state = draw(st.sampled_from(list(State)))
    note = draw(st.one_of(st.just(""), texts(300)))
    if state is State.ANSWERED:
        return Answer(value=draw(values), note=note)
    return Answer(state=state, note=note)


timestamps = st.datetimes(
    min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)
).map(lambda d: d.replace(microsecond=0))


@st.composite
def assessments(draw: st.DrawFn) -> Assessment:
    return Assessment(
        id=draw(st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True))),
        title=draw(texts(60)),
        vendor=draw(texts(60)),
        assessor=draw(texts(30)),
        reviewed_on=draw(dates),
        created=draw(st.one_of(st.none(), timestamps)),
        updated=draw(st.one_of(st.none(), timestamps)),
        status=draw(st.sampled_from(["in_progress", "complete"])),
        answers=draw(st.dictionaries(ids, answers(), max_size=8)),
        set_aside=draw(st.dictionaries(ids, answers(), max_size=2)),
    )


def normalise(value: Any) -> Any:
    """tomlkit's unwrap gives plain types, but compare floats by bits (-0.0 vs 0.0)."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, float):
        return ("float", value.hex())
    return (type(value).__name__, value)


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(assessments())
def test_three_parsers_read_the_same_data(assessment: Assessment) -> None:
    text = to_toml(assessment)
    ours = tomli.loads(text)
    assert normalise(tomllib.loads(text)) == normalise(ours)
    assert normalise(tomlkit.parse(text).unwrap()) == normalise(ours)
    assert normalise(tomlkit.loads(text).unwrap()) == normalise(ours)


@SETTINGS
@given(assessments())
def test_round_trip_and_byte_identical_resave(assessment: Assessment) -> None:
    data = to_toml(assessment).encode("utf-8")
    loaded, _ = read_assessment_bytes(data, "x.toml")
    assert loaded == assessment
    assert to_toml(loaded).encode("utf-8") == data


@SETTINGS
@given(assessments())
def test_a_file_rewritten_by_tomlkit_still_loads_the_same(assessment: Assessment) -> None:
    """A colleague's script that edits the file with tomlkit keeps every answer intact."""
    text = to_toml(assessment)
    rewritten = tomlkit.dumps(tomlkit.parse(text))
    assert rewritten == text  # tomlkit preserves the file byte for byte
    loaded, _ = read_assessment_bytes(rewritten.encode("utf-8"), "x.toml")
    assert loaded == assessment


def test_known_awkward_notes() -> None:
    notes = [
        "ends with a backslash \\",
        'ends with a quote "',
        'three quotes """ inside',
        "trailing newline\n",
        "\n\nleading newlines",
        "tab\tand 'single' quotes",
        "line\\\ncontinuation-looking",
        "emoji 🙂 and RTL mark \u200f",
    ]
    for note in notes:
        a = Assessment(reviewed_on=dt.date(2026, 1, 1), answers={"q": Answer(value="v", note=note)})
        text = to_toml(a)
        assert tomlkit.parse(text).unwrap()["answers"]["q"]["note"] == note
        assert tomllib.loads(text)["answers"]["q"]["note"] == note
        assert read_assessment_bytes(text.encode(), "x")[0] == a
