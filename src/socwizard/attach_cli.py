"""``socwizard evidence attach ASSESSMENT REPORT.pdf``: propose, confirm, save (never imports textual)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from socwizard import paths
from socwizard.core.errors import Problem, StoreError, display_path
from socwizard.core.text import counted, one_line

if TYPE_CHECKING:
    from socwizard.core.store import Store

STATUS_TEXT = {
    "new": "new",
    "same": "already your answer",
    "adds": "added to your answer",
    "differs": "REPLACES your answer",
}


def password_from(args: argparse.Namespace) -> str | None:
    """``--password PW``, or ``--password -`` to be asked without echo (kept out of shell history)."""
    if args.password == "-":
        return getpass.getpass("PDF password: ")
    password: str | None = args.password
    return password


def _store_for(path: Path, args: argparse.Namespace) -> Store:
    from socwizard.core.store import Store

    configured = Store(paths.store_dir(args.store))
    if path.resolve().parent == configured.root.resolve():
        return configured
    if (path.resolve().parent / ".socwizard").is_dir():
        return Store(path.resolve().parent)  # a team store: a folder socwizard already keeps
    raise StoreError(
        Problem(
            display_path(path),
            "is not in an assessment store: import it first (socwizard import FILE), "
            "or pass --store with the folder it is in",
        )
    )


def attach(args: argparse.Namespace, ask: Callable[[str], str] = input) -> int:
    """Read the report, show each proposed answer beside its quote, save after confirmation."""
    from socwizard.cli import _bank_for, resolve_target
    from socwizard.core.evidence.attach import apply, propose
    from socwizard.core.evidence.sandbox import read_report
    from socwizard.core.recommendation import decide

    bank = _bank_for(args)
    path = resolve_target(args, args.target)
    store = _store_for(path, args)
    opened = store.open(path, bank)
    report_path = Path(args.report).expanduser()
    report = read_report(report_path, password=password_from(args), name=display_path(report_path))
    proposals = propose(report, bank, opened.assessment.answers)
    kind = report.value("kind") or "unrecognised document"
    kind_type = " ".join(str(v) for v in (kind, report.value("type")) if v)
    print(f"{one_line(report.file, 120)}: {kind_type}, {report.pages} pages, sha256 {report.sha256[:16]}…")
    if not proposals:
        print("  It answers none of this bank's evidence questions.")
    for proposal in proposals:
        print(f"  {one_line(proposal.prompt, 110)}")
        print(f"    -> {one_line(proposal.shown, 100)}  [{STATUS_TEXT[proposal.status]}]")
        print(f'       page {proposal.page}: "{one_line(proposal.quote, 160)}"')
    exceptions = report.value("exceptions") or []
    if exceptions:
        listed = ", ".join(f"{e['control']} (page {e['page']})" for e in exceptions[:8])
        more = f" and {len(exceptions) - 8} more" if len(exceptions) > 8 else ""
        print(f"  Exceptions in the tests of controls: {listed}{more}.")
        print("  Whether they hit controls you rely on is yours to judge (the exceptions question).")
    changes = [p for p in proposals if p.status in ("new", "adds")]
    conflicts = [p for p in proposals if p.needs_consent]
    replace: set[str] = set()
    if args.yes:
        if args.replace:
            replace = {p.question_id for p in conflicts}
        elif conflicts:
            kept = counted(len(conflicts), "answer", "answers")
            print(f"  Kept {kept} you gave (add --replace to take the report's).")
    else:
        if not sys.stdin.isatty() and ask is input:
            sys.stderr.write("socwizard: error: not saved: confirm on a terminal, or pass --yes\n")
            return 2
        for proposal in conflicts:
            old = (
                "unknown"
                if proposal.existing is None or not proposal.existing.known
                else proposal.existing.value
            )
            reply = ask(f"Replace your answer ({one_line(str(old), 60)}) to {proposal.question_id}? [y/N] ")
            if reply.strip().lower() in ("y", "yes"):
                replace.add(proposal.question_id)
        count = len(changes) + len(replace)
        answers = counted(count, "answer", "answers")
        reply = ask(f"Save {answers} and record the document in {display_path(path)}? [y/N] ")
        if reply.strip().lower() not in ("y", "yes"):
            print("Nothing saved.")
            return 0
    updated = apply(opened.assessment, report, proposals, replace=replace)
    result = decide(bank, updated.answers, updated.reviewed_on, complete=updated.status == "complete")
    target, _, _ = store.save(updated, bank, result, path=path, expected=opened.fingerprint)
    saved = len(changes) + len(replace)
    answers = counted(saved, "answer", "answers")
    print(f"Saved {answers} to {display_path(target)}; recorded {one_line(report.file, 120)}.")
    return 0
