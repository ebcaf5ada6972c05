"""The bank changed since this assessment was saved: what is new, changed and kept aside."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from socwizard.core.assessment import BankChanges
from socwizard.core.bank.models import Bank
from socwizard.core.text import counted, one_line
from socwizard.tui.safe import join


def describe_changes(bank: Bank, changes: BankChanges) -> Content:
    """New, changed and removed questions, in plain words."""
    parts: list[str | Content | tuple[str, str]] = [
        "The question bank changed since this assessment was last saved.",
    ]

    def prompts(ids: tuple[str, ...]) -> None:
        for qid in ids[:8]:
            question = bank.question(qid)
            parts.extend(["\n  • ", one_line(question.prompt if question else qid, 90)])
        if len(ids) > 8:
            parts.append(f"\n  … and {len(ids) - 8} more")

    if changes.new:
        parts += [
            "\n\n",
            (counted(len(changes.new), "new question", "new questions"), "bold"),
            " — you will be asked these first:",
        ]
        prompts(changes.new)
    if changes.changed:
        parts += [
            "\n\n",
            (counted(len(changes.changed), "changed question", "changed questions"), "bold"),
            " — check your answers:",
        ]
        prompts(changes.changed)
    if changes.removed:
        parts += [
            "\n\n",
            (counted(len(changes.removed), "answer kept aside", "answers kept aside"), "bold"),
            " — their questions are gone; the answers stay in the file but no longer count:",
        ]
        for qid in changes.removed[:8]:
            parts.extend(["\n  • ", (one_line(qid, 64), "$sw-muted")])
        if len(changes.removed) > 8:
            parts.append(f"\n  … and {len(changes.removed) - 8} more")
    if changes.rules_changed:
        parts += [
            "\n\n",
            ("No question changed", "bold"),
            ", but its rules or weights did, or your organisation's policy (policy.toml):"
            " the result is recomputed and may differ from the one last saved.",
        ]
    return join(*parts)


class BankChangesScreen(ModalScreen[None]):
    """A notice shown when re-opening an assessment made with another bank version."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Continue", id="close"),
    ]

    def __init__(self, bank: Bank, changes: BankChanges) -> None:
        super().__init__()
        self.bank = bank
        self.changes = changes

    def compose(self) -> ComposeResult:
        """Build the page."""
        with Vertical(id="notice-box"):
            yield Static(join(("Questions have changed", "bold $sw-warn")), id="notice-title")
            with VerticalScroll(id="notice-body"):
                yield Static(describe_changes(self.bank, self.changes), id="notice-text")
            yield Button("Continue", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        """Close."""
        self.dismiss()

    def action_close(self) -> None:
        """Close."""
        self.dismiss()
