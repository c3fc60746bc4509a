"""The pages' languages in a real browser (issue 27): Arabic laid out right to left, Nepali
left to right, at a desktop's width (1280 px) and a phone's (400 px).

Each user picks her language on ``/language`` as a person would (a click on
the language, then Save); the pages then come in it whatever the browser
asks for. Screenshots go to ``/tmp/screens`` (``AUDITOR_SCREENS``) as
``language-<lang>-<page>-<width>.png`` for people to look at. Without
chromium or chromium-driver the tests skip with the reason; under
``CI=true`` that is a failure.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from tests.service.harness import SAMPLES, Account, Service, require, serving, which
from tests.service.pages_client import make_accounts
from tests.service.test_browser import (
    CHROMEDRIVER,
    SCREENS,
    Browser,
    _have_browser,
    chromium_options,
)

pytestmark = pytest.mark.browser

OFFICE = "BROWSER-LANG"
WIDTHS = (1280, 400)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, str]]:
    """A service with one done audit of the sample, and its id."""
    with serving(tmp_path_factory.mktemp("browser-languages")) as service:
        made = make_accounts(service, [("lang-uploader", OFFICE, "inspector")])
        token = made["lang-uploader"].token
        code, answer = service.upload(token, SAMPLES / "agency-with-problems.xlsx")
        assert code in (200, 201, 202), answer
        done = service.wait_final(token, answer["id"])
        assert done["status"] == "done", done
        yield service, answer["id"]


@pytest.fixture(scope="module")
def browser(
    site: tuple[Service, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    require("chromium and chromium-driver", _have_browser(), "apt-get install chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    profile = tempfile.mkdtemp(prefix="auditor-chromium-")
    # The browser asks for English: the user's own setting must win over it.
    options = chromium_options(profile, "--lang=en-US")
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(
        options=options, service=DriverService(which("chromedriver") or CHROMEDRIVER)
    )
    try:
        driver.set_page_load_timeout(60)
        yield Browser(driver, site[0], tmp_path_factory.mktemp("downloads"))
    finally:
        driver.quit()


def _width(browser: Browser, width: int, height: int = 900) -> None:
    """The page laid out at ``width`` CSS pixels, as on a screen that wide."""
    browser.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def _screenshot(browser: Browser, name: str, width: int) -> None:
    """The whole page at ``width``: the screen made as tall as the page, then captured
    (Chromium's capture beyond the viewport shifts a right-to-left page sideways)."""
    height = int(browser.driver.execute_script("return document.documentElement.scrollHeight"))
    _width(browser, width, height)
    shot = browser.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    SCREENS.mkdir(parents=True, exist_ok=True)
    (SCREENS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
    _width(browser, width)


def _choose(browser: Browser, account: Account, language: str) -> None:
    browser.driver.delete_all_cookies()
    browser.log_in(account)
    browser.open("/language")
    browser.find(f"input[name=language][value='{language}']").click()
    browser.find("#language-form button[type=submit]").click()
    browser.wait("the saved language", lambda: bool(browser.find_all("#language-saved")))


def _box(browser: Browser, css: str) -> dict[str, Any]:
    """Where the text of ``css`` is (its words, not its block), and the main column's edges."""
    box: dict[str, Any] = browser.driver.execute_script(
        "const range = document.createRange();"
        "range.selectNodeContents(document.querySelector(arguments[0]));"
        "const r = range.getBoundingClientRect();"
        "const m = document.querySelector('main').getBoundingClientRect();"
        "const s = getComputedStyle(document.querySelector('main'));"
        "return {left: r.left, right: r.right, width: r.width,"
        " mainLeft: m.left + parseFloat(s.paddingLeft),"
        " mainRight: m.right - parseFloat(s.paddingRight),"
        " direction: getComputedStyle(document.body).direction,"
        " dir: document.documentElement.dir, lang: document.documentElement.lang};",
        css,
    )
    return box


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("ne", "ltr")])
def test_the_page_is_laid_out_in_the_languages_direction(
    browser: Browser, site: tuple[Service, str], language: str, direction: str
) -> None:
    service, audit_id = site
    made = make_accounts(service, [(f"lang-{language}", OFFICE, "supervisor")])
    _choose(browser, made[f"lang-{language}"], language)
    try:
        for page, path in (("audits", "/audits"), ("audit", f"/audits/{audit_id}")):
            for width in WIDTHS:
                _width(browser, width)
                browser.open(path)
                box = _box(browser, "main h1")
                assert (box["lang"], box["dir"], box["direction"]) == (
                    language,
                    direction,
                    direction,
                )
                # The main heading starts at the reading side: its right edge on the main
                # column's right edge for Arabic, its left edge on the left one for Nepali.
                if direction == "rtl":
                    assert abs(box["right"] - box["mainRight"]) < 2, box
                    assert box["left"] > box["mainLeft"] + 2 or box["width"] >= (
                        box["mainRight"] - box["mainLeft"] - 2
                    ), box
                else:
                    assert abs(box["left"] - box["mainLeft"]) < 2, box
                # Nothing wider than the screen: no sideways scrolling on a phone.
                overflow = browser.driver.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth;"
                )
                assert overflow <= 1, (page, width, overflow)
                _screenshot(browser, f"language-{language}-{page}-{width}", width)
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
