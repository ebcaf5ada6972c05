"""One question on one page: the prompt, an input that fits its type, states, a note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static, TextArea
from textual.widgets._toggle_button import ToggleButton  # not re-exported; textual is pinned
from textual.widgets.option_list import Option, OptionDoesNotExist
from textual.widgets.selection_list import Selection

from socwizard.core.answers import Answer, State
from socwizard.core.assessment import normalise
from socwizard.core.bank.models import (
    DateQuestion,
    MultiChoice,
    Number,
    Question,
    SingleChoice,
    Text,
    YesNo,
)
from socwizard.core.recommendation import AnswerWarning
from socwizard.core.text import clean, one_line
from socwizard.tui.safe import block, join, line
from socwizard.tui.session import make_answer
from socwizard.tui.widgets.hanging import Hanging

LONG_TEXT = 40
"""Text answers longer than this (in characters) are edited in a multi-line editor, which
wraps them: in a one-line box about 46 cells wide (80 columns, the map open) a longer answer
showed only its end ("ging, huddles, file sharing; EU data region")."""


@dataclass(frozen=True)
class Reading:
    """What the page holds right now: the answer to record, or why it cannot be."""

    answer: Answer | None
    error: str = ""


def _choice_prompt(label: str, help_text: str, chosen: bool) -> Hanging:
    """The radio mark, then the label and its help, wrapped under the label (not the mark)."""
    mark = join(("● ", "bold $sw-accent") if chosen else ("○ ", "$sw-muted"))
    parts: list[str | Content | tuple[str, str]] = [(one_line(label, 200), "bold" if chosen else "")]
    if help_text:
        parts += ["\n", (one_line(help_text, 300), "$sw-muted")]
    return Hanging(mark, join(*parts))


def _choice_label(label: str, help_text: str) -> Content:
    parts: list[str | Content | tuple[str, str]] = [one_line(label, 200)]
    if help_text:
        parts += ["\n  ", (one_line(help_text, 300), "$sw-muted")]
    return join(*parts)


def _number_text(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value) if value is not None else ""


def _error_text(exc: ValidationError) -> str:
    first = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(p) for p in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


class CheckList(SelectionList[str]):
    """A SelectionList whose boxes say ✓ when ticked, not only by colour.

    Textual draws every box with the same "X" and tells ticked from unticked by
    colour alone, which a monochrome terminal or a colour-blind reader cannot see.
    """

    DEFAULT_CSS = """
    CheckList { text-wrap: wrap; text-overflow: fold; }
    """

    def render_line(self, y: int) -> Strip:
        """The option's line; its first line starts with the box (✓ or blank), the others under the text.

        Textual's SelectionList takes every line for an option of its own, so a choice
        that wraps drew a box on each line and ticked the wrong one; its labels were cut
        with an ellipsis instead.
        """
        line = OptionList.render_line(self, y)
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
            selection = self.get_option_at_index(index)
        except (IndexError, OptionDoesNotExist):
            return line
        base = next(iter(line)).style if line.cell_length else self.rich_style
        underlying = base or self.rich_style
        if offset:
            gap = len(ToggleButton.BUTTON_LEFT + ToggleButton.BUTTON_INNER + ToggleButton.BUTTON_RIGHT) + 1
            return Strip([Segment(" " * gap, underlying), *line])
        component = "selection-list--button"
        if selection.value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        button = self.get_component_rich_style(component)
        side = Style.from_color(button.bgcolor, underlying.bgcolor) + Style(meta={"option": index})
        button += Style(meta={"option": index})
        mark = "✓" if selection.value in self._selected else " "
        return Strip(
            [
                Segment(ToggleButton.BUTTON_LEFT, side),
                Segment(mark, button),
                Segment(ToggleButton.BUTTON_RIGHT, side),
                Segment(" ", underlying),
                *line,
            ]
        )


class QuestionView(Vertical):
    """The page for one question. Posts :class:`Chosen` when an answer is picked."""

    class Chosen(Message):
        """An answer was picked (a choice, "I don't know", "doesn't apply"): record it, move on."""

        def __init__(self, answer: Answer) -> None:
            super().__init__()
            self.answer = answer

    class Submitted(Message):
        """Enter in a text box: read the page, record it, move on."""

    def __init__(
        self, question: Question, answer: Answer | None, *, section: str = "", position: str = ""
    ) -> None:
        super().__init__(id="question")
        self.question = question
        self.answer = answer
        self.section_title = section
        self.position = position
        self.chosen: object = answer.value if answer is not None and answer.known else None

    # --- building -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Build the page: the question scrolls, its states and the note stay in view below.

        Every part a question may have is built once; :meth:`show` fills them in for the
        next question (parts it has not got are hidden), so a page flip updates the
        mounted widgets instead of building a new page.
        """
        q = self.question
        with VerticalScroll(id="q-body"):
            yield Static(self._heading(), id="q-heading")
            yield Static(block(q.prompt), id="q-prompt")
            yield Static(block(q.help) if q.help else "", id="q-help", classes="" if q.help else "-none")
            yield self._input()
            yield Static("", id="q-error")
            yield Static("", id="q-warnings")
            yield Static(self._why_text(), id="q-why")
        state = self.answer.state if self.answer is not None else None
        with Vertical(id="q-bottom"):
            with Horizontal(id="q-states"):
                yield Button(
                    "I don't know",
                    id="unknown",
                    compact=True,
                    classes=self._state_classes(q.allow_unknown, state is State.UNKNOWN),
                    tooltip="A real answer: it becomes a follow-up question for the vendor (F2)",
                )
                yield Button(
                    "Doesn't apply",
                    id="not-applicable",
                    compact=True,
                    classes=self._state_classes(q.allow_not_applicable, state is State.NOT_APPLICABLE),
                    tooltip="This question does not apply to this vendor (F3)",
                )
                yield Button(
                    "Why we ask",
                    id="why",
                    compact=True,
                    classes=self._state_classes(bool(q.why), False),
                    tooltip="Show why this matters (F5)",
                )
            with Horizontal(id="q-note-row"):
                yield Label("Note", id="q-note-label")
                yield TextArea(
                    self.answer.note if self.answer else "",
                    placeholder="optional: what the vendor said, and where",
                    id="note",
                    compact=True,
                    soft_wrap=True,
                    tab_behavior="focus",
                )

    @staticmethod
    def _state_classes(offered: bool, on: bool) -> str:
        return " ".join(name for name, present in (("-none", not offered), ("-on", on)) if present)

    def _heading(self) -> Content:
        heading: list[str | Content | tuple[str, str]] = []
        if self.section_title:
            heading.append((one_line(self.section_title, 80), "bold $sw-accent"))
        if self.position:
            heading.append(("  ", ""))
            heading.append((self.position.replace(" ", "\u00a0"), "$sw-muted"))
        return join(*heading)

    def _why_text(self) -> Content | str:
        why = self.question.why
        return join(("Why we ask: ", "bold"), clean(why)) if why else ""

    async def show(
        self, question: Question, answer: Answer | None, *, section: str = "", position: str = ""
    ) -> None:
        """Turn this page into the page for ``question``: the mounted widgets are updated.

        A flip used to remove the page and mount a new one: every widget was built,
        styled and laid out afresh, and the list of choices measured its lines during its
        first paint, which asked for another layout pass. Updating in place keeps the
        widgets, their styles and their sizes; a list of choices is refilled at the width
        it already has, so its lines are measured before the one layout pass of the flip.
        Only an input of another kind (a list for a text box, say) is replaced.
        """
        self.question = question
        self.answer = answer
        self.section_title = section
        self.position = position
        self.chosen = answer.value if answer is not None and answer.known else None
        q = question
        self.query_one("#q-heading", Static).update(self._heading())
        self.query_one("#q-prompt", Static).update(block(q.prompt))
        help_widget = self.query_one("#q-help", Static)
        help_widget.update(block(q.help) if q.help else "")
        help_widget.set_class(not q.help, "-none")
        await self._refill_input()
        self.show_error("")
        self.show_warnings(())
        why = self.query_one("#q-why", Static)
        why.update(self._why_text())
        why.remove_class("-shown")
        state = answer.state if answer is not None else None
        for button_id, offered, on_ in (
            ("#unknown", q.allow_unknown, state is State.UNKNOWN),
            ("#not-applicable", q.allow_not_applicable, state is State.NOT_APPLICABLE),
            ("#why", bool(q.why), False),
        ):
            button = self.query_one(button_id, Button)
            button.set_class(not offered, "-none")
            button.set_class(on_, "-on")
        self.remove_class("-unknown")
        note = self.query_one("#note", TextArea)
        text = answer.note if answer is not None else ""
        if note.text != text:
            note.load_text(text)
        self.query_one("#q-body", VerticalScroll).scroll_home(animate=False, immediate=True)
        self.call_after_refresh(self._fit_choices)

    async def _refill_input(self) -> None:
        """Fill the input in place when the new question takes the same kind, else replace it."""
        old = self.query_one("#q-input")
        q = self.question
        if isinstance(q, SingleChoice | YesNo) and type(old) is OptionList:
            options, highlighted = self._choice_options()
            # Mounted and sized: set_options measures the lines at the list's width now.
            old.set_options(options)
            old.highlighted = highlighted
            return
        new = self._input()
        await old.remove()
        await self.query_one("#q-body", VerticalScroll).mount(new, before="#q-error")

    def on_mount(self) -> None:
        """Fit the choices once the page is laid out.

        Not only on a resize: a page mounted where the last one was, at the same size, was
        not always sent a Resize, and its list then kept its full height and pushed the
        chosen choice out of view at 60x20 (issue 13).
        """
        self.call_after_refresh(self._fit_choices)

    def on_resize(self) -> None:
        """Fit the choices to the room left (the selected one stays in view in their list)."""
        self.call_after_refresh(self._fit_choices)

    def _fit_choices(self) -> None:
        found = self.query("#q-input.choices")
        if not found or not self.is_attached:
            return
        choices = found.first()
        body = self.query_one("#q-body", VerticalScroll)
        above = choices.region.y - body.content_region.y + int(body.scroll_offset.y)
        error = self.query_one("#q-error", Static)
        below = error.outer_size.height if error.display and error.has_class("-shown") else 0
        room = body.content_region.height - above - below
        choices.styles.max_height = max(5, room)
        if isinstance(choices, OptionList):
            # the list may have got shorter: bring the highlighted (chosen) choice back into view
            self.call_after_refresh(self._show_highlight, choices)

    @staticmethod
    def _show_highlight(choices: OptionList) -> None:
        """Scroll the list from its top to the highlighted choice (the same view however it got here)."""
        choices.scroll_to(y=0, animate=False, immediate=True)
        choices.scroll_to_highlight()

    def _choice_options(self) -> tuple[list[Option], int]:
        """The options of a single choice or a yes/no question, and the one to highlight."""
        q = self.question
        answer = self.answer
        value = answer.value if answer is not None and answer.known else None
        if isinstance(q, SingleChoice):
            current = value if isinstance(value, str) else None
            options = [
                Option(_choice_prompt(c.label, c.help, c.value == current), id=c.value) for c in q.choices
            ]
            highlight = current if current is not None else q.default
            ids = [c.value for c in q.choices]
            return options, ids.index(highlight) if highlight in ids else 0
        assert isinstance(q, YesNo)
        pairs = [("yes", q.yes_label, value is True), ("no", q.no_label, value is False)]
        options = [Option(_choice_prompt(label, "", chosen), id=key) for key, label, chosen in pairs]
        preset = value if value is not None else q.default
        return options, 1 if preset is False else 0

    def _input(self) -> Widget:
        q = self.question
        answer = self.answer
        value = answer.value if answer is not None and answer.known else None
        if isinstance(q, SingleChoice | YesNo):
            options, highlighted = self._choice_options()
            widget = OptionList(*options, id="q-input", classes="choices")
            widget.highlighted = highlighted
            return widget
        if isinstance(q, MultiChoice):
            picked: tuple[str, ...] = value if isinstance(value, tuple) else tuple(q.default or ())
            if answer is not None and not answer.known:
                picked = ()
            selections = [
                Selection(_choice_label(c.label, c.help), c.value, c.value in picked) for c in q.choices
            ]
            return CheckList(*selections, id="q-input", classes="choices")
        if isinstance(q, Number):
            hint = "a number"
            if q.min is not None and q.max is not None:
                hint = f"{q.min:g} to {q.max:g}"
            elif q.min is not None:
                hint = f"at least {q.min:g}"
            elif q.max is not None:
                hint = f"at most {q.max:g}"
            if q.unit:
                hint += f" ({one_line(q.unit, 40)})"
            preset = value if value is not None else q.default
            return Input(_number_text(preset), placeholder=hint, id="q-input", classes="typed")
        if isinstance(q, DateQuestion):
            preset_date = value if isinstance(value, dt.date) else q.default
            return Input(
                preset_date.isoformat() if preset_date else "",
                placeholder="YYYY-MM-DD",
                id="q-input",
                classes="typed",
            )
        assert isinstance(q, Text)
        preset_text = value if isinstance(value, str) else (q.default or "")
        if q.multiline or "\n" in preset_text or len(preset_text) > LONG_TEXT:
            # A long answer, or one with line breaks (from a file), gets an editor that
            # wraps it: a one-line Input would draw it across the page.
            return TextArea(
                preset_text, id="q-input", classes="typed multiline", soft_wrap=True, tab_behavior="focus"
            )
        return Input(
            preset_text,
            placeholder="type your answer",
            id="q-input",
            classes="typed",
            max_length=q.max_length,
        )

    def remember(self, answer: Answer | None) -> None:
        """The answer as recorded: later reads of this page start from it."""
        self.answer = answer
        self.chosen = answer.value if answer is not None and answer.known else None
        self.set_class(answer is not None and answer.state is State.UNKNOWN, "-unknown")
        for button_id, state in (("#unknown", State.UNKNOWN), ("#not-applicable", State.NOT_APPLICABLE)):
            for button in self.query(button_id):
                button.set_class(answer is not None and answer.state is state, "-on")

    def focus_input(self) -> None:
        """Put the keyboard on the answer, keeping the prompt in view (at 80×24 too)."""
        self.query_one("#q-input").focus(scroll_visible=False)
        self.query_one("#q-body", VerticalScroll).scroll_home(animate=False)

    # --- reading ------------------------------------------------------------------------

    def note(self) -> str:
        """The note, cleaned."""
        return clean(self.query_one("#note", TextArea).text).strip()

    def show_error(self, message: str) -> None:
        """An inline validation message under the input."""
        widget = self.query_one("#q-error", Static)
        widget.update(join(("⚠ ", "bold $sw-bad"), (one_line(message, 300), "$sw-bad")) if message else "")
        widget.set_class(bool(message), "-shown")

    def show_warnings(self, warnings: Sequence[AnswerWarning]) -> None:
        """Answers that contradict each other, shown under the question they concern."""
        found = self.query("#q-warnings")
        if not found:  # a save that finished while the page is still being built
            return
        widget = found.first(Static)
        parts: list[str | Content | tuple[str, str]] = []
        for warning in warnings:
            if parts:
                parts.append("\n")
            parts += [("⚠ ", "bold $sw-warn"), (one_line(warning.label, 200), "bold $sw-warn")]
            if warning.text:
                parts += ["\n", (one_line(warning.text, 400), "")]
        widget.update(join(*parts) if parts else "")
        widget.set_class(bool(parts), "-shown")

    def _with_note(self, value: object = None, state: State = State.ANSWERED) -> Reading:
        try:
            candidate = make_answer(value, state=state, note=self.note())
            return Reading(normalise(self.question, candidate))
        except ValidationError as exc:
            return Reading(self.answer, _error_text(exc))
        except ValueError as exc:
            return Reading(self.answer, str(exc))

    def _keep(self) -> Reading:
        """Nothing new picked: keep the answer (with the note as it is now)."""
        if self.answer is None:
            if self.note():
                return Reading(None, 'Pick an answer (or "I don\'t know") to keep the note.')
            return Reading(None)
        return self._with_note(self.answer.value, self.answer.state)

    def read(self) -> Reading:
        """The answer this page holds now (or the reason it is not valid)."""
        q = self.question
        widget = self.query_one("#q-input")
        if isinstance(q, SingleChoice | YesNo):
            if self.chosen is None:
                return self._keep()
            return self._with_note(self.chosen)
        if isinstance(q, MultiChoice):
            assert isinstance(widget, SelectionList)
            picked = tuple(str(v) for v in widget.selected)
            if not picked and (self.answer is None or not self.answer.known):
                return self._keep()
            return self._with_note(picked)
        text = (
            widget.text if isinstance(widget, TextArea) else widget.value if isinstance(widget, Input) else ""
        )
        text = clean(text).strip() if not isinstance(widget, TextArea) else clean(text).rstrip()
        if not text:
            if self.answer is not None and not self.answer.known:
                return self._keep()
            if self.answer is not None:
                return (
                    Reading(None)
                    if not self.note()
                    else Reading(self.answer, 'Type an answer (or choose "I don\'t know") to keep the note.')
                )
            return self._keep()
        if isinstance(q, Number):
            raw = text.removesuffix(q.unit).strip() if q.unit else text
            raw = raw.removesuffix("%").replace(",", "").replace("_", "").replace(" ", "")
            try:
                number: int | float = int(raw)
            except ValueError:
                try:
                    number = float(raw)
                except ValueError:
                    return Reading(self.answer, "must be a number, for example 99.9")
            if number != number or number in (float("inf"), float("-inf")):
                return Reading(self.answer, "must be a number, for example 99.9")
            return self._with_note(number)
        return self._with_note(text)

    # --- events -------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#q-input")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        options = event.option_list.options
        if not 0 <= event.option_index < len(options) or options[event.option_index] is not event.option:
            # Picked on the page before a flip and delivered after it: the list now holds
            # the next question's choices (the page is reused), so it must not answer it.
            return
        q = self.question
        key = event.option.id
        value: object = (key == "yes") if isinstance(q, YesNo) else key
        self.chosen = value
        reading = self._with_note(value)
        if reading.error:
            self.show_error(reading.error)
            return
        if reading.answer is not None:
            self.post_message(self.Chosen(reading.answer))

    @on(SelectionList.SelectionToggled, "#q-input")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        """An exclusive choice (such as "none of these") stands alone."""
        q = self.question
        if not isinstance(q, MultiChoice):
            return
        widget = event.selection_list
        toggled = str(event.selection.value)
        if toggled not in widget.selected:
            return
        exclusive = {c.value for c in q.choices if c.exclusive}
        for other in list(widget.selected):
            if other != toggled and (toggled in exclusive or other in exclusive):
                widget.deselect(other)
        self.show_error("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())

    @on(Input.Changed, "#q-input")
    def _typing(self) -> None:
        self.show_error("")

    @on(Button.Pressed, "#unknown")
    def _unknown(self, event: Button.Pressed) -> None:
        event.stop()
        self.pick_state(State.UNKNOWN)

    @on(Button.Pressed, "#not-applicable")
    def _not_applicable(self, event: Button.Pressed) -> None:
        event.stop()
        self.pick_state(State.NOT_APPLICABLE)

    @on(Button.Pressed, "#why")
    def _why(self, event: Button.Pressed) -> None:
        event.stop()
        self.toggle_why()

    def pick_state(self, state: State) -> None:
        """Answer "I don't know" or "doesn't apply" (where the bank allows it)."""
        q = self.question
        if state is State.UNKNOWN and not q.allow_unknown:
            self.show_error('"I don\'t know" is not an option for this question.')
            return
        if state is State.NOT_APPLICABLE and not q.allow_not_applicable:
            self.show_error('"Doesn\'t apply" is not an option for this question.')
            return
        reading = self._with_note(None, state)
        if reading.error:
            self.show_error(reading.error)
        elif reading.answer is not None:
            self.post_message(self.Chosen(reading.answer))

    def toggle_why(self) -> None:
        """Show or hide "why we ask"."""
        if not self.question.why:
            self.notify("The bank gives no further explanation for this question.", timeout=3)
            return
        why = self.query_one("#q-why", Static)
        why.toggle_class("-shown")
        if why.has_class("-shown"):
            self.call_after_refresh(self.query_one("#q-body", VerticalScroll).scroll_to_widget, why)

    def focus_note(self) -> None:
        """Put the keyboard on the note."""
        self.query_one("#note", TextArea).focus()


def position_text(index: int, total: int) -> str:
    """``Question 3 of 12``."""
    return f"Question {index + 1} of {total}"


__all__ = ["QuestionView", "Reading", "line", "position_text"]
