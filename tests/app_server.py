"""`streamlit run app.py` as a real server on a free port, for the browser journeys and the load test."""
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

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(no log: {error})"


def wait_until_healthy(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with code {process.returncode} before answering; log {log}:\n{tail(log)}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"streamlit did not answer /_stcore/health within {START_TIMEOUT_S} s; log {log}:\n{tail(log)}")


@contextmanager
def app_running(database_url: str, log: Path, port: int | None = None, **settings: str) -> Iterator[tuple[str, int, int]]:
    """`streamlit run app.py` on `port` (a free one by default) against `database_url`, its output
    appended to `log`, `settings` as environment variables; yields (base URL, port, process id)
    once it answers its health check, and stops it afterwards."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=database_url, **settings)
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]
    with open(log, "a") as log_file:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(process, url, log)
        yield url, port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@contextmanager
def streamlit_server(database_url: str, log: Path, port: int | None = None, **settings: str) -> Iterator[str]:
    """The app open to visitors (PUBLIC_READ) on `port`; yields its base URL.

    A test that stops a server and starts it again passes the first one's port to the second.
    """
    with app_running(database_url, log, port, **{"PUBLIC_READ": "true", **settings}) as (url, _port, _pid):
        yield url
