"""The vendor key is set on the New screen (issue 12), validated by the core's rules."""

from __future__ import annotations

from textual.widgets import Input, Static

from socwizard.core.store import Store
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.new import NewScreen

from .conftest import make_app, settle


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
