"""Browser mode end to end: ``socwizard serve`` on localhost, driven by headless Chromium.

1. the server answers with textual-serve's page, and refuses foreign Host / Origin;
2. a websocket session starts ``python -m socwizard --store S --bank B`` and the home
   screen arrives (read from the terminal stream);
3. headless Chromium (Debian's ``/usr/bin/chromium``, driven over the DevTools
   protocol) loads the page, its websocket receives the app's first bytes, the app
   process runs with the same store and bank, and a screenshot is not blank.

If Chromium is missing, the test installs it with apt-get when running as root, and
skips (with the reason) only when that is impossible.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

aiohttp = pytest.importorskip("aiohttp", reason="browser mode needs the serve extra (aiohttp)")
pytest.importorskip(
    "textual_serve", reason="browser mode needs the serve extra: pip install 'socwizard[serve]'"
)

pytestmark = pytest.mark.e2e
MINI = Path(__file__).parent / "fixtures" / "banks" / "mini"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    reason = "headless Chromium is not installed"
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, timeout=300)
            proc = subprocess.run(
                ["apt-get", "install", "-y", "-qq", "chromium"], env=env, capture_output=True, timeout=900
            )
        except subprocess.TimeoutExpired:
            pytest.skip(f"{reason} and apt-get install chromium timed out")
        if proc.returncode == 0 and shutil.which("chromium"):
            return str(shutil.which("chromium"))
        reason += f" and apt-get install chromium failed: {proc.stderr.decode(errors='replace')[-300:]}"
    else:
        reason += " (and not root with apt-get, so it cannot be installed here)"
    pytest.skip(reason)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    port = free_port()
    store = tmp_path / "team store"  # a space: the served command must be quoted
    env = dict(os.environ, SOCWIZARD_CONFIG=str(tmp_path / "cfg"), HOME=str(tmp_path / "home"))
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "socwizard",
            "--store",
            str(store),
            "--bank",
            str(MINI),
            "serve",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        "serve did not start: " + (tmp_path / "serve.log").read_text(errors="replace")
                    )
                time.sleep(0.2)
        yield url, store, proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=10)
        log.close()


def app_processes(store: Path) -> list[str]:
    """Command lines of running socwizard app processes using ``store``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = [a.decode(errors="replace") for a in argv if a]
        if "socwizard" in args and "--store" in args and str(store) in args and "serve" not in args:
            found.append(" ".join(args))
    return found


def strip_ansi(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return re.sub(r"\x1b\[[0-9;?$]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[=>]", "", text)


# --- 1. the page and its guards ---------------------------------------------------------


def test_serves_the_page_on_localhost_only(server: tuple[str, Path, subprocess.Popen[bytes]]) -> None:
    url, _, _ = server
    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode()
    port = url.rstrip("/").rsplit(":", 1)[1]
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
    assert "textual.js" in page and "socwizard" in page
    # nothing on the page comes from the internet (textual-serve's own page loads a web font)
    assert "googleapis" not in page
    linked = re.findall(r"""(?:src|href|url)\s*[=(]\s*["']?(https?://[^"')\s]+)""", page)
    assert linked and [link for link in linked if not link.startswith(url)] == [], linked
    assert "Content-Security-Policy" in page
    with urllib.request.urlopen(url + "static/fonts/RobotoMono-VariableFont_wght.ttf", timeout=10) as font:
        assert font.status == 200 and len(font.read()) > 10_000
    request = urllib.request.Request(url, headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 421  # DNS rebinding refused
    # the listening socket is bound to loopback only
    listening = Path("/proc/net/tcp").read_text()
    assert f"0100007F:{int(port):04X}" in listening and f"00000000:{int(port):04X}" not in listening


async def _ws_session(url: str, origin: str, seconds: float = 20) -> tuple[int, bytes]:
    ws_url = url + "ws?width=120&height=40"
    data = b""
    async with aiohttp.ClientSession() as session:
        try:
            ws = await session.ws_connect(ws_url, headers={"Origin": origin})
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status, b""
        async with ws:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and b"No assessments yet" not in data:
                try:
                    msg = await ws.receive(timeout=1)
                except TimeoutError:
                    continue
                if msg.type == aiohttp.WSMsgType.BINARY:
                    data += msg.data
                elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
    return 101, data


def test_a_foreign_origin_cannot_drive_the_wizard(server: tuple[str, Path, subprocess.Popen[bytes]]) -> None:
    url, store, _ = server
    status, data = asyncio.run(_ws_session(url, "http://evil.example", seconds=2))
    assert status == 403 and data == b""
    assert app_processes(store) == []


# --- 2. a websocket session runs the app ----------------------------------------------


def test_a_websocket_session_shows_the_home_screen(server: tuple[str, Path, subprocess.Popen[bytes]]) -> None:
    url, store, _ = server
    status, data = asyncio.run(_ws_session(url, url.rstrip("/")))
    assert status == 101
    screen = strip_ansi(data)
    assert "socwizard" in screen and "Mini bank for tests" in screen, screen[:2000]
    assert "No assessments yet." in screen
    assert (store / ".socwizard").is_dir(), "the app must use the store given to serve"


# --- 3. a real browser ------------------------------------------------------------------


class DevTools:
    """A minimal Chrome DevTools Protocol client over aiohttp."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            msg = await self.ws.receive_json(timeout=30)
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                result: dict[str, Any] = msg.get("result", {})
                return result

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")


def png_colours(png: bytes) -> int:
    """Distinct colours in an 8-bit RGB(A) PNG (enough to tell a blank page from a UI)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        chunk = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour_type in (2, 6)
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        if y % 4 == 0:
            colours.update(bytes(line[x : x + 3]) for x in range(0, stride, bpp * 4))
        previous = line
    return len(colours)


async def _drive_browser(chromium: str, url: str, store: Path, profile: Path, shot: Path) -> dict[str, Any]:
    proc = await asyncio.create_subprocess_exec(
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--remote-debugging-port=0",
        "--window-size=1280,800",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    report: dict[str, Any] = {}
    try:
        assert proc.stderr is not None
        endpoint = ""
        async with asyncio.timeout(60):
            while not endpoint:
                line = (await proc.stderr.readline()).decode(errors="replace")
                if not line:
                    raise AssertionError("chromium exited before DevTools started")
                match = re.search(r"DevTools listening on (ws://\S+)", line)
                endpoint = match.group(1) if match else ""
        port = endpoint.split("//", 1)[1].split("/", 1)[0]
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://{port}/json/list") as response:
                targets = await response.json(content_type=None)
            page = next(t for t in targets if t.get("type") == "page")
            async with session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                tools = DevTools(ws)
                await tools.call("Page.enable")
                await tools.call("Page.navigate", url=url)
                deadline = time.monotonic() + 45
                classes = ""
                while time.monotonic() < deadline:
                    classes = str(await tools.evaluate("document.body ? document.body.className : ''"))
                    if "-first-byte" in classes:
                        break
                    await asyncio.sleep(0.25)
                report["body_class"] = classes
                report["app_processes"] = app_processes(store)
                await asyncio.sleep(2)  # let the first frames paint
                report["terminal"] = await tools.evaluate(
                    "(() => { const t = document.querySelector('.xterm'); "
                    "if (!t) return null; const r = t.getBoundingClientRect(); "
                    "return [r.width, r.height]; })()"
                )
                data = await tools.call("Page.captureScreenshot", format="png")
                shot.write_bytes(base64.b64decode(data["data"]))
    finally:
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()
    return report


def test_headless_chromium_runs_the_wizard(
    server: tuple[str, Path, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    chromium = find_chromium()
    url, store, _ = server
    shot = tmp_path / "browser.png"
    report = asyncio.run(_drive_browser(chromium, url, store, tmp_path / "profile", shot))
    # the browser's websocket was accepted and received the app's output
    assert "-first-byte" in report["body_class"], report
    # …from this socwizard, with the same store and bank as `serve`
    assert report["app_processes"], report
    assert any(str(MINI) in cmd for cmd in report["app_processes"]), report
    width, height = report["terminal"]
    assert width > 400 and height > 300, report
    assert png_colours(shot.read_bytes()) >= 6, f"screenshot looks blank: {shot}"
    if os.environ.get("SOCWIZARD_E2E_ARTIFACTS"):
        shutil.copy(shot, Path(os.environ["SOCWIZARD_E2E_ARTIFACTS"]) / "serve-home.png")


def test_serve_without_textual_serve_says_how_to_install() -> None:
    code = (
        "import sys; sys.modules['textual_serve'] = None; "
        "from socwizard.cli import main; raise SystemExit(main(['serve']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert (
        proc.stderr == "socwizard: error: browser mode needs textual-serve: pip install 'socwizard[serve]'\n"
    )


def test_serve_warns_when_not_on_loopback() -> None:
    from socwizard.serve import allowed_hosts, host_allowed, is_loopback, origin_allowed, served_command

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.com")
    hosts = allowed_hosts("127.0.0.1", 8000)
    assert host_allowed("localhost:8000", hosts) and host_allowed("127.0.0.1:8000", hosts)
    assert not host_allowed("evil.example:8000", hosts) and not host_allowed(None, hosts)
    assert origin_allowed("http://localhost:8000", hosts)
    assert not origin_allowed("http://evil.example", hosts) and not origin_allowed(None, hosts)
    assert not origin_allowed("null", hosts)
    command = served_command(Path("/tmp/a b"), Path("/tmp/bank;rm -rf x"), python="/usr/bin/python3")
    assert command == (
        "/usr/bin/python3 -m socwizard --store '/tmp/a b' --bank '/tmp/bank;rm -rf x' --confine '/tmp/a b'"
    )
    files = served_command(Path("/s"), Path("/b"), python="py", files=Path("/srv/in box"))
    assert files == "py -m socwizard --store /s --bank /b --confine '/srv/in box' --confine /s"
    warned: list[str] = []
    from socwizard import serve

    class Fake:
        def serve(self) -> None:
            pass

    original = serve.make_server
    serve.make_server = lambda *a, **k: Fake()
    try:
        assert serve.run(Path("/s"), Path("/b"), host="0.0.0.0", port=8001, warn=warned.append) == 0
        assert serve.run(Path("/s"), Path("/b"), host="127.0.0.1", port=8001, warn=warned.append) == 0
    finally:
        serve.make_server = original
    assert len(warned) == 1 and "0.0.0.0" in warned[0] and "anyone" in warned[0]
