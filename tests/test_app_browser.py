"""The browser app in a real browser: ``solara run app.py`` on 127.0.0.1 and
headless Chromium (Debian's ``chromium`` and ``chromium-driver``) driven by
selenium. A slider moved and the model stepped must change the offers table
and the concession chart, as a user would see them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="headless browser test: needs Debian's chromium and chromium-driver (apt-get install chromium "
           "chromium-driver; .ci/run installs them)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The app on a free port, opening the small textbook scenario."""
    port = free_port()
    solara = Path(sys.executable).with_name("solara")
    log = (tmp_path_factory.mktemp("solara") / "server.log").open("w")
    env = {**os.environ, "NEGOTIATION_APP_SCENARIO": "job_offer"}
    proc = subprocess.Popen([str(solara), "run", "app.py", "--host", "127.0.0.1", "--port", str(port),
                             "--production", "--no-open"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"solara did not start: {Path(log.name).read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1500,1100"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_slider_and_step_change_the_offers_and_the_chart(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    redrawn = (NoSuchElementException, StaleElementReferenceException)  # a view re-renders after each step
    wait = WebDriverWait(browser, 90, ignored_exceptions=redrawn)

    def settled(read):
        """``read()`` once the element it reads stays put (the views are redrawn after each step)."""
        for _ in range(50):
            try:
                return read()
            except redrawn:
                time.sleep(0.1)
        return read()

    def table() -> str:
        return settled(lambda: browser.find_element(By.CSS_SELECTOR, ".offers-table table").text)

    def chart() -> str:
        return settled(lambda: browser.find_element(By.CSS_SELECTOR, ".concession-chart img").get_attribute("src")
                       or "")

    def button(label: str):
        return browser.find_element(By.XPATH, f"//button[.//*[normalize-space(text())='{label}'] or "
                                              f"normalize-space(text())='{label}']")

    def step_to(round_no: int) -> None:
        for k in range(1, round_no + 1):
            wait.until(ec.element_to_be_clickable(button("Step"))).click()
            wait.until(lambda d, k=k: f"round {k} of" in table())

    browser.get(server)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".offers-table table"))
    wait.until(lambda d: chart())
    assert "no offers yet" in table() and "round 0 of" in table()
    start_table, start_chart = table(), chart()

    step_to(2)
    wait.until(lambda d: chart() != start_chart)
    stepped_table, stepped_chart = table(), chart()
    assert stepped_table != start_table and "no offers yet" not in stepped_table
    assert "salary_keur 50 70" in stepped_table  # each party's opening demand, clause by clause

    # the employer becomes a Conceder: its concession exponent slider to the far right, then Reset
    slider = browser.find_element(By.XPATH, "//div[contains(@class, 'v-input__slider')]"
                                            "[.//label[normalize-space()='employer: concession exponent e']]"
                                            "//*[@role='slider']")
    slider.send_keys(Keys.END)
    wait.until(lambda d: slider.get_attribute("aria-valuenow") in ("4", "4.0"))
    button("Reset").click()
    wait.until(lambda d: "no offers yet" in table())
    step_to(2)
    wait.until(lambda d: chart() not in (start_chart, stepped_chart))
    conceded = table()
    assert conceded != stepped_table  # same round, other offers: the employer concedes early now
    browser.save_screenshot(str(tmp_path / "app.png"))
