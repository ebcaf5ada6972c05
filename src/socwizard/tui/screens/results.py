"""Results: tier, SOC 1 / SOC 2 with type, criteria, scores, extras, findings, follow-ups, why."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, LoadingIndicator, Static

from socwizard.core.errors import SocwizardError
from socwizard.core.labels import value_label
from socwizard.core.text import one_line
from socwizard.tui.format import group_title
from socwizard.tui.safe import join
from socwizard.tui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from socwizard.core.bank.models import Bank
    from socwizard.core.recommendation import OutcomeResult, Result
    from socwizard.tui.session import Session

Parts = list[str | Content | tuple[str, str]]
Row = tuple[Content, str]
"""One line of a section and its CSS classes (``row``, ``reason``, ``ref``, plus ``gap``)."""
BAR_WIDTH = 20
LETTER = "request"
"""The export format of the request letter to the vendor."""


def export_formats() -> tuple[str, ...]:
    """The formats the export can write (the core's list)."""
    from socwizard.serve import MIME_TYPES

    return tuple(MIME_TYPES)


def _rank_style(bank: Bank, outcome: OutcomeResult) -> str:
    definition = bank.outcome(outcome.id)
    scale = bank.meta.scales.get(definition.scale, []) if definition else []
    if outcome.value not in scale or len(scale) < 2:
        return "bold"
    rank = scale.index(outcome.value) / (len(scale) - 1)
    if rank == 0:
        return "$sw-muted"
    return "bold $sw-warn" if rank >= 0.99 else "bold $sw-accent"


def _bar(score: float) -> tuple[str, str]:
    filled = max(0, min(BAR_WIDTH, round(score / 100 * BAR_WIDTH)))
    style = "$sw-bad" if score >= 60 else "$sw-warn" if score >= 30 else "$sw-good"
    return ("█" * filled + "░" * (BAR_WIDTH - filled), style)


def render_group(
    bank: Bank,
    group: str,
    outcomes: list[OutcomeResult],
    *,
    why: bool = True,
    seen: set[tuple[str, str]] | None = None,
) -> list[Row]:
    """One group of outcomes (tier, soc1, soc2, extras, evidence, …), each with its reasons.

    Reasons and the answers behind them are rows of their own, indented by the stylesheet
    (``.reason``, ``.ref``), so a long line wraps under its own indentation. An answer
    quoted once (``seen``) is not quoted again under the next level.
    """
    seen = set() if seen is None else seen
    single = len(outcomes) == 1
    rows: list[Row] = [] if single else [(join((group_title(group), "bold $sw-accent underline")), "row")]
    width = min(34, max(len(one_line(o.label, 40)) for o in outcomes) + 2)
    for outcome in outcomes:
        # A label longer than the column keeps every word: its value follows after a space.
        label = one_line(outcome.label, 120)
        value = value_label(outcome.value)
        if single:
            value_style = _rank_style(bank, outcome)
            line = join((f"{label}  ", "bold $sw-accent"), (value, value_style))
        else:
            padded = f"{label:<{width}}" if len(label) < width else f"{label}  "
            line = join((padded, ""), (value, _rank_style(bank, outcome)))
        rows.append((line, "row"))
        if not why:
            continue
        for reason in outcome.reasons:
            rows.append((join(("• ", "$sw-muted"), (one_line(reason.text, 1000), "italic")), "reason why"))
            for ref in reason.answers[:4]:
                if (ref.prompt, ref.answer) in seen:
                    continue
                seen.add((ref.prompt, ref.answer))
                rows.append(
                    (
                        join(
                            ("↳ ", "$sw-muted"),
                            (one_line(ref.prompt, 300), "$sw-muted"),
                            (" → ", "$sw-muted"),
                            (one_line(ref.answer, 600), ""),
                        ),
                        "ref why",
                    )
                )
    return rows


def render_groups(bank: Bank, result: Result, *, why: bool = True) -> list[Row]:
    """Every group of outcomes, a blank line between groups."""
    groups: dict[str, list[OutcomeResult]] = {}
    for outcome in result.outcomes.values():
        groups.setdefault(outcome.id.split(".")[0], []).append(outcome)
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for group, outcomes in groups.items():
        rendered = render_group(bank, group, outcomes, why=why, seen=seen)
        if rows and rendered:
            rendered[0] = (rendered[0][0], f"{rendered[0][1]} gap")
        rows += rendered
    return rows


def render_scores(result: Result) -> Content:
    """Dimension scores as a bar chart, with coverage beside each."""
    parts: Parts = [
        ("Risk scores", "bold $sw-accent underline"),
        ("  (0–100, higher = more risk)", "$sw-muted"),
    ]
    for dim in result.scores.dimensions.values():
        parts += [
            "\n",
            (f"{one_line(dim.label, 22):<23}", ""),
            _bar(dim.score),
            (f" {dim.score:5.1f}", "bold"),
            (f"  {dim.coverage:.0%} known", "$sw-muted"),
        ]
    parts += [
        "\n\n",
        ("Coverage  ", "bold"),
        f"{result.scores.coverage:.0%} of the question weight has a real answer",
    ]
    if result.next_review is not None:
        parts += [
            "\n",
            ("Next review  ", "bold"),
            result.next_review.isoformat(),
            (f" — {one_line(result.next_review_reason, 200)}", "$sw-muted"),
        ]
    return join(*parts)


def render_findings(result: Result) -> list[Row]:
    """Evidence findings, each with its reason."""
    rows: list[Row] = [(join(("Evidence findings", "bold $sw-accent underline")), "row")]
    for finding in result.findings:
        rows.append((join(("! ", "bold $sw-warn"), (one_line(finding.label, 200), "bold")), "row"))
        rows.append((join((one_line(finding.reason.text, 1000), "$sw-muted")), "reason"))
    return rows


def render_follow_ups(result: Result) -> list[Row]:
    """Questions for the vendor, each with the levels it could still change."""
    rows: list[Row] = [
        (
            join(
                ("Follow-up questions for the vendor", "bold $sw-accent underline"),
                (f"  ({len(result.follow_ups)})", "$sw-muted"),
            ),
            "row",
        )
    ]
    for follow_up in result.follow_ups:
        state = 'you said "I don\'t know"' if follow_up.state == "unknown" else "not answered yet"
        rows.append(
            (
                join(
                    ("? ", "bold $sw-warn"),
                    (one_line(follow_up.ask, 1000), ""),
                    (f"  ({state})", "$sw-muted"),
                ),
                "row",
            )
        )
        for change in follow_up.changes[:6]:
            options = ", ".join(value_label(p) for p in change.possible)
            rows.append(
                (
                    join(
                        "could change ",
                        (one_line(change.label, 60), "bold"),
                        f": {value_label(change.current)} → {options}",
                    ),
                    "ref",
                )
            )
    return rows


def render_aside(bank: Bank, question_ids: tuple[str, ...]) -> list[Row]:
    """Answers that no longer count (hidden by other answers, or their question is gone)."""
    rows: list[Row] = [(join(("Answers kept aside (not counted)", "bold $sw-accent underline")), "row")]
    for qid in question_ids:
        question = bank.question(qid)
        rows.append((join((one_line(question.prompt if question else qid, 200), "$sw-muted")), "reason"))
    return rows


def _scale_rank(bank: Bank, outcome: OutcomeResult) -> int:
    """The outcome's place on its scale (0 = lowest; unknown values rank high)."""
    definition = bank.outcome(outcome.id)
    scale = bank.meta.scales.get(definition.scale, []) if definition else []
    return scale.index(outcome.value) if outcome.value in scale else len(scale)


def _strip_common_word(labels: list[str]) -> tuple[list[str], str]:
    """``Security criteria``, ``Privacy criteria`` → ``Security``, ``Privacy`` and ``criteria``."""
    if len(labels) < 2:
        return labels, ""
    last = {label.rsplit(" ", 1)[-1] for label in labels}
    if len(last) != 1 or any(" " not in label for label in labels):
        return labels, ""
    word = last.pop()
    return [label.rsplit(" ", 1)[0] for label in labels], word


def plural(count: int, word: str) -> str:
    """``1 question``, ``3 questions``."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def _group_rows(
    bank: Bank, result: Result, group: str, outcomes: list[OutcomeResult], rows: list[Row], width: int
) -> None:
    """The summary rows of one group of outcomes (appended to ``rows``)."""
    main = [o for o in outcomes if o.id.count(".") <= 1 and not o.id.endswith(".type")]
    nested = [o for o in outcomes if o.id.count(".") >= 2]
    title = one_line(group_title(group), width - 2)
    first = True
    for outcome in main:
        label = title if first and len(main) == 1 else one_line(outcome.label, width - 2)
        first = False
        rows.append(
            (
                join(
                    (f"{label:<{width}}", "bold"),
                    (result.text(outcome.id), _rank_style(bank, outcome)),
                ),
                "row",
            )
        )
    if nested:
        if not main:
            rows.append((join((group_title(group), "bold")), "row"))
        by_sub: dict[str, list[OutcomeResult]] = {}
        for outcome in nested:
            by_sub.setdefault(outcome.id.split(".")[1] if outcome.id.count(".") >= 3 else "", []).append(
                outcome
            )
        for sub, members in by_sub.items():
            labels, word = _strip_common_word([one_line(o.label, 80) for o in members])
            heading = group_title(sub) if sub else ""
            if word and not heading:
                heading = word.capitalize()
            by_rank: dict[int, list[tuple[str, OutcomeResult]]] = {}
            for label, outcome in zip(labels, members, strict=True):
                by_rank.setdefault(_scale_rank(bank, outcome), []).append((label, outcome))
            # Under a heading (criteria): one wrapped line, levels highest first;
            # without one (extras): a line per level, the lowest one quiet.
            parts: Parts = [(f"{heading} — ", "bold")] if heading else []
            for n, rank in enumerate(sorted(by_rank, reverse=True)):
                entries = by_rank[rank]
                quiet = rank == 0
                value_style = "$sw-muted" if quiet else _rank_style(bank, entries[0][1])
                if heading and n:
                    parts.append((" · ", "$sw-muted"))
                parts += [
                    (f"{value_label(entries[0][1].value)}: ", value_style),
                    (", ".join(label for label, _ in entries), "$sw-muted" if quiet else ""),
                ]
                if not heading:
                    rows.append((join(*parts), "reason"))
                    parts = []
            if parts:
                rows.append((join(*parts), "reason"))
    if group == "evidence":
        for finding in result.findings:
            rows.append((join(("! ", "bold $sw-warn"), (one_line(finding.label, 200), "bold")), "reason"))


def render_summary(bank: Bank, result: Result) -> list[Row]:
    """What a CFO reads in one screen: each level in words, the evidence, what to ask for.

    Generic over the bank's outcomes: a group's ``<group>.level`` reads with its type
    (``Required (Type II)``); deeper outcomes (criteria, extras) are listed by level,
    highest first, the lowest level on one quiet line.
    """
    groups: dict[str, list[OutcomeResult]] = {}
    for outcome in result.outcomes.values():
        groups.setdefault(outcome.id.split(".")[0], []).append(outcome)
    rows: list[Row] = []
    width = min(24, max((len(group_title(g)) for g in groups), default=8) + 2)
    previous = 0
    for group, outcomes in groups.items():
        start = len(rows)
        _group_rows(bank, result, group, outcomes, rows, width)
        size = len(rows) - start
        if start and size and (size > 1 or previous > 1):
            rows[start] = (rows[start][0], "row gap")
        previous = size
    if result.follow_ups:
        rows.append(
            (
                join(
                    ("Ask the vendor", "bold $sw-accent"),
                    (
                        f"  ({len(result.follow_ups)} question{'s' if len(result.follow_ups) != 1 else ''})",
                        "$sw-muted",
                    ),
                ),
                "row gap",
            )
        )
        for follow_up in result.follow_ups:
            rows.append((join(("? ", "bold $sw-warn"), one_line(follow_up.ask, 1000)), "reason"))
    if result.next_review is not None:
        rows.append(
            (
                join((f"{'Next review':<{width}}", "bold"), result.next_review.isoformat()),
                "row gap",
            )
        )
    return rows


def since_rows(session: Session, result: Result) -> list[Row]:
    """What changed since the assessment this one re-assesses (the core's diff), as rows."""
    from socwizard.core.assessment import Loaded
    from socwizard.core.reassess import since_previous, summary_lines

    since = since_previous(session.store, Loaded(session.assessment, result, ()), session.bank)
    if since is None:
        return []
    diff, name = since
    heading = f"Since the previous assessment ({one_line(name, 60)})"
    rows: list[Row] = [(join((heading, "bold $sw-accent underline")), "row")]
    rows += [(join(one_line(text, 300)), "reason") for text in summary_lines(diff)]
    return rows


def blocks(rows: list[Row]) -> list[Row]:
    """Consecutive rows with the same classes as one block (fewer widgets, same layout)."""
    merged: list[tuple[list[Content], str]] = []
    for content, classes in rows:
        if merged and merged[-1][1] == classes and "gap" not in classes.split():
            merged[-1][0].append(content)
        else:
            merged.append(([content], classes))
    return [(Content("\n").join(lines), classes) for lines, classes in merged]


def plain_text(container: Widget) -> str:
    """The shown text of a results section, one row per line: for tests and screen readers."""
    return "\n".join(str(row.content) for row in container.query(Static) if row.display)


class ResultsScreen(Screen[str | None]):
    """The recommendation. Dismisses with "review", "home" or None (back to the interview)."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "review", "Review", id="review", tooltip="Review and change answers"),
        Binding(
            "ctrl+k",
            "mark('complete')",
            "Complete",
            id="complete",
            tooltip="Mark the assessment complete",
        ),
        Binding(
            "ctrl+k",
            "mark('in_progress')",
            "Reopen",
            id="in-progress",
            tooltip="Reopen the assessment (back to in progress)",
        ),
        Binding("ctrl+s", "save", "Save", id="save", show=False, tooltip="Save now"),
        Binding("ctrl+e", "export", "Export", id="export", tooltip="Export as Markdown, HTML, PDF or JSON"),
        Binding("ctrl+l", "letter", "Letter", id="letter", show=False, tooltip="The letter for the vendor"),
        Binding("f5", "why", "Reasons", id="why", tooltip="Show or hide the reasons behind each decision"),
        Binding(
            "escape,ctrl+b,alt+left", "back", "Back", id="back", show=False, tooltip="Back to the interview"
        ),
        Binding("ctrl+t", "home", "Home", id="home", tooltip="Save and go back to the list"),
        Binding(
            "f7",
            "vendor_key",
            "Vendor key",
            id="vendor-key",
            show=False,
            tooltip="The key that groups this vendor's assessments in the register",
        ),
        Binding("question_mark", "app.help", "Help", show=False),
    ]
    HELP_TITLE = "the results"

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.result: Result | None = None
        self.since: list[Row] = []
        self.why = False

    def compose(self) -> ComposeResult:
        """Build the page."""
        a = self.session.assessment
        yield Static(
            join(
                ("socwizard", "bold"),
                "  ·  Results  ·  ",
                (one_line(a.display_title, 100), "bold $sw-accent"),
            ),
            id="topbar",
        )
        yield LoadingIndicator(id="loading")
        with VerticalScroll(id="report"):
            yield Static(id="status")
            yield Vertical(id="summary", classes="section")
            yield Vertical(id="since", classes="section")
            yield Static(id="reasons-hint")
            with Vertical(id="details"):
                yield Static(join(("Why: the reasons behind each level", "bold $sw-accent")), id="why-title")
                yield Vertical(id="groups", classes="section")
                yield Static(id="scores")
                yield Vertical(id="findings", classes="section")
                yield Vertical(id="follow-ups", classes="section")
                yield Vertical(id="aside", classes="section")
        with Horizontal(id="results-buttons"):
            yield Button("‹ Answers", id="review", compact=True, tooltip="Review and change answers (Ctrl+R)")
            yield Static(classes="spacer")
            yield Button("Reasons", id="why", compact=True, tooltip="The reasons behind each level (F5)")
            if LETTER in export_formats():
                yield Button(
                    "Request letter", id="letter", compact=True, tooltip="What to ask the vendor (Ctrl+L)"
                )
            yield Button("Export", id="export", compact=True, tooltip="Ctrl+E")
            yield Button("Mark complete", id="complete", compact=True, variant="success", tooltip="Ctrl+K")
        yield StableFooter()

    def on_resize(self) -> None:
        """Buttons that do not fit one line take two rows, each label whole."""
        self.call_after_refresh(self._fit_buttons)

    def _fit_buttons(self) -> None:
        buttons = list(self.query("#results-buttons Button").results(Button))
        needed = sum(cell_len(str(b.label)) + 5 for b in buttons) + 2  # padding 2+2, margin 1
        self.set_class(needed > self.size.width, "-stacked")

    def on_mount(self) -> None:
        """The first frame shows at once; the result follows from a worker."""
        self.query_one("#report").display = False
        self.compute()

    @work(exclusive=True, group="results")
    async def compute(self) -> None:
        """Decide off the UI thread."""
        result, self.since = await asyncio.to_thread(self._decide)
        if not self.query("#report"):  # closed while deciding: nothing to show
            return
        self.result = result
        self.query_one("#loading").display = False
        report = self.query_one("#report")
        report.display = True
        await self.render_result()
        report.focus()

    def _decide(self) -> tuple[Result, list[Row]]:
        """The result, and what changed since the predecessor (both from the core; any thread)."""
        result = self.session.result()
        return result, since_rows(self.session, result)

    async def _fill(self, selector: str, rows: list[Row]) -> None:
        """Replace a section's rows (each row a plain-text Static, indented by its class)."""
        section = self.query_one(selector, Vertical)
        with self.app.batch_update():
            await section.remove_children()
            section.display = bool(rows)
            if rows:
                await section.mount_all(Static(content, classes=classes) for content, classes in blocks(rows))

    async def render_result(self) -> None:
        """Fill the page (plain text from the bank and the file, fixed styles)."""
        result = self.result
        if result is None:
            return
        session = self.session
        bank = session.bank
        a = session.assessment
        unanswered = len(result.visibility.unanswered)
        if a.status == "complete" and not result.provisional:
            status: Parts = [("✓ Complete", "bold $sw-good")]
        elif unanswered:
            status = [
                ("Provisional", "bold $sw-warn"),
                f" — {unanswered} question{'s' if unanswered != 1 else ''} not answered yet",
            ]
        else:
            status = [("Provisional", "bold $sw-warn"), " — mark it complete when you are done (Ctrl+K)"]
        meta = f"\nReviewed on {a.reviewed_on.isoformat()}"
        if a.vendor:
            meta += f" · vendor {one_line(a.vendor, 60)}"
        if a.assessor:
            meta += f" · by {one_line(a.assessor, 40)}"
        self.query_one("#status", Static).update(join(*status, (meta, "$sw-muted")))
        self.query_one("#scores", Static).update(render_scores(result))
        aside_ids = (*result.visibility.set_aside, *a.set_aside)
        await self._fill("#summary", render_summary(bank, result))
        self.query_one("#reasons-hint", Static).update(
            join(
                ("F5", "bold"),
                (" or Reasons: why each level, and the answers behind it · ", "$sw-muted"),
                ("Ctrl+E", "bold"),
                (" export", "$sw-muted"),
            )
        )
        await self._fill("#groups", render_groups(bank, result))
        await self._fill("#findings", render_findings(result) if result.findings else [])
        await self._fill("#follow-ups", render_follow_ups(result) if result.follow_ups else [])
        await self._fill("#aside", render_aside(bank, aside_ids) if aside_ids else [])
        await self._fill("#since", self.since)
        self._show_status()

    def _show_status(self) -> None:
        """The button and the footer say what Ctrl+K will do now."""
        complete = self.session.assessment.status == "complete"
        self.query_one("#complete", Button).label = "Reopen" if complete else "Mark complete"
        self._fit_buttons()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show (and run) only the Ctrl+K binding that changes the status."""
        if action == "letter":
            return LETTER in export_formats()
        if action == "mark":
            return bool(parameters) and parameters[0] != self.session.assessment.status
        return True

    # --- actions ------------------------------------------------------------------------

    @on(Button.Pressed, "#review")
    def _review(self) -> None:
        self.action_review()

    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#why")
    def _why_pressed(self) -> None:
        self.action_why()

    @on(Button.Pressed, "#letter")
    def _letter(self) -> None:
        self.action_letter()

    @on(Button.Pressed, "#complete")
    def _complete(self) -> None:
        self.action_complete()

    def action_review(self) -> None:
        """Back to the answers."""
        self.dismiss("review")

    def action_back(self) -> None:
        """Back to the interview."""
        self.dismiss(None)

    def action_home(self) -> None:
        """Back to the list."""
        self.dismiss("home")

    def action_why(self) -> None:
        """Show or hide the reasons below the summary (a class: nothing is rebuilt)."""
        self.why = not self.why
        self.set_class(self.why, "-why")
        if self.why:
            self.call_after_refresh(
                self.query_one("#report", VerticalScroll).scroll_to_widget,
                self.query_one("#details"),
                top=True,
            )

    def action_letter(self) -> None:
        """Save, then export the request letter for the vendor."""
        if LETTER not in export_formats():
            self.notify("The request letter is not available in this version.", severity="warning")
            return
        self.action_export(LETTER)

    def _save(self) -> bool:
        problem = self.session.save()
        if problem:
            self.notify(problem, title="Not saved", severity="error", markup=False, timeout=15)
        return not problem

    def action_save(self) -> None:
        """Save now."""
        if self._save():
            name = self.session.path.name if self.session.path else ""
            self.notify(f"Saved {name}.", timeout=3, markup=False)

    def action_complete(self) -> None:
        """Toggle: mark complete, or back in progress (the button)."""
        self.action_mark("in_progress" if self.session.assessment.status == "complete" else "complete")

    def action_vendor_key(self) -> None:
        """Change the vendor key (validated by the core), save, and move the vendor's history.

        The dialog offers to give the new key to the other assessments that share the old
        one (the vendor's history, counted from the store listing first), on by default.
        """
        self._ask_vendor_key()

    @work(exclusive=True, group="vendor-key")
    async def _ask_vendor_key(self) -> None:
        from socwizard.core.rekey import others_with_key
        from socwizard.tui.screens.vendor_key import VendorKeyScreen

        session = self.session
        old = session.assessment.vendor_key
        others = 0
        if old:
            try:
                entries = await asyncio.to_thread(session.store.list)
            except (SocwizardError, OSError):
                entries = []
            others = others_with_key(entries, old, session.path)

        def chosen(choice: tuple[str, bool] | None) -> None:
            if choice is None:
                return
            key, history = choice
            try:
                changed = session.set_vendor_key(key or None)
            except ValueError as exc:  # pydantic's ValidationError: the core refused it
                self.notify(one_line(str(exc), 200), title="Vendor key", severity="error", markup=False)
                return
            if not changed or not self._save():
                return
            new = session.assessment.vendor_key or ""
            if history and old and others:
                self._rekey_history(old, new)
            else:
                self.notify(f"Vendor key: {new}", timeout=4, markup=False)

        self.app.push_screen(VendorKeyScreen(old, session.assessment.vendor, others=others), chosen)

    @work(exclusive=True, group="vendor-key")
    async def _rekey_history(self, old: str, new: str) -> None:
        from socwizard.core.rekey import rekey_vendor

        try:
            done = await asyncio.to_thread(
                functools.partial(rekey_vendor, self.session.store, old, new, moved=self.session.path)
            )
        except (SocwizardError, OSError) as exc:
            message = getattr(exc, "first_line", None) or str(exc)
            self.notify(
                f"This assessment has the key {new}; its history keeps {old}: {one_line(message, 200)}",
                title="Vendor key",
                severity="error",
                markup=False,
                timeout=12,
            )
            return
        count = len(done.rekeyed.changed) + len(done.rekeyed.unchanged)
        text = f"Vendor key: {new}, and for its {count} other assessment{'s' if count != 1 else ''}."
        if done.joined:
            text += f" Now grouped with {one_line(', '.join(done.joined), 120)}".rstrip(".") + "."
        self.notify(text, timeout=6, markup=False)

    def action_mark(self, status: str) -> None:
        """Mark complete (or back in progress), save, and recompute."""
        session = self.session
        if status not in ("complete", "in_progress") or session.assessment.status == status:
            return
        if status == "in_progress":
            session.set_status("in_progress")
            message = "Marked in progress."
        else:
            result = self.result
            if result is not None and result.visibility.unanswered:
                count = len(result.visibility.unanswered)
                self.notify(
                    f"{count} question{'s are' if count != 1 else ' is'} still unanswered: the result stays "
                    'provisional until they are answered ("I don\'t know" counts as an answer).',
                    severity="warning",
                    timeout=8,
                )
            session.set_status("complete")
            message = "Marked complete."
        if self._save():
            self.notify(message, timeout=3, markup=False)
        self._show_status()
        self.compute()

    def action_export(self, fmt: str = "") -> None:
        """Save, then export (a download in a browser, else a new file)."""
        if not self._save() or self.session.path is None:
            return
        from socwizard.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.session.path, fmt=fmt))
