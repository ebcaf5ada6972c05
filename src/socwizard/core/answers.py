"""Answers: a value, or an explicit "I don't know" / "doesn't apply", with a note."""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from socwizard.core.text import find_unsafe

MAX_NOTE = 4000
MAX_TEXT_ANSWER = 4000

ScalarValue = str | bool | int | float | dt.date
AnswerValue = ScalarValue | tuple[str, ...]


class State(StrEnum):
    """How a question was answered."""

    ANSWERED = "answered"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


def check_text(value: str, limit: int) -> str:
    """Reject over-long strings and terminal control characters."""
    if len(value) > limit:
        raise ValueError(f"is too long ({len(value)} characters; the limit is {limit})")
    problem = find_unsafe(value)
    if problem:
        raise ValueError(problem)
    return value


class Answer(BaseModel):
    """One answer. In a file: ``q = value``, ``q = {value=…, note=…}`` or ``q = {state=…}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: State = State.ANSWERED
    """answered, unknown ("I don't know") or not_applicable ("doesn't apply")."""
    # Strict members: in lax mode "yes"/"1" would become True, "5" an int and
    # "2026-01-01" a date, silently changing a text or choice answer on load.
    value: Annotated[
        Annotated[bool, Strict()]
        | Annotated[int, Strict()]
        | Annotated[float, Strict()]
        | Annotated[dt.date, Strict()]
        | Annotated[str, Strict()]
        | tuple[Annotated[str, Strict()], ...]
        | None,
        Field(union_mode="left_to_right"),
    ] = None
    """The value: a choice value, a list of choice values, yes/no, a number, a date or text."""
    note: str = ""
    """A free note by the assessor (for example what the vendor said)."""

    @model_validator(mode="before")
    @classmethod
    def _from_plain_value(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return data
        if isinstance(data, Answer):
            return data
        return {"value": data}

    @model_validator(mode="after")
    def _consistent(self) -> Answer:
        if self.state is State.ANSWERED and self.value is None:
            raise ValueError("an answered question needs a value (or state = 'unknown')")
        if self.state is not State.ANSWERED and self.value is not None:
            raise ValueError(f"a value cannot go with state = '{self.state.value}'")
        check_text(self.note, MAX_NOTE)
        if isinstance(self.value, float) and not math.isfinite(self.value):
            raise ValueError("must be a finite number")
        if isinstance(self.value, str):
            check_text(self.value, MAX_TEXT_ANSWER)
        if isinstance(self.value, tuple):
            for item in self.value:
                check_text(item, 200)
        return self

    @property
    def known(self) -> bool:
        """True when the answer carries a value."""
        return self.state is State.ANSWERED

    def to_toml(self) -> Any:
        """The shortest TOML form: a plain value, or a small inline table."""
        value: Any = list(self.value) if isinstance(self.value, tuple) else self.value
        if self.state is State.ANSWERED and not self.note:
            return value
        table: dict[str, Any] = {}
        if self.state is State.ANSWERED:
            table["value"] = value
        else:
            table["state"] = self.state.value
        if self.note:
            table["note"] = self.note
        return table


UNKNOWN = Answer(state=State.UNKNOWN)
NOT_APPLICABLE = Answer(state=State.NOT_APPLICABLE)
