"""Import a colleague's file: a path, a preview of its headline, then a copy into the store."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from socwizard.core.errors import SocwizardError
from socwizard.core.text import clean, one_line
from socwizard.tui.safe import join

if TYPE_CHECKING:
    from socwizard.core.assessment import Assessment, Loaded
    from socwizard.core.store import Entry
    from socwizard.tui.app import SocwizardApp


FIXED_ROWS = 13
"""Rows of the dialog besides the preview: its border, title, label, path box and buttons."""


def _note(warning: object, path: Path) -> str:
    """A warning without the file's path (the preview is about that file): ``line 8: …``."""
    text = str(warning)
    head = f"{path}:"
    if not text.startswith(head):
        return text
    rest = text[len(head) :]
    number, colon, tail = rest.partition(": ")
    return f"line {number}: {tail}" if colon and number.isdigit() else rest.lstrip()


class ImportScreen(ModalScreen[Path | None]):
    """Preview then import; dismisses with the new path (or None)."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#path"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+o", "import", "Import", id="import", tooltip="Copy it into your store"),
    ]

    def on_resize(self) -> None:
        """The preview scrolls within the room the screen leaves, so the buttons stay in view.

        A file with notes (answers kept aside, a long title) made the dialog taller than the
        screen at 80×24 and 60×20: Cancel and "Import a copy" were below it.
        """
        self.query_one("#preview-box").styles.max_height = max(3, self.size.height - FIXED_ROWS)

    def __init__(self, entries: Sequence[Entry] = ()) -> None:
        super().__init__()
        self.preview: Loaded | None = None
        self.previewed: Path | None = None
        self.entries = entries
        """What the store holds already (to say when the file is in it)."""

    @property
    def wizard(self) -> SocwizardApp:
        """The app, typed."""
        from socwizard.tui.app import SocwizardApp

        assert isinstance(self.app, SocwizardApp)
        return self.app

    def compose(self) -> ComposeResult:
        """Build the page."""
        with Vertical(id="import-box"):
            yield Static(join(("Import a colleague's assessment", "bold")), id="import-title")
            yield Static("Path to the .toml file (the original is never modified)", markup=False)
            yield Input(placeholder="~/Downloads/acme-payroll.toml", id="path")
            with VerticalScroll(id="preview-box"):  # Tab, then the arrow keys, scroll a long one
                yield Static(join(("Type a path and press Enter to preview it.", "$sw-muted")), id="preview")
            with Horizontal(id="import-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Import a copy", id="import", compact=True, variant="primary", disabled=True)

    def _path(self) -> Path | None:
        """The path typed; under ``serve``, confined (raises OutsideConfinement)."""
        text = clean(self.query_one("#path", Input).value).strip()
        if not text:
            return None
        roots = self.wizard.confine
        if roots is not None:
            from socwizard.core.confine import confine

            return confine(text, roots)
        return Path(text).expanduser()

    def _typed(self) -> Path | None:
        """:meth:`_path`, or None when it is refused."""
        try:
            return self._path()
        except SocwizardError:
            return None

    @on(Input.Changed, "#path")
    def _changed(self) -> None:
        self.preview = None
        self.query_one("#import", Button).disabled = True
        self.load_preview(delay=0.3)

    @on(Input.Submitted, "#path")
    def _submitted(self) -> None:
        if self.preview is not None and self.previewed == self._typed():
            self.action_import()
        else:
            self.load_preview(delay=0)

    @work(exclusive=True, group="import-preview")
    async def load_preview(self, delay: float) -> None:
        """Read and evaluate the file off the UI thread (never copies anything)."""
        if delay:
            await asyncio.sleep(delay)
        box = self.query_one("#preview", Static)
        try:
            path = self._path()
        except SocwizardError as exc:
            box.update(join(("Cannot import: ", "bold $sw-bad"), one_line(exc.first_line, 400)))
            return
        if path is None:
            box.update(join(("Type a path and press Enter to preview it.", "$sw-muted")))
            return
        bank = self.wizard.bank
        assert bank is not None
        from socwizard.core.assessment import read_assessment_file

        try:
            loaded = await asyncio.to_thread(read_assessment_file, path, bank, allow_symlink=False)
        except SocwizardError as exc:
            box.update(join(("Cannot import: ", "bold $sw-bad"), one_line(exc.first_line, 400)))
            return
        except OSError as exc:
            box.update(join(("Cannot import: ", "bold $sw-bad"), one_line(str(exc.strerror or exc), 200)))
            return
        self.preview = loaded
        self.previewed = path
        a = loaded.assessment
        count = len(a.answers)
        parts: list[object] = [
            (one_line(a.display_title, 200), "bold"),
            (f" — {one_line(a.vendor, 40)}" if a.vendor and a.vendor != a.display_title else "", ""),
            f"\nreviewed on {a.reviewed_on.isoformat()} · {a.status.replace('_', ' ')}",
            f" · {count} answer{'s' if count != 1 else ''}",
            "\n",
            (one_line(loaded.result.headline(), 300), "$sw-accent"),
        ]
        notes = [_note(w, path) for w in loaded.warnings]
        twin = self.already(a)
        if twin:
            notes.insert(0, twin)
        for note in notes[:3]:
            parts += ["\n", ("⚠ ", "bold $sw-warn"), one_line(note, 300)]
        if len(notes) > 3:
            parts += ["\n", f"… and {len(notes) - 3} more notes"]
        parts += ["\n", ("Import a copy of it into your store?", "bold")]
        box.update(join(*parts))  # type: ignore[arg-type]
        self.query_one("#import", Button).disabled = False

    def already(self, assessment: Assessment) -> str:
        """A note when the store already holds this assessment (same id, or same facts)."""
        for entry in self.entries:
            if assessment.id is not None and entry.id == assessment.id:
                return f"already in your store as {entry.path.name}: importing makes a second copy"
        for entry in self.entries:
            same = (entry.title, entry.vendor, entry.reviewed_on) == (
                assessment.title,
                assessment.vendor,
                assessment.reviewed_on,
            )
            if same:
                return f"your store has one with the same title, vendor and date: {entry.path.name}"
        return ""

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#import")
    def _import(self) -> None:
        self.action_import()

    def action_cancel(self) -> None:
        """Close without importing."""
        self.dismiss(None)

    def action_import(self) -> None:
        """Copy the previewed file into the store under a new name."""
        path = self.previewed
        store, bank = self.wizard.store, self.wizard.bank
        if self.preview is None or path is None or store is None or bank is None:
            self.load_preview(delay=0)
            return
        try:
            destination, _ = store.import_file(path, bank)
        except SocwizardError as exc:
            self.query_one("#preview", Static).update(
                join(("Cannot import: ", "bold $sw-bad"), one_line(exc.first_line, 400))
            )
            return
        except OSError as exc:
            self.query_one("#preview", Static).update(
                join(("Cannot import: ", "bold $sw-bad"), one_line(str(exc.strerror or exc), 200))
            )
            return
        self.notify(f"Imported as {destination.name}.", title="Imported", markup=False)
        self.dismiss(destination)
