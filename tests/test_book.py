"""The built book, checked as its readers meet it.

One strict build (``jupyter-book build -W -n --keep-going``, every notebook
executed afresh) into a temporary folder; then an internal link check over
every page, and a real headless Chromium that opens every page from a local
server and asserts what a reader would notice: console errors, failed or
external requests, figures that do not decode, unrendered math, missing launch
buttons, a table of contents that does not navigate, explorer sliders that do
not change their figure. Screenshots land in the test's temporary folder.

Chromium comes from Debian's ``chromium`` and ``chromium-driver`` packages;
``.ci/run`` installs them. Without them the browser tests skip, unless
``REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Debian's packages by default; CI elsewhere may point these at its own browser.
CHROMIUM = os.environ.get("CHROME_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    jb = Path(sys.executable).with_name("jupyter-book")
    run = subprocess.run(
        [str(jb), "build", str(ROOT), "--path-output", str(out), "-W", "-n",
         "--keep-going"],
        capture_output=True, text=True,
    )  # fmt: skip
    log = run.stdout + run.stderr
    assert run.returncode == 0, f"book build failed:\n{log[-5000:]}"
    assert "build succeeded" in log, log[-5000:]  # -W: any warning fails the build
    return out / "_build" / "html"


def pages(html_dir: Path) -> list[Path]:
    """Every page of the book (not Sphinx's own assets)."""
    skip = ("_static", "_sources", "_images", "_panels")
    return sorted(
        p for p in html_dir.rglob("*.html")
        if not any(part in skip for part in p.relative_to(html_dir).parts)
    )  # fmt: skip


def test_every_toc_file_became_a_page(html_dir):
    toc = (ROOT / "_toc.yml").read_text()
    files = re.findall(r"file: (\S+)", toc) + ["intro"]
    for name in files:
        assert (html_dir / f"{name}.html").is_file(), name


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") == "preload"):
                self.links.append(attrs[key])


@functools.cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_internal_links_and_anchors_resolve(html_dir):
    broken = []
    for page in pages(html_dir):
        for link in _parse(page).links:
            url = urlparse(link)
            if url.scheme in ("http", "https", "mailto", "data", "javascript"):
                continue
            target = page if not url.path else (page.parent / unquote(url.path))
            target = target.resolve()
            if not target.exists():
                broken.append(f"{page.name}: {link} (no such file)")
            elif url.fragment and target.suffix == ".html":
                if url.fragment not in _parse(target).ids:
                    broken.append(f"{page.name}: {link} (no such anchor)")
    assert not broken, "\n".join(broken)


# --- the real browser -----------------------------------------------------------


@pytest.fixture(scope="module")
def server(html_dir):
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("chromium and chromium-driver are required (apt-get install)")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1600",
    ):
        options.add_argument(flag)  # fmt: skip
    options.set_capability(
        "goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _open(driver, url):
    """Load a page and wait for MathJax to finish; return the page's problems."""
    driver.get_log("browser"), driver.get_log("performance")  # start clean
    driver.get(url)
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "if (window.MathJax && MathJax.startup) MathJax.startup.promise.then(done);"
        "else done();"
    )
    problems = [
        f"console {e['level']}: {e['message']}"
        for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")
    ]  # fmt: skip
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.loadingFailed" and not params.get("canceled"):
            problems.append(f"request failed: {params.get('errorText')}")
        if message["method"] == "Network.responseReceived":
            response = params["response"]
            if response["status"] >= 400:
                problems.append(f"HTTP {response['status']}: {response['url']}")
        if message["method"] == "Network.requestWillBeSent":
            request_url = params["request"]["url"]
            if not request_url.startswith((url.split("/")[0] + "//127.0.0.1", "data:")):
                problems.append(f"external request: {request_url}")
    return problems


def test_every_page_loads_cleanly_and_shows_its_content(browser, server, html_dir,
                                                         tmp_path):  # fmt: skip
    from selenium.webdriver.common.by import By

    report = {}
    for page in pages(html_dir):
        rel = page.relative_to(html_dir).as_posix()
        problems = _open(browser, urljoin(server, rel))
        browser.save_screenshot(str(tmp_path / (rel.replace("/", "_") + ".png")))
        images = browser.execute_script(
            "return [...document.querySelectorAll('main img')].map("
            "i => [i.complete, i.naturalWidth, i.naturalHeight, i.currentSrc.slice(-40)])"
        )
        problems += [f"image not decoded: {src}" for ok, w, h, src in images
                     if not (ok and w > 0 and h > 0)]  # fmt: skip
        if rel.startswith("chapters/"):
            if not images:
                problems.append("a chapter without figures")
            if browser.find_elements(By.CSS_SELECTOR, ".math"):
                rendered = browser.find_elements(By.CSS_SELECTOR, "mjx-container")
                if not rendered:
                    problems.append("math present but not rendered by MathJax")
            for name in ("mybinder.org", "colab.research.google.com"):
                if not browser.find_elements(By.CSS_SELECTOR, f"a[href*='{name}']"):
                    problems.append(f"no launch button for {name}")
            if not browser.find_elements(By.CSS_SELECTOR, "button.btn-launch-thebe"):
                problems.append("no live-code (Thebe) button")
        report[rel] = problems
    bad = {page: problems for page, problems in report.items() if problems}
    assert not bad, json.dumps(bad, indent=1)
    assert sum(rel.startswith("chapters/") for rel in report) >= 7


def test_table_of_contents_reaches_every_chapter(browser, server):
    from selenium.webdriver.common.by import By

    toc = "nav.bd-docs-nav a.reference"
    _open(browser, urljoin(server, "intro.html"))
    targets = [(a.text.strip(), a.get_attribute("href"))
               for a in browser.find_elements(By.CSS_SELECTOR, toc)]  # fmt: skip
    assert sum("/chapters/" in href for _, href in targets) >= 7, targets
    for index, (text, href) in enumerate(targets):
        if href.split("#")[0].endswith("/intro.html"):
            continue  # the page we start from
        _open(browser, urljoin(server, "intro.html"))
        browser.find_elements(By.CSS_SELECTOR, toc)[index].click()  # a reader's click
        assert browser.current_url.split("#")[0] == href.split("#")[0]
        heading = browser.execute_script(
            "return document.querySelector('article h1').textContent"
        )
        assert _words(text) & _words(heading), (text, heading)


def _words(text):
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2}


def test_static_explorers_change_the_figure_when_moved(browser, server, html_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    moved = 0
    for page in pages(html_dir):
        if "linreg-explorer" not in page.read_text(encoding="utf-8"):
            continue
        url = urljoin(server, page.relative_to(html_dir).as_posix())
        _open(browser, url)
        count = len(
            browser.find_elements(By.CSS_SELECTOR, "figure.linreg-explorer input")
        )
        for k in range(count):
            _open(browser, url)  # every slider starts from the page's defaults
            slider = browser.find_elements(
                By.CSS_SELECTOR, "figure.linreg-explorer input"
            )[k]
            explorer = slider.find_element(By.XPATH, "ancestor::figure")
            image = explorer.find_element(By.TAG_NAME, "img")
            browser.execute_script(
                "arguments[0].scrollIntoView({block: 'center'})", slider
            )
            seen = {image.get_attribute("src")}
            slider.send_keys(Keys.HOME)  # real keyboard moves of the thumb...
            seen.add(image.get_attribute("src"))
            for _ in range(int(slider.get_attribute("max"))):
                slider.send_keys(Keys.ARROW_RIGHT)
                seen.add(image.get_attribute("src"))
            assert len(seen) > 1, f"{page.name}: slider {k} never changes the figure"
            assert all(o.text for o in explorer.find_elements(By.TAG_NAME, "output"))
            moved += 1
    assert moved >= 4  # at least the training and SGD chapters' lr and batch size
