"""The console-script entry point: answers ``--version`` before importing anything.

A repeated ``show`` is answered from its cache (:mod:`socwizard.showcache`); everything
else goes to :func:`socwizard.cli.main`. Keeping this module tiny makes ``socwizard
--version`` and a cached ``show`` cost little more than starting Python (see BENCHMARKS.md).
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run socwizard."""
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
