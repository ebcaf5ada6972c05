"""The bank's texts read as plain English: no verb split by an aside, no aside that
only parses as part of the question ("When does the period end (or its date)?")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank, MultiChoice, SingleChoice

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"
AUX = r"(?:is|are|was|were|will|would|does|do|did|has|have|can|could|should)"
# "How widely is (or will) the service be used?": the aside swaps the verb's tense.
SPLIT_VERB = re.compile(rf"\b{AUX}\s+\((?:or|and)\s+{AUX}\)", re.IGNORECASE)
# "When does the period end (or, for a Type I, its date)?": the aside is a second
# question squeezed into the first.
ASIDE_QUESTION = re.compile(r"\((?:or|and),[^)]*\)\?")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(QUESTIONS)


def texts(bank: Bank) -> Iterator[tuple[str, str]]:
    for q in bank.questions:
        for name in ("prompt", "help", "why", "follow_up_text"):
            value = getattr(q, name, None)
            if value:
                yield f"{q.id}.{name}", value
        if isinstance(q, SingleChoice | MultiChoice):
            for ch in q.choices:
                yield f"{q.id}.{ch.value}.label", ch.label
                if ch.help:
                    yield f"{q.id}.{ch.value}.help", ch.help
    for section in bank.meta.sections:
        yield f"section {section.id}", f"{section.title} {section.intro or ''}"
    for rule in bank.meta.rules:
        yield f"rule {rule.id}", rule.reason


def test_no_text_splits_a_verb_or_squeezes_a_question_into_an_aside(bank: Bank) -> None:
    bad = [
        (where, text) for where, text in texts(bank) if SPLIT_VERB.search(text) or ASIDE_QUESTION.search(text)
    ]
    assert not bad, bad


def test_the_usage_question_reads_as_english(bank: Bank) -> None:
    question = bank.question("usage_breadth")
    assert question is not None
    assert question.prompt == "How widely is the service used, or how widely will it be?"
