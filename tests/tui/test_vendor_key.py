"""The vendor key: set at creation, editable on Results (issue 12), validated by the core's rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from socwizard.core.answers import Answer
from socwizard.core.assessment import vendor_key_for
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.new import NewScreen
from socwizard.tui.screens.register import RegisterScreen
from socwizard.tui.screens.results import ResultsScreen
from socwizard.tui.screens.vendor import VendorScreen
from socwizard.tui.screens.vendor_key import VendorKeyScreen

from .conftest import make_app, save_fixed, settle


async def test_new_screen_sets_a_vendor_key_and_refuses_a_bad_one(store: Store) -> None:
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewScreen)
        await pilot.press(*"Acme Payroll")
        await pilot.pause()
        key = screen.query_one("#vendor_key", Input)
        assert key.placeholder.startswith("optional: acme-payroll-")  # what a blank key becomes
        key.value = "bad key!"
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen is screen  # refused, with a word on why
        error = screen.query_one("#form-error", Static)
        assert error.display and "letters, digits" in str(error.render())
        assert screen.focused is key
        key.value = "acme-group"
        await pilot.press("ctrl+n")
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        assert interview.session.assessment.vendor_key == "acme-group"
        assert interview.session.path is not None
        assert 'vendor_key = "acme-group"' in interview.session.path.read_text()


async def test_results_edits_the_vendor_key_and_saves_it(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "done", status="complete", answers={"financial": Answer(value=False)})
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        before = results.session.assessment.vendor_key
        assert before and before.startswith("acme-payroll-")
        await pilot.press("f7")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, VendorKeyScreen)
        box = dialog.query_one("#key", Input)
        assert box.value == before
        box.value = "no spaces please"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "letters, digits" in str(
            dialog.query_one("#key-error", Static).render()
        )
        box.value = "acme-group"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert results.session.assessment.vendor_key == "acme-group"
        assert 'vendor_key = "acme-group"' in path.read_text()


def _three_of_acme(store: Store, mini_bank: Bank) -> list[Path]:
    done = {"financial": Answer(value=False)}
    return [save_fixed(store, mini_bank, f"acme{n}", status="complete", answers=done) for n in range(3)]


async def _dialog(pilot: Pilot[Any]) -> VendorKeyScreen:
    """The key dialog, once up (its caller's worker waits on it: no ``settle`` here)."""
    for _ in range(500):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, VendorKeyScreen):
            await pilot.pause()
            return pilot.app.screen
    raise AssertionError("no vendor key dialog")


async def _new_key_on_results(store: Store, path: Path, key: str, *, history: bool) -> list[str]:
    """Change the key on Results; what the app said."""
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        await pilot.press("f7")
        dialog = await _dialog(pilot)
        box = dialog.query_one("#key-history", Checkbox)
        assert box.value and "2 other assessments" in str(box.label)
        box.value = history
        dialog.query_one("#key", Input).value = key
        dialog.query_one("#key", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        return [str(n.message) for n in app._notifications]


async def test_a_new_key_on_results_moves_the_vendors_history(store: Store, mini_bank: Bank) -> None:
    """Issue 12: the key groups a vendor's history; changing it on one assessment moves them all."""
    paths = _three_of_acme(store, mini_bank)
    old = vendor_key_for("Acme Payroll")
    said = await _new_key_on_results(store, paths[0], "acme-group", history=True)
    assert all('vendor_key = "acme-group"' in p.read_text() for p in paths)
    assert any("for its 2 other assessments" in m for m in said), said
    assert not any("grouped with" in m for m in said), said  # its own history, no other vendor
    assert not any(old in p.read_text() for p in paths)


async def test_unticked_only_this_assessment_leaves_its_history(store: Store, mini_bank: Bank) -> None:
    paths = _three_of_acme(store, mini_bank)
    old = vendor_key_for("Acme Payroll")
    await _new_key_on_results(store, paths[0], "acme-alone", history=False)
    assert 'vendor_key = "acme-alone"' in paths[0].read_text()
    assert all(f'vendor_key = "{old}"' in p.read_text() for p in paths[1:])


async def test_the_registers_vendor_screen_edits_the_key_of_every_assessment(
    store: Store, mini_bank: Bank
) -> None:
    paths = _three_of_acme(store, mini_bank)
    app = make_app(store.root)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VendorScreen)
        await pilot.press("f7")
        dialog = await _dialog(pilot)
        assert "3 assessments" in str(dialog.query_one("#key-scope", Static).render())
        dialog.query_one("#key", Input).value = "acme-group"
        await pilot.press("enter")
        await settle(pilot)
        register = app.screen
        assert isinstance(register, RegisterScreen)  # back, rebuilt from the files
        assert [(r.key, r.assessments) for r in register.rows] == [("acme-group", 3)]
    assert all('vendor_key = "acme-group"' in p.read_text() for p in paths)
