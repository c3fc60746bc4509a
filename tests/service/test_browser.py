"""The pages in a real browser: Debian's chromium driven by Selenium through chromium-driver.

One service and one headless browser for the module; each test drives
the pages as a person would (typing, clicking, waiting for the page to
change) and saves a screenshot of every page it sees to ``/tmp/screens``
(``AUDITOR_SCREENS`` elsewhere) so that people can look at them.
Without chromium or chromium-driver the tests skip with the reason;
under ``CI=true`` that is a failure.
"""

from __future__ import annotations

import base64
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.service.harness import (
    SAMPLES,
    Account,
    Service,
    corrected_workbook,
    require,
    run_cli,
    serving,
    which,
)

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENS = Path(os.environ.get("AUDITOR_SCREENS", "/tmp/screens"))
WAIT_S = 120


@dataclass
class Browser:
    driver: Any
    service: Service
    downloads: Path

    def open(self, path: str) -> None:
        self.driver.get(self.service.url + path)

    @property
    def path(self) -> str:
        url: str = self.driver.current_url
        return url.removeprefix(self.service.url)

    def find(self, css: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return list(self.driver.find_elements(By.CSS_SELECTOR, css))

    def wait(self, what: str, ready: Callable[[], bool], timeout_s: float = WAIT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while not ready():
            assert time.monotonic() < deadline, f"waited {timeout_s} s for {what}"
            time.sleep(0.2)

    def text(self) -> str:
        return str(self.find("body").text)

    def screenshot(self, name: str) -> Path:
        """The whole page (beyond the window) as a PNG."""
        SCREENS.mkdir(parents=True, exist_ok=True)
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
        )
        path = SCREENS / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def log_in(self, account: Account) -> None:
        self.open("/login")
        self.find("#id_username").send_keys(account.name)
        self.find("#id_password").send_keys(account.password)
        self.find("main form button[type=submit]").click()
        self.wait("the audit list", lambda: self.path.startswith("/audits"))

    def log_out(self) -> None:
        self.find("header form[action='/logout'] button").click()
        self.wait("the log-in page", lambda: self.path.startswith("/login"))

    def upload(self, workbook: Path) -> str:
        self.open("/upload")
        self.find("#id_file").send_keys(str(workbook))
        self.find("main form button[type=submit]").click()
        self.wait("the audit page", lambda: re.fullmatch(r"/audits/[0-9a-f-]{36}", self.path))
        return self.path

    def status(self) -> str:
        """The status the audit page shows ("" while the page is being replaced)."""
        from selenium.common.exceptions import WebDriverException

        try:
            found = self.find_all("#audit-status")
            return str(found[0].get_attribute("data-status")) if found else ""
        except WebDriverException:
            return ""


def chromium_options(profile: str, *extra: str) -> Any:
    """Headless Chromium on loopback for the page tests: no network of its own, a profile
    folder of the test's, a 1280x900 window; ``extra`` arguments after these."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = which("chromium") or CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        *extra,
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    return options


def _have_browser() -> bool:
    return bool(which("chromium") or Path(CHROMIUM).exists()) and bool(
        which("chromedriver") or Path(CHROMEDRIVER).exists()
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with serving(tmp_path_factory.mktemp("browser")) as service:
        yield service


@pytest.fixture(scope="module")
def browser(site: Service, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    require("chromium and chromium-driver", _have_browser(), "apt-get install chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service as DriverService

    downloads = tmp_path_factory.mktemp("downloads")
    profile = tempfile.mkdtemp(prefix="auditor-chromium-")
    options = chromium_options(profile)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(
        options=options, service=DriverService(which("chromedriver") or CHROMEDRIVER)
    )
    try:
        driver.set_page_load_timeout(60)
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior",
            {"behavior": "allow", "downloadPath": str(downloads), "eventsEnabled": True},
        )
        yield Browser(driver, site, downloads)
    finally:
        driver.quit()


def _downloaded(folder: Path, name: str) -> Path | None:
    path = folder / name
    if path.is_file() and not list(folder.glob("*.crdownload")):
        return path
    return None


def test_an_inspector_uploads_watches_the_audit_finish_and_downloads_both_pdfs(
    browser: Browser, site: Service
) -> None:
    inspector = site.account("ivy", office="BROWSER-A", role="supervisor")
    browser.open("/")
    assert browser.path.startswith("/login")
    browser.screenshot("login")
    browser.log_in(inspector)
    assert "BROWSER-A" in browser.find("header").text

    browser.open("/upload")
    assert browser.driver.title.startswith("Upload a workbook")
    browser.find("#id_file").send_keys(str(SAMPLES / "agency-with-problems.xlsx"))
    browser.wait("the script to show the chosen file", lambda: "Chosen:" in browser.text())
    browser.screenshot("upload")
    browser.find("main form button[type=submit]").click()
    browser.wait("the audit page", lambda: re.fullmatch(r"/audits/[0-9a-f-]{36}", browser.path))
    page = browser.path
    seen = {browser.status()}
    if seen & {"queued", "running"}:
        browser.screenshot("audit-running")
        assert "updates itself" in browser.text()
    # The page's own script asks for the status and reloads when the audit is done.
    browser.wait("the audit to be done", lambda: seen.add(browser.status()) or "done" in seen)
    browser.wait("the result", lambda: bool(browser.find_all(".score-value")))
    assert browser.path == page
    text = browser.text()
    assert "Findings by paragraph and severity" in text
    assert "Money owed to workers" in text
    assert "Provisional" in text
    assert browser.driver.title.startswith("Audit PH-2026-0417 (done)")
    browser.screenshot("audit-done")

    for link, name in (
        ("#download-inspector-pdf", "PH-2026-0417.pdf"),
        ("#download-agency-pdf", "PH-2026-0417.agency.pdf"),
    ):
        browser.find(link).click()
        browser.wait(
            f"{name} to arrive", lambda n=name: _downloaded(browser.downloads, n) is not None
        )
        assert (browser.downloads / name).read_bytes().startswith(b"%PDF-")
    browser.open(page)
    accesses = browser.find("#accesses").text
    assert accesses.count("download") >= 2
    browser.screenshot("audit-supervisor")

    browser.open("/audits")
    assert page in browser.driver.page_source
    browser.screenshot("list")
    browser.find(f"a[href='{page}']")  # the list links to the audit
    browser.find("a[href^='/agency?licence=']").click()
    browser.wait("the agency page", lambda: browser.path.startswith("/agency"))
    assert browser.find_all("svg[role=img] circle")
    browser.screenshot("agency")
    browser.open("/rules")
    assert "DEBT-01" in browser.text()
    browser.screenshot("rules")
    browser.log_out()


def test_another_office_is_refused_and_an_invalid_workbook_shows_its_problems(
    browser: Browser, site: Service
) -> None:
    owner = site.account("ivy", office="BROWSER-A", role="supervisor")
    code, accepted = site.upload(owner.token, SAMPLES / "agency-with-problems.xlsx")
    assert code in (200, 202), accepted
    theirs_path = f"/audits/{accepted['id']}"

    stranger = site.account("olaf", office="BROWSER-B")
    browser.log_in(stranger)
    browser.open(theirs_path)
    assert "Not Found" in browser.text()
    assert theirs_path.rsplit("/", 1)[1] not in browser.driver.page_source
    browser.open(theirs_path + "/download/pdf?copy=inspector")
    assert "Not Found" in browser.text()
    browser.open("/audits")
    assert theirs_path not in browser.driver.page_source

    page = browser.upload(SAMPLES / "invalid-workbook.xlsx")
    browser.wait("the problems", lambda: browser.status() == "invalid")
    browser.wait("the problems table", lambda: bool(browser.find_all("#problems tbody tr")))
    rows = browser.find_all("#problems tbody tr")
    assert rows
    first = rows[0].find_elements("css selector", "th, td")
    assert first[0].text  # a location
    assert first[1].text  # a problem in words
    assert "Fix the workbook and upload it again" in browser.text()
    assert browser.path == page
    browser.screenshot("problems")
    browser.log_out()


def test_a_file_dropped_on_the_drop_zone_is_the_file_uploaded(
    browser: Browser, site: Service
) -> None:
    person = site.account("dora", office="BROWSER-A")
    browser.log_in(person)
    browser.open("/upload")
    assert browser.find("[data-drop-hint]").is_displayed()
    # A drop as the browser delivers it: a drop event whose DataTransfer holds a file.
    browser.driver.execute_script(
        """
        const zone = document.querySelector('[data-drop-zone]');
        const transfer = new DataTransfer();
        transfer.items.add(new File(['not a workbook'], 'dropped.xlsx'));
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true,
                                                  cancelable: true}));
        }
        """
    )
    assert (
        browser.driver.execute_script("return document.getElementById('id_file').files[0].name")
        == "dropped.xlsx"
    )
    assert "Chosen: dropped.xlsx" in browser.text()
    browser.find("main form button[type=submit]").click()
    browser.wait("the audit page", lambda: re.fullmatch(r"/audits/[0-9a-f-]{36}", browser.path))
    browser.wait("the audit to end", lambda: browser.status() in ("invalid", "failed"))
    assert browser.find_all("#problems tbody tr")
    browser.log_out()


def test_the_upload_page_is_usable_with_the_keyboard(browser: Browser, site: Service) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    person = site.account("kai", office="BROWSER-A")
    browser.log_in(person)
    browser.open("/upload")

    def focused() -> Any:
        return browser.driver.switch_to.active_element

    def press(key: str) -> None:
        # To the page, not an element: keys sent to a file input are taken for a file name.
        ActionChains(browser.driver).send_keys(key).perform()

    press(Keys.TAB)
    assert focused().text == "Skip to main content"
    assert focused().is_displayed()
    browser.screenshot("skip-link")
    press(Keys.ENTER)
    reached = []
    for _ in range(12):
        press(Keys.TAB)
        reached.append(focused().get_attribute("id") or focused().text)
        if reached[-1] == "Upload and audit":
            break
    # From the main content: the template and guide links, the file, the jurisdiction, submit.
    assert reached[-3:] == ["id_file", "id_jurisdiction", "Upload and audit"], reached
    assert "header" not in str(reached)
    browser.log_out()


def test_a_supervisor_reviews_issues_verifies_supersedes_and_withdraws(
    browser: Browser, site: Service, tmp_path: Path
) -> None:
    """Issue 22 in the browser: the review on the audit page, the Issue button's confirmation
    (due dates, the stale-inspection warning), the issued state and its code, the public
    /verify page by code and by PDF, superseding with a reason, withdrawing with a reason."""
    made = run_cli(
        site.env, "offices", "create", "BROWSER-K", "--name", "Kathmandu office",
        "--time-zone", "Asia/Kathmandu",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    inspector = site.account("indra", office="BROWSER-K")
    supervisor = site.account("sabina", office="BROWSER-K", role="supervisor")
    code, accepted = site.upload(inspector.token, SAMPLES / "agency-with-problems.xlsx")
    assert code in (200, 202), accepted
    site.wait_final(inspector.token, accepted["id"])
    page = f"/audits/{accepted['id']}"

    # The inspector sets a finding aside and adds one.
    browser.log_in(inspector)
    browser.open(page)
    assert "Draft:" in browser.find("#issue-state").text
    browser.find("#id_reason").send_keys(
        "The worker showed a receipt: the fee was refunded in full."
    )
    browser.find("#set-aside-form button[type=submit]").click()
    browser.wait("the set-aside", lambda: bool(browser.find_all("#set-aside tbody tr")))
    browser.find("#id_paragraph option[value='16']").click()
    browser.find("#id_severity option[value='high']").click()
    browser.find("#id_finding_text").send_keys("The dormitory door was locked from outside.")
    browser.find("#id_evidence").send_keys("Seen by the inspector on arrival, 07:40.")
    browser.find("#add-finding-form button[type=submit]").click()
    browser.wait("the added finding", lambda: bool(browser.find_all("#added-findings tbody tr")))
    assert "indra" in browser.find("#review-author").text
    browser.screenshot("review")
    assert not browser.find_all("#issue-form")  # inspectors do not issue
    browser.log_out()

    # The supervisor issues: the button asks for confirmation, with the due dates.
    browser.log_in(supervisor)
    browser.open(page)
    assert "indra" in browser.find("#reviews").text  # the accesses record shows the review
    browser.find("#issue-form button[type=submit]").click()
    browser.wait("the confirmation", lambda: bool(browser.find_all("#confirm-form")))
    assert browser.path == page + "/issue"
    assert browser.find_all("#due-dates tbody tr")
    assert "more than 60" in browser.find("#stale-warning").text  # inspected 30 June 2026
    browser.screenshot("issue-confirm")
    browser.find("#confirm-issue").click()
    browser.wait(
        "the issued page", lambda: bool(browser.find_all("#issue-state[data-state=issued]"))
    )
    code_text = browser.find("#verification-code").text
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code_text)
    assert "sabina" in browser.find("#issue-state").text
    browser.screenshot("audit-issued")

    # Anyone verifies it, by its code (the link on the page) and by the PDF.
    browser.find("#issue-state a[href^='/verify/']").click()
    browser.wait("the verification", lambda: bool(browser.find_all("#verify-answer")))
    assert browser.find("#verify-answer").get_attribute("data-state") == "issued"
    assert "sabina" not in browser.find("main").text  # no names (she is signed in: the header)
    browser.screenshot("verify-code")
    status, _, pdf = site.api(
        "GET", f"/api/v1{page}/report.pdf?copy=agency", token=supervisor.token
    )
    assert status == 200, pdf[:200]
    issued_pdf = tmp_path / "issued.agency.pdf"
    issued_pdf.write_bytes(pdf)
    browser.open("/verify")
    browser.screenshot("verify-form")
    browser.find("#id_file").send_keys(str(issued_pdf))
    browser.find("#verify-file-form button[type=submit]").click()
    browser.wait("the PDF's verification", lambda: bool(browser.find_all("#verify-matches")))
    assert "is the one issued" in browser.find("#verify-matches").text
    assert browser.find("#verify-answer").get_attribute("data-state") == "issued"
    browser.screenshot("verify-pdf")

    # A corrected workbook with the same audit id supersedes it, with a reason.
    code, accepted = site.upload(supervisor.token, corrected_workbook(tmp_path))
    assert code in (200, 202), accepted
    site.wait_final(supervisor.token, accepted["id"])
    newer = f"/audits/{accepted['id']}"
    browser.open(newer)
    browser.find("#issue-form button[type=submit]").click()
    browser.wait("the confirmation", lambda: bool(browser.find_all("#supersede-notice")))
    assert code_text in browser.find("#supersede-notice").text
    browser.find("#id_supersede_reason").send_keys(
        "The agency produced its ledger after the first report was issued."
    )
    browser.screenshot("supersede-confirm")
    browser.find("#confirm-issue").click()
    browser.wait("the issued page", lambda: bool(browser.find_all("#supersedes")))
    assert code_text in browser.find("#supersedes").text
    newer_code = browser.find("#verification-code").text
    browser.open(page)
    assert newer_code in browser.find("#superseded-by").text
    browser.screenshot("audit-superseded")
    browser.open(f"/verify/{code_text}")
    assert browser.find("#verify-answer").get_attribute("data-state") == "superseded"
    assert newer_code in browser.find("#verify-answer").text

    # The supervisor withdraws the newer report, with a reason.
    browser.open(newer)
    browser.find("#id_withdraw_reason").send_keys("Issued to the wrong agency branch by mistake.")
    browser.find("#withdraw-form button[type=submit]").click()
    browser.wait("the withdrawal", lambda: bool(browser.find_all("#withdrawn")))
    browser.screenshot("audit-withdrawn")
    browser.open(f"/verify/{newer_code}")
    assert browser.find("#verify-answer").get_attribute("data-state") == "withdrawn"
    browser.screenshot("verify-withdrawn")
    browser.log_out()


#: Marks the innermost elements of the page's main part that show a text.
_MARK = """
const shown = Array.from(document.querySelectorAll("main *"))
  .filter((el) => el.children.length === 0 && el.textContent.includes(arguments[0]));
shown.forEach((el, i) => el.setAttribute("data-probe", String(i)));
return shown.map((el) => getComputedStyle(el).fontWeight);
"""
_LOADED_FACES = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => done(Array.from(document.fonts)
  .filter((f) => f.family.replace(/"/g, "") === "Auditor Noto" && f.status === "loaded")
  .map((f) => f.unicodeRange)));
"""
_SIDEWAYS = "return document.documentElement.scrollWidth - window.innerWidth;"


def test_a_devanagari_name_is_drawn_and_no_page_scrolls_sideways_at_400_px(
    browser: Browser, site: Service, tmp_path: Path
) -> None:
    """Issue 25: the shipped Noto fonts served as web fonts; 400 px screens (phones)."""
    from tests.builders import base_book, write_book

    name = "हिमाल म्यानपावर"
    book = base_book()
    book["Audit"]["agency_name"] = name
    book["Audit"]["audit_id"] = "DOFE-KTM-2026-112"
    workbook = write_book(tmp_path / "nepali.xlsx", book)
    person = site.account("sita", office="BROWSER-NP")
    browser.log_in(person)
    page = browser.upload(workbook)
    browser.wait("the audit to be done", lambda: browser.status() == "done")
    browser.wait("the result", lambda: bool(browser.find_all(".score-value")))
    assert name in browser.text()
    loaded = browser.driver.execute_async_script(_LOADED_FACES)
    assert any("U+900-97F" in ranges.upper() for ranges in loaded), loaded
    weights = browser.driver.execute_script(_MARK, name)
    assert {"400", "600"} <= set(weights), weights  # the breadcrumb, the facts (bold)
    driver = browser.driver
    root = driver.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
    nodes = driver.execute_cdp_cmd(
        "DOM.querySelectorAll", {"nodeId": root, "selector": "[data-probe]"}
    )
    driver.execute_cdp_cmd("CSS.enable", {})
    letters = sum(1 for char in name if not char.isspace())
    for node in nodes["nodeIds"]:
        fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        # The glyphs come from the shipped font, not boxes of a system font without them.
        drawn = {font["familyName"]: font["glyphCount"] for font in fonts}
        assert drawn.get("Report Devanagari", 0) >= letters // 2, drawn
        assert sum(drawn.values()) - drawn.get("Report Devanagari", 0) <= 1, drawn  # the space
    browser.screenshot("audit-devanagari")
    try:
        browser.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 400, "height": 860, "deviceScaleFactor": 1, "mobile": True},
        )
        for path in (page, "/audits", "/upload", "/rules", "/guide"):
            browser.open(path)
            overflow = browser.driver.execute_script(_SIDEWAYS)
            assert overflow <= 0, (path, overflow)
        browser.open(page)
        browser.screenshot("audit-400px")
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.log_out()
