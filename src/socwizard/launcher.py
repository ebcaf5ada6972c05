"""The console-script entry point: answers ``--version`` before importing anything.

Everything else goes to :func:`socwizard.cli.main`. Keeping this module tiny makes
``socwizard --version`` cost little more than starting Python (see BENCHMARKS.md).
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run socwizard."""
    if sys.argv[1:] == ["--version"]:
        from socwizard import __version__

        sys.stdout.write(f"socwizard {__version__}\n")
        return 0
    from socwizard.cli import main as cli_main

    return cli_main()
