"""The TUI's small settings file: the chosen theme, the last export folder and format.

``settings.toml`` in the config directory (``socwizard where`` prints it; the
``SOCWIZARD_CONFIG`` override applies). The folder is created 0700 and the file written
0600, atomically. The file is untrusted like any other: read with a size cap, and a
missing, unreadable or malformed file (or a value of the wrong type) means the defaults,
never an error. Pure Python: no textual.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from socwizard.core.errors import SocwizardError
from socwizard.core.private import make_private_dir
from socwizard.core.text import find_unsafe
from socwizard.core.tomlsafe import FileProblems, read_bytes
from socwizard.paths import config_dir

FILE_NAME = "settings.toml"
MAX_BYTES = 16_384
KEYS = ("theme", "export_folder", "export_format")
"""The settings there are (all strings)."""


def settings_file() -> Path:
    """Where the settings live."""
    return config_dir() / FILE_NAME


def load() -> dict[str, str]:
    """The saved settings (only known keys with clean string values)."""
    try:
        raw = read_bytes(settings_file(), max_bytes=MAX_BYTES, allow_symlink=False)
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, FileProblems, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return {
        key: value
        for key, value in data.items()
        if key in KEYS and isinstance(value, str) and len(value) <= 4096 and _clean(value)
    }


def _clean(value: str) -> bool:
    """One line without control characters."""
    return find_unsafe(value) is None and "\n" not in value and "\t" not in value


def remembered(key: str, default: str) -> str:
    """One setting, or ``default``."""
    return load().get(key, default)


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def remember(**values: str | None) -> bool:
    """Save settings (``None`` leaves one as it is); False when the file cannot be written."""
    current = load()
    current.update({k: v for k, v in values.items() if k in KEYS and v is not None})
    lines = ["# socwizard's settings (written by the wizard; safe to delete)"]
    lines += [f"{key} = {_quote(current[key])}" for key in KEYS if key in current]
    from socwizard.core.store import write_private  # not at start-up: it loads pydantic

    try:
        make_private_dir(config_dir())
        write_private(settings_file(), ("\n".join(lines) + "\n").encode("utf-8"))
    except (OSError, SocwizardError):
        return False
    return True
