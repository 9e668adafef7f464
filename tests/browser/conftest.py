"""The browser check's fixtures: Voilà serving a notebook on a free localhost port, and a page in
Debian's chromium driven by Playwright (never a browser that Playwright downloads).

Everything stays on the machine: Jupyter's and chromium's state go to a temporary folder, and the page
may load nothing but 127.0.0.1 (requests elsewhere, such as a web font, are aborted at once).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = os.environ.get("LIVEMONEY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
READY_SECONDS = 60
LAPTOP = {"width": 1366, "height": 768}
"""A laptop's screen: the dashboards must show every column of every table at this size."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(notebook: Path, tmp: Path) -> Iterator[str]:
    """Serve ``notebook`` with Voilà until the generator is closed; yields the page's URL."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "JUPYTER_CONFIG_DIR": str(tmp / "config"),
            "JUPYTER_DATA_DIR": str(tmp / "data"),
            "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "IPYTHONDIR": str(tmp / "ipython"),
            "MPLCONFIGDIR": str(tmp / "matplotlib"),
            "MPLBACKEND": "Agg",
            "PYTHONUNBUFFERED": "1",
        }
    )
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook.resolve()),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.show_tracebacks=True",
    ]
    log_path = tmp / "voila.log"
    with open(log_path, "wb") as log:
        # a session of its own: at the end the whole group (Voilà and its kernels) is stopped
        server = subprocess.Popen(
            command,
            cwd=notebook.resolve().parent,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}/"
        try:
            _wait_ready(server, base, log_path)
            yield base
        finally:
            _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """Stop Voilà's process group (Voilà and its kernels); kill it if it does not stop in 15 s."""
    with contextlib.suppress(ProcessLookupError):  # the group is gone if Voilà failed to start
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _wait_ready(server: subprocess.Popen, base: str, log_path: Path) -> None:
    # a static file answers once the server listens; GET / would run the notebook
    deadline = time.monotonic() + READY_SECONDS
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"voila exited with {server.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(base + "voila/static/voila.js", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"voila was not ready in {READY_SECONDS} s:\n{log_path.read_text()}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def compare_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The comparison notebook, served by Voilà."""
    yield from serve(NOTEBOOKS / "01-compare-platforms.ipynb", tmp_path_factory.mktemp("voila"))


@pytest.fixture(scope="session")
def stream_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The notebook that values the bundled sample stream (the stream dashboard), served by Voilà."""
    yield from serve(NOTEBOOKS / "02-value-a-stream.ipynb", tmp_path_factory.mktemp("voila"))


@pytest.fixture(scope="session")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The live tally notebook (the live dashboard replaying the sample), served by Voilà."""
    yield from serve(NOTEBOOKS / "04-live-tally.ipynb", tmp_path_factory.mktemp("voila"))


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Debian's chromium, headless, through Playwright."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: 'make browser-deps' installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium")
    # chromium writes crash reports and dconf caches under XDG dirs even with a temporary profile
    env = dict(os.environ, XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"))
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, env=env)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page that can reach 127.0.0.1 only; ``page.errors`` collects uncaught script errors."""
    context = browser.new_context(viewport=LAPTOP)

    def local_only(route: object) -> None:
        if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", local_only)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.errors = errors
    yield opened
    context.close()


SHOTS: list[Path] = []
"""The screenshots folders of this run, named at its end."""


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where the browser check leaves its screenshots: a new temporary folder (``livemoney-screenshots-*``
    in the system's; not pytest's, which other runs remove; ``LIVEMONEY_SCREENSHOTS=DIR`` chooses one),
    named in the run's summary."""
    chosen = os.environ.get("LIVEMONEY_SCREENSHOTS")
    folder = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="livemoney-screenshots-"))
    folder.mkdir(parents=True, exist_ok=True)
    SHOTS.append(folder)
    return folder


def pytest_terminal_summary(terminalreporter: object) -> None:
    for folder in SHOTS:
        shots = sorted(path.name for path in folder.glob("*.png"))
        if shots:
            terminalreporter.write_line(f"browser check: screenshots at 1366 wide in {folder}: {', '.join(shots)}")
