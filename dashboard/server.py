"""Start the dashboard as a subprocess on 127.0.0.1 (for browser tests and screenshots).

    with running_dashboard(db_path) as url:
        ...  # url is http://127.0.0.1:PORT

`make dashboard` does not use this: scripts/dashboard.sh runs Streamlit in the foreground.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard import data

APP = Path(__file__).resolve().parent / "app.py"
PAGES = {  # url path -> title, as declared in app.py; the default page lives at the root
    "": "Overview",
    "entities": "Entities",
    "events": "Events",
    "articles": "Article explorer",
    "search": "Search",
    "alerts": "Alerts",
    "quality": "Data quality",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def streamlit_command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]


@contextmanager
def running_dashboard(db_path: str | Path, startup_seconds: float = 60.0,
                      log_path: Path | None = None) -> Iterator[str]:
    """Run the app over db_path until the block ends; yields its base URL once healthy."""
    port = free_port()
    env = {**os.environ, "NEWSMON_DB_PATH": str(data.location(db_path))}
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(streamlit_command(port), env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {process.returncode} before serving {url}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer on {url} within {startup_seconds:.0f} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if not isinstance(log, int):
            log.close()
