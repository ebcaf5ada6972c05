"""A full-screen error: the core's one-line message, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from socwizard.tui.safe import block, line
from socwizard.tui.widgets.footer import StableFooter


class ErrorScreen(Screen[None]):
    """Something prevents the wizard from working; say what and how to fix it."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q,escape", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, title: str, message: str, details: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.details = details or []

    def compose(self) -> ComposeResult:
        """Build the page."""
        with Vertical(id="error-box"):
            yield Static(line(self.title_text), id="error-title")
            yield Static(block(self.message), id="error-message")
            if len(self.details) > 1:
                with VerticalScroll(id="error-details"):
                    yield Static(block("\n".join(self.details[:200])))
            yield Static(
                "Fix the file and start socwizard again. `socwizard bank validate` lists every problem.",
                id="error-hint",
                markup=False,
            )
            yield Button("Quit", id="quit", variant="error")
        yield StableFooter()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Quit."""
        if event.button.id == "quit":
            self.action_quit()

    def action_quit(self) -> None:
        """Leave with exit code 2 (the bank or store needs fixing)."""
        self.app.exit(2, return_code=2)
