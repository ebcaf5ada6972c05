"""The console-script entry point: answers ``--version`` before importing anything.

A repeated ``show`` is answered from its cache (:mod:`socwizard.showcache`); everything
else goes to :func:`socwizard.cli.main`. Keeping this module tiny makes ``socwizard
--version`` and a cached ``show`` cost little more than starting Python (see BENCHMARKS.md).
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    """Run socwizard."""
    # socwizard's models validate socwizard's own files: a third-party pydantic plugin has
    # nothing to observe there, and looking for plugins reads the metadata of every installed
    # package at the first model class (~15-20 ms of each start that reads a file; see
    # BENCHMARKS.md, figure 2b). A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if sys.argv[1:] == ["--version"]:
        from socwizard import __version__

        sys.stdout.write(f"socwizard {__version__}\n")
        return 0
    home = home_options(sys.argv[1:])
    if home is not None:  # the wizard's Home: the full command-line grammar is not needed
        from socwizard.cli import run_home

        return run_home(home.get("store"), home.get("bank"))
    if "show" in sys.argv[1:]:
        from socwizard import showcache

        request = showcache.parse_argv(sys.argv[1:])
        if request is not None:
            code = showcache.serve(request)  # a repeated show, from its cache: nothing heavy imported
            if code is not None:
                return code
            # Computed (and cached); argparse is not needed. A short process of bounded
            # size (a 1 MB assessment, the bank's files) that builds tens of thousands of
            # objects as pydantic and socwizard's models are imported and frees them only at
            # exit, almost none of them cyclic garbage (about a thousand objects): the cyclic
            # GC walked them again and again as they were built, and once more as the
            # interpreter shut down — about a third of `import pydantic` (BENCHMARKS.md,
            # figure 2b). So it is off while the command runs, and what it built is frozen
            # before the interpreter exits, so the final collection skips it. Restored for a
            # caller that goes on (a test).
            import gc

            was_enabled = gc.isenabled()
            gc.disable()
            try:
                from socwizard.cli import run_show

                return run_show(request)
            finally:
                gc.freeze()
                if was_enabled:
                    gc.enable()
    from socwizard.cli import main as cli_main

    return cli_main()


def home_options(argv: list[str]) -> dict[str, str] | None:
    """``[--store D] [--bank D]`` (each at most once, ``--x D`` or ``--x=D``) as a dict; else None.

    What ``socwizard`` with no command reads (argparse and its grammar cost ~15 ms of the
    wizard's first frame). Anything else — another option, a command, help, an abbreviation
    — is None and goes to the full command line.
    """
    values: dict[str, str] = {}
    i = 0
    while i < len(argv):
        name, eq, value = argv[i].partition("=")
        if name not in ("--store", "--bank") or name[2:] in values:
            return None
        if not eq:
            if i + 1 >= len(argv):
                return None
            i += 1
            value = argv[i]
        if not value or value.startswith("-"):
            return None
        values[name[2:]] = value
        i += 1
    return values
