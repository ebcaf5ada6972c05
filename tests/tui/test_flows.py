"""End-to-end flows through the wizard, driven with Pilot at 80×24."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.widgets import Input, OptionList, SelectionList, Static

from socwizard.core.answers import UNKNOWN, Answer
from socwizard.core.bank.models import Bank
from socwizard.core.store import Store
from socwizard.tui.screens.home import HomeScreen
from socwizard.tui.screens.interview import InterviewScreen
from socwizard.tui.screens.new import NewScreen
from socwizard.tui.screens.results import ResultsScreen, plain_text
from socwizard.tui.screens.review import ReviewScreen
from socwizard.tui.widgets.question import QuestionView
from socwizard.tui.widgets.sidebar import Sidebar

from .conftest import make_app, save_fixed, settle

SIZE = (80, 24)


def _interview(app: object) -> InterviewScreen:
    from socwizard.tui.app import SocwizardApp

    assert isinstance(app, SocwizardApp)
    for screen in app.screen_stack:
        if isinstance(screen, InterviewScreen):
            return screen
    raise AssertionError(f"no interview on the stack: {app.screen_stack}")


def _files(store: Store) -> list[Path]:
    return sorted(store.root.glob("[!.]*.toml"))


def _sidebar_ids(screen: InterviewScreen) -> list[str]:
    sidebar = screen.query_one(Sidebar)
    ids = sidebar.option_ids()
    return [i for i in ids if i and not i.startswith("section:")]


async def test_new_answer_back_change_review_results_saved(store: Store) -> None:
    app = make_app(store.root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NewScreen)
        await pilot.press(*"Acme Payroll", "tab", *"Payroll 2026")
        await pilot.press("ctrl+n")
        await settle(pilot)
        interview = _interview(app)
        assert interview.current == "data_types"
        # multi choice: two options, then Next
        await pilot.press("space", "down", "space", "ctrl+n")
        await settle(pilot)
        assert interview.current == "financial"
        await pilot.press("enter")  # Yes
        await settle(pilot)
        assert interview.current == "sla"
        await pilot.press(*"99.9", "enter")
        await settle(pilot)
        assert interview.current == "payroll_detail"
        # back twice and change an answer: Yes -> No hides payroll_detail
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert interview.current == "sla"
        await pilot.press("alt+left")
        await settle(pilot)
        assert interview.current == "financial"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert interview.current == "sla"
        assert "payroll_detail" not in _sidebar_ids(interview)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        assert app.screen.result is not None
        assert app.screen.result.value("soc2.level") == "required"
        groups = plain_text(app.screen.query_one("#groups"))
        assert "SOC 2" in groups and "It holds your data." in groups
        await pilot.press("ctrl+k")  # mark complete
        await settle(pilot)
    files = _files(store)
    assert len(files) == 1
    data = tomllib.loads(files[0].read_text())
    assert data["vendor"] == "Acme Payroll"
    assert data["title"] == "Payroll 2026"
    assert data["status"] == "complete"
    assert data["answers"]["data_types"] == ["customer_pii", "confidential"]
    assert data["answers"]["financial"] is False
    assert data["answers"]["sla"] == 99.9
    assert data["result"]["outcomes"]["soc2.level"] == "required"


async def test_number_and_date_validation_inline(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "val", cursor="sla")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        interview = _interview(app)
        assert interview.current == "sla"
        await pilot.press(*"150", "enter")
        await settle(pilot)
        assert interview.current == "sla"
        error = interview.query_one("#q-error", Static)
        assert "at most 100" in str(error.content)
        field = interview.query_one("#q-input", Input)
        field.value = "abc"
        await pilot.press("enter")
        await settle(pilot)
        assert "must be a number" in str(interview.query_one("#q-error", Static).content)
        field.value = "99.5"
        await pilot.press("enter")
        await settle(pilot)
        assert interview.current == "fye"
        await pilot.press("f2")  # not allowed for fye
        await settle(pilot)
        assert "not an option" in str(interview.query_one("#q-error", Static).content)
        await pilot.press(*"2025-02-30", "enter")
        await settle(pilot)
        assert interview.current == "fye"
        assert "date" in str(interview.query_one("#q-error", Static).content)
        interview.query_one("#q-input", Input).value = "2025-12-31"
        await pilot.press("enter")
        await settle(pilot)
        assert interview.current == "notes"
    data = tomllib.loads(path.read_text())
    assert data["answers"]["sla"] == 99.5
    assert str(data["answers"]["fye"]) == "2025-12-31"


async def test_quit_mid_interview_and_resume_at_cursor(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "resume")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "ctrl+n")
        await settle(pilot)
        await pilot.press("enter")  # financial: Yes
        await settle(pilot)
        assert _interview(app).current == "sla"
        await pilot.press(*"99")  # typed, not submitted: saved on quit
        await pilot.press("ctrl+q")
        await pilot.pause()
    data = tomllib.loads(path.read_text())
    assert data["cursor"] == "sla"
    assert data["answers"]["financial"] is True
    assert data["answers"]["sla"] == 99

    again = make_app(store.root)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = again.screen
        assert isinstance(home, HomeScreen)
        assert len(home.rows) == 1
        await pilot.press("enter")
        await settle(pilot)
        interview = _interview(again)
        assert interview.current == "sla"
        assert interview.query_one("#q-input", Input).value == "99"
        assert "3/7" in str(interview.query_one("#progress-text", Static).content)


async def test_unknown_answers_become_follow_ups(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "unknowns", cursor="financial")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # financial: I don't know
        await settle(pilot)
        assert _interview(app).session.answer("financial") == UNKNOWN
        await pilot.press("ctrl+g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ResultsScreen) and screen.result is not None
        asked = {f.question_id: f for f in screen.result.follow_ups}
        assert asked["financial"].state == "unknown"
        assert any(c.outcome_id == "soc1.level" for c in asked["financial"].changes)
        text = plain_text(screen.query_one("#follow-ups"))
        assert "Does it process transactions" in text
        assert "I don't know" in text
        assert "could change SOC 1" in text


async def test_hidden_branch_stops_counting(store: Store, mini_bank: Bank) -> None:
    answers = {
        "data_types": Answer(value=("none",)),
        "financial": Answer(value=True),
        "sla": Answer(value=99.0),
        "payroll_detail": Answer(value="payroll"),
    }
    path = save_fixed(store, mini_bank, "branch", answers=answers, cursor="financial")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        interview = _interview(app)
        assert "payroll_detail" in _sidebar_ids(interview)
        assert "4/7" in str(interview.query_one("#progress-text", Static).content)
        await pilot.press("down", "enter")  # No
        await settle(pilot)
        assert "payroll_detail" not in _sidebar_ids(interview)
        assert "3/6" in str(interview.query_one("#progress-text", Static).content)
        result = interview.session.result()
        assert "payroll_detail" in result.visibility.set_aside
        assert result.value("soc1.level") == "not_needed"
        # the branch comes back with its answer when reopened
        await pilot.press("ctrl+b")
        await settle(pilot)
        await pilot.press("up", "enter")
        await settle(pilot)
        assert "payroll_detail" in _sidebar_ids(interview)
        assert interview.session.answer("payroll_detail") == Answer(value="payroll")


async def test_review_change_returns_to_review(store: Store, mini_bank: Bank) -> None:
    answers = {"data_types": Answer(value=("none",)), "financial": Answer(value=False)}
    path = save_fixed(store, mini_bank, "review", answers=answers, cursor="sla")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen)
        answers_list = review.query_one("#answers", OptionList)
        index = next(
            i
            for i in range(answers_list.option_count)
            if answers_list.get_option_at_index(i).id == "financial"
        )
        answers_list.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.current == "financial"
        await pilot.press("up", "enter")  # No -> Yes
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        text = " ".join(
            str(app.screen.query_one("#answers", OptionList).get_option_at_index(i).prompt)
            for i in range(app.screen.query_one("#answers", OptionList).option_count)
        )
        assert "Which financial process?" in text  # the branch opened, shown as to answer
        assert "not answered yet" in text


async def test_multi_choice_exclusive_option_stands_alone(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "multi", cursor="data_types")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        interview = _interview(app)
        await pilot.press("space", "down", "down", "space")  # pii, then "none of these"
        await pilot.pause()
        selection = interview.query_one("#q-input", SelectionList)
        assert list(selection.selected) == ["none"]
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert interview.session.answer("data_types") == Answer(value=("none",))


async def test_note_and_not_applicable_saved(store: Store, mini_bank: Bank) -> None:
    path = save_fixed(store, mini_bank, "note", cursor="sla")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4", *"no SLA in the contract", "f3")
        await settle(pilot)
        assert _interview(app).current == "fye"
    data = tomllib.loads(path.read_text())
    assert data["answers"]["sla"] == {"state": "not_applicable", "note": "no SLA in the contract"}


async def test_open_goes_straight_to_the_interview_and_home_comes_after(
    store: Store, mini_bank: Bank
) -> None:
    path = save_fixed(store, mini_bank, "direct")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        assert not any(isinstance(s, HomeScreen) for s in app.screen_stack)
        await pilot.press("ctrl+t")  # Home
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen.rows) == 1


async def test_only_one_question_is_ever_mounted(store: Store, mini_bank: Bank) -> None:
    """Structural performance check: pages are swapped, never accumulated."""
    path = save_fixed(store, mini_bank, "one-page")
    app = make_app(store.root, open_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen: set[str] = set()
        for key in ("ctrl+n", "ctrl+n", "ctrl+b", "ctrl+n", "ctrl+n"):
            await pilot.press(key)
            await settle(pilot)
            interview = _interview(app)
            views = list(app.screen.query(QuestionView))
            assert len(views) == 1
            assert views[0].question.id == interview.current
            seen.add(views[0].question.id)
        assert len(seen) >= 3
