"""The interview's map: sections and their visible questions, each with its status."""

from __future__ import annotations

from collections.abc import Collection

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from socwizard.core.answers import State
from socwizard.core.bank.models import Bank
from socwizard.core.scoring import Visibility
from socwizard.core.text import one_line
from socwizard.tui.safe import join

SECTION_PREFIX = "section:"

# status → (mark, style, words)
MARKS: dict[str, tuple[str, str, str]] = {
    "answered": ("✓", "$success", "answered"),
    "unknown": ("?", "$warning", "I don't know"),
    "not_applicable": ("–", "$text-muted", "doesn't apply"),
    "skipped": ("»", "$warning", "skipped"),
    "todo": ("○", "$text-muted", "to do"),
}


def question_status(
    question_id: str, vis: Visibility, passed: Collection[str], answers_state: State | None
) -> str:
    """answered, unknown, not_applicable, skipped (passed without an answer) or todo."""
    if answers_state is State.ANSWERED:
        return "answered"
    if answers_state is State.UNKNOWN:
        return "unknown"
    if answers_state is State.NOT_APPLICABLE:
        return "not_applicable"
    return "skipped" if question_id in passed else "todo"


def legend() -> Content:
    """One line explaining the marks."""
    parts: list[str | Content | tuple[str, str]] = []
    for key, word in (("answered", "done"), ("unknown", "unknown"), ("skipped", "skipped")):
        mark, style, _ = MARKS[key]
        parts += [(mark, style), f" {word} "]
    return join(*parts)


class Sidebar(OptionList):
    """Sections and the questions currently visible; select one to jump to it."""

    def show(self, bank: Bank, vis: Visibility, current: str | None, passed: Collection[str]) -> None:
        """Rebuild the list for the current answers."""
        options: list[Option] = []
        seen_sections: set[str] = set()
        highlight = None
        for qid in vis.shown:
            question = bank.question(qid)
            if question is None:
                continue
            section_id = question.section or ""
            if section_id not in seen_sections:
                seen_sections.add(section_id)
                section = bank.section(section_id)
                title = section.title if section else section_id or "Questions"
                suffix = " (optional)" if section is not None and section.optional else ""
                options.append(
                    Option(
                        join((one_line(title, 60), "bold $text-accent"), (suffix, "$text-muted")),
                        id=SECTION_PREFIX + section_id,
                        disabled=True,
                    )
                )
            answer = vis.effective.get(qid)
            status = question_status(qid, vis, passed, answer.state if answer else None)
            mark, style, _ = MARKS[status]
            is_current = qid == current
            prompt = join(
                ("▸" if is_current else " ", "bold $accent"),
                (mark, style),
                " ",
                (one_line(question.prompt, 120), "bold" if is_current else ""),
            )
            if is_current:
                highlight = len(options)
            options.append(Option(prompt, id=qid))
        self.set_options(options)
        if highlight is not None:
            self.highlighted = highlight
            self.scroll_to_highlight()
