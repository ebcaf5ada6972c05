"""Read a vendor's PDF safely: checks first, then pypdf in a child process under limits.

A hostile PDF (a decompression bomb, a parser loop) can at worst exhaust the child: its
address space and CPU time are capped with ``resource`` limits, and the parent kills it
after a wall-clock timeout. Every failure is one :class:`EvidenceError` line.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import socwizard
from socwizard.core.errors import Problem, SocwizardError, display_path
from socwizard.core.evidence.model import Report
from socwizard.core.tomlsafe import FileProblems, read_bytes


class EvidenceError(SocwizardError):
    """A report that cannot be read (not a PDF, damaged, encrypted, a scan, too large…)."""

    def __init__(self, problem: Problem, reason: str) -> None:
        super().__init__(problem)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    """Policy values for reading one document (documented in README.md)."""

    max_bytes: int = 64 * 1024 * 1024
    """Largest file read (SOC reports are rarely over 10 MB)."""
    max_pages: int = 1500
    """Most pages read (SOC reports run 30 to 300 pages)."""
    max_chars: int = 20_000_000
    """Most characters of text extracted in all."""
    memory_bytes: int = 1024 * 1024 * 1024
    """Address space of the child process that parses the PDF."""
    cpu_seconds: int = 30
    """CPU time of the child process."""
    wall_seconds: float = 60.0
    """Wall-clock time before the child is killed."""


LIMITS = Limits()


def _fail(name: str, reason: str, message: str) -> EvidenceError:
    return EvidenceError(Problem(name, message), reason)


def check_pdf_bytes(data: bytes, name: str) -> None:
    """Refuse what is plainly not a whole PDF before starting a parser on it."""
    if not data:
        raise _fail(name, "empty", "is empty")
    if b"%PDF-" not in data[:1024]:
        raise _fail(name, "not_pdf", "is not a PDF (no %PDF- header): export or save the report as a PDF")
    if b"%%EOF" not in data[-2048:]:
        raise _fail(
            name, "truncated", "is truncated or damaged (no end-of-file marker): download or copy it again"
        )


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    package_root = str(Path(socwizard.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = package_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("PYTHONSTARTUP", None)
    return env


def run_child(data: bytes, name: str, *, password: str | None, limits: Limits) -> dict[str, Any]:
    """Parse ``data`` in a child process; return its result object or raise EvidenceError."""
    header = {
        "password": password,
        "max_pages": limits.max_pages,
        "max_chars": limits.max_chars,
        "memory_bytes": limits.memory_bytes,
        "cpu_seconds": limits.cpu_seconds,
    }
    payload = json.dumps(header).encode() + b"\n" + data
    proc = subprocess.Popen(
        [sys.executable, "-m", "socwizard.core.evidence.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_env(),
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(payload, timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise _fail(
            name,
            "timeout",
            f"took longer than {limits.wall_seconds:g} s to read (damaged or hostile?); stopped",
        ) from None
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    if proc.returncode == -signal.SIGXCPU or proc.returncode == -signal.SIGKILL:
        raise _fail(
            name,
            "timeout",
            f"used more than {limits.cpu_seconds} s of CPU time to read (damaged or hostile?); stopped",
        )
    try:
        result = json.loads(out)
    except ValueError:
        result = None
    if not isinstance(result, dict):
        memory = b"MemoryError" in err or proc.returncode in (-signal.SIGSEGV, -signal.SIGABRT)
        if memory:
            raise _fail(
                name,
                "memory",
                f"needed more than {limits.memory_bytes // (1024 * 1024)} MiB of memory to read "
                "(damaged or hostile?); stopped",
            )
        raise _fail(name, "crashed", f"could not be read: the reader stopped (exit {proc.returncode})")
    if not result.get("ok"):
        raise _fail(name, str(result.get("reason", "corrupt")), str(result.get("message", "cannot be read")))
    return result


def read_report(
    path: Path, *, password: str | None = None, limits: Limits = LIMITS, name: str | None = None
) -> Report:
    """Read one report file: its name, sha256, page count and facts."""
    shown = name or display_path(path)
    try:
        data = read_bytes(path, max_bytes=limits.max_bytes)
    except FileProblems as exc:
        raise EvidenceError(exc.problems[0], "unreadable") from None
    check_pdf_bytes(data, shown)
    result = run_child(data, shown, password=password, limits=limits)
    body: dict[str, Any] = dict(result.get("facts") or {})
    body.update(
        {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "pages": int(result["pages"])}
    )
    return Report.from_json(body)
