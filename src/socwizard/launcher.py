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
    if "show" in sys.argv[1:]:
        from socwizard import showcache

        request = showcache.parse_argv(sys.argv[1:])
        if request is not None:
            code = showcache.serve(request)  # a repeated show, from its cache: nothing heavy imported
            if code is not None:
                return code
            from socwizard.cli import run_show

            return run_show(request)  # computed (and cached); argparse is not needed
    from socwizard.cli import main as cli_main

    return cli_main()
