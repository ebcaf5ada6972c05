"""Review and New at 80×24: focus order, fit, no bare letter keys beside inputs, wrapped answers."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static

from socwizard.core.answers import UNKNOWN, Answer
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.screens.export import ExportScreen
from socwizard.tui.screens.importer import ImportScreen
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.new import NewScreen
from socwizard.tui.screens.review import ReviewScreen

from .conftest import make_app, save_fixed, settle

SIZE = (80, 24)
NOTE = "per the MSA, " + "a long note that keeps going " * 6 + "[b]end[/b]"


def _ids(screen: Screen[Any]) -> list[str]:
    return [w.id or type(w).__name__ for w in screen.focus_chain]


def _bare_letter_keys(screen: Screen[Any]) -> list[str]:
    keys = [key for key, _ in screen._bindings]
    return [key for key in keys if len(key) == 1 and key.isprintable()]


async def test_new_screen_focus_order_fit_and_keys(store: Store) -> None:
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewScreen)
        assert _ids(screen) == ["vendor", "title", "assessor", "reviewed_on", "vendor_key", "cancel", "start"]
        assert app.focused is screen.query_one("#vendor", Input)
        assert _bare_letter_keys(screen) == []
        form = screen.query_one("#form")
        assert form.max_scroll_y == 0  # everything fits at 80×24
        start = screen.query_one("#start", Button)
        assert start.region.bottom <= SIZE[1] - 1  # above the footer
        error = screen.query_one("#form-error", Static)
        assert not error.display
        await pilot.press("ctrl+n")  # neither vendor nor title
        await pilot.pause()
        assert error.display and "Name the vendor" in str(error.content)
        assert app.focused is screen.query_one("#vendor", Input)
        await pilot.press("shift+tab")
        assert app.focused is screen.query_one("#start", Button)


async def test_dialogs_with_inputs_bind_no_bare_letters(store: Store, mini_bank: Bank) -> None:
    save_fixed(store, mini_bank, "keys")
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, kind in (("ctrl+o", ImportScreen), ("ctrl+e", ExportScreen)):
            await pilot.press(key)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, kind)
            assert screen.query(Input)
            assert _bare_letter_keys(screen) == []
            await pilot.press(*"yn")  # typed into the input, nothing happens
            await settle(pilot)
            assert app.screen is screen
            await pilot.press("escape")
            await settle(pilot)


def _option_lines(review: ReviewScreen, qid: str) -> list[str]:
    answers = review.query_one("#answers", OptionList)
    option = answers.get_option(qid)
    return str(option.prompt).split("\n")


async def test_review_wraps_answers_and_notes_under_their_indent(store: Store, mini_bank: Bank) -> None:
    answers = {"data_types": Answer(value=("customer_pii",), note=NOTE), "financial": UNKNOWN}
    path = save_fixed(store, mini_bank, "review", answers=answers, cursor="sla")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert _ids(review) == ["answers", "back", "change", "results"]
        assert _bare_letter_keys(review) == []
        for width in (80, 60):
            await pilot.resize_terminal(width, SIZE[1])
            await settle(pilot)
            room = review.query_one("#answers", OptionList).scrollable_content_region.width
            lines = _option_lines(review, "data_types")
            assert lines[0] == "Which data does the vendor hold?"
            assert lines[1] == "  → Customers' personal data"
            note = lines[2:]
            assert len(note) > 1
            assert note[0].startswith("    note: per the MSA")
            assert all(line.startswith("    ") and line[4] != " " for line in note)
            assert all(len(line) <= room for line in lines)  # never wrapped again by the list
            assert "".join(line.strip() + " " for line in note).strip() == f"note: {NOTE}"
        summary = str(review.query_one("#summary", Static).content)
        assert summary.splitlines()[0] == '1 answered · 1 "I don\'t know" · 4 not answered yet'


async def test_review_change_opens_the_highlighted_question(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "change", answers={"financial": UNKNOWN}, cursor="sla")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        review = await _to_review(pilot)
        answers = review.query_one("#answers", OptionList)
        await pilot.press("down")
        highlighted = answers.get_option_at_index(answers.highlighted or 0).id
        assert highlighted == "financial"
        await pilot.click("#change")
        await settle(pilot)
        interview = app.screen
        assert isinstance(interview, InterviewScreen)
        assert interview.current == "financial"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)


async def _to_review(pilot: Pilot[Any]) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)
    review = pilot.app.screen
    assert isinstance(review, ReviewScreen)
    return review
