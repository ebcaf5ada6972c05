"""Read the vendor's report: a path, then each proposed answer beside its quote, then save.

The reading itself (pypdf in a limited child process, then the structural reader) runs
off the UI thread; this screen only shows what the core proposes. Every text from the PDF
is rendered as plain content, never markup.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from socwizard.core.errors import SocwizardError
from socwizard.core.text import clean, counted, one_line
from socwizard.tui.safe import join

if TYPE_CHECKING:
    from socwizard.core.evidence.attach import Proposal
    from socwizard.core.evidence.model import Report
    from socwizard.tui.session import Session

STATUS = {
    "new": ("new", "$text-success"),
    "same": ("already your answer", "$sw-muted"),
    "adds": ("added to your answer", "$text-success"),
    "differs": ("replaces your answer: tick to replace", "$text-warning"),
}


def on_evidence_section(session: Session, question_id: str | None) -> bool:
    """Whether ``question_id`` is in a section the report reader fills."""
    from socwizard.core.evidence.mapping import ROWS

    question = session.question(question_id) if question_id else None
    if question is None:
        return False
    sections = {q.section for q in (session.question(r.question) for r in ROWS) if q is not None}
    return question.section in sections


class TickBox(Checkbox):
    """A checkbox that shows ✓ when ticked and is empty when not.

    Textual draws every box with the same "X" and tells ticked from unticked by colour
    alone, which a monochrome terminal or a colour-blind reader cannot see.
    """

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button


class EvidenceScreen(ModalScreen[bool]):
    """Path → proposals (each with page and quote) → save the ticked ones; dismisses True if saved."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#report-path"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+o", "save", "Save ticked", id="save", tooltip="Save the ticked answers"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report: Report | None = None
        self.proposals: list[Proposal] = []

    def compose(self) -> ComposeResult:
        """Build the page."""
        with Vertical(id="evidence-box"):
            yield Static(join(("Read the vendor's report", "bold")), id="evidence-title")
            # a Static wraps where a Label is cut (at 60 columns: "… the file is not c")
            yield Static("Path to the PDF (read on this machine; the file is not copied)", markup=False)
            with Horizontal(id="evidence-inputs"):
                yield Input(placeholder="~/Downloads/vendor-soc2.pdf", id="report-path")
                yield Input(placeholder="password", password=True, id="report-password")
            yield Static(join(("Type the path and press Enter.", "$sw-muted")), id="evidence-status")
            yield VerticalScroll(id="proposals")
            with Horizontal(id="evidence-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Accept all", id="accept-all", compact=True, disabled=True)
                yield Button("Save ticked", id="save", compact=True, variant="primary", disabled=True)

    def _status(self, content: Content) -> None:
        self.query_one("#evidence-status", Static).update(content)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.read()

    @work(exclusive=True, group="evidence-read")
    async def read(self) -> None:
        """Read the report off the UI thread, then list the proposals."""
        from socwizard.core.evidence.attach import propose
        from socwizard.core.evidence.sandbox import read_report

        text = clean(self.query_one("#report-path", Input).value).strip()
        if not text:
            return
        path = Path(text).expanduser()
        password = self.query_one("#report-password", Input).value or None
        self._status(join(("Reading ", "$sw-muted"), (one_line(str(path), 120), "$sw-muted"), "…"))
        try:
            report = await asyncio.to_thread(read_report, path, password=password)
        except SocwizardError as exc:
            self._status(join(("Cannot read it: ", "bold $sw-bad"), one_line(exc.first_line, 300)))
            return
        except OSError as exc:
            self._status(join(("Cannot read it: ", "bold $sw-bad"), one_line(str(exc.strerror or exc), 200)))
            return
        self.report = report
        self.proposals = propose(report, self.session.bank, self.session.assessment.answers)
        await self._show(report)

    async def _show(self, report: Report) -> None:
        kind = " ".join(str(v) for v in (report.value("kind"), report.value("type")) if v) or "unrecognised"
        self._status(
            join(
                (one_line(report.file, 60), "bold"),
                f": {kind}, {report.pages} pages · ",
                (counted(len(self.proposals), "answer", "answers") + " found", "$sw-accent"),
            )
        )
        host = self.query_one("#proposals", VerticalScroll)
        await host.remove_children()
        rows: list[Vertical] = []
        for index, proposal in enumerate(self.proposals):
            label, style = STATUS[proposal.status]
            box = TickBox(
                Content(one_line(proposal.prompt, 200)),
                value=proposal.status in ("new", "adds"),
                disabled=proposal.status == "same",
                id=f"take-{index}",
            )
            rows.append(
                Vertical(
                    box,
                    Static(
                        join("→ ", (one_line(proposal.shown, 160), "bold"), "  ", (label, style)),
                        classes="answer",
                    ),
                    Static(
                        join((f"page {proposal.page}: ", "$sw-muted"), f"“{one_line(proposal.quote, 200)}”"),
                        classes="quote",
                    ),
                    classes="proposal",
                )
            )
        exceptions = report.value("exceptions") or []
        if exceptions:
            listed = ", ".join(f"{e['control']} (p. {e['page']})" for e in exceptions[:6])
            rows.append(
                Vertical(
                    Static(
                        join(
                            ("Exceptions in the tests: ", "bold $text-warning"),
                            one_line(listed, 200),
                            ("  — whether you rely on them is yours to answer.", "$sw-muted"),
                        )
                    ),
                    classes="proposal",
                )
            )
        if not rows:
            rows.append(
                Vertical(Static("It answers none of this bank's evidence questions."), classes="proposal")
            )
        await host.mount_all(rows)
        self.query_one("#save", Button).disabled = False
        self.query_one("#accept-all", Button).disabled = not self.proposals
        if self.proposals:
            self.query_one("#save", Button).focus()

    def _ticked(self) -> set[str]:
        ticked: set[str] = set()
        for index, proposal in enumerate(self.proposals):
            found = self.query(f"#take-{index}")
            if found and isinstance(found.first(), Checkbox) and found.first(Checkbox).value:
                ticked.add(proposal.question_id)
        return ticked

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#accept-all")
    def _accept_all(self) -> None:
        """Every new answer; answers you gave stay unless ticked."""
        for index, proposal in enumerate(self.proposals):
            if proposal.status in ("new", "adds"):
                self.query_one(f"#take-{index}", Checkbox).value = True
        self.action_save()

    def action_cancel(self) -> None:
        """Close without saving anything."""
        self.dismiss(False)

    def action_save(self) -> None:
        """Record the ticked answers and the document in the session (autosaved by the interview)."""
        from socwizard.core.evidence.attach import apply

        if self.report is None:
            self.read()
            return
        ticked = self._ticked()
        chosen = [p for p in self.proposals if p.question_id in ticked or p.status == "same"]
        replace = {p.question_id for p in chosen if p.needs_consent}
        updated = apply(self.session.assessment, self.report, chosen, replace=replace)
        self.session.replace_assessment(updated)
        saved = sum(1 for p in chosen if p.status != "same")
        answers = counted(saved, "answer", "answers")
        self.notify(f"{answers} from {one_line(self.report.file, 60)} recorded.", markup=False)
        self.dismiss(True)
