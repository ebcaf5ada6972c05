"""The child process that reads a PDF: limits itself, extracts the text, reads the facts.

Input on stdin: one JSON line (password and limits), then the PDF's bytes. Output on
stdout: one JSON object, ``{"ok": true, "pages": N, "facts": {...}}`` or
``{"ok": false, "reason": "...", "message": "..."}``. Run by :mod:`sandbox`, never by hand.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows; the wall timeout still holds
        return
    for which, value in ((resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_CPU, cpu_seconds)):
        try:
            _, hard = resource.getrlimit(which)
            resource.setrlimit(
                which, (value, hard if hard != resource.RLIM_INFINITY and hard < value else value)
            )
        except (ValueError, OSError):  # pragma: no cover - a platform without this limit
            pass


def run(stdin: Any, stdout: Any) -> int:
    """Do one read; always write one JSON object."""
    header = json.loads(stdin.readline())
    data = stdin.read()
    _limit(int(header["memory_bytes"]), int(header["cpu_seconds"]))
    if b"/Encrypt" not in data:
        # Not encrypted: pypdf need not import its AES provider (cryptography, ~0.1-0.2 s).
        sys.modules["cryptography"] = None  # type: ignore[assignment]
        sys.modules["Crypto"] = None  # type: ignore[assignment]
    result: dict[str, Any]
    try:
        from socwizard.core.evidence.pdftext import PdfProblem, extract_pages
        from socwizard.core.evidence.reader import read_pages

        try:
            pages = extract_pages(
                data,
                password=header.get("password"),
                max_pages=int(header["max_pages"]),
                max_chars=int(header["max_chars"]),
            )
            facts = read_pages(pages)
            result = {"ok": True, "pages": len(pages), "facts": {k: f.to_json() for k, f in facts.items()}}
        except PdfProblem as exc:
            result = {"ok": False, "reason": exc.reason, "message": exc.message}
    except MemoryError:
        result = {"ok": False, "reason": "memory", "message": "needed more memory than the reader allows"}
    except RecursionError:
        result = {"ok": False, "reason": "corrupt", "message": "is damaged: its structure nests without end"}
    stdout.write(json.dumps(result))
    stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.stdin.buffer, sys.stdout))
