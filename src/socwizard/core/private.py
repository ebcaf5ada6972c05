"""Private folders: created 0700 whatever the umask, refused when another user could write them.

On a shared machine, a folder another user can write is a folder they can fill: a bank
cache, a ``policy.toml`` that silently removes findings, or assessments. So:

- every folder socwizard creates — and every missing parent of it — is made 0700,
  explicitly (``mkdir(mode=0o700)`` is masked by the umask, and ``parents=True``
  creates parents with the umask's default, world-writable at umask 000);
- a cache, config (policy) or store folder that exists but is owned by another user,
  or writable by its group or by everyone, is refused with one line naming the fix;
- inside a store's ``.socwizard/`` nothing is followed: symlinks and special files
  there are refused (a committed symlink in a team's git store would otherwise send
  locks, backups and the index elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

from socwizard.core.errors import Problem, SocwizardError, display_path

TEMP_MAX_AGE_S = 3600.0


class UnsafeFolder(SocwizardError):
    """A folder (or file) another user could have written: socwizard will not use it."""


def make_private_dir(path: Path) -> None:
    """Create ``path`` and its missing parents, each 0700 whatever the umask."""
    missing: list[Path] = []
    current = path
    while not os.path.lexists(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=0o700)
            os.chmod(directory, 0o700)
    if not path.is_dir():
        raise UnsafeFolder(Problem(display_path(path), "is not a folder"))


def check_private(path: Path, what: str, *, follow_symlinks: bool = True) -> None:
    """Refuse ``path`` (if it exists) when another user owns it or could write to it."""
    try:
        info = os.stat(path, follow_symlinks=follow_symlinks)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise UnsafeFolder(Problem(display_path(path), f"cannot check the {what}: {exc.strerror}")) from None
    name = display_path(path)
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeFolder(Problem(name, f"the {what} is a symbolic link; socwizard does not follow it"))
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise UnsafeFolder(
            Problem(name, f"the {what} belongs to another user (uid {info.st_uid}); socwizard won't use it")
        )
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        fix = "chmod 700" if stat.S_ISDIR(info.st_mode) else "chmod 600"
        raise UnsafeFolder(
            Problem(name, f"the {what} is writable by other users; socwizard will not use it ({fix} {name})")
        )


def check_inner(path: Path, *, directory: bool) -> bool:
    """Whether ``path`` inside ``.socwizard/`` may be used: absent, or real and of the kind.

    Raises :class:`UnsafeFolder` for a symlink or a special file (never followed).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    kind_ok = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        problem = "is a symbolic link; socwizard does not follow links in its own folder (remove it)"
    elif not kind_ok:
        problem = f"is not a {'folder' if directory else 'regular file'} (remove it)"
    else:
        return True
    raise UnsafeFolder(Problem(display_path(path), problem))


def sweep_temps(directory: Path, prefix: str = ".", max_age_s: float = TEMP_MAX_AGE_S) -> int:
    """Remove socwizard's stale temp files (``.NAME.*.tmp`` older than an hour); count them.

    Only regular files are removed (never followed); a temp younger than ``max_age_s``
    may belong to a save in progress in another process.
    """
    removed = 0
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for item in entries:
            name = item.name
            if not (name.startswith(prefix) and name.startswith(".") and name.endswith(".tmp")):
                continue
            with contextlib.suppress(OSError):
                info = item.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and now - info.st_mtime > max_age_s:
                    os.unlink(item.path)
                    removed += 1
    return removed
