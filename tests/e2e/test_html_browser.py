"""The HTML report in real headless Chromium (Debian's chromium, driven by
Playwright): no console errors, no network, filters and search work, it is
readable without JavaScript, and hostile file names and code stay text."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from llmsecops.cli.main import main
from tests.helpers import EXAMPLE

pytestmark = pytest.mark.e2e
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAYLOAD = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page that records console messages, requests and dialogs."""

    def __init__(self, browser: Any, url: str, *, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.console: list[tuple[str, str]] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)

    def search(self, text: str) -> None:
        self.page.fill("#f-search", text)
        self.page.wait_for_timeout(400)  # the search box is debounced

    def count(self) -> str:
        return str(self.page.locator("#count").inner_text())

    def visible_findings(self) -> int:
        return int(self.page.locator("article.finding:visible").count())


@pytest.fixture(scope="module")
def example_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "example.html"
    assert main(["scan", str(EXAMPLE), "--offline", "--html", str(out), "-q", "--no-progress"]) == 1
    return out


def test_example_report_loads_cleanly_and_filters_work(browser: Any, example_report: Path) -> None:
    page = Page(browser, example_report.as_uri())
    assert page.console == []
    assert page.requests == [example_report.as_uri()]
    total = page.page.locator("article.finding").count()
    assert total > 20
    assert page.count() == f"{total} of {total} finding(s) shown"

    page.page.select_option("#f-severity", "high")
    high = page.visible_findings()
    assert 0 < high < total
    assert all(
        a.get_attribute("data-severity") == "high"
        for a in page.page.locator("article.finding:visible").all()
    )
    page.page.select_option("#f-severity", "")
    page.page.select_option("#f-scanner", "secrets")
    assert 0 < page.visible_findings() < total
    page.page.select_option("#f-scanner", "")
    page.page.select_option("#f-owasp", "LLM01:2025")
    assert 0 < page.visible_findings() < total
    page.page.select_option("#f-owasp", "")
    page.search("trust_remote_code")
    assert page.visible_findings() >= 1
    assert page.count().startswith(f"{page.visible_findings()} of {total}")
    page.search("no such text anywhere")
    assert page.visible_findings() == 0
    assert page.console == [] and page.dialogs == []
    page.context.close()


def test_report_is_readable_without_javascript(browser: Any, example_report: Path) -> None:
    page = Page(browser, example_report.as_uri(), javascript=False)
    total = page.page.locator("article.finding").count()
    assert page.visible_findings() == total > 0
    assert not page.page.locator(".filters").is_visible()
    assert page.page.locator("text=OWASP Top 10 for LLM Applications").is_visible()
    page.context.close()


def test_hostile_names_and_code_render_as_text(
    browser: Any, make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    name = f"app{PAYLOAD.replace('/', '_')}.py"
    root = make_tree({name: f"x = '{PAYLOAD}'\neval(x)  # {PAYLOAD}\n"})
    out = tmp_path / "hostile.html"
    assert (
        main(["scan", str(root), "--only", "bandit", "--html", str(out), "-q", "--no-progress"])
        == 0
    )
    page = Page(browser, out.as_uri())
    assert page.dialogs == []
    assert page.console == []
    assert page.requests == [out.as_uri()]
    assert page.page.locator("img").count() == 0
    assert page.page.locator("main script").count() == 0
    body = page.page.locator("main").inner_text()
    assert PAYLOAD in body  # shown, as text
    assert "bandit/B307" in body
    page.context.close()


def test_failed_scanners_get_a_banner(
    browser: Any, make_tree: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_tree({"requirements.txt": "requests==2.19.1\n", "a.py": "x = 1\n"})
    out = tmp_path / "failed.html"
    import os

    os.environ["HTTPS_PROXY"] = os.environ["HTTP_PROXY"] = "http://127.0.0.1:9"
    try:
        assert (
            main(
                [
                    "scan",
                    str(root),
                    "--only",
                    "dependencies",
                    "--html",
                    str(out),
                    "-q",
                    "--no-progress",
                ]
            )
            == 3
        )
    finally:
        del os.environ["HTTPS_PROXY"], os.environ["HTTP_PROXY"]
    page = Page(browser, out.as_uri())
    banner = page.page.locator("#incomplete")
    assert banner.is_visible()
    assert "SCAN INCOMPLETE" in banner.inner_text()
    assert "dependencies failed" in banner.inner_text()
    page.context.close()


def test_suppressed_filter(browser: Any, make_tree: Callable[..., Path], tmp_path: Path) -> None:
    code = (
        "import subprocess\n\n\ndef run(cmd):\n"
        "    subprocess.call(cmd, shell=True)  # llmsecops: ignore[bandit/B602] admin tool\n"
        "    eval(cmd)\n"
    )
    root = make_tree({"a.py": code})
    out = tmp_path / "suppressed.html"
    assert (
        main(
            [
                *("scan", str(root), "--only", "bandit", "--html", str(out), "-q"),
                *("--no-progress", "--profile", "audit"),  # audit: only the inline suppression
            ]
        )
        == 0
    )
    page = Page(browser, out.as_uri())
    total = page.page.locator("article.finding").count()
    page.page.select_option("#f-suppressed", "yes")
    assert page.visible_findings() == 1
    assert (
        "suppressed (inline: admin tool)"
        in page.page.locator("article.finding:visible").inner_text()
    )
    page.page.select_option("#f-suppressed", "no")
    assert page.visible_findings() == total - 1
    assert page.console == []
    page.context.close()
