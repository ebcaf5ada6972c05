"""Figure 3: start → first question on screen, headless, vs a minimal Textual app.

``python tui_start.py floor`` or ``python tui_start.py socwizard STORE BANK FILE``.
Both exit right after the first frame that shows what they are measured for.
"""

from __future__ import annotations

import sys
from pathlib import Path

SIZE = (80, 24)


def floor() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, ProgressBar, RadioButton, RadioSet, Static

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("Which of these kinds of data will the vendor hold for you?")
            with RadioSet():
                for i in range(6):
                    yield RadioButton(f"Option {i}")
            yield ProgressBar(total=40)
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.exit)

    Floor().run(headless=True, size=SIZE)


def socwizard(store: str, bank: str, file: str) -> None:
    from socwizard.tui.app import SocwizardApp

    class Bench(SocwizardApp):
        def on_ready(self) -> None:
            # Not on_mount: Textual calls on_mount of every class in the MRO.
            self.set_interval(0.002, self._check)

        def _check(self) -> None:
            screen = self.screen
            if type(screen).__name__ == "InterviewScreen" and screen.query("QuestionView"):
                self.call_after_refresh(self.exit)

    Bench(Path(store), Path(bank), None, Path(file)).run(headless=True, size=SIZE)


def floor_with_pydantic() -> None:
    """The floor plus the least any pydantic-validated file costs: one model, validated."""
    from pydantic import BaseModel

    class One(BaseModel):
        x: int

    One(x=1)
    floor()


def floor_with_core() -> None:
    """The floor plus importing the core that reads an assessment (no bank, no file)."""
    import socwizard.core.assessment  # noqa: F401

    floor()


if __name__ == "__main__":
    if sys.argv[1] == "floor":
        floor()
    elif sys.argv[1] == "floor+core":
        floor_with_core()
    elif sys.argv[1] == "floor+pydantic":
        floor_with_pydantic()
    else:
        socwizard(*sys.argv[2:5])
