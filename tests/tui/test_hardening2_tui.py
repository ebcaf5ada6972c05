"""Issue 9 in the wizard: a lost save conflict asks (items 9); Import under serve is confined (8)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Static

from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp
from socwizard.tui.screens.conflict import ConflictScreen
from socwizard.tui.screens.importer import ImportScreen
from socwizard.tui.screens.interview import InterviewScreen

from .conftest import MINI_BANK, TODAY, make_app, save_fixed, settle

SIZE = (100, 30)


def _someone_else_edits(path: Path) -> None:
    path.write_text(path.read_text().replace('title = "Payroll outsourcing"', 'title = "Edited elsewhere"'))


async def _conflicted(pilot: object, app: SocwizardApp, path: Path) -> InterviewScreen:
    """Open ``path``, let another writer change it, then answer: the save is refused."""
    await settle(pilot)  # type: ignore[arg-type]
    screen = next(s for s in app.screen_stack if isinstance(s, InterviewScreen))
    assert screen.current == "data_types"
    _someone_else_edits(path)
    await pilot.press("space", "ctrl+n")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    return screen


async def test_quit_after_a_conflict_asks_and_a_copy_keeps_the_edit(store: Store, mini: Bank) -> None:
    path = save_fixed(store, mini, "acme")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await _conflicted(pilot, app, path)
        assert isinstance(app.screen, ConflictScreen)  # asked at once, not only on quit
        await pilot.press("escape")  # keep editing
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ConflictScreen)  # never a silent exit
        await pilot.click("#copy")
        await settle(pilot)
    assert app.return_code == 0
    files = sorted(store.root.glob("[!.]*.toml"))
    assert len(files) == 2
    assert 'title = "Edited elsewhere"' in path.read_text()  # the other writer's change is kept
    (copy,) = [f for f in files if f != path]
    text = copy.read_text()
    assert "data_types = [" in text and "customer_pii" in text  # …and so is ours
    assert 'id = "acme"' not in text


async def test_discard_after_a_conflict_leaves_the_file_as_on_disk(store: Store, mini: Bank) -> None:
    path = save_fixed(store, mini, "acme")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await _conflicted(pilot, app, path)
        assert isinstance(app.screen, ConflictScreen)
        before = path.read_bytes()
        await pilot.click("#discard")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert path.read_bytes() == before
    assert sorted(store.root.glob("[!.]*.toml")) == [path]


async def test_reload_after_a_conflict_shows_the_file_on_disk(store: Store, mini: Bank) -> None:
    path = save_fixed(store, mini, "acme")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        old = await _conflicted(pilot, app, path)
        await pilot.click("#reload")
        await settle(pilot)
        screen = next(s for s in app.screen_stack if isinstance(s, InterviewScreen))
        assert screen is not old
        assert screen.session.assessment.title == "Edited elsewhere"
        assert "data_types" not in screen.session.assessment.answers


async def test_import_under_serve_reads_only_the_store_and_files_dir(
    store: Store, mini: Bank, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    colleague = save_fixed(store, mini, "colleague")
    (shared / "colleague.toml").write_bytes(colleague.read_bytes())
    secret = tmp_path / "secret.toml"
    secret.write_bytes(colleague.read_bytes())
    (shared / "link.toml").symlink_to(secret)
    app = SocwizardApp(store.root, MINI_BANK, None, None, today=TODAY, confine=(shared, store.root))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ImportScreen())
        await settle(pilot)
        texts: dict[str, str] = {}
        for typed in (
            str(secret),
            str(tmp_path / "missing.toml"),
            "/etc/passwd",
            "../secret.toml",
            "link.toml",
        ):
            app.screen.query_one("#path", Input).value = typed
            await pilot.press("enter")
            await settle(pilot)
            texts[typed] = str(app.screen.query_one("#preview", Static).content)
        refusals = set(texts.values())
        assert len(refusals) == 1, texts  # the same words whether the file exists or not
        (refusal,) = refusals
        assert "Cannot import" in refusal and str(tmp_path) not in refusal and "passwd" not in refusal
        app.screen.query_one("#path", Input).value = "colleague.toml"
        await pilot.press("enter")
        await settle(pilot)
        assert "Payroll outsourcing" in str(app.screen.query_one("#preview", Static).content)


async def test_at_60x20_the_conflict_dialog_is_whole_and_not_under_a_toast(store: Store, mini: Bank) -> None:
    """At 60×20 "Discard my changes" was cut off the dialog's right edge, and two "Not saved"
    toasts (fifteen seconds each) lay on top of the dialog's words."""
    from .conftest import screen_lines

    path = save_fixed(store, mini, "acme", cursor="data_types")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(60, 20)) as pilot:
        await _conflicted(pilot, app, path)
        screen = app.screen
        assert isinstance(screen, ConflictScreen)
        assert list(app._notifications) == []  # the dialog says it: no toast over it
        text = "\n".join(screen_lines(app))
        for button in screen.query(Button).results(Button):
            assert str(button.label) in text, text
            assert button.region.right <= 60
        assert "changed on disk" in " ".join(text.split())
