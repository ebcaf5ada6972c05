"""New assessment: vendor, title, assessor and the reviewed-on date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from socwizard.core.text import clean, one_line
from socwizard.tui.safe import block, join
from socwizard.tui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from socwizard.tui.app import SocwizardApp


class NewScreen(Screen[None]):
    """The few facts every assessment needs before the interview starts."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#vendor"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+n", "start", "Start interview", id="start", tooltip="Create it and ask the first question"
        ),
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Back to the list"),
        # Priority: the focus moves before the keys typed next are handed out (typed fast,
        # or pasted right after Tab, they went into the previous field).
        Binding("tab", "field(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "field(-1)", "Previous field", show=False, priority=True),
        Binding("enter", "enter", "Next field / start", show=False, priority=True),
    ]
    HELP_TITLE = "the new assessment form"

    @property
    def wizard(self) -> SocwizardApp:
        """The app, typed."""
        from socwizard.tui.app import SocwizardApp

        assert isinstance(self.app, SocwizardApp)
        return self.app

    def compose(self) -> ComposeResult:
        """Build the page."""
        bank = self.wizard.bank
        yield Static(join(("socwizard", "bold"), "  ·  New assessment"), id="topbar")
        with VerticalScroll(id="form", can_focus=False):
            if bank is not None and bank.meta.intro:
                yield Static(block(bank.meta.intro), id="intro")
            with Grid(id="fields"):
                yield Label("Vendor", classes="field-label")
                yield Input(placeholder="e.g. Acme Payroll Ltd", id="vendor", max_length=200, compact=True)
                yield Label("Title", classes="field-label")
                yield Input(
                    placeholder="optional, e.g. Payroll outsourcing 2026",
                    id="title",
                    max_length=200,
                    compact=True,
                )
                yield Label("Assessor", classes="field-label")
                yield Input(placeholder="optional: your name", id="assessor", max_length=200, compact=True)
                yield Label("Reviewed on", classes="field-label")
                yield Input(
                    self.wizard.today().isoformat(), placeholder="YYYY-MM-DD", id="reviewed_on", compact=True
                )
                yield Label("Vendor key", classes="field-label")
                yield Input(
                    placeholder="optional: from the vendor's name",
                    id="vendor_key",
                    max_length=64,
                    compact=True,
                    tooltip="Groups this vendor's assessments in the register (blank: made from the name)",
                )
            yield Static(
                "“Reviewed on” sets report freshness and the next review.",
                id="date-hint",
                markup=False,
            )
            error = Static("", id="form-error")
            error.display = False
            yield error
            with Horizontal(id="form-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Start interview", id="start", compact=True, variant="primary")
        yield StableFooter()

    def action_field(self, step: int) -> None:
        """Move to the next (or previous) field at once."""
        if step > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_enter(self) -> None:
        """Enter: a button is pressed, the last field starts, any other field moves on."""
        focused = self.focused
        if isinstance(focused, Button):
            focused.press()
        elif focused is not None and focused.id == "reviewed_on":
            self.action_start()
        else:
            self.focus_next()

    @on(Input.Changed, "#vendor")
    def _vendor_typed(self, event: Input.Changed) -> None:
        """The key a blank vendor key will get, as its placeholder."""
        from socwizard.core.assessment import vendor_key_for

        name = one_line(clean(event.value), 200)
        hint = (
            f"optional: {vendor_key_for(name)}" if name.strip() else "optional: made from the vendor's name"
        )
        self.query_one("#vendor_key", Input).placeholder = hint

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def _value(self, widget_id: str) -> str:
        return one_line(clean(self.query_one(f"#{widget_id}", Input).value), 200)

    def _error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(join(("⚠ ", "bold $sw-bad"), message))
        error.display = True

    def action_cancel(self) -> None:
        """Back to Home."""
        self.dismiss()

    def action_start(self) -> None:
        """Create the assessment, save it at once, and start the interview."""
        from socwizard.tui.session import Session

        app = self.wizard
        assert app.bank is not None and app.store is not None
        if not self.query("#reviewed_on"):
            return  # a key pressed before the form is built
        vendor, title, assessor = self._value("vendor"), self._value("title"), self._value("assessor")
        if not vendor and not title:
            self._error("Name the vendor (or give the assessment a title).")
            self.query_one("#vendor", Input).focus()
            return
        raw_date = self._value("reviewed_on")
        try:
            reviewed_on = dt.date.fromisoformat(raw_date) if raw_date else app.today()
        except ValueError:
            self._error("The reviewed-on date must look like 2026-03-31.")
            self.query_one("#reviewed_on", Input).focus()
            return
        try:
            session = Session.create(
                app.store,
                app.bank,
                vendor=vendor,
                title=title,
                assessor=assessor,
                reviewed_on=reviewed_on,
                vendor_key=self._value("vendor_key") or None,
            )
        except ValidationError as exc:
            first = exc.errors(include_url=False, include_input=False)[0]
            field = ".".join(str(p) for p in first["loc"])
            self._error(f"{field}: {first['msg'].removeprefix('Value error, ')}")
            if field == "vendor_key":
                self._error("The vendor key takes letters, digits, - and _ only (or leave it blank).")
                self.query_one("#vendor_key", Input).focus()
            return
        problem = session.save(force=True)
        if problem:
            self._error(problem)
            return
        self.dismiss()
        app.start_interview(session)
