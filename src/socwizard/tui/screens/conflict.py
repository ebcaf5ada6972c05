"""After "Not saved … changed on disk": save as a copy, reload, or discard — never silent."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Choice = Literal["copy", "reload", "discard"]


class ConflictScreen(ModalScreen[Choice | None]):
    """Ask what to do with edits the store refused to write over a changed file.

    Dismisses with ``"copy"``, ``"reload"``, ``"discard"``, or None (Escape: keep
    editing; the edits stay in memory and the question comes back on the next save).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", "Keep editing", id="keep"),
    ]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [  # type: ignore[misc]
        (0, "-narrow"),
        (72, "-wide"),
    ]

    def __init__(self, name: str, problem: str) -> None:
        super().__init__()
        self.file_name = name
        self.problem = problem

    def compose(self) -> ComposeResult:
        """Build the dialog (file text only as Content, never markup)."""
        with Vertical(id="conflict-box"):
            yield Static(Content.from_markup("[bold $sw-bad]Not saved[/]"), id="conflict-title")
            yield Static(
                Content.from_markup(
                    "$name changed on disk since you opened it (another window or a sync "
                    "tool?). Your latest changes are not saved yet.",
                    name=self.file_name,
                ),
                id="conflict-text",
            )
            with Horizontal(id="conflict-buttons"):
                yield Button("Save as a copy", id="copy", variant="primary", compact=True)
                yield Button("Reload from disk", id="reload", compact=True)
                yield Button("Discard my changes", id="discard", variant="error", compact=True)

    def on_mount(self) -> None:
        """Saving a copy loses nothing: it is the default."""
        self.query_one("#copy", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button's choice."""
        choice = event.button.id
        if choice in ("copy", "reload", "discard"):
            self.dismiss(choice)  # type: ignore[arg-type]

    def action_keep(self) -> None:
        """Back to the interview; nothing decided."""
        self.dismiss(None)
