"""A page flip fills the mounted question page in (issue 14, figure 4): it must read as a new page.

The interview keeps one QuestionView mounted and updates it for the next question instead of
building a new one. Whatever the previous question left behind (its help, its choices, a
"why we ask" shown, an error, a note, its buttons) must not show on the next page: every page
reached by flipping reads exactly as the page built from scratch for that question.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.containers import Container
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from socwizard import paths
from socwizard.core.store import Store
from socwizard.tui.app import SocwizardApp
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.widgets.question import QuestionView

from .conftest import make_app, screen_lines, settle
from .test_narrow import example_in


def _page(pilot: Pilot[Any]) -> list[str]:
    """The question page's rows as the terminal shows them."""
    app = pilot.app
    assert isinstance(app, SocwizardApp)
    screen = app.screen
    assert isinstance(screen, InterviewScreen)
    region = screen.query_one("#question-host", Container).region
    rows = screen_lines(app)[region.y : region.bottom]
    return [row[region.x : region.right] for row in rows]


async def _fresh(pilot: Pilot[Any]) -> list[str]:
    """Replace the page with one built from scratch for the same question; its rows."""
    screen = pilot.app.screen
    assert isinstance(screen, InterviewScreen)
    old = screen.query_one(QuestionView)
    host = screen.query_one("#question-host", Container)
    await host.remove_children()
    fresh = QuestionView(old.question, old.answer, section=old.section_title, position=old.position)
    await host.mount(fresh)
    fresh.focus_input()
    await settle(pilot)
    await pilot.pause(0.2)
    return _page(pilot)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_every_page_reached_by_flipping_reads_as_one_built_for_its_question(
    store: Store, size: tuple[int, int]
) -> None:
    # payroll: single choices of 4 and 16 choices, a text box, a list of boxes, yes/no,
    # with help under some choices, "why we ask" on every question
    path = example_in(store, "payroll_sox", cursor="buyer_tier")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.current == "buyer_tier"
        seen = []
        for step, key in enumerate(["ctrl+n"] * 9 + ["ctrl+b"] * 3):
            if step in (1, 4):
                await pilot.press("f5")  # "why we ask" shown on this page: not on the next
            if step == 2:
                screen.query_one("#note", TextArea).load_text("asked Dana, 2026-01-10")
            await pilot.press(key)
            await settle(pilot)
            await pilot.pause(0.2)
            flipped = _page(pilot)
            fresh = await _fresh(pilot)
            assert flipped == fresh, (
                f"{screen.current}:\n" + "\n".join(flipped) + "\n---\n" + "\n".join(fresh)
            )
            seen.append(screen.current)
        assert len(set(seen)) >= 8
        assert len(screen.query(QuestionView)) == 1


async def test_date_boxes_flipped_in_place_read_as_new_ones(store: Store) -> None:
    """The evidence section asks dates after dates: each box holds its own answer, cursor at the end."""
    path = example_in(store, "payroll_sox_with_evidence", cursor="soc1_type")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.current == "soc1_type"
        values = []
        for key in ["ctrl+n"] * 7 + ["ctrl+b"] * 2:
            await pilot.press(key)
            await settle(pilot)
            await pilot.pause(0.2)
            flipped = _page(pilot)
            box = screen.query_one("#q-input")
            if isinstance(box, Input):
                values.append((screen.current, box.value, box.cursor_position))
                assert box.cursor_position == len(box.value)
            fresh = await _fresh(pilot)
            assert flipped == fresh, "\n".join([str(screen.current), *flipped, "---", *fresh])
        answers = screen.session.assessment.answers
        for question, value, _cursor in values:
            assert value == str(answers[question].value), question
        assert len({question for question, _v, _c in values}) >= 5


async def test_a_choice_picked_before_a_flip_never_answers_the_next_question(store: Store) -> None:
    """The page is reused: a pick delivered after the flip names the previous question's
    choice. "No" picked on one yes/no question must not land on the next one."""
    from textual.widgets import OptionList

    path = example_in(store, "payroll_sox", cursor="direct_collection")
    app = make_app(store.root, paths.builtin_bank_dir(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.current == "direct_collection"
        choices = screen.query_one("#q-input", OptionList)
        stale = choices.options[0]  # "yes" on direct_collection
        before = screen.session.answer("contacts_people")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.current == "contacts_people" and screen.query_one("#q-input") is choices
        choices.post_message(OptionList.OptionSelected(choices, stale, 0))
        await settle(pilot)
        assert screen.current == "contacts_people"  # not recorded, not moved on
        assert screen.session.answer("contacts_people") == before
