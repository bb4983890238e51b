"""A real browser for the tests: headless Chromium, found on PATH (CI installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str | None:
    """The Chromium (or Chrome) executable, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") \
        or shutil.which("google-chrome")


#: Skips a test when there is no browser, except on CI, where a missing one fails.
browser_test = pytest.mark.skipif(chromium() is None and not os.environ.get("CI"),
                                  reason="chromium not installed (CI installs it)")


def dom_after_scripts(page: Path) -> str:
    """The page's DOM after it loaded and its scripts had 3 s to run (virtual time), with
    every host name unresolvable: what a payload would have changed shows here."""
    browser = chromium()
    assert browser is not None
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--virtual-time-budget=3000", "--dump-dom", page.as_uri()],
        check=True, capture_output=True, text=True, timeout=120)
    return done.stdout
