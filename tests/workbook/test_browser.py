"""A real browser opens the reports offline and makes no request to the outside world.

Headless Chromium loads each report from disk with every network request sent to a recording
proxy on the loopback interface; the proxy must see nothing. A control page with one external
image proves the harness would see a request. The browser's DOM also shows that a hostile
scenario name stayed text.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, FLAGS, needs_chromium

HOSTILE = "<script>alert(1)</script>"
# Chromium's own services (network time, component updates, sign-in), which it calls whatever
# page it shows; a report's request would go to another host (a CDN, fonts.googleapis.com...).
BROWSER_SERVICES = (
    "clients2.google.com",
    "update.googleapis.com",
    "accounts.google.com",
    "redirector.gvt1.com",
    "safebrowsing.googleapis.com",
    "optimizationguide-pa.googleapis.com",
)

pytestmark = needs_chromium


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str]

    def _record(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = _record

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory, make_scenario, run_workbook) -> Path:
    root = tmp_path_factory.mktemp("browser")
    scenario = make_scenario(root / "hostile.yaml", name=HOSTILE)
    out = root / "reports"
    done = run_workbook(
        "run", "--quick", "--only", "verification", "--scenario", scenario,
        "--reports-dir", out, cwd=root,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def _open(page: Path, proxy_url: str, profile: Path) -> str:
    """The DOM of ``page`` after Chromium loaded it, every request going to ``proxy_url``."""
    assert CHROMIUM is not None, "Chromium is needed in CI: .ci/run installs it"
    done = subprocess.run(
        [CHROMIUM, "--headless", *FLAGS, f"--user-data-dir={profile}",
         f"--proxy-server={proxy_url}", "--proxy-bypass-list=<-loopback>",
         "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_harness_sees_an_external_request(tmp_path: Path, proxy) -> None:
    url, seen = proxy
    page = tmp_path / "control.html"
    page.write_text('<html><body><img src="http://example.invalid/x.png">control</body></html>')
    assert "control" in _open(page, url, tmp_path / "profile")
    assert any("example.invalid" in request for request in seen), seen


def test_reports_open_offline_with_no_request(reports: Path, tmp_path: Path, proxy) -> None:
    url, seen = proxy
    pages = sorted(reports.rglob("*.html"))
    assert len(pages) == 2  # the report and the index
    for page in pages:
        dom = _open(page, url, tmp_path / f"profile-{page.stem}")
        assert "</html>" in dom
    from_pages = [r for r in seen if not any(host in r for host in BROWSER_SERVICES)]
    assert from_pages == [], "\n".join(from_pages)


def test_a_hostile_scenario_name_stays_text_in_the_browser(reports: Path, tmp_path: Path, proxy):
    url, _ = proxy
    for page in sorted(reports.rglob("*.html")):
        dom = _open(page, url, tmp_path / f"profile-{page.stem}")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
        assert HOSTILE not in dom
