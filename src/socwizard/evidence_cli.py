"""``socwizard evidence read|attach``: the vendor's report, read locally (never imports textual)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from socwizard.core.errors import display_path


def run_evidence(args: argparse.Namespace) -> int:
    """Dispatch ``evidence`` subcommands."""
    if args.evidence_command == "attach":
        from socwizard.attach_cli import attach

        return attach(args)
    return _read(args)


def _read(args: argparse.Namespace) -> int:
    from socwizard.core.evidence.model import render_text
    from socwizard.core.evidence.sandbox import read_report

    path = Path(args.report).expanduser()
    from socwizard.attach_cli import password_from

    report = read_report(path, password=password_from(args), name=display_path(path))
    if args.format == "json":
        # ensure_ascii: U+202E and C1 controls never reach a terminal raw (hardening.md).
        sys.stdout.write(json.dumps(report.to_json(), indent=2, ensure_ascii=True) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 0
