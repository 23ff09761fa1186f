"""Fixtures for the browser tests: the real site (``site``, in tests/conftest.py), served
from a loopback server and opened from disk, in Debian's Chromium driven by Playwright.

Every request that leaves the machine is recorded and refused, except the
privacy-enhanced YouTube embed, which gets a stub page that records the
messages the guide page sends to its player.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

#: The flags that work on this project's machines (see the env notes).
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
EMBED_HOST = "https://www.youtube-nocookie.com/"
STUB_PLAYER = (
    "<!doctype html><title>stub player</title>"
    "<script>window.received = []; addEventListener('message', e => window.received.push(e.data));</script>"
)
ARTIFACTS = ROOT / "test-artifacts" / "browser"
EDITIONS = ["en", "zh-CN"]
GUIDE_PAGE = "guides/dragonfly-daily-15.html"
GUIDE = f"en/{GUIDE_PAGE}"
ZH_GUIDE = f"zh-CN/{GUIDE_PAGE}"


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A browser context whose outside requests are recorded (and refused)."""

    context: object
    outside: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def page(self):
        page = self.context.new_page()
        page.on(
            "console", lambda message: message.type == "error" and self.console_errors.append(message.text)
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        return page


@pytest.fixture
def visit(browser):
    """Open a fresh context: ``visit(**context_options)``."""
    contexts = []

    def open_context(**options) -> Visit:
        context = browser.new_context(**options)
        contexts.append(context)
        recorder = Visit(context)

        def route(route):
            url = route.request.url
            if url.startswith(("http://127.0.0.1", "file://", "data:")):
                route.continue_()
                return
            recorder.outside.append(url)
            if url.startswith(EMBED_HOST):
                route.fulfill(status=200, content_type="text/html", body=STUB_PLAYER)
            else:
                route.abort()

        context.route("**/*", route)
        return recorder

    yield open_context
    for context in contexts:
        context.close()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name
