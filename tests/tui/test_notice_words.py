"""The bank-change notice counts in words: "1 changed question", never "question(s)" (core.text.counted)."""

from __future__ import annotations

from socwizard.core.assessment import BankChanges
from socwizard.core.bank.models import Bank
from socwizard.tui.screens.notice import describe_changes


def test_counts_read_as_words(mini_bank: Bank) -> None:
    first = mini_bank.questions[0].id
    one = describe_changes(mini_bank, BankChanges(new=(first,), changed=(first,), removed=("gone",))).plain
    assert "1 new question —" in one and "1 changed question —" in one and "1 answer kept aside" in one
    assert "(s)" not in one
    two = describe_changes(mini_bank, BankChanges(new=(), changed=(first, first), removed=("a", "b"))).plain
    assert "2 changed questions" in two and "2 answers kept aside" in two
