"""Review: every visible answer grouped by section, each with "Change"."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from socwizard.core.answers import State
from socwizard.core.scoring import describe
from socwizard.core.text import one_line
from socwizard.tui.safe import join
from socwizard.tui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from socwizard.tui.session import Session

SECTION_PREFIX = "section:"


def hanging(lead: str, body: Content, width: int) -> Content:
    """``lead`` then ``body`` wrapped to ``width``; continuation lines line up under the body.

    An option of an OptionList is one block of text (no padding of its own), so the
    indentation of a wrapped answer or note is made here, for the list's current width.
    """
    indent = len(lead)
    lines = body.wrap(max(10, width - indent))
    pad = " " * indent
    return Content("\n").join(
        [Content(lead) + lines[0], *(Content(pad) + line for line in lines[1:])] if lines else [Content(lead)]
    )


class ReviewScreen(Screen[str | None]):
    """Check answers; dismisses with a question id to change, "results", "home" or None."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#answers"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "change", "Change", id="change", tooltip="Change the highlighted answer"),
        Binding("ctrl+g", "results", "Results", id="results", tooltip="See the recommendation"),
        Binding(
            "escape,ctrl+b,alt+left",
            "back",
            "Back to questions",
            id="back",
            tooltip="Return to the interview",
        ),
        Binding("ctrl+t", "home", "Home", id="home", show=False, tooltip="Save and go back to the list"),
        Binding("question_mark", "app.help", "Help", show=False),
    ]
    HELP_TITLE = "the review page"
    HELP = "↑ ↓ move between answers; Enter or a click changes one, then Next brings you back here."

    def __init__(self, session: Session, *, at: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.wrapped_at = 0
        self.at = at
        """The question to highlight first (the one just changed)."""

    def compose(self) -> ComposeResult:
        """Build the page."""
        a = self.session.assessment
        yield Static(
            join(
                ("socwizard", "bold"),
                "  ·  Review  ·  ",
                (one_line(a.display_title, 50), "bold $sw-accent"),
            ),
            id="topbar",
        )
        yield Static(id="summary")
        yield OptionList(id="answers")
        with Horizontal(id="review-buttons"):
            yield Button("‹ Back to questions", id="back", compact=True)
            yield Static(classes="spacer")
            yield Button("Change answer", id="change", compact=True)
            yield Button("See results ›", id="results", compact=True, variant="primary")
        yield StableFooter()

    def on_mount(self) -> None:
        """List the answers."""
        self.refresh_answers()

    def on_resize(self, _event: events.Resize) -> None:
        """Re-wrap the answers for the new width (once the list has its new size)."""
        self.call_after_refresh(self._rewrap)

    def _rewrap(self) -> None:
        if self.is_attached and self._text_width() != self.wrapped_at:
            self.refresh_answers()

    def _text_width(self) -> int:
        """Cells available to an option's text (room is kept for a scrollbar)."""
        answers = self.query_one("#answers", OptionList)
        width = answers.content_region.width or max(20, self.app.size.width - 6)
        padding = answers.get_component_styles("option-list--option").padding.width
        return max(20, width - padding - answers.styles.scrollbar_size_vertical)

    def refresh_answers(self) -> None:
        """Sections, prompts and answers in plain words."""
        session = self.session
        bank = session.bank
        vis = session.visibility()
        options: list[Option] = []
        last_section: str | None = None
        counts = {"answered": 0, "unknown": 0, "missing": 0}
        width = self.wrapped_at = self._text_width()
        for qid in vis.shown:
            question = bank.question(qid)
            if question is None:
                continue
            section_id = question.section or ""
            if section_id != last_section:
                last_section = section_id
                section = bank.section(section_id)
                title = section.title if section else section_id or "Questions"
                options.append(
                    Option(
                        join((one_line(title, 70), "bold $sw-accent")),
                        id=SECTION_PREFIX + section_id,
                        disabled=True,
                    )
                )
            answer = vis.effective.get(qid)
            if answer is None:
                style, counts_key = "italic $sw-warn", "missing"
            elif answer.state is State.UNKNOWN:
                style, counts_key = "$sw-warn", "unknown"
            else:
                style, counts_key = "", "answered"
            counts[counts_key] += 1
            lines = [
                join((one_line(question.prompt, 300), "bold")),
                hanging("  → ", join((describe(question, answer), style)), width),
            ]
            if answer is not None and answer.note:
                note = join(("note: " + one_line(answer.note, 300), "$sw-muted italic"))
                lines.append(hanging("    ", note, width))
            options.append(Option(Content("\n").join(lines), id=qid))
        answers = self.query_one("#answers", OptionList)
        keep = answers.highlighted
        answers.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        at = next((i for i, o in enumerate(options) if o.id == self.at), None)
        self.at = None
        if at is not None:
            answers.highlighted = at
            self.call_after_refresh(answers.scroll_to_highlight, top=False)
        elif keep is not None and keep < len(options) and not options[keep].disabled:
            answers.highlighted = keep
        elif first is not None:
            answers.highlighted = first
        summary = (
            f'{counts["answered"]} answered · {counts["unknown"]} "I don\'t know" · '
            f"{counts['missing']} not answered yet"
        )
        hint = "\nEnter, or a click on an answer, changes it."
        self.query_one("#summary", Static).update(join((summary, "bold"), (hint, "$sw-muted")))

    @on(OptionList.OptionSelected, "#answers")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and not event.option.id.startswith(SECTION_PREFIX):
            self.dismiss(event.option.id)

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#change")
    def _change(self) -> None:
        self.action_change()

    @on(Button.Pressed, "#results")
    def _results(self) -> None:
        self.action_results()

    def action_change(self) -> None:
        """Change the highlighted answer (then come back here)."""
        answers = self.query_one("#answers", OptionList)
        if answers.highlighted is None:
            return
        option = answers.get_option_at_index(answers.highlighted)
        if option.id and not option.id.startswith(SECTION_PREFIX):
            self.dismiss(option.id)

    def action_results(self) -> None:
        """See the recommendation."""
        self.dismiss("results")

    def action_back(self) -> None:
        """Back to the interview."""
        self.dismiss(None)

    def action_home(self) -> None:
        """Back to the list."""
        self.dismiss("home")
