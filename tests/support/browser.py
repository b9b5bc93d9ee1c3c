"""Driving the web UI in a real browser (Debian's chromium through Playwright): signing in and
keeping screenshots (set WEFT_SCREENSHOTS=<folder>; the ones in docs/ come from there)."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.environ.get("WEFT_SCREENSHOTS")


def sign_in(browser, server: str, name: str, password: str = "secret-pass"):
    """A page signed in as ``name``; ``page.errors`` collects the page's script errors."""
    # Berlin: summer and winter time differ, so a July date typed in November must keep its hour.
    page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="en-US", timezone_id="Europe/Berlin")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page.locator("nav.views")).to_be_visible()
    page.errors = errors
    return page


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def demo_user(browser, server: str, name: str):
    """A page signed in as the module demo user ``name`` (``page.user`` is the name)."""
    from weft.demo import DEMO_PASSWORD

    page = sign_in(browser, server, name, DEMO_PASSWORD)
    page.user = name
    return page


def open_task(page, server: str, name: str, about: str, view: str = "mine"):
    """Open the task ``name`` about ``about`` from the inbox view, claiming it from the group if needed."""
    page.goto(f"{server}/inbox?view={view}")
    row = page.locator("table.tasks tbody tr", has_text=name).filter(has_text=about).first
    expect(row).to_be_visible()
    if view == "group":
        row.locator("button:has-text('Claim')").click()
        expect(row.locator("td.assignee")).to_contain_text(page.user)
    row.locator("a.task-link").click()
    expect(page.locator("h1")).to_contain_text(name)
