"""Headless Debian Chromium for checking, timing and photographing the page (tests, bench,
``make screenshot``).

Playwright drives the system's ``/usr/bin/chromium``; no browser is ever downloaded.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def launch(playwright: Any) -> Any:
    """A headless Chromium browser from a started ``sync_playwright()`` object."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=True)


def screenshot(page: Path, image: Path, *, width: int = 1400, height: int = 860) -> None:
    """Save a PNG of ``page`` (a map page, from ``file://``) as it opens: the overview."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            tab = browser.new_page(viewport={"width": width, "height": height})
            tab.goto(page.resolve().as_uri())
            tab.wait_for_selector("body[data-ready=true]", timeout=60_000)
            tab.screenshot(path=str(image))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    """``python -m kg.html.browser PAGE IMAGE``: the screenshot of the README (``make screenshot``)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("page", type=Path, help="a page kg build wrote, e.g. output/graph.html")
    parser.add_argument("image", type=Path, help="the PNG to write, e.g. docs/screenshot.png")
    args = parser.parse_args(argv)
    if not args.page.is_file():
        parser.exit(1, f"{args.page}: no such page; run kg build first\n")
    screenshot(args.page, args.image)


if __name__ == "__main__":
    main()
