"""The browser app in a real browser: ``solara run app.py`` on 127.0.0.1 and
headless Chromium (Debian's ``chromium`` and ``chromium-driver``) driven by
selenium. A slider moved and the model stepped must change the offers table
and the concession chart, and a seed typed must play that seed's run, as a
user would see them."""

from __future__ import annotations

import json
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

from .conftest import ROOT, TEXTBOOK

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


def solara_assets() -> None:
    """Solara's browser files, put where Solara caches them (``.ci/solara-assets``,
    from the npm registry; it skips what is there), so the test runs on a
    machine that reaches no CDN, from README's test command alone."""
    done = subprocess.run(["bash", str(ROOT / ".ci" / "solara-assets"), sys.prefix], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"Solara's browser files could not be fetched (needs npm and the npm registry): "
                    f"{done.stderr[-1000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """The app on a free port, opening the small textbook scenario."""
    yield from serve("job_offer", tmp_path_factory)


@pytest.fixture(scope="module")
def default_server(tmp_path_factory) -> Iterator[str]:
    """The app opening the default scenario (wide option names, a real-deal column)."""
    yield from serve("openai_microsoft_2025", tmp_path_factory)


def serve(scenario: str, tmp_path_factory) -> Iterator[str]:
    solara_assets()
    port = free_port()
    solara = Path(sys.executable).with_name("solara")
    log = (tmp_path_factory.mktemp("solara") / "server.log").open("w")
    env = {**os.environ, "NEGOTIATION_APP_SCENARIO": scenario}
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


class App:
    """The page as a user sees it: its offers table, its chart, its buttons and inputs."""

    def __init__(self, url: str, browser) -> None:
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.browser, self.by = browser, By
        self.redrawn = (NoSuchElementException, StaleElementReferenceException)  # a view re-renders after a step
        self.wait = WebDriverWait(browser, 90, ignored_exceptions=self.redrawn)
        browser.get(url)  # a fresh session: the scenario as written
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".offers-table table"))
        self.wait.until(lambda d: self.chart())

    def settled(self, read):
        """``read()`` once the element it reads stays put (the views are redrawn after each step)."""
        for _ in range(50):
            try:
                return read()
            except self.redrawn:
                time.sleep(0.1)
        return read()

    def table(self) -> str:
        return self.settled(lambda: self.browser.find_element(self.by.CSS_SELECTOR, ".offers-table table").text)

    def chart(self) -> str:
        return self.settled(lambda: self.browser.find_element(self.by.CSS_SELECTOR, ".concession-chart img")
                            .get_attribute("src") or "")

    def button(self, label: str):
        return self.browser.find_element(self.by.XPATH, f"//button[.//*[normalize-space(text())='{label}'] or "
                                                        f"normalize-space(text())='{label}']")

    def field(self, label: str):
        """The input of the sidebar control labelled ``label``."""
        return self.browser.find_element(self.by.XPATH, f"//div[contains(@class, 'v-input')]"
                                                        f"[.//label[normalize-space()='{label}']]//input")

    def step_to(self, round_no: int) -> None:
        from selenium.webdriver.support import expected_conditions as ec

        for k in range(1, round_no + 1):
            self.wait.until(ec.element_to_be_clickable(self.button("Step"))).click()
            self.wait.until(lambda d, k=k: f"round {k} of" in self.table())

    def reset(self) -> None:
        self.button("Reset").click()
        self.wait.until(lambda d: "no offers yet" in self.table())


def test_slider_and_step_change_the_offers_and_the_chart(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    app = App(server, browser)
    assert "no offers yet" in app.table() and "round 0 of" in app.table()
    start_table, start_chart = app.table(), app.chart()

    app.step_to(2)
    app.wait.until(lambda d: app.chart() != start_chart)
    stepped_table, stepped_chart = app.table(), app.chart()
    assert stepped_table != start_table and "no offers yet" not in stepped_table
    assert "salary_keur 50 70" in stepped_table  # each party's opening demand, clause by clause

    # the employer becomes a Conceder: its concession exponent slider to the far right, then Reset
    slider = browser.find_element(By.XPATH, "//div[contains(@class, 'v-input__slider')]"
                                            "[.//label[normalize-space()='employer: concession exponent e']]"
                                            "//*[@role='slider']")
    slider.send_keys(Keys.END)
    app.wait.until(lambda d: slider.get_attribute("aria-valuenow") in ("4", "4.0"))
    app.reset()
    app.step_to(2)
    app.wait.until(lambda d: app.chart() not in (start_chart, stepped_chart))
    conceded = app.table()
    assert conceded != stepped_table  # same round, other offers: the employer concedes early now
    browser.save_screenshot(str(tmp_path / "app.png"))


def expected_rows(log: Path, round_no: int) -> list[str]:
    """The offers table's rows at ``round_no`` as a run's log has them: each bargainer's latest offer
    clause by clause, then each party's utility for them (3 decimals)."""
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    header = records[0]
    names = [p["name"] for p in header["parties"] if p["role"] == "bargainer"]
    latest = {r["from"]: r for r in records if r["type"] == "offer" and r["round"] <= round_no}
    rows = [" ".join([clause, *(str(latest[n]["outcome"][clause]) for n in names)]) for clause in header["clauses"]]
    rows += [" ".join([f"u({party})", *(f"{latest[n]['utilities'][party]:.3f}" for n in names)]) for party in names]
    return rows


def test_a_typed_seed_plays_the_run_of_that_seed(server, browser, cli, tmp_path):
    """The seed box shows the scenario's seed; another seed typed and Reset gives, at the same round,
    the offers of `negotiation run --seed N`, which on this scenario differ from the default seed's."""
    from selenium.webdriver.common.keys import Keys

    from negotiation.viz.params import base_scenario

    default_seed, seed, at = base_scenario("job_offer").seed, 1, 3
    logs = {}
    for s in (default_seed, seed):
        result = cli("run", TEXTBOOK, "--seed", str(s), "--no-png", "--out", tmp_path / f"s{s}")
        assert result.exit_code == 0, result.output
        logs[s] = expected_rows(tmp_path / f"s{s}" / "log.jsonl", at)
    assert logs[default_seed] != logs[seed]  # the check below can tell the two seeds apart

    app = App(server, browser)
    box = app.field("seed (applied on Reset)")
    assert box.get_attribute("value") == str(default_seed) and f"seed {default_seed}" in app.table()
    app.step_to(at)
    shown = [line.replace(" *", "") for line in app.table().splitlines()]
    assert all(row in shown for row in logs[default_seed]), (shown, logs[default_seed])

    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(seed))  # then straight to Reset, as a user would: the field commits as it loses focus
    app.reset()
    app.wait.until(lambda d: f"seed {seed}" in app.table())
    # the title: SolaraViz redraws it apart from the table, so wait for it too (it can lag the table)
    app.wait.until(lambda d: d.find_elements(app.by.XPATH, f"//*[contains(text(), 'job_offer · seed {seed}')]"))
    app.step_to(at)
    shown = [line.replace(" *", "") for line in app.table().splitlines()]
    assert all(row in shown for row in logs[seed]), (shown, logs[seed])
    browser.save_screenshot(str(tmp_path / "seed.png"))


def test_a_seed_that_is_not_one_is_said_and_another_scenario_opens_with_its_own(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from negotiation.viz.params import base_scenario

    app = App(server, browser)
    box = app.field("seed (applied on Reset)")
    box.send_keys(Keys.CONTROL, "a")
    # one key: Solara's text field commits on leaving it, and selenium types faster than ipywidgets syncs
    # the field's later keys, so a longer word could be committed cut short (no person types that fast)
    box.send_keys("x")
    app.reset()
    default_seed = base_scenario("job_offer").seed
    app.wait.until(lambda d: f"seed {default_seed} (seed 'x' not used: a whole number ≥ 0 expected)" in app.table())

    # another scenario picked, then Reset: it opens as written, with its own seed in the box and the title
    other = "openai_microsoft_2025"
    app.field("scenario").find_element(By.XPATH, "./ancestor::div[contains(@class, 'v-select__slot')]").click()
    app.wait.until(lambda d: d.find_element(By.XPATH, f"//div[contains(@class, 'v-list-item__title')]"
                                                      f"[normalize-space()='{other}']")).click()
    app.reset()
    seed = base_scenario(other).seed
    app.wait.until(lambda d: d.find_elements(By.XPATH, f"//*[contains(text(), '{other} · seed {seed}')]"))
    app.wait.until(lambda d: app.field("seed (applied on Reset)").get_attribute("value") == str(seed))
    app.wait.until(lambda d: f"seed {seed}" in app.table() and "not used" not in app.table())  # the table too


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
def test_every_view_is_whole_at_common_screen_widths(default_server, browser, tmp_path, width, height):
    """At a laptop's 1366 px and a desktop's 1920 px: the offers table's last
    column (the real deal) is inside its card (or scrolled to, never cut
    off), the concession chart with its legend is inside its card, no card
    lies over another, and the browser tab names the scenario and the seed."""
    from negotiation.viz.params import base_scenario

    browser.set_window_size(width, height)
    try:
        app = App(default_server, browser)
        app.step_to(2)
        seed = base_scenario("openai_microsoft_2025").seed
        app.wait.until(lambda d: d.title == f"negotiation · openai_microsoft_2025 · seed {seed}")
        assert not browser.find_elements(app.by.XPATH, "//*[normalize-space(text())='Page 0']")
        app.wait.until(lambda d: d.execute_script(
            "return [...document.querySelectorAll('.concession-chart img')].every(i => i.complete && i.naturalHeight)"))
        boxes = browser.execute_script("""
            const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
            const cards = ['.concession-chart', '.offers-table', '.utility-plane'].map(c => document.querySelector(c));
            const real = [...document.querySelectorAll('.offers-table thead th')].pop();
            const scroller = real.closest('.offers-scroll');
            return {cards: cards.map(box), legend: box(document.querySelector('.concession-chart img')),
                    real: real.textContent, real_box: box(real), table_card: box(cards[1]),
                    scrolls: scroller ? scroller.scrollWidth > scroller.clientWidth
                                        && getComputedStyle(scroller).overflowX === 'auto' : false,
                    clipped: cards.map(c => c.scrollWidth > c.clientWidth + 1)};""")
        assert boxes["real"] == "real deal"
        left, _, right, _ = boxes["table_card"]
        assert (boxes["real_box"][2] <= right and boxes["real_box"][0] >= left) or boxes["scrolls"], boxes
        chart, img = boxes["cards"][0], boxes["legend"]
        assert chart[1] <= img[1] and img[3] <= chart[3], boxes  # the chart and its legend inside the card
        assert not any(boxes["clipped"]), boxes
        cards = boxes["cards"]
        for i, a in enumerate(cards):
            for b in cards[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], boxes  # no overlap
        browser.save_screenshot(str(tmp_path / f"app-{width}.png"))
    finally:
        browser.set_window_size(1500, 1100)
