"""Change an assessment's vendor key: the key that groups a vendor's assessments (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from socwizard.core.assessment import KEY_PATTERN, vendor_key_for
from socwizard.core.text import clean, one_line
from socwizard.tui.safe import join

REFUSED = "The vendor key takes letters, digits, - and _ only (at most 64), or stays blank."


def check_key(raw: str) -> tuple[str | None, str]:
    """The key typed (``None``: blank, made from the name) or why the core's pattern refuses it."""
    key = one_line(clean(raw), 200).strip()
    if not key:
        return None, ""
    if re.fullmatch(KEY_PATTERN, key) is None:
        return None, REFUSED
    return key, ""


class VendorKeyScreen(ModalScreen[tuple[str, bool] | None]):
    """Type a vendor key; dismisses with ``(key, history)``, or None (cancelled).

    ``key`` is "" for "made from the name"; ``history`` says whether the vendor's other
    assessments get it too.
    ``others``: how many other assessments share the current key (the vendor's history).
    When there are any, a checkbox (on by default) says whether they follow; ``for_all``
    says the key is for every assessment of the vendor (the register's vendor screen).
    """

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#key"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, current: str | None, vendor: str, *, others: int = 0, for_all: int = 0) -> None:
        super().__init__()
        self.current = current or ""
        self.vendor = vendor
        self.others = others
        self.for_all = for_all

    def compose(self) -> ComposeResult:
        """Build the dialog."""
        with Vertical(id="key-box"):
            yield Static(join(("Vendor key", "bold")), id="key-title")
            yield Static(
                join(
                    "The register groups the assessments that share a key. Type the key your other "
                    "assessments of this vendor use, or leave it blank for ",
                    (vendor_key_for(self.vendor), "bold"),
                    " (made from the name).",
                ),
                id="key-help",
            )
            yield Input(self.current, placeholder=vendor_key_for(self.vendor), id="key", max_length=64)
            if self.for_all:
                count = f"{self.for_all} assessment{'s' if self.for_all != 1 else ''}"
                yield Static(
                    join("The new key is written into the vendor's ", (count, "bold"), " (its history)."),
                    id="key-scope",
                )
            elif self.others:
                count = f"{self.others} other assessment{'s' if self.others != 1 else ''}"
                yield Checkbox(f"Also for the vendor's {count}", True, id="key-history", compact=True)
            yield Static("", id="key-error")
            with Horizontal(id="key-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Save", id="save", compact=True, variant="primary")

    @on(Input.Submitted, "#key")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        key, problem = check_key(self.query_one("#key", Input).value)
        if problem:
            self.query_one("#key-error", Static).update(join(("⚠ ", "bold $sw-bad"), problem))
            return
        boxes = self.query("#key-history").results(Checkbox)
        self.dismiss((key or "", any(box.value for box in boxes)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Leave the key as it is."""
        self.dismiss(None)
