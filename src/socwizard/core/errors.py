"""One error type for everything a user's file can do wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from socwizard.core.text import one_line


@dataclass(frozen=True)
class Problem:
    """One problem in one file: ``FILE:LINE: key.path: message``."""

    file: str
    message: str
    key: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        key = f" {self.key}:" if self.key else ""
        prefix = f"{where}:{key} " if where else (f"{self.key}: " if self.key else "")
        return one_line(f"{prefix}{self.message}", 400)


class SocwizardError(Exception):
    """A user-facing failure; ``str()`` is a clean message, one line per problem."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def first_line(self) -> str:
        """The first problem, with a count of the rest: fits one terminal line."""
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return f"{self.problems[0]}{suffix}"


class BankError(SocwizardError):
    """A question bank (or policy file) is invalid."""


class AssessmentError(SocwizardError):
    """An assessment file is unreadable or invalid."""


class StoreError(SocwizardError):
    """The store refused an operation (conflict, lock, path outside the store)."""


class ConflictError(StoreError):
    """The file changed on disk since it was read; saving would lose someone's work."""


def display_path(path: Path) -> str:
    """A path as shown in messages (cleaned of control characters)."""
    return one_line(str(path), 300)
