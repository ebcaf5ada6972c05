"""Export an assessment as Markdown, HTML or JSON (for filing, or for a colleague).

Every export goes through :func:`socwizard.serve.deliver_export`: a download in the browser
(``socwizard serve``), or in a terminal a new private file (0600) in a folder, under a
fresh name that never replaces an existing file.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from socwizard.core.errors import SocwizardError
from socwizard.core.text import clean, one_line
from socwizard.tui.safe import join
from socwizard.tui.settings import remember, remembered

if TYPE_CHECKING:
    from socwizard.core.assessment import Loaded
    from socwizard.tui.app import SocwizardApp

DESCRIPTIONS: dict[str, str] = {
    "markdown": "Markdown (.md): for a ticket or a wiki",
    "html": "HTML (.html): to print or attach",
    "pdf": "PDF (.pdf): to attach to the vendor file",
    "request": "Request letter (.txt): to email the vendor",
    "json": "JSON (.json): for other tools",
}
"""Every format the TUI offers, in this order, when the core can write it."""


def formats() -> list[tuple[str, str]]:
    """The (format, description) pairs the core can export."""
    from socwizard.serve import MIME_TYPES

    return [(fmt, text) for fmt, text in DESCRIPTIONS.items() if fmt in MIME_TYPES]


class Choice(RadioButton):
    """A radio button marked ● when chosen and empty when not (Textual tells them by colour only)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button


class ExportScreen(ModalScreen[str | None]):
    """Pick a format (and, in a terminal, a folder); dismisses with the message shown, or None."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    AUTO_FOCUS = "#formats"
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [  # type: ignore[misc]
        (0, "-short"),
        (24, "-tall"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close without exporting"),
        Binding("ctrl+e", "export", "Export", id="export", priority=True, tooltip="Export in this format"),
    ]

    def __init__(self, source: Path, directory: Path | None = None, *, fmt: str = "") -> None:
        super().__init__()
        self.source = source
        self.formats = formats()
        names = [name for name, _ in self.formats]
        self.fmt = fmt if fmt in names else remembered("export_format", names[0])
        last = remembered("export_folder", "")
        self.directory = directory or (Path(last) if last and Path(last).is_dir() else Path.cwd())

    @property
    def wizard(self) -> SocwizardApp:
        """The app, typed."""
        from socwizard.tui.app import SocwizardApp

        assert isinstance(self.app, SocwizardApp)
        return self.app

    def compose(self) -> ComposeResult:
        """Build the page."""
        web = self.app.is_web
        with Vertical(id="export-box"):
            yield Static(
                join(("Export ", "bold"), (one_line(self.source.name, 60), "bold $sw-accent")),
                id="export-title",
            )
            with RadioSet(id="formats"):
                for fmt, label in self.formats:
                    yield Choice(label, value=fmt == self.fmt)
            if web:
                hint = "The file downloads in your browser."
            else:
                yield Label("Into the folder")
                yield Input(str(self.directory), id="folder", placeholder="a folder, e.g. ~/Documents")
                hint = "A new file is written; an existing file is never replaced."
            yield Static(join((hint, "$sw-muted")), id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Export", id="export", compact=True, variant="primary")

    def on_mount(self) -> None:
        """The keyboard starts on the chosen format (Textual's RadioSet starts on the first)."""
        radios = self.query_one("#formats", RadioSet)
        radios._selected = [name for name, _ in self.formats].index(self.fmt)  # textual is pinned

    def _loaded(self) -> Loaded:
        from socwizard.core.assessment import read_assessment_file

        bank = self.wizard.bank
        assert bank is not None
        return read_assessment_file(self.source, bank)

    @on(RadioSet.Changed, "#formats")
    def _format(self, event: RadioSet.Changed) -> None:
        self.fmt = self.formats[event.index][0]

    @on(Input.Submitted, "#folder")
    @on(Button.Pressed, "#export")
    def _go(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close."""
        self.dismiss(None)

    def _status(self, message: str, style: str = "") -> None:
        self.query_one("#export-status", Static).update(join((one_line(message, 400), style)))

    def _folder(self) -> Path | None:
        """The folder to write into (terminal only), or None after saying what is wrong."""
        text = clean(self.query_one("#folder", Input).value).strip()
        folder = Path(text).expanduser() if text else self.directory
        if not folder.is_dir():
            self._status(f"Not a folder: {folder}", "bold $sw-bad")
            self.query_one("#folder", Input).focus()
            return None
        return folder

    def action_export(self) -> None:
        """Deliver the export (a download in the browser, a new file in a terminal)."""
        folder = None
        if not self.app.is_web:
            folder = self._folder()
            if folder is None:
                return
        self.deliver(self.fmt, folder)

    @work(exclusive=True, group="export")
    async def deliver(self, fmt: str, folder: Path | None) -> None:
        """Read the file and write the export off the UI thread (a download is started on it)."""
        from socwizard.serve import deliver_export

        bank = self.wizard.bank
        assert bank is not None
        try:
            loaded = await asyncio.to_thread(self._loaded)
            if self.app.is_web:
                message = deliver_export(self.app, loaded, bank, fmt)
            else:
                message = await asyncio.to_thread(deliver_export, self.app, loaded, bank, fmt, folder)
        except SocwizardError as exc:
            self._status(f"Not exported: {exc.first_line}", "bold $sw-bad")
            return
        except (OSError, ValueError) as exc:
            self._status(f"Not exported: {getattr(exc, 'strerror', None) or exc}", "bold $sw-bad")
            return
        remember(export_format=fmt, export_folder=str(folder) if folder is not None else None)
        self.notify(message, title="Exported", markup=False, timeout=8)
        self.dismiss(message)
