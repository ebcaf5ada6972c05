"""Where things live: the one seam for paths (tests patch it through the environment).

- ``SOCWIZARD_HOME``: the store of assessments (else ``--store``, else the default);
- ``SOCWIZARD_CONFIG``: the config directory (policy overrides);
- the built-in bank ships inside the package (``socwizard/questions``); in a source
  checkout it is the top-level ``questions/`` folder.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

APP_NAME = "socwizard"


def config_dir() -> Path:
    """The user's config directory for socwizard."""
    override = os.environ.get("SOCWIZARD_CONFIG")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Private cache (validated banks): ``SOCWIZARD_CACHE``, else the user cache dir."""
    override = os.environ.get("SOCWIZARD_CACHE")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def store_dir(override: str | Path | None = None) -> Path:
    """The assessment store: ``--store``, else ``SOCWIZARD_HOME``, else the config dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("SOCWIZARD_HOME")
    if env:
        return Path(env).expanduser()
    return config_dir() / "assessments"


def policy_file() -> Path:
    """An organisation's overrides of bank conventions and weights."""
    return config_dir() / "policy.toml"


def builtin_bank_dir() -> Path:
    """The built-in question bank (inside the wheel, or the checkout's ``questions/``)."""
    here = Path(__file__).resolve().parent
    packaged = here / "questions"
    if (packaged / "bank.toml").is_file():
        return packaged
    return here.parent.parent / "questions"


def schemas_dir() -> Path:
    """The committed JSON Schemas (inside the wheel, or the checkout's ``schemas/``)."""
    here = Path(__file__).resolve().parent
    packaged = here / "schemas"
    if (packaged / "assessment.schema.json").is_file():
        return packaged
    return here.parent.parent / "schemas"


def bank_dir(override: str | Path | None = None) -> Path:
    """``--bank`` if given, else ``SOCWIZARD_BANK``, else the built-in bank."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("SOCWIZARD_BANK")
    return Path(env).expanduser() if env else builtin_bank_dir()


def today() -> dt.date:
    """Today's date: ``SOCWIZARD_TODAY`` (an ISO date, for tests and what-if runs), else the clock."""
    override = os.environ.get("SOCWIZARD_TODAY")
    if override:
        try:
            return dt.date.fromisoformat(override.strip())
        except ValueError:
            raise ValueError(f"SOCWIZARD_TODAY={override[:40]!r} is not a date such as 2026-12-01") from None
    return dt.date.today()
