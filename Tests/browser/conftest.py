"""Fixtures for Lantern's browser tests: a headless Chromium per test and the server's address.

Environment:
  LANTERN_URL        base URL of a running Lantern with the demo loaded (default http://127.0.0.1:8080)
  CHROME_BIN         Chromium binary (default /usr/bin/chromium when it exists)
  CHROMEDRIVER       chromedriver binary (default /usr/bin/chromedriver when it exists)
  LANTERN_HEADFUL=1  show the browser window instead of running headless
  LANTERN_READY_TIMEOUT  seconds to wait for the server to answer before each test (default 30)
"""

import os
import shutil
import time
import urllib.error
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

DEFAULT_URL = "http://127.0.0.1:8080"

READY_TIMEOUT = float(os.environ.get("LANTERN_READY_TIMEOUT", "30"))
# Once the server has failed to answer for a whole READY_TIMEOUT, later tests wait only briefly.
_server_gone = []


def _base_url():
    return os.environ.get("LANTERN_URL", DEFAULT_URL).rstrip("/")


def _wait_until_ready(url, timeout):
    """Polls GET /sign-in until it answers 200; returns None when ready, else what went wrong."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/sign-in", timeout=10) as response:
                if response.status == 200:
                    return None
                problem = f"GET /sign-in answered {response.status}"
        except urllib.error.HTTPError as error:
            problem = f"GET /sign-in answered {error.code}"
        except OSError as error:
            problem = f"cannot reach it: {error}"
        if time.monotonic() >= deadline:
            return problem
        time.sleep(0.5)


@pytest.fixture
def base_url():
    """The server's address, once it answers (it may still be starting, or restarting after a crash).

    A test whose server never answers errors with a clear message instead of a browser error."""
    url = _base_url()
    timeout = 2 if _server_gone else READY_TIMEOUT
    problem = _wait_until_ready(url, timeout)
    if problem:
        _server_gone.append(problem)
        pytest.fail(f"Lantern at {url} is not usable ({problem}) after {timeout:.0f} s. Start it with the "
                    f"demo data (lantern demo --port N) and set LANTERN_URL.", pytrace=False)
    return url


def _chrome_options():
    options = webdriver.ChromeOptions()
    binary = os.environ.get("CHROME_BIN") or next(
        (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome") if os.path.exists(p)), None)
    if binary:
        options.binary_location = binary
    if os.environ.get("LANTERN_HEADFUL") != "1":
        options.add_argument("--headless=new")
    for argument in ("--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900",
                     "--lang=en-US", "--no-first-run", "--disable-extensions", "--password-store=basic"):
        options.add_argument(argument)
    # Leave any alert open, so a test sees it (the default would dismiss it on the next command).
    options.unhandled_prompt_behavior = "ignore"
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en",
                                              "credentials_enable_service": False,
                                              "profile.password_manager_enabled": False})
    return options


def _chromedriver_service():
    path = os.environ.get("CHROMEDRIVER") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver")
                                              else shutil.which("chromedriver"))
    # With a known path Selenium Manager never tries to download a driver (this machine is offline).
    return Service(executable_path=path) if path else Service()


@pytest.fixture
def driver(base_url):
    """A fresh browser for each test, so no cookie or session leaks from one test to the next."""
    browser = webdriver.Chrome(options=_chrome_options(), service=_chromedriver_service())
    browser.set_window_size(1280, 900)
    browser.set_page_load_timeout(60)
    browser.set_script_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    """The closing line, `N passed, N failed`, printed after pytest's own summary so it is the last line.

    As the outermost wrapper this runs after the terminal reporter has written its summary. Tests that
    errored (in set-up or tear-down) count as failed."""
    result = yield
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        stats = reporter.stats
        passed = {r.nodeid for r in stats.get("passed", []) if hasattr(r, "nodeid")}
        failed = {getattr(r, "nodeid", id(r)) for key in ("failed", "error") for r in stats.get(key, [])}
        reporter.write_line(f"{len(passed - failed)} passed, {len(failed)} failed")
    return result
