"""The interview: one question per page, a sidebar map, progress, next/back, autosave."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, ProgressBar, Static

from socwizard.core.answers import Answer, State
from socwizard.core.text import one_line
from socwizard.core.warnings import warned_questions, warnings_for
from socwizard.tui.safe import join
from socwizard.tui.widgets.footer import StableFooter
from socwizard.tui.widgets.question import QuestionView, position_text
from socwizard.tui.widgets.sidebar import Sidebar, legend

CURSOR_SAVE_DELAY_S = 1.5
SIDEBAR_FOLD = 72
"""Below this many columns the map folds away by itself (F9 still shows it)."""
SHORT_BELOW = 24
"""Below this many rows the question page drops its blank lines, to give the choices room."""
SAVE_STATE_ROOM = len("not saved") + 2
"""Cells the save indicator needs between the buttons, with a blank on each side."""

if TYPE_CHECKING:
    from socwizard.core.recommendation import Result
    from socwizard.tui.session import Session


class InterviewScreen(Screen[None]):
    """Ask the visible questions in order; every answer is saved at once."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n,alt+right", "next", "Next", id="next", tooltip="Record this answer and go on"),
        Binding("ctrl+b,alt+left", "back", "Back", id="back", tooltip="The previous question"),
        Binding("f2", "unknown", "Don't know", id="unknown", tooltip='Answer "I don\'t know"'),
        Binding("f6", "read_report", "Report", id="read_report", tooltip="Read the vendor's report (PDF)…"),
        Binding(
            "f3", "not_applicable", "N/A", id="not_applicable", show=False, tooltip='Answer "doesn\'t apply"'
        ),
        Binding("f4", "note", "Note", id="note", show=False, tooltip="Write a note with this answer"),
        Binding("f5", "why", "Why we ask", id="why", show=False, tooltip="Show or hide why we ask this"),
        Binding("ctrl+r", "review", "Review", id="review", tooltip="Every answer on one page"),
        Binding("ctrl+g", "results", "Results", id="results", tooltip="The recommendation so far"),
        Binding(
            "ctrl+t,escape", "home", "Home", id="home", show=False, tooltip="Save and go back to the list"
        ),
        Binding("ctrl+s", "save", "Save", id="save", show=False, tooltip="Save now (it autosaves anyway)"),
        Binding(
            "f9",
            "toggle_sidebar",
            "Map",
            id="sidebar",
            show=False,
            tooltip="Show or hide the map of questions",
        ),
    ]
    HELP_TITLE = "a question page"
    HELP = (
        "↑ ↓ move in a list of choices, Enter or Space picks one; Tab goes on to the buttons and "
        "the note. The map on the left (F9) lists every question: ✓ answered, ? don't know, "
        "– doesn't apply (n/a), » skipped, ○ to do, ! an answer that contradicts another (the "
        "warning shows under the question); ▸ is the question on screen. A section marked "
        "(optional) may stay blank and does not count as unanswered. Every answer is saved at once."
    )
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [  # type: ignore[misc]
        (0, "-narrow"),
        (SIDEBAR_FOLD, "-wide"),
    ]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [  # type: ignore[misc]
        (0, "-short"),
        (SHORT_BELOW, "-tall"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.current: str | None = None
        self.passed: set[str] = set()
        self.queue: list[str] = []
        self.resume_at: str | None = None
        self.return_to_review = False
        self._flipping = False
        self._answered: str | None = None
        """The question whose answer the next autosave carries."""
        self._cursor_timer: Timer | None = None
        self._saving = False

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Build the page."""
        yield Static(id="topbar")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                with Horizontal(id="progress-row"):
                    yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="progress")
                    yield Static(id="progress-text")
                yield Container(id="question-host")
                with Horizontal(id="nav"):
                    yield Button("‹ Back", id="back", compact=True, tooltip="Previous question (Ctrl+B)")
                    yield Static(id="save-state")
                    yield Button(
                        "Report…", id="read-report", compact=True, tooltip="Read the vendor's report (F6)"
                    )
                    yield Button("Review", id="review", compact=True, tooltip="All answers (Ctrl+R)")
                    yield Button("Next ›", id="next", compact=True, variant="primary", tooltip="Ctrl+N")
            with Vertical(id="side"):
                yield Sidebar(id="sidebar")
                yield Static(legend(), id="legend")
        yield StableFooter()

    async def on_mount(self) -> None:
        """Resume at the saved cursor, or ask new questions first after a bank change."""
        session = self.session
        a = session.assessment
        self.show_topbar()
        vis = session.visibility()
        shown = list(vis.shown)
        if a.cursor in shown:
            index = shown.index(a.cursor)
            self.passed.update(shown[:index])
        changes = session.changes
        self.queue = [q for q in changes.new if q in shown]
        start = a.cursor if a.cursor in shown else None
        if start is None and shown:
            start = next((q for q in shown if q in vis.unanswered), shown[0])
        if self.queue:
            self.resume_at = start
            start = self.queue.pop(0)
        if changes.any:
            from socwizard.tui.screens.notice import BankChangesScreen

            self.app.push_screen(BankChangesScreen(session.bank, changes))
        if start is None:
            self.notify("This bank has no questions to ask.", severity="warning")
            return
        await self.show_question(start)
        if a.status == "complete" and not changes.any:
            self.action_results()  # a finished assessment opens on what it concluded

    def on_resize(self) -> None:
        """The top line and the buttons fit the new width."""
        self.show_topbar()
        self.call_after_refresh(self._fit_nav)

    def _fit_nav(self) -> None:
        """Tighter buttons when the row would not hold them and "✓ saved" whole.

        At 80 columns with the map open the evidence section's four buttons left the save
        indicator one cell: it read "✓" (issue 13).
        """
        nav = self.query_one("#nav", Horizontal)
        if not nav.size.width:
            return
        buttons = [button for button in nav.query(Button) if button.display]
        room = nav.size.width - SAVE_STATE_ROOM
        labels = sum(cell_len(str(button.label)) + 2 for button in buttons)  # with line padding
        gaps = len(buttons) - 1
        # as designed: a cell of padding on each side of a label, a cell between buttons;
        # "-tight" drops the padding, "-tighter" the gaps too
        tight = labels + 2 * len(buttons) + gaps > room
        nav.set_class(tight, "-tight")
        nav.set_class(tight and labels + gaps > room, "-tighter")

    def show_topbar(self) -> None:
        """Title, vendor and review date: what does not fit whole is left out, not cut mid-word.

        A title longer than the line wraps to a second one (it was cut: "… for the team
        chat renew…" at 60 columns); the vendor and the date then stay out.
        """
        a = self.session.assessment
        width = max(20, self.app.size.width - 2)
        room = width - len("socwizard  ·  ")
        title = one_line(a.display_title, max(12, min(2 * width - 20, 200)))
        room -= len(title)
        vendor = f" — {one_line(a.vendor, 40)}" if a.vendor and a.vendor != a.display_title else ""
        vendor = vendor if len(vendor) <= room else ""
        room -= len(vendor)
        reviewed = f"  ·  reviewed {a.reviewed_on.isoformat()}"
        reviewed = reviewed if len(reviewed) <= room else ""
        self.query_one("#topbar", Static).update(
            join(
                ("socwizard", "bold"),
                "  ·  ",
                (title, "bold $sw-accent"),
                (vendor, ""),
                (reviewed, "$sw-muted"),
            )
        )

    # --- pages --------------------------------------------------------------------------

    def view(self) -> QuestionView | None:
        """The question page on screen."""
        found = self.query(QuestionView)
        return found.first() if found else None

    async def show_question(self, question_id: str) -> None:
        """Swap the page: only the current question is ever mounted."""
        session = self.session
        question = session.question(question_id)
        if question is None:
            return
        vis = session.visibility()
        shown = list(vis.shown)
        index = shown.index(question_id) if question_id in shown else 0
        section = session.bank.section(question.section or "")
        host = self.query_one("#question-host", Container)
        section_title = section.title if section else ""
        position = position_text(index, len(shown))
        answer = session.answer(question_id)
        self._flipping = True
        try:
            # One batch for the whole flip: the page, the map, the progress and the
            # focus reach the screen in a single update.
            with self.app.batch_update():
                # Park the focus first: otherwise it visits the sidebar on its way from
                # the old page to the new one, restyling it twice per flip.
                self.set_focus(None)
                view = self.view()
                if view is None:
                    view = QuestionView(question, answer, section=section_title, position=position)
                    await host.mount(view)
                else:
                    # The page stays mounted and is filled in for this question.
                    await view.show(question, answer, section=section_title, position=position)
                if self.current is not None and self.current != question_id:
                    self.passed.add(self.current)
                self.current = question_id
                if session.set_cursor(question_id):
                    self._save_cursor_soon()
                self.refresh_map(vis)
                report = self.query_one("#read-report")
                offered = self.check_action("read_report", ()) is True
                if report.display != offered:
                    report.display = offered
                    self.call_after_refresh(self._fit_nav)
                view.focus_input()
                self.show_warnings()
        finally:
            self._flipping = False

    def refresh_map(self, vis: object = None) -> None:
        """Sidebar, progress and the save indicator."""
        from socwizard.core.scoring import Visibility

        session = self.session
        visibility = vis if isinstance(vis, Visibility) else session.visibility()
        warned = warned_questions(session.latest) if session.latest is not None else frozenset()
        self.query_one(Sidebar).show(session.bank, visibility, self.current, self.passed, warned)
        total = len(visibility.shown)
        done = sum(1 for q in visibility.shown if q in visibility.effective)
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#progress-text", Static).update(f"{done}/{total} answered", layout=False)
        self.show_save_state()

    def show_save_state(self, problem: str = "") -> None:
        """A quiet "saved" or a loud problem."""
        found = self.query("#save-state")
        if not found:  # a late autosave while the screen is being taken down
            return
        widget = found.first(Static)
        # Fixed-size widgets: a repaint, never a layout pass, on every flip.
        if problem:
            widget.update(join(("not saved", "bold $sw-bad")), layout=False)
        elif self._saving:
            widget.update(join(("saving…", "$sw-muted")), layout=False)
        else:
            widget.update(join(("✓ saved", "$sw-muted")), layout=False)

    # --- navigation ---------------------------------------------------------------------

    def _neighbour(self, step: int) -> str | None:
        session = self.session
        shown = session.visibility().shown
        if self.current is None:
            return shown[0] if shown else None
        here = session.bank.index(self.current)
        if step > 0:
            return next((q for q in shown if session.bank.index(q) > here), None)
        earlier = [q for q in shown if session.bank.index(q) < here]
        return earlier[-1] if earlier else None

    def record(self, answer: Answer | None) -> None:
        """Store an answer for the current question and autosave."""
        if self.current is None:
            return
        view = self.view()
        if view is not None and view.question.id == self.current:
            view.remember(answer)
        if self.session.set_answer(self.current, answer):
            self._answered = self.current
            self.autosave()

    async def advance(self) -> None:
        """Go on: the queue of new questions, the review page, or the next question."""
        if self.return_to_review:
            self.return_to_review = False
            self.refresh_map()
            self.action_review(at=self.current)
            return
        while self.queue:
            candidate = self.queue.pop(0)
            if candidate in self.session.visibility().shown:
                await self.show_question(candidate)
                return
        if self.resume_at is not None:
            target, self.resume_at = self.resume_at, None
            if target in self.session.visibility().shown and target != self.current:
                await self.show_question(target)
                return
        following = self._neighbour(+1)
        if following is None:
            if self.current is not None:
                self.passed.add(self.current)
            self.refresh_map()
            self.action_review()
            return
        await self.show_question(following)

    def _commit_page(self, *, strict: bool) -> bool:
        """Record what the page holds; False (with a message) when it is not valid."""
        view = self.view()
        if view is None:
            return True
        reading = view.read()
        if reading.error:
            if strict:
                view.show_error(reading.error)
                return False
            return True
        self.record(reading.answer)
        return True

    @on(QuestionView.Chosen)
    async def _chosen(self, event: QuestionView.Chosen) -> None:
        self.record(event.answer)
        await self.advance()

    @on(QuestionView.Submitted)
    async def _submitted(self) -> None:
        await self.action_next()

    @on(Sidebar.Jump)
    async def _jump(self, event: Sidebar.Jump) -> None:
        target = event.question_id
        if self._narrow_map_open():
            self._show_narrow_map(False)
        if target == self.current:
            return
        self._commit_page(strict=False)
        await self.show_question(target)

    @on(Button.Pressed, "#back")
    async def _back_pressed(self) -> None:
        await self.action_back()

    @on(Button.Pressed, "#next")
    async def _next_pressed(self) -> None:
        await self.action_next()

    @on(Button.Pressed, "#read-report")
    def _read_report_pressed(self) -> None:
        self.action_read_report()

    @on(Button.Pressed, "#review")
    def _review_pressed(self) -> None:
        self.action_review()

    async def action_next(self) -> None:
        """Record this page (if valid) and go on."""
        if self._flipping or not self._commit_page(strict=True):
            return
        await self.advance()

    async def action_back(self) -> None:
        """The previous visible question (never Escape, never Ctrl+Z)."""
        if self._flipping:
            return
        previous = self._neighbour(-1)
        if previous is None:
            self.notify("This is the first question.", timeout=2)
            return
        self._commit_page(strict=False)
        await self.show_question(previous)

    def action_unknown(self) -> None:
        """Answer "I don't know"."""
        view = self.view()
        if view is not None:
            view.pick_state(State.UNKNOWN)

    def action_not_applicable(self) -> None:
        """Answer "doesn't apply"."""
        view = self.view()
        if view is not None:
            view.pick_state(State.NOT_APPLICABLE)

    def action_why(self) -> None:
        """Show or hide "why we ask"."""
        view = self.view()
        if view is not None:
            view.toggle_why()

    def action_note(self) -> None:
        """Focus the note."""
        view = self.view()
        if view is not None:
            view.focus_note()

    def action_toggle_sidebar(self) -> None:
        """Show or hide the map (on a narrow terminal it is hidden until asked for).

        On a narrow terminal the map takes the whole width while it is open (beside the
        page it left the question some twenty columns, and no choice in view): the keyboard
        is on it, Enter goes to a question and folds it away, F9 or Escape folds it.
        """
        if self.has_class("-narrow"):
            self._show_narrow_map(not self.has_class("-show-sidebar"))
        else:
            self.toggle_class("-no-sidebar")
        self.call_after_refresh(self._fit_nav)

    def _show_narrow_map(self, show: bool) -> None:
        self.set_class(show, "-show-sidebar")
        if show:
            self.query_one(Sidebar).focus()
        elif (view := self.view()) is not None:
            view.focus_input()

    def _narrow_map_open(self) -> bool:
        return self.has_class("-narrow") and self.has_class("-show-sidebar")

    # --- other pages --------------------------------------------------------------------

    def action_review(self, at: str | None = None) -> None:
        """Every visible answer; "Change" comes back here and then returns to the review."""
        from socwizard.tui.screens.review import ReviewScreen

        self._commit_page(strict=False)

        async def after(choice: str | None) -> None:
            if choice is None:
                return
            if choice == "results":
                self.action_results()
            elif choice == "home":
                self.action_home()
            else:
                self.return_to_review = True
                await self.show_question(choice)

        self.app.push_screen(ReviewScreen(self.session, at=at), after)

    def action_results(self) -> None:
        """The recommendation (computed off the UI thread)."""
        from socwizard.tui.screens.results import ResultsScreen

        self._commit_page(strict=False)

        def after(choice: str | None) -> None:
            if choice == "review":
                self.action_review()
            elif choice == "home":
                self.action_home()
            else:
                self.refresh_map()

        self.app.push_screen(ResultsScreen(self.session), after)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The report reader is offered on the evidence section only."""
        if action == "read_report":
            from socwizard.tui.screens.evidence import on_evidence_section

            return on_evidence_section(self.session, self.current)
        return super().check_action(action, parameters)

    def action_read_report(self) -> None:
        """Read the vendor's report into the evidence answers (its own screen)."""
        from socwizard.tui.screens.evidence import EvidenceScreen

        self._commit_page(strict=False)

        async def after(saved: bool | None) -> None:
            if saved:
                self.autosave()
                if self.current is not None:
                    await self.show_question(self.current)

        self.app.push_screen(EvidenceScreen(self.session), after)

    def action_home(self) -> None:
        """Save and return to the list (after asking, if the file changed on disk).

        With the map open over the page on a narrow terminal, Escape folds the map first.
        """
        if self._narrow_map_open():
            self._show_narrow_map(False)
            return
        self._commit_page(strict=False)
        if self.save_now() or not self.session.conflict:
            self.dismiss()

    def action_save(self) -> None:
        """Save now."""
        self._commit_page(strict=False)
        if self.save_now():
            self.notify("Saved.", timeout=2)

    # --- saving -------------------------------------------------------------------------

    def save_now(self) -> bool:
        """Save synchronously (leaving the screen, quitting)."""
        problem = self.session.save()
        if problem and not self.session.conflict:  # a conflict has its own dialog, not a toast
            self.notify(problem, title="Not saved", severity="error", markup=False, timeout=15)
        if self.is_mounted:
            self.show_save_state(problem or "")
        self._ask_on_conflict()
        return not problem

    def _ask_on_conflict(self) -> None:
        """A save refused over a changed file: ask save as copy / reload / discard (issue 9)."""
        from socwizard.tui.app import SocwizardApp

        if self.session.conflict and isinstance(self.app, SocwizardApp):
            self.app.resolve_conflict(self)

    def _save_cursor_soon(self) -> None:
        """A moved cursor alone is saved a moment later (answers are saved at once).

        Flipping through pages then costs no disk write per page; quitting saves
        anyway, and a crash loses at most the position, never an answer.
        """
        if self._cursor_timer is not None:
            self._cursor_timer.stop()
        self._cursor_timer = self.set_timer(CURSOR_SAVE_DELAY_S, self.autosave)

    @work(group="autosave")
    async def autosave(self) -> None:
        """Save after every answer, off the UI thread (saves are serialised by the session)."""
        self._saving = True
        self.show_save_state()
        answered, self._answered = self._answered, None
        before = self.session.latest
        try:
            problem = await asyncio.to_thread(self.session.save)
        finally:
            self._saving = False
        if problem and not self.session.conflict:
            # A file changed on disk gets its dialog (save as a copy, reload, discard): a
            # toast on top of it hid the dialog's words at 60×20 for fifteen seconds.
            self.notify(problem, title="Not saved", severity="error", markup=False, timeout=15)
        if self.is_mounted:
            self.show_save_state(problem or "")
            self.show_warnings()
            after = self.session.latest
            if after is not None and after is not before:
                was = warned_questions(before) if before is not None else frozenset()
                if warned_questions(after) != was:  # a "!" on the map appears or goes
                    self.refresh_map()
            self._tell_new_warnings(answered, before)
            self._ask_on_conflict()

    def show_warnings(self) -> None:
        """Contradicting answers under the question on screen, from the last saved result.

        The result comes from the session (computed by the core when it saved); this
        screen only picks the warnings that concern its question.
        """
        view = self.view()
        result = self.session.latest
        if view is not None and result is not None:
            view.show_warnings(warnings_for(result, view.question.id))

    def _tell_new_warnings(self, answered: str | None, before: Result | None) -> None:
        """An answer just left behind contradicts another: say so (it shows under both)."""
        result = self.session.latest
        view = self.view()
        if answered is None or result is None or (view is not None and view.question.id == answered):
            return
        known = {w.rule_id for w in warnings_for(before, answered)} if before is not None else set()
        for warning in warnings_for(result, answered):
            if warning.rule_id not in known:
                self.notify(
                    one_line(warning.text or warning.label, 300),
                    title=one_line(warning.label, 80),
                    severity="warning",
                    markup=False,
                    timeout=10,
                )

    def commit_and_save(self) -> None:
        """Record what the page holds (when valid) and save at once (quitting)."""
        self._commit_page(strict=False)
        self.session.save()

    def on_unmount(self) -> None:
        """Quitting mid-interview loses nothing that was recorded."""
        self.session.save()
