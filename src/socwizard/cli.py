"""Command line. Commands that need no UI never import textual (a test checks it)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from socwizard import __version__, paths
from socwizard.core.errors import SocwizardError
from socwizard.core.text import one_line

if TYPE_CHECKING:
    import argparse

    from socwizard import showcache
    from socwizard.core.bank.models import Bank

EXIT_USAGE = 2


def _parser(**kwargs: Any) -> argparse.ArgumentParser:
    """An argument parser whose errors are one line on stderr, exit 2.

    argparse is imported here, not at the top: a ``show`` that the launcher has already
    parsed (:func:`run_show`) never needs it.
    """
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            # One line, cleaned: "unrecognized arguments" echoes raw argv (escapes, newlines).
            sys.stderr.write(f"{self.prog}: error: {one_line(message, 600)} (see {self.prog} --help)\n")
            raise SystemExit(EXIT_USAGE)

    return _Parser(**kwargs)


def _accept_globals_everywhere(sub: argparse._SubParsersAction[Any]) -> None:
    """Let ``--store`` and ``--bank`` also follow the command (``socwizard show F --bank D``)."""
    import argparse

    for command in sub.choices.values():
        command.add_argument("--store", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        command.add_argument("--bank", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                _accept_globals_everywhere(action)


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    import argparse

    parser = _parser(
        prog="socwizard",
        description="Which SOC report should you demand from a vendor, and is what it sent "
        "good enough? Run without a command to open the interview wizard.",
    )
    parser.add_argument("--version", action="version", version=f"socwizard {__version__}")
    parser.add_argument(
        "--store",
        metavar="DIR",
        help="assessment store (default: $SOCWIZARD_HOME or the config directory's assessments/)",
    )
    parser.add_argument("--bank", metavar="DIR", help="question bank directory (default: built-in)")
    # Set by `serve` for each browser session: the only folders the wizard may read files from.
    parser.add_argument("--confine", metavar="DIR", action="append", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=type(parser))

    sub.add_parser("list", help="list saved assessments (next review due; overdue ones marked)").add_argument(
        "--json", action="store_true", help="machine-readable output"
    )
    _add_register_commands(sub)

    show = sub.add_parser("show", help="print the recomputed result of an assessment")
    show.add_argument("target", metavar="FILE|ID")
    show.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    imp = sub.add_parser("import", help="validate a colleague's file and copy it into the store")
    imp.add_argument("file", metavar="FILE")

    op = sub.add_parser("open", help="open an assessment in the wizard")
    op.add_argument("target", metavar="FILE|ID")

    sub.add_parser("where", help="show the bank, store and config paths")

    bank = sub.add_parser("bank", help="check a question bank or print JSON Schemas")
    bank_sub = bank.add_subparsers(
        dest="bank_command", metavar="SUBCOMMAND", parser_class=type(parser), required=True
    )
    validate = bank_sub.add_parser("validate", help="validate a bank directory (default: the bank in use)")
    validate.add_argument("directory", metavar="DIR", nargs="?")
    schema = bank_sub.add_parser("schema", help="print JSON Schema for bank and assessment files")
    schema.add_argument("--kind", choices=("bank", "section", "rules", "assessment", "all"), default="all")
    _add_sharing_commands(sub)
    _add_evidence_commands(sub)
    _accept_globals_everywhere(sub)
    return parser


def _days(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{one_line(text, 40)!r} is not a whole number of days") from None
    if not 0 <= value <= 36_500:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 36500 days")
    return value


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH (a directory gets a default name) instead of stdout; "
        "an existing file is never overwritten without --force",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing output file")


def _add_register_commands(sub: Any) -> None:
    """``register`` and ``calendar`` (the vendor register)."""
    register = sub.add_parser(
        "register", help="the vendor register: one row per vendor, its standing and next review"
    )
    register.add_argument("--overdue", action="store_true", help="only vendors whose review is overdue")
    register.add_argument(
        "--due-within",
        metavar="DAYS",
        type=_days,
        help="only vendors due within DAYS days (overdue included)",
    )
    register.add_argument("--tier", metavar="TIER", help="only vendors of this risk tier (high, medium, low)")
    register.add_argument("--verdict", metavar="VERDICT", help="only vendors with this evidence verdict")
    register.add_argument(
        "--sort",
        choices=("due", "vendor", "tier", "reviewed"),
        default="due",
        help="row order (default: due)",
    )
    register.add_argument(
        "--format", choices=("text", "json", "csv", "xlsx", "html"), default="text", help="output format"
    )
    _add_output_options(register)
    reassess = sub.add_parser(
        "reassess",
        help="start a vendor's next assessment from this one "
        "(facts and notes kept, evidence and dates reset)",
    )
    reassess.add_argument("target", metavar="FILE|ID")
    calendar = sub.add_parser("calendar", help="every vendor's next review as an iCalendar (.ics) file")
    calendar.add_argument("--overdue", action="store_true", help="only vendors whose review is overdue")
    calendar.add_argument(
        "--due-within", metavar="DAYS", type=_days, help="only vendors due within DAYS days"
    )
    calendar.add_argument("--tier", metavar="TIER", help="only vendors of this risk tier")
    _add_output_options(calendar)


def _add_sharing_commands(sub: Any) -> None:
    """``export``, ``diff`` and ``serve`` (docs/sharing.md)."""
    export = sub.add_parser(
        "export", help="write a report (Markdown, HTML, PDF or JSON) or the request letter to the vendor"
    )
    export.add_argument("target", metavar="FILE|ID")
    export.add_argument(
        "--format",
        choices=("markdown", "html", "pdf", "json", "request"),
        default="markdown",
        help="request: the follow-ups as a letter to paste into an email to the vendor",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH (a directory gets a default name) instead of stdout; "
        "an existing file is never overwritten without --force",
    )
    export.add_argument("--force", action="store_true", help="replace an existing output file")

    diff = sub.add_parser("diff", help="compare two assessments: answers and recommendation changes")
    diff.add_argument("before", metavar="A", help="the earlier assessment (file or id)")
    diff.add_argument("after", metavar="B", help="the later assessment (file or id)")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument("--exit-code", action="store_true", help="exit 1 when they differ (like git diff)")

    serve = sub.add_parser("serve", help="run the wizard in a web browser (needs socwizard[serve])")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument(
        "--public-url", metavar="URL", help="the URL browsers use, when behind a reverse proxy"
    )
    serve.add_argument(
        "--files",
        metavar="DIR",
        help="a folder on the server that Import may read (default: only the store)",
    )


def _add_evidence_commands(sub: Any) -> None:
    """``evidence read`` and ``evidence attach`` (README: Reading the vendor's report)."""
    evidence = sub.add_parser(
        "evidence", help="read a vendor's SOC report (PDF) and fill the evidence answers"
    )
    evidence_sub = evidence.add_subparsers(
        dest="evidence_command", metavar="SUBCOMMAND", parser_class=type(evidence), required=True
    )
    read = evidence_sub.add_parser("read", help="what the report is and its facts, with page and quote")
    read.add_argument("report", metavar="REPORT.pdf")
    read.add_argument("--format", choices=("text", "json"), default="text")
    read.add_argument(
        "--password", metavar="PASSWORD", help="the PDF's password, when it is encrypted ('-' to be asked)"
    )
    attach = evidence_sub.add_parser(
        "attach", help="propose evidence answers from the report; save them after confirmation"
    )
    attach.add_argument("target", metavar="ASSESSMENT", help="an assessment file or id")
    attach.add_argument("report", metavar="REPORT.pdf")
    attach.add_argument("--yes", action="store_true", help="save without asking (answers you gave are kept)")
    attach.add_argument("--replace", action="store_true", help="with --yes: also replace answers you gave")
    attach.add_argument(
        "--password", metavar="PASSWORD", help="the PDF's password, when it is encrypted ('-' to be asked)"
    )


def _err(message: str) -> int:
    sys.stderr.write(f"socwizard: error: {one_line(message, 600)}\n")
    return EXIT_USAGE


def _notice(messages: Sequence[str]) -> None:
    for message in messages:
        sys.stderr.write(f"socwizard: note: {one_line(message, 600)}\n")


def _warn(messages: Sequence[object]) -> None:
    for message in messages:
        sys.stderr.write(f"socwizard: warning: {one_line(str(message), 600)}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``socwizard`` console script."""
    args = build_parser().parse_args(argv)
    return _guarded(lambda: _dispatch(args))


def run_home(store: str | None = None, bank: str | None = None) -> int:
    """``socwizard [--store D] [--bank D]``: the wizard's Home, parsed by the launcher."""
    return _guarded(
        lambda: _run_ui_in(paths.store_dir(store), paths.bank_dir(bank), open_path=None, confine=None)
    )


def run_show(request: showcache.Request) -> int:
    """``socwizard show``, already parsed by the launcher (its cache missed)."""
    return _guarded(lambda: _show_request(request))


def _guarded(command: Callable[[], int]) -> int:
    """Run a command: every failure is one line on stderr and an exit code, never a traceback."""
    try:
        return command()
    except SocwizardError as exc:
        return _err(exc.first_line)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        return _err(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("SOCWIZARD_DEBUG"):
            raise
        return _err(f"internal error ({type(exc).__name__}): {exc}; set SOCWIZARD_DEBUG=1 for details")


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command is None or command == "open":
        return _run_ui(args)
    if command == "where":
        return _where(args)
    if command in ("list", "register", "calendar"):
        from socwizard.core.index import paused_gc

        with paused_gc():  # tens of thousands of small acyclic rows (core.index.paused_gc)
            return _list(args) if command == "list" else _register(args)
    if command == "bank":
        return _bank(args)
    if command == "show":
        return _show(args)
    if command == "import":
        return _import(args)
    if command == "export":
        return _export(args)
    if command == "diff":
        return _diff(args)
    if command == "serve":
        return _serve(args)
    if command == "reassess":
        return _reassess(args)
    if command == "evidence":
        from socwizard.evidence_cli import run_evidence

        return run_evidence(args)
    return _err(f"unknown command {command!r}")


def _bank_for(args: argparse.Namespace | showcache.Request) -> Bank:
    """The bank in use, from the validated-bank cache when unchanged."""
    from socwizard.core.bank.cache import load_bank_cached

    return load_bank_cached(paths.bank_dir(args.bank), paths.policy_file(), paths.cache_dir())


def _bank_or_none(args: argparse.Namespace) -> Bank | None:
    """The bank in use, or None when it cannot be loaded (a listing still works)."""
    try:
        return _bank_for(args)
    except SocwizardError:
        return None


def resolve_target(args: argparse.Namespace, target: str) -> Path:
    """An existing file path, or an assessment id/filename in the store."""
    return _resolve(args.store, target)


def _resolve(store_arg: str | None, target: str) -> Path:
    candidate = Path(target).expanduser()
    if candidate.exists():
        return candidate
    from socwizard.core.errors import SocwizardError as Error
    from socwizard.core.store import Store

    store = Store(paths.store_dir(store_arg))
    found = store.find_by_id(target)
    _notice(store.notices)
    if found is None:
        candidate = store.root / target
        if candidate.exists() and candidate.resolve().parent == store.root.resolve():
            return candidate
        raise Error(f"{target}: no such file, and no assessment with that id in {store.root}")
    return found


def _where(args: argparse.Namespace) -> int:
    rows = [
        ("bank", paths.bank_dir(args.bank)),
        ("store", paths.store_dir(args.store)),
        ("config", paths.config_dir()),
        ("policy", paths.policy_file()),
    ]
    for name, path in rows:
        note = "" if path.exists() else "  (not created yet)"
        print(f"{name:<7} {path}{note}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from socwizard.core.store import Store, safe_json, summarise

    store = Store(paths.store_dir(args.store))
    entries = store.list()
    _notice(store.notices)
    if args.json:
        print(safe_json(summarise(entries)))
        return 0
    if not entries:
        print(f"No assessments yet in {store.root}. Run `socwizard` to start one.")
        return 0
    from socwizard.core.labels import status_label

    word = _headline_wording(args)
    today = paths.today()
    lines = [f"  {'TITLE':<28} {'VENDOR':<18} {'REVIEWED':<10} {'STATUS':<11} {'NEXT REVIEW':<22} VERDICT"]
    overdue = 0
    # 50,000 rows share a few outcome tables (the index shares their dicts), statuses and a
    # few thousand dates: each of those cells is worded once, not once per row.
    verdicts: dict[tuple[int, str, str], str] = {}
    dues: dict[Any, tuple[str, bool]] = {}
    reviews: dict[Any, str] = {}
    statuses: dict[str, str] = {}
    vendors: dict[str, str] = {}  # a vendor's yearly assessments share its name
    for e in entries:
        key = (id(e.outcomes), e.headline, e.error)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = one_line(e.error or word(e.outcomes, e.headline) or "—", 160)
        due = dues.get(e.next_review)
        if due is None:
            due = dues[e.next_review] = _due_cell(e.next_review, today)
        reviewed = reviews.get(e.reviewed_on)
        if reviewed is None:
            reviewed = reviews[e.reviewed_on] = f"{e.reviewed_on.isoformat() if e.reviewed_on else '—':<10}"
        status = statuses.get(e.status)
        if status is None:
            status = statuses[e.status] = f"{one_line(status_label(e.status), 11):<11}"
        vendor = vendors.get(e.vendor)
        if vendor is None:
            vendor = vendors[e.vendor] = f"{one_line(e.vendor, 18):<18}"
        overdue += due[1]
        lines.append(
            f"{'! ' if due[1] else '  '}{one_line(e.title, 28):<28} {vendor} "
            f"{reviewed} {status} {due[0]} {verdict}"
        )
    if overdue:
        lines.append(f"{overdue} overdue (marked !) as of {today.isoformat()} — see `socwizard register`")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _due_cell(next_review: Any, today: Any) -> tuple[str, bool]:
    """``list``'s NEXT REVIEW cell (padded) and whether the review is overdue."""
    if next_review is None:
        return f"{'—':<22}", False
    late = bool(next_review < today)
    days = (next_review - today).days
    return f"{next_review.isoformat() + ' ' + ('OVERDUE' if late else f'in {days}d'):<22}", late


def _headline_wording(args: argparse.Namespace) -> Callable[[Any, str], str]:
    """How ``list`` words a saved headline: with the bank's headline outcomes.

    They are read plainly from ``bank.toml`` (no pydantic, no validated bank: a listing
    of 50,000 assessments needs nothing else from it); only when that is not possible is
    the bank loaded (and a bank that cannot be loaded leaves the saved headlines as they are).
    """
    from socwizard.core.bank.peek import headline_outcomes
    from socwizard.core.labels import entry_headline, worded_headline

    headline = headline_outcomes(paths.bank_dir(args.bank))
    if headline is not None:
        return lambda outcomes, stored: worded_headline(outcomes, stored, headline)
    bank = _bank_or_none(args)
    return lambda outcomes, stored: entry_headline(outcomes, stored, bank)


def _bank(args: argparse.Namespace) -> int:
    if args.bank_command == "schema":
        from socwizard.core.schemas import KINDS, schema

        kinds = KINDS if args.kind == "all" else (args.kind,)
        data = schema(kinds[0]) if len(kinds) == 1 else {k: schema(k) for k in kinds}
        import json

        print(json.dumps(data, indent=2))
        return 0
    from socwizard.core.bank.loader import load_bank
    from socwizard.core.errors import BankError

    directory = paths.bank_dir(args.directory or args.bank)
    try:
        bank = load_bank(directory, paths.policy_file())
    except BankError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        sys.stderr.write(f"socwizard: error: {len(exc.problems)} problem(s) in the bank at {directory}\n")
        return EXIT_USAGE
    print(
        f"OK: {bank.meta.title} ({bank.id} {bank.version}): {len(bank.questions)} questions, "
        f"{len(bank.meta.sections)} sections, {len(bank.meta.rules)} rules"
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    from socwizard import showcache

    return _show_request(showcache.Request(args.target, args.format, args.bank, args.store))


def _show_request(request: showcache.Request) -> int:
    """Print the recomputed result; a successful run is kept for the launcher's show cache.

    It is kept only when the cache's key covers exactly this run: the same paths, the
    same file (an id resolved to the file this run read), and no input changed meanwhile.
    """
    from socwizard import showcache

    found = _show_cache_key(request, before=True)
    stdout, stderr, cacheable, path = _show_output(request)
    sys.stderr.write(stderr)
    sys.stdout.write(stdout)
    if cacheable and found is not None and found[1] == str(path) and _show_cache_key(request) == found:
        showcache.save(found[0], showcache.Output(stdout, stderr, 0))
    return 0


def _show_cache_key(request: showcache.Request, *, before: bool = False) -> tuple[str, str] | None:
    """The show cache's (key, file), when its idea of the paths is exactly this run's (else None).

    ``before``: the key before the run (the one the launcher computed, when it did).
    """
    from socwizard import showcache

    found = showcache.key_before(request) if before else showcache.cache_key(request)
    config, cache = showcache.config_dir(), showcache.cache_dir()
    if found is None or config is None or cache is None:
        return None
    key, bank, file = found
    same = (
        Path(bank) == paths.bank_dir(request.bank)
        and Path(config) / "policy.toml" == paths.policy_file()
        and Path(cache) == paths.cache_dir()
    )
    return (key, file) if same else None


def _show_output(request: showcache.Request) -> tuple[str, str, bool, Path]:
    """What ``show`` prints on stdout and on stderr (its warnings), whether to cache it, the file read.

    A re-assessment's text ends with what changed since its predecessor: it depends on
    another file than the show cache's key covers, so it is not cached.
    """
    from socwizard.core.assessment import read_assessment_file
    from socwizard.core.report import render, render_json

    path = _resolve(request.store, request.target)
    bank = _bank_for(request)
    loaded = read_assessment_file(path, bank)
    stderr = "".join(f"socwizard: warning: {one_line(str(w), 600)}\n" for w in loaded.warnings)
    if request.format == "json":
        return render_json(loaded) + "\n", stderr, True, path
    markdown = request.format == "markdown"
    if markdown:  # one Markdown renderer: the same as `export --format markdown`
        from socwizard.core.export import render_markdown

        text = render_markdown(loaded, bank)
    else:
        text = render(loaded, bank)
    if not loaded.assessment.previous:
        return text, stderr, True, path
    since = _since_previous(request.store, loaded, bank, path, markdown=markdown)
    return text + since, stderr, False, path


def _since_previous(store_arg: str | None, loaded: Any, bank: Bank, path: Path, *, markdown: bool) -> str:
    """The closing section of a re-assessment: what changed since its predecessor ('' if not found)."""
    from socwizard.core.errors import display_path
    from socwizard.core.reassess import since_previous, summary_lines
    from socwizard.core.store import Store

    since = since_previous(Store(paths.store_dir(store_arg)), loaded, bank)
    if since is None:
        return ""
    diff, name = since
    where = f"({name}, reviewed {diff_date(diff)})"
    lines = (
        [f"\n## Since the previous assessment {where}\n"]
        if markdown
        else [f"\nSINCE THE PREVIOUS ASSESSMENT {where}"]
    )
    lines += [f"{'- ' if markdown else '  '}{line}" for line in summary_lines(diff)]
    lines.append(f"{'' if markdown else '  '}(details: socwizard diff {name} {display_path(path)})")
    return "\n".join(lines) + "\n"


def diff_date(diff: Any) -> str:
    """The predecessor's review date from a diff's metadata (or 'same day')."""
    reviewed = next((m for m in diff.metadata if m.field == "reviewed_on"), None)
    return reviewed.before if reviewed is not None else "the same day"


def _reassess(args: argparse.Namespace) -> int:
    from socwizard.core.errors import display_path
    from socwizard.core.reassess import reassess_file
    from socwizard.core.store import Store

    try:
        today = paths.today()
    except ValueError as exc:
        return _err(str(exc))
    path = resolve_target(args, args.target)
    bank = _bank_for(args)
    store = Store(paths.store_dir(args.store))
    target, plan, loaded = reassess_file(store, path, bank, today)
    _warn(loaded.warnings)
    a = loaded.assessment
    print(f"Started the next assessment of {one_line(a.vendor or a.display_title, 80)}: {target}")
    print(
        f"  {len(plan.carried)} answers carried over (with their notes); {len(plan.reset)} reset "
        f"(evidence and dates); reviewed on {a.reviewed_on.isoformat()}"
    )
    print(f"  Continue it with: socwizard open {a.id}")
    print(f"  {display_path(path)} stays as it is: it is the previous assessment in the vendor's history")
    return 0


def _import(args: argparse.Namespace) -> int:
    from socwizard.core.store import Store

    bank = _bank_for(args)
    store = Store(paths.store_dir(args.store))
    destination, loaded = store.import_file(Path(args.file).expanduser(), bank)
    _warn(loaded.warnings)
    print(f"Imported {one_line(str(args.file), 300)} as {destination}")
    print(f"  {loaded.result.headline()}")
    return 0


def _run_ui(args: argparse.Namespace) -> int:
    target = resolve_target(args, args.target) if args.command == "open" else None
    return _run_ui_in(
        paths.store_dir(args.store),
        paths.bank_dir(args.bank),
        open_path=target,
        confine=tuple(Path(d) for d in args.confine) if args.confine else None,
    )


def _run_ui_in(
    store_dir: Path, bank_dir: Path, *, open_path: Path | None, confine: tuple[Path, ...] | None
) -> int:
    from socwizard.tui.app import run_app

    return run_app(
        store_dir=store_dir,
        bank_dir=bank_dir,
        policy_file=paths.policy_file(),
        open_path=open_path,
        confine=confine,
    )


def _export(args: argparse.Namespace) -> int:
    from socwizard.core.assessment import read_assessment_file
    from socwizard.core.errors import display_path
    from socwizard.core.export import BINARY, default_filename, render_export_bytes

    to_stdout = args.output is None or args.output == "-"
    if to_stdout and args.format in BINARY and sys.stdout.isatty():
        return _err(f"a {args.format.upper()} is binary: write it with -o PATH (or redirect stdout)")
    path = resolve_target(args, args.target)
    bank = _bank_for(args)
    loaded = read_assessment_file(path, bank)
    _warn(loaded.warnings)
    data = render_export_bytes(loaded, bank, args.format)
    if to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    target = _write_output(args, data, default_filename(loaded.assessment, args.format))
    print(f"Exported {display_path(path)} to {display_path(target)}")
    return 0


def _write_output(args: argparse.Namespace, data: bytes, default_name: str) -> Path:
    """Write ``data`` to ``-o PATH`` (a directory gets ``default_name``); never replaces without --force."""
    from socwizard.core.errors import Problem, display_path
    from socwizard.core.store import write_new, write_private

    target = Path(args.output).expanduser()
    if target.is_dir():
        target = target / default_name
    if (target.exists() or target.is_symlink()) and not args.force:
        raise SocwizardError(
            Problem(display_path(target), "already exists; use --force to replace it, or another -o PATH")
        )
    if target.is_dir() or (target.exists() and not target.is_file()):
        raise SocwizardError(Problem(display_path(target), "is not a regular file"))
    if not target.parent.is_dir():
        raise SocwizardError(Problem(display_path(target.parent), "no such directory"))
    if args.force:
        write_private(target, data)
    else:
        try:  # exclusive: a file that appeared since the check above is not replaced either
            write_new(target, data, numbered=False)
        except FileExistsError:
            raise SocwizardError(
                Problem(display_path(target), "already exists; use --force to replace it, or another -o PATH")
            ) from None
    return target


def _register(args: argparse.Namespace) -> int:
    """``register`` and ``calendar``: from the store listing, no bank needed."""
    from socwizard.core import register
    from socwizard.core.errors import display_path
    from socwizard.core.store import Store

    try:
        today = paths.today()
    except ValueError as exc:
        return _err(str(exc))
    store = Store(paths.store_dir(args.store))
    rows: Sequence[register.ListedRow]
    fmt = "ics" if args.command == "calendar" else args.format
    # The index's vendor table, when it answers for every file as it is now.
    stored = store.vendor_rows(history=fmt == "json")
    if stored is not None:
        rows, errors = register.sort_rows(stored[0]), stored[1]
    else:
        entries = store.list()
        errors = [e.error for e in entries if e.error]
        rows = register.build(entries)  # sorted by due
    _notice(store.notices)
    # A file that cannot be read (a hostile vendor key, broken TOML) stays a row, and
    # says why once, on one line of stderr: nothing is lost, nothing reaches stdout.
    _warn(errors)
    if args.command == "register" and args.sort != "due":
        rows = register.sort_rows(rows, args.sort)
    chosen = register.select(
        rows,
        today,
        overdue=args.overdue,
        due_within=args.due_within,
        tier=args.tier,
        verdict=getattr(args, "verdict", None),
    )
    if fmt == "text":
        sys.stdout.write(_register_text(chosen, rows, today, store.root))
        return 0
    data = _register_bytes(fmt, chosen, today)
    if args.output is None or args.output == "-":
        if fmt == "xlsx" and sys.stdout.isatty():
            return _err("an XLSX workbook is not for a terminal: add -o FILE.xlsx")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    name = "reviews.ics" if fmt == "ics" else f"vendor-register.{fmt}"
    target = _write_output(args, data, name)
    what = "review calendar" if fmt == "ics" else "register"
    count = f"{len(chosen)} vendor{'s' if len(chosen) != 1 else ''}"
    print(f"Wrote the {what} ({count}) to {display_path(target)}")
    return 0


def _register_bytes(fmt: str, rows: Sequence[Any], today: Any) -> bytes:
    from socwizard.core import register

    if fmt == "json":
        import json

        return (json.dumps(register.to_json(rows, today), indent=2, ensure_ascii=False) + "\n").encode()
    if fmt == "csv":
        return register.to_csv(rows, today).encode("utf-8")
    from socwizard.core import register_export

    if fmt == "xlsx":
        return register_export.to_xlsx(rows, today)
    if fmt == "html":
        return register_export.to_html(rows, today).encode("utf-8")
    return register_export.to_ics(rows, today)


def _register_text(rows: Sequence[Any], every: Sequence[Any], today: Any, root: Path) -> str:
    from socwizard.core.labels import NONE, value_label
    from socwizard.core.register import due_text, status_text, summarise

    if not every:
        return f"No assessments yet in {root}. Run `socwizard` to start one.\n"

    # 10,000 rows hold a few distinct levels, statuses and day counts and a few thousand
    # dates: each of those cells is worded (and padded) once, not once per row.
    words: dict[tuple[str, int], str] = {}
    days_cells: dict[int | None, str] = {}
    date_cells: dict[tuple[Any, int], str] = {}
    status_cells: dict[str, str] = {}

    def word(value: str, width: int) -> str:
        cell = words.get((value, width))
        if cell is None:
            cell = words[value, width] = f"{value_label(value) if value else NONE:<{width}}"
        return cell

    def date_cell(day: Any, width: int) -> str:
        cell = date_cells.get((day, width))
        if cell is None:
            cell = date_cells[day, width] = f"{day.isoformat() if day else NONE:<{width}}"
        return cell

    lines = [
        f"  {'VENDOR':<26} {'TIER':<7} {'SOC 1':<11} {'SOC 2':<11} {'EVIDENCE':<13} "
        f"{'REVIEWED':<10} {'NEXT REVIEW':<11} {'DUE':<19} {'STATUS':<12} {'ASSESSOR':<16} N"
    ]
    for row in rows:
        days = row.days_left(today)
        due = days_cells.get(days)
        if due is None:
            due = days_cells[days] = f"{due_text(days):<19}"
        status = status_cells.get(row.status)
        if status is None:
            status = status_cells[row.status] = f"{status_text(row.status):<12}"
        lines.append(
            f"{'! ' if days is not None and days < 0 else '  '}{one_line(row.vendor, 26):<26} "
            f"{word(row.tier, 7)} {word(row.outcome('soc1.level'), 11)} "
            f"{word(row.outcome('soc2.level'), 11)} {word(row.verdict, 13)} "
            f"{date_cell(row.last_reviewed, 10)} {date_cell(row.next_review, 11)} {due} {status} "
            f"{one_line(row.assessor, 16) or NONE:<16} {row.assessments}"
        )
    total = summarise(every, today)
    shown = total if len(rows) == len(every) else summarise(rows, today)  # a filter only removes rows
    scope = f"{total.total} vendors"
    if shown.total != total.total:
        scope = f"{shown.total} of {scope}"
    lines.append(f"{scope} · {total.overdue} overdue in all (marked !) · as of {today.isoformat()}")
    return "\n".join(lines) + "\n"


def _diff(args: argparse.Namespace) -> int:
    from socwizard.core.assessment import read_assessment_file
    from socwizard.core.diff import diff_assessments, render_diff_json, render_diff_text
    from socwizard.core.errors import display_path

    bank = _bank_for(args)
    path_a = resolve_target(args, args.before)
    path_b = resolve_target(args, args.after)
    a = read_assessment_file(path_a, bank)
    b = read_assessment_file(path_b, bank)
    _warn([*a.warnings, *b.warnings])
    result = diff_assessments(a, b, bank, a_name=display_path(path_a), b_name=display_path(path_b))
    sys.stdout.write(render_diff_json(result) if args.format == "json" else render_diff_text(result))
    return 1 if args.exit_code and not result.same else 0


def _serve(args: argparse.Namespace) -> int:
    import importlib.util

    from socwizard import serve

    if importlib.util.find_spec("textual_serve") is None:
        return _err(serve.INSTALL_HINT)
    if not 0 < args.port < 65536:
        return _err(f"--port {args.port}: not a valid port number")
    files = Path(args.files).expanduser() if args.files else None
    if files is not None and not files.is_dir():
        return _err(f"--files {one_line(args.files, 300)}: not a folder")
    return serve.run(
        paths.store_dir(args.store),
        paths.bank_dir(args.bank),
        files=files,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        warn=lambda message: _warn([message]),
    )
