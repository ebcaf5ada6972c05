"""One open assessment: the state the interview edits and autosaves.

Plain Python, no Textual: the screens hold a :class:`Session` and call the core through it.
Saving may run on a worker thread; ``_save_lock`` serialises saves (so each one passes
the fingerprint the previous one got back) and ``_state_lock`` guards the few fields a
save writes back.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from socwizard.core.answers import Answer, State
from socwizard.core.assessment import Assessment, BankChanges, bank_changes, utc_now
from socwizard.core.bank.models import Bank, Question
from socwizard.core.errors import ConflictError, SocwizardError
from socwizard.core.recommendation import Result, decide
from socwizard.core.scoring import Visibility, visibility
from socwizard.core.store import Fingerprint, Store


def make_answer(value: object = None, *, state: State = State.ANSWERED, note: str = "") -> Answer:
    """Build an answer from a typed value without pydantic's lax coercion ("yes" stays text)."""
    data: dict[str, object] = {"state": state, "note": note}
    if state is State.ANSWERED:
        data["value"] = value
    return Answer.model_validate(data, strict=True)


class Session:
    """An assessment being edited, where it lives, and how to save it safely."""

    def __init__(
        self,
        store: Store,
        bank: Bank,
        assessment: Assessment,
        path: Path | None = None,
        fingerprint: Fingerprint | None = None,
    ) -> None:
        self.store = store
        self.bank = bank
        self.assessment = assessment
        self.path = path
        self.fingerprint = fingerprint
        self.copied_from: Path | None = None
        self.changes = BankChanges((), (), ())
        self.generation = 0
        self.saved_generation = -1
        # A save refused because the file changed on disk: the edit is only in memory
        # until the user picks save as a copy, reload or discard (never lost silently).
        self.conflict = False
        self.discarded = False
        self.latest: Result | None = None
        """The result of the last save (or of opening): the interview's inline warnings read it."""
        self._save_lock = threading.Lock()
        self._state_lock = threading.Lock()

    # --- opening ------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        store: Store,
        bank: Bank,
        *,
        vendor: str,
        title: str,
        assessor: str,
        reviewed_on: dt.date,
        vendor_key: str | None = None,
    ) -> Session:
        """A brand-new assessment (saved by the caller); no vendor key: one from the name.

        Raises pydantic's ``ValidationError`` for a vendor key the core refuses.
        """
        now = utc_now()
        assessment = Assessment(
            title=title,
            vendor=vendor,
            assessor=assessor,
            reviewed_on=reviewed_on,
            created=now,
            updated=now,
            vendor_key=vendor_key or None,
        )
        return cls(store, bank, assessment)

    @classmethod
    def open(cls, store: Store, bank: Bank, path: Path) -> tuple[Session, tuple[str, ...]]:
        """Open a file; one outside the store is edited as a copy saved into the store.

        Returns the session and the loader's warnings (as plain strings).
        """
        opened = store.open(path, bank)
        assessment = opened.assessment
        inside = path.resolve().parent == store.root.resolve()
        session = cls(store, bank, assessment, opened.path if inside else None, opened.fingerprint)
        if not inside:
            session.copied_from = path
            session.fingerprint = None
        session.latest = opened.result
        session.changes = bank_changes(assessment, bank, opened.result.visibility.shown)
        session.saved_generation = 0 if inside else -1
        return session, tuple(str(w) for w in opened.loaded.warnings)

    # --- reading --------------------------------------------------------------------

    def visibility(self) -> Visibility:
        """Which questions are shown for the current answers (cheap)."""
        return visibility(self.bank, self.assessment.answers, self.assessment.reviewed_on)

    def result(self) -> Result:
        """The full result (may take a moment on a large bank: call it from a worker)."""
        a = self.assessment
        return decide(self.bank, a.answers, a.reviewed_on, complete=a.status == "complete")

    def question(self, question_id: str) -> Question | None:
        """A question of the bank."""
        return self.bank.question(question_id)

    def answer(self, question_id: str) -> Answer | None:
        """The current answer to a question."""
        return self.assessment.answers.get(question_id)

    # --- editing --------------------------------------------------------------------

    def _update(self, assessment: Assessment) -> None:
        from socwizard.core.evidence.opinions import carry_opinion

        carried = carry_opinion(self.bank, self.assessment.answers, assessment.answers)
        if carried is not None:  # a second report: the opinion given goes to its own report
            assessment = assessment.model_copy(update={"answers": carried})
        with self._state_lock:
            self.assessment = assessment
            self.generation += 1

    def set_answer(self, question_id: str, answer: Answer | None) -> bool:
        """Record (or clear) an answer; True when it changed anything."""
        if self.assessment.answers.get(question_id) == answer:
            return False
        self._update(self.assessment.with_answer(question_id, answer))
        return True

    def replace_assessment(self, assessment: Assessment) -> None:
        """Take several answers at once (a vendor's report read into the evidence section)."""
        self._update(assessment)

    def set_cursor(self, question_id: str | None) -> bool:
        """Remember where the interview is; True when it moved."""
        if self.assessment.cursor == question_id:
            return False
        self._update(self.assessment.model_copy(update={"cursor": question_id}))
        return True

    def set_vendor_key(self, key: str | None) -> bool:
        """A new vendor key (``None``: the one made from the name on save); True when it changed.

        Raises pydantic's ``ValidationError`` for a key the core's pattern refuses.
        """
        from socwizard.core.assessment import vendor_key_for

        wanted = key if key is not None else vendor_key_for(self.assessment.vendor)
        if self.assessment.vendor_key == wanted:
            return False
        data = self.assessment.model_dump(include={"vendor_key"}) | {"vendor_key": wanted}
        type(self.assessment).model_validate({**self.assessment.__dict__, **data})  # the core's rules
        self._update(self.assessment.model_copy(update=data))
        return True

    def set_status(self, status: str) -> bool:
        """Mark the assessment complete or in progress."""
        if self.assessment.status == status:
            return False
        update = {"status": status, "updated": utc_now()}
        self._update(self.assessment.model_copy(update=update))
        return True

    # --- saving ---------------------------------------------------------------------

    def save(self, *, force: bool = False) -> str | None:
        """Save if anything changed (any thread). Returns an error message, or None."""
        with self._save_lock:
            with self._state_lock:
                snapshot = self.assessment
                generation = self.generation
            if self.discarded or (
                not force and generation == self.saved_generation and self.path is not None
            ):
                return None
            try:
                result = decide(
                    self.bank, snapshot.answers, snapshot.reviewed_on, complete=snapshot.status == "complete"
                )
                path, stamped, fingerprint = self.store.save(
                    snapshot, self.bank, result, path=self.path, expected=self.fingerprint
                )
            except ConflictError as exc:
                self.conflict = True
                return exc.first_line
            except SocwizardError as exc:
                return exc.first_line
            except OSError as exc:
                return f"could not save: {exc.strerror or exc}"
            with self._state_lock:
                self.conflict = False
                self.latest = result
                self.path = path
                self.fingerprint = fingerprint
                self.saved_generation = max(self.saved_generation, generation)
                self.assessment = self.assessment.model_copy(
                    update={
                        "id": stamped.id,
                        "created": stamped.created,
                        "bank": stamped.bank,
                        "result": stamped.result,
                    }
                )
                if self.generation == generation:
                    self.saved_generation = generation
            return None

    # --- after a conflict -----------------------------------------------------------

    @property
    def unsaved(self) -> bool:
        """Edits that are only in memory (a save was refused or has not run yet)."""
        return not self.discarded and (self.conflict or self.generation != self.saved_generation)

    def save_as_copy(self) -> str | None:
        """Save the edits as a new assessment in the store (a new id), leaving the file on disk."""
        with self._state_lock:
            self.path = None
            self.fingerprint = None
            self.copied_from = None
            self.assessment = self.assessment.model_copy(update={"id": None, "updated": utc_now()})
            self.generation += 1
        return self.save(force=True)

    def discard(self) -> None:
        """Drop the edits not saved: nothing more is written by this session."""
        with self._state_lock:
            self.discarded = True
            self.conflict = False
