"""The vendor key: set at creation, editable on Results (issue 12), validated by the core's rules."""

from __future__ import annotations

from textual.widgets import Input, Static

from socwizard.core.answers import Answer
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.new import NewScreen
from socwizard.tui.screens.results import ResultsScreen
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
