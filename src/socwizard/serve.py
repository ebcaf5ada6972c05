"""Browser mode: ``socwizard serve`` runs the same wizard in a web browser (textual-serve).

- Each browser tab starts one ``python -m socwizard --store S --bank B`` process: the same
  socwizard, the same store and bank as the ``serve`` command was given.
- It listens on 127.0.0.1 unless told otherwise, and warns when the host is not a
  loopback address: anyone who can reach the port can drive the wizard.
- The websocket only accepts connections from the page it served (the ``Origin`` must be
  this server), and requests must name this server in ``Host``: another web site open in
  the same browser cannot drive the wizard, and DNS rebinding is refused.
- Exports are delivered to the browser as downloads (:func:`deliver_export`).
- File access is confined: Import reads only files in the store and in ``--files DIR``
  (``--confine``, :mod:`socwizard.core.confine`); a refusal names no server path.
- The page is socwizard's own template: nothing on it is loaded from the internet.

textual-serve is an optional extra (``pip install 'socwizard[serve]'``); this module
imports it lazily so the error is one clean line.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from socwizard.core.errors import SocwizardError

if TYPE_CHECKING:
    from textual.app import App

    from socwizard.core.assessment import Loaded
    from socwizard.core.bank.models import Bank

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
INSTALL_HINT = "browser mode needs textual-serve: pip install 'socwizard[serve]'"
MIME_TYPES = {
    "markdown": "text/markdown",
    "html": "text/html",
    "json": "application/json",
    "pdf": "application/pdf",
    "request": "text/plain",
}
_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
PAGE_DIR = Path(__file__).resolve().parent / "serve_page"


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def served_command(
    store_dir: Path,
    bank_dir: Path,
    *,
    python: str | None = None,
    extra: Sequence[str] = (),
    files: Path | None = None,
) -> str:
    """The shell command each browser session runs: this socwizard, same store and bank.

    ``--confine`` limits the files the session may read to the store (and ``files``).
    """
    roots = [files, store_dir] if files is not None else [store_dir]
    confine = [arg for root in roots for arg in ("--confine", str(root.expanduser().absolute()))]
    argv = [
        python or sys.executable,
        "-m",
        "socwizard",
        "--store",
        str(store_dir.expanduser().absolute()),
        "--bank",
        str(bank_dir.expanduser().absolute()),
        *confine,
        *extra,
    ]
    return shlex.join(argv)


def allowed_hosts(host: str, port: int, public_url: str | None = None) -> set[str]:
    """``Host`` header values this server answers to (``name:port``, lowercase)."""
    hosts = {_host_port(host, port)}
    if is_loopback(host) or host in ("0.0.0.0", "::", ""):
        hosts |= {_host_port(name, port) for name in _LOOPBACK_NAMES}
    if host in ("0.0.0.0", "::", ""):
        import socket

        hosts.add(_host_port(socket.gethostname(), port))
    if public_url:
        parts = urlsplit(public_url)
        if parts.hostname:
            default = 443 if parts.scheme == "https" else 80
            hosts.add(_host_port(parts.hostname, parts.port or default))
            if parts.port is None:
                hosts.add(parts.hostname.lower())
    return hosts


def _host_port(name: str, port: int) -> str:
    name = name.lower()
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"
    return f"{name}:{port}"


def origin_allowed(origin: str | None, hosts: set[str]) -> bool:
    """True when a websocket's ``Origin`` is a page served by this server."""
    if not origin:
        return False
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    default = 443 if parts.scheme == "https" else 80
    return _host_port(parts.hostname, parts.port or default) in hosts or (
        parts.port is None and parts.hostname.lower() in hosts
    )


def host_allowed(host_header: str | None, hosts: set[str]) -> bool:
    """True when the request's ``Host`` header names this server."""
    if not host_header:
        return False
    value = host_header.strip().lower()
    return value in hosts


def make_server(
    command: str,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    public_url: str | None = None,
    title: str = "socwizard",
) -> Any:
    """A textual-serve Server that checks ``Host`` and the websocket ``Origin``."""
    try:
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError as exc:
        raise SocwizardError(INSTALL_HINT) from exc

    class GuardedServer(Server):
        """textual-serve with Host/Origin checks (textual-serve itself checks neither).

        Its page is ours (``serve_page/app_index.html``): textual-serve's loads a web
        font from the internet; ours uses the Roboto Mono shipped in textual-serve's
        own static folder, so the served page fetches nothing from outside.
        """

        def __init__(self) -> None:
            super().__init__(
                command,
                host=host,
                port=port,
                title=title,
                public_url=public_url,
                templates_path=PAGE_DIR,
            )
            self.allowed = allowed_hosts(host, port, self.public_url)

        def _check_host(self, request: Any) -> None:
            if not host_allowed(request.headers.get("Host"), self.allowed):
                raise web.HTTPMisdirectedRequest(text="socwizard: unexpected Host header\n")

        async def handle_index(self, request: Any) -> Any:
            self._check_host(request)
            return await super().handle_index(request)

        async def handle_download(self, request: Any) -> Any:
            self._check_host(request)
            response = await super().handle_download(request)
            return response

        async def handle_websocket(self, request: Any) -> Any:
            self._check_host(request)
            if not origin_allowed(request.headers.get("Origin"), self.allowed):
                raise web.HTTPForbidden(text="socwizard: websocket from another origin refused\n")
            return await super().handle_websocket(request)

    return GuardedServer()


def run(
    store_dir: Path,
    bank_dir: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    warn: Any = None,
    files: Path | None = None,
) -> int:
    """Serve the wizard until Ctrl+C."""
    if not is_loopback(host) and warn is not None:
        warn(
            f"listening on {host}: anyone who can reach port {port} can open and edit the "
            f"assessments in {store_dir}. Use the default 127.0.0.1 unless you mean it."
        )
    command = served_command(store_dir, bank_dir, files=files)
    server = make_server(command, host, port, public_url=public_url)
    server.serve()
    return 0


# --- downloads (for the TUI) ------------------------------------------------------------


def deliver_export(app: App[Any], loaded: Loaded, bank: Bank, fmt: str, directory: Path | None = None) -> str:
    """Export an assessment from the TUI; return a message for the user.

    In a browser (``app.is_web``) the file is sent as a download through Textual's
    ``deliver_text``. In a terminal it is written atomically (0600) into ``directory``
    (default: the current directory) under a fresh name that never overwrites a file.
    """
    from socwizard.core.export import default_filename, render_export_bytes
    from socwizard.core.store import write_new

    if fmt not in MIME_TYPES:
        raise SocwizardError(f"unknown export format {fmt!r}")
    data = render_export_bytes(loaded, bank, fmt)  # type: ignore[arg-type]
    filename = default_filename(loaded.assessment, fmt)
    if app.is_web:
        import io

        app.deliver_binary(
            io.BytesIO(data), save_filename=filename, open_method="download", mime_type=MIME_TYPES[fmt]
        )
        return f"Downloading {filename} in your browser"
    target = write_new((directory or Path.cwd()) / filename, data)
    return f"Exported to {target}"
