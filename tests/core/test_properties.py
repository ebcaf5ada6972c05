"""Hypothesis: save/load round-trips byte-identically; any input gives only AssessmentError."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socwizard.core.answers import Answer, State
from socwizard.core.assessment import Assessment, BankRef, parse_assessment, read_assessment_bytes, to_toml
from socwizard.core.errors import AssessmentError
from socwizard.core.text import find_unsafe

SETTINGS = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TRICKY = [
    '"',
    "'",
    "\\",
    "\n",
    "\t",
    '"""',
    "'''",
    "\\n",
    "#",
    "=",
    "[",
    "]",
    "{",
    "}",
    " ",
    "é",
    "日",
    "🙂",
    "\u2028",
]
_chars = st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(TRICKY))


def safe_text(max_size: int) -> st.SearchStrategy[str]:
    return st.lists(_chars, max_size=max_size).map("".join).filter(lambda t: find_unsafe(t) is None)


ids = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
keys = st.one_of(ids, safe_text(20).filter(lambda t: len(t) <= 64))
dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
stamps = st.datetimes(
    min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9000, 1, 1), timezones=st.just(dt.UTC)
).map(lambda d: d.replace(microsecond=0))
values = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    dates,
    safe_text(60),
    st.lists(safe_text(15), max_size=4).map(tuple),
)


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    state = draw(st.sampled_from(State))
    note = draw(st.one_of(st.just(""), safe_text(80)))
    if state is State.ANSWERED:
        return Answer(value=draw(values), note=note)
    return Answer(state=state, note=note)


assessments = st.builds(
    Assessment,
    id=st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True)),
    title=safe_text(40),
    vendor=safe_text(40),
    assessor=safe_text(20),
    reviewed_on=dates,
    created=st.one_of(st.none(), stamps),
    updated=st.one_of(st.none(), stamps),
    status=st.sampled_from(["in_progress", "complete"]),
    cursor=st.one_of(st.none(), ids),
    bank=st.builds(
        BankRef,
        id=st.one_of(st.just(""), ids),
        version=st.sampled_from(["", "1.0", "2.3.4-beta"]),
        hash=st.sampled_from(["", "sha256:" + "0" * 64]),
        asked=st.dictionaries(ids, st.from_regex(r"[0-9a-f]{10}", fullmatch=True), max_size=3),
    ),
    answers=st.dictionaries(keys, answers(), max_size=8),
    set_aside=st.dictionaries(ids, answers(), max_size=2),
    result=st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {"headline": safe_text(30), "outcomes": st.dictionaries(ids, ids, max_size=3)},
        ),
    ),
)


@SETTINGS
@given(assessments)
def test_save_load_round_trip_is_byte_identical(assessment: Assessment) -> None:
    first = to_toml(assessment)
    loaded, _ = read_assessment_bytes(first.encode("utf-8"), "prop.toml")
    assert loaded == assessment
    assert to_toml(loaded) == first


# --- anything in, only AssessmentError out ---------------------------------------------------

toml_scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    dates,
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.times(),
)
toml_like = st.recursive(
    toml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
top_keys = st.sampled_from(
    [
        "format",
        "id",
        "title",
        "vendor",
        "reviewed_on",
        "created",
        "updated",
        "status",
        "cursor",
        "bank",
        "answers",
        "set_aside",
        "result",
        "other",
    ]
)
assessment_like = st.one_of(
    toml_like,
    st.dictionaries(top_keys, toml_like, max_size=6),
    st.fixed_dictionaries(
        {"reviewed_on": st.one_of(dates, toml_like)},
        optional={
            "answers": st.dictionaries(st.one_of(ids, st.text(max_size=5)), toml_like, max_size=4),
            "set_aside": st.dictionaries(ids, toml_like, max_size=2),
            "created": toml_like,
            "format": st.one_of(st.integers(), toml_like),
            "bank": st.dictionaries(st.sampled_from(["id", "version", "hash", "asked", "x"]), toml_like),
        },
    ),
)


@SETTINGS
@given(assessment_like)
def test_parse_assessment_raises_only_assessment_error(data: Any) -> None:
    try:
        parse_assessment(data, "prop.toml")
    except AssessmentError as exc:
        for problem in exc.problems:
            assert "\n" not in str(problem)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_give_only_assessment_error(data: bytes) -> None:
    with contextlib.suppress(AssessmentError):
        read_assessment_bytes(data, "bytes.toml")


_fragments = st.sampled_from(
    [
        b"reviewed_on = 2026-01-01\n",
        b"[answers]\n",
        b"q = ",
        b"1",
        b"nan",
        b"inf",
        b'"x"',
        b"[",
        b"]",
        b"{",
        b"}",
        b"\n",
        b"=",
        b"\xef\xbb\xbf",
        b"\xff",
        b"0001-01-01T00:00:00+01:00",
        b'"\\u001b"',
        b"format = 99\n",
        b"a.b.c",
        b"[[x]]\n",
        b"'''",
        b'"""',
        b"\\",
        b"true",
        b"2026-01-01T10:00:00",
    ]
)


@SETTINGS
@given(st.lists(_fragments, max_size=30).map(b"".join))
def test_toml_shaped_bytes_give_only_assessment_error(data: bytes) -> None:
    try:
        assessment, _ = read_assessment_bytes(data, "frag.toml")
    except AssessmentError:
        return
    text = to_toml(assessment)
    assert read_assessment_bytes(text.encode(), "again.toml")[0] == assessment


def test_saved_text_is_valid_toml() -> None:
    a = Assessment(reviewed_on=dt.date(2026, 1, 1), answers={"q": Answer(value='a"""b\\')})
    assert tomli.loads(to_toml(a))["answers"]["q"] == 'a"""b\\'
