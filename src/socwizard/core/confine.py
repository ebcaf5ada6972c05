"""Confining file access to a few folders (``socwizard serve``).

In a browser, the wizard runs on the server: a path typed into Import names a file on
the *server's* disk. Under ``serve`` only the store and an explicit ``--files DIR`` may
be read, and a refusal says the same thing whether or not the path exists, naming no
server path (issue 9: Import could preview any file, and its errors told which exist).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from socwizard.core.errors import Problem, SocwizardError

REFUSED = "only files in the store or in the folder given to serve --files can be read here"


class OutsideConfinement(SocwizardError):
    """A path outside the folders this session may read."""


def confine(text: str, roots: Sequence[Path]) -> Path:
    """The real path of ``text`` if it lies inside one of ``roots``, else OutsideConfinement.

    A relative path is taken relative to the first root (``--files`` if given). ``~`` is
    not expanded (it would be the server's home). Symlinks are resolved before the
    check, so a link inside a root cannot lead outside it.
    """
    if not roots:
        raise OutsideConfinement(Problem("", REFUSED))
    candidate = Path(text)
    if not candidate.is_absolute():
        candidate = roots[0] / candidate
    real = Path(os.path.realpath(candidate))
    for root in roots:
        base = Path(os.path.realpath(root))
        if real == base or real.is_relative_to(base):
            return real
    raise OutsideConfinement(Problem("", REFUSED))
