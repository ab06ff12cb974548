"""`python -m bench.first_start`: a new machine's first visit, timed.

A fresh data directory, `streamlit run app.py` with the demo loading on first start, and a headless
browser that opens the address as soon as the server answers /_stcore/health: printed are the
seconds until the server was healthy and until the leaderboard showed its table (the demo loaded).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from core.config import PROJECT_ROOT

PORT = int(os.environ.get("BENCH_PORT", "8516"))
CHROMIUM = os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_S = 300


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
            return answer.read().strip() == b"ok"
    except OSError:
        return False


def _cpu_seconds(pid: int) -> float:
    """CPU time the process has used (user + system): on a shared machine, the figure that does
    not depend on what the others are doing."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(port: int = PORT, screenshot: str | None = None) -> dict[str, float]:
    """Seconds from `streamlit run` until healthy and until the leaderboard's table shows; with
    `screenshot`, a picture of the progress bar the first visit sees meanwhile."""
    from playwright.sync_api import sync_playwright

    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="first-start-") as data_dir:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{Path(data_dir) / 'excellence.db'}", DEMO_AUTOLOAD="true", PUBLIC_READ="true")
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
        began = time.monotonic()
        server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while not _healthy(url):
                if server.poll() is not None or time.monotonic() - began > TIMEOUT_S:
                    raise RuntimeError("streamlit did not become healthy")
                time.sleep(0.1)
            healthy = time.monotonic() - began
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                page.goto(url, timeout=TIMEOUT_S * 1000)
                if screenshot:
                    page.get_by_test_id("stProgress").wait_for(timeout=TIMEOUT_S * 1000)
                    page.screenshot(path=screenshot)
                page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first.wait_for(timeout=TIMEOUT_S * 1000)
                board = time.monotonic() - began
                cpu = _cpu_seconds(server.pid)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=15)
    return {"healthy_s": round(healthy, 2), "leaderboard_s": round(board, 2), "server_cpu_s": round(cpu, 2),
            "load_avg": round(os.getloadavg()[0], 2)}


if __name__ == "__main__":
    figures = measure(screenshot=sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"first start: healthy after {figures['healthy_s']} s, leaderboard shown after {figures['leaderboard_s']} s "
          f"({figures['server_cpu_s']} s of the server's CPU; load average {figures['load_avg']})")
    print(json.dumps(figures))
