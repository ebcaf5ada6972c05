"""``make package-check``: the package builds, installs and runs outside the checkout.

Not a pytest module (it takes a minute and needs the network for build isolation); the
Makefile's ``test`` target runs it. Steps, each failing loudly:

1. ``python -m build`` builds the sdist, then the wheel *from that sdist* (what ``pip
   install socwizard-X.tar.gz`` does), in a temp dir outside the checkout;
2. the sdist holds what the wheel and the tests need (schemas, questions, docs, LICENSE);
   the metadata has classifiers, project URLs and a README without relative links;
3. a fresh venv (under the temp dir) installs the wheel with its dependencies, and
   ``socwizard show`` runs on an example from a directory outside the checkout, with
   its home, config and cache in the temp dir.
"""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "examples" / "team_chat.toml"
SDIST_MUST_HOLD = ("schemas/assessment.schema.json", "questions/bank.toml", "docs/sharing.md", "LICENSE")
WHEEL_MUST_HOLD = (
    "socwizard/schemas/assessment.schema.json",
    "socwizard/questions/bank.toml",
    "socwizard/serve_page/app_index.html",
)
RELATIVE_LINK = re.compile(r"\]\((?!https?://|#|mailto:)[^)\s]+\)")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command; on failure print its output and stop."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stdout.write(done.stdout + done.stderr)
        raise SystemExit(f"package-check: failed: {' '.join(str(a) for a in args)}")
    return done.stdout


def check_sdist(sdist: Path) -> None:
    """The sdist holds the files the wheel and the tests are built from."""
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = [name for name in SDIST_MUST_HOLD if name not in names]
    if missing:
        raise SystemExit(f"package-check: the sdist lacks {', '.join(missing)}")


def check_wheel(wheel: Path) -> None:
    """The wheel ships the bank and the schemas, and honest metadata."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        missing = [name for name in WHEEL_MUST_HOLD if name not in names]
        if missing:
            raise SystemExit(f"package-check: the wheel lacks {', '.join(missing)}")
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(archive.read(meta_name))
        if not any(n.endswith("licenses/LICENSE") for n in names):
            raise SystemExit("package-check: the wheel has no LICENSE file")
    if not meta.get_all("Classifier"):
        raise SystemExit("package-check: no classifiers")
    if not meta.get_all("Project-URL"):
        raise SystemExit("package-check: no project URLs")
    body = meta.get_payload()
    if not isinstance(body, str) or "socwizard" not in body:
        raise SystemExit("package-check: no README in the metadata")
    links = RELATIVE_LINK.findall(body)
    if links:
        raise SystemExit(f"package-check: relative links in the README a package index shows: {links[:3]}")


def main() -> None:
    """Build, check, install in a fresh venv, run."""
    with tempfile.TemporaryDirectory(prefix="socwizard-package-") as temp_name:
        temp = Path(temp_name)
        dist = temp / "dist"
        # No arguments: build the sdist, then the wheel from the unpacked sdist.
        run(sys.executable, "-m", "build", "--outdir", dist, ROOT, cwd=temp)
        sdist = next(dist.glob("socwizard-*.tar.gz"))
        wheel = next(dist.glob("socwizard-*.whl"))
        check_sdist(sdist)
        check_wheel(wheel)
        env_dir = temp / "venv"
        venv.create(env_dir, with_pip=True)
        python = env_dir / "bin" / "python"
        run(python, "-m", "pip", "install", "--quiet", wheel, cwd=temp)
        elsewhere = temp / "elsewhere"
        elsewhere.mkdir()
        example = elsewhere / EXAMPLE.name
        example.write_bytes(EXAMPLE.read_bytes())
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(temp / "home"),
            "SOCWIZARD_HOME": str(temp / "home" / "store"),
            "SOCWIZARD_CONFIG": str(temp / "home" / "config"),
            "SOCWIZARD_CACHE": str(temp / "home" / "cache"),
        }
        where = run(env_dir / "bin" / "socwizard", "where", cwd=elsewhere, env=env)
        if str(ROOT) in where:
            raise SystemExit(f"package-check: the installed socwizard uses the checkout:\n{where}")
        shown = run(env_dir / "bin" / "socwizard", "show", example, cwd=elsewhere, env=env)
        if "SOC 2" not in shown:
            raise SystemExit(f"package-check: unexpected output of show:\n{shown}")
        run(env_dir / "bin" / "socwizard", "bank", "validate", cwd=elsewhere, env=env)
        print(f"package-check: {sdist.name} and {wheel.name} build, install and run")


if __name__ == "__main__":
    main()
