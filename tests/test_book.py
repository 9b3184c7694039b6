"""The built book, checked as its readers meet it.

One strict build (``jupyter-book build -W -n --keep-going``, every notebook
executed afresh, every panel's frames recorded) into a temporary folder; then
an internal link check over every page, and a real headless Chromium that
opens every page from a local server and asserts what a reader would notice:
console errors, failed or external requests, figures that do not decode or
whose alt text is a file name, unrendered math, missing launch buttons, pages
over their weight budget, a table of contents that does not navigate, and
explorers whose controls do not change the drawing, do not say their value to
a screen reader, or do not come back from a shared link. Screenshots land in
the test's temporary folder.

Chromium comes from Debian's ``chromium`` and ``chromium-driver`` packages;
``.ci/run`` installs them. Without them the browser tests skip, unless
``REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
"""

from __future__ import annotations

import base64
import functools
import gzip
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import numpy as np
import pytest

from scripts import browser as browser_tools
from tests import jobs

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PAGE_BUDGET = 2_000_000  # bytes a chapter page transfers at load, cache off
SITE_BUDGET = 15_000_000  # bytes of the whole built site
# Debian's packages by default; CI elsewhere may point these at its own browser.


@pytest.fixture(scope="module")
def html_dir(request) -> Path:
    """The book built as ``make book`` builds it (strict), into a temporary folder.

    Under ``make test`` it is built from the chapters nbval has just executed,
    while other tests run (tests/jobs.py). ``BOOK_HTML`` names an already built
    book instead, to re-run these checks on it while working on them.
    """
    if os.environ.get("BOOK_HTML"):
        return Path(os.environ["BOOK_HTML"])
    html, code, log = jobs.book(request.config)
    assert code == 0, f"book build failed:\n{log[-5000:]}"
    assert "build succeeded" in log, log[-5000:]  # -W: any warning fails the build
    return html


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
    with browser_tools.serve(html_dir) as url:
        yield url


def chromium(window: str, performance_log: bool = False):
    """Headless Chromium for the book's and JupyterLab's tests (or skip, or fail)."""
    if not browser_tools.have_chromium():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("chromium and chromium-driver are required (apt-get install)")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    return browser_tools.chromium(window, performance_log)


@pytest.fixture(scope="module")
def browser():
    driver = chromium("1280,1600", performance_log=True)  # network log: page weights
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _open(driver, url, weights=None):
    """Load a page and wait for its explorers; return the page's problems.

    ``weights``, a dict, receives the bytes the page transferred under its URL.
    """
    driver.get_log("browser"), driver.get_log("performance")  # start clean
    driver.get(url)
    browser_tools.wait(driver, "return [...document.querySelectorAll('.linreg-panel[data-explorer]')]"
                  ".every(p => p.dataset.ready === 'true')")  # fmt: skip
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
        if message["method"] == "Network.loadingFinished" and weights is not None:
            weights[url] = weights.get(url, 0) + params["encodedDataLength"]
    return problems


def test_every_page_loads_cleanly_and_lightly(browser, server, html_dir, tmp_path):
    from selenium.webdriver.common.by import By

    report, weights = {}, {}
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    for page in pages(html_dir):
        rel = page.relative_to(html_dir).as_posix()
        url = urljoin(server, rel)
        problems = _open(browser, url, weights)
        browser.save_screenshot(str(tmp_path / (rel.replace("/", "_") + ".png")))
        images = browser.execute_script(
            # The article's own images: not the launch-button logos in the
            # article header, nor a panel's background (decorative, alt="",
            # under a canvas that carries the description).
            "return [...document.querySelectorAll('main article img')]"
            ".filter(i => !i.closest('.bd-header-article') && "
            "!i.classList.contains('linreg-background'))"
            ".map(i => [i.complete, i.naturalWidth, i.naturalHeight, "
            "i.currentSrc.slice(-40), i.alt])"
        )
        for ok, w, h, src, alt in images:
            if not (ok and w > 0 and h > 0):
                problems.append(f"image not decoded: {src}")
            if rel.startswith("chapters/") and (
                len(alt) < 15 or alt.endswith((".png", ".svg"))
            ):
                problems.append(f"image without a description: alt={alt!r}")
        if rel.startswith("chapters/"):
            if not images:
                problems.append("a chapter without figures")
            unrendered = browser.execute_script(
                "return [...document.querySelectorAll('.math')]"
                ".filter(m => !m.querySelector('.katex')).length"
            )
            if unrendered:
                problems.append(f"{unrendered} formulas not rendered")
            for name in ("mybinder.org", "colab.research.google.com"):
                if not browser.find_elements(By.CSS_SELECTOR, f"a[href*='{name}']"):
                    problems.append(f"no launch button for {name}")
            if browser.find_elements(
                By.CSS_SELECTOR, ".btn-launch-thebe, .thebe-launch-button"
            ):
                problems.append(
                    "a live-code (Thebe) button: it needs a CDN and a server"
                )
            if weights[url] > PAGE_BUDGET:
                problems.append(
                    f"transfers {weights[url]:,} bytes (budget {PAGE_BUDGET:,})"
                )
        report[rel] = problems
    bad = {page: problems for page, problems in report.items() if problems}
    assert not bad, json.dumps(bad, indent=1)
    assert sum(rel.startswith("chapters/") for rel in report) >= 10
    (tmp_path / "weights.json").write_text(json.dumps(weights, indent=1))


def test_the_api_page_has_a_heading_per_section_and_parses_every_docstring(html_dir):
    html = (html_dir / "api.html").read_text()
    html = html[html.index("<article") : html.rindex("</article>")]  # not the theme's
    sections = re.split(r"^## ", (ROOT / "api.md").read_text(), flags=re.MULTILINE)[1:]
    assert sections and all(".. automodule:: linreg_lib." in s for s in sections)
    assert len(re.findall(r"<h2>", html)) == len(sections)
    field = r'<dt class="field-\w+">{}<span class="colon">:</span></dt>\s*<dd[^>]*>(.*?)</dd>'
    returns = re.findall(field.format("Returns"), html, re.DOTALL)
    parameters = re.findall(field.format("Parameters"), html, re.DOTALL)
    assert returns and parameters
    for body in returns:  # napoleon once put "Raises" and doctests in here
        assert "Raises" not in body and "&gt;&gt;&gt;" not in body, body[:300]
    text = re.sub(r"<[^>]+>", "", html)
    assert "(as in)" not in text and "(d (w0)" not in text  # misparsed parameters
    assert '<span class="gp">&gt;&gt;&gt; </span>' in html  # examples as examples


def test_the_whole_site_is_light(html_dir):
    size = sum(p.stat().st_size for p in html_dir.rglob("*") if p.is_file())
    assert size <= SITE_BUDGET, f"{size:,} bytes (budget {SITE_BUDGET:,})"
    assert not list(html_dir.rglob("*.map"))  # no source maps
    assert not (html_dir / "_static" / "mathjax").exists()


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
        browser.find_elements(By.CSS_SELECTOR, toc)[index].click()  # a reader's click
        assert browser.current_url.split("#")[0] == href.split("#")[0]
        heading = browser.execute_script(
            "return document.querySelector('article h1').textContent"
        )
        assert _words(text) & _words(heading), (text, heading)
        browser.back()  # and back to the contents, as a reader would
        browser_tools.wait(browser, "return location.pathname.endsWith('/intro.html')"
                           " && document.readyState === 'complete'")  # fmt: skip


def _words(text):
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2}


def _explorer_pages(html_dir):
    return [
        p for p in pages(html_dir) if "linreg-data" in p.read_text(encoding="utf-8")
    ]


def test_every_control_of_every_explorer_changes_the_drawing(browser, server, html_dir):
    moved = 0
    for page in _explorer_pages(html_dir):
        url = urljoin(server, page.relative_to(html_dir).as_posix())
        _open(browser, url)
        controls = browser.execute_script(
            "return [...document.querySelectorAll('.linreg-panel [data-control]')].map("
            "c => [c.closest('.linreg-panel').dataset.panel, c.dataset.control])"
        )
        for panel, name in controls:  # each from the page's defaults, and back
            seen = browser.execute_async_script(MOVE_EVERY_STOP, panel, name)
            assert len(set(seen["drawings"])) > 1, (
                f"{page.name}: {panel}.{name} draws nothing new"
            )
            assert seen["restored"], f"{page.name}: {panel}.{name} does not go back"
            assert seen["valuetext_ok"], (
                f"{page.name}: {panel}.{name} does not say its value"
            )
            assert seen["live"] == "polite"
            moved += 1
    assert moved >= 25  # every panel: theory to the optimiser


# Moves one control through all its stops (or options) the way input events do,
# and reports each drawing (the canvas's pixels) and what a screen reader hears;
# then puts the control back as it was, which must give back the first drawing.
MOVE_EVERY_STOP = """
const [panel, name, done] = arguments;
const root = document.querySelector(`.linreg-panel[data-panel="${panel}"]`);
const box = root.querySelector(`[data-control="${name}"]`);
const canvas = root.querySelector("canvas");
const drawings = [], inputs = [...box.querySelectorAll("input")];
let valuetext_ok = true;
const said = [];
const pixels = () => canvas.toDataURL();
const snap = () => drawings.push(pixels().length + ":" + pixels().slice(-64));
const before = pixels(), value = inputs[0].value, checked = inputs.map((i) => i.checked);
if (inputs[0].type === "range") {
  const input = inputs[0];
  for (let i = Number(input.min); i <= Number(input.max); i++) {
    input.value = i;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    snap();
    const out = box.querySelector("output").textContent;
    valuetext_ok = valuetext_ok && input.getAttribute("aria-valuetext") === out;
    said.push(out);
  }
  // the values, not the positions (a stop may equal its index by chance)
  valuetext_ok = valuetext_ok && said.some((out, i) => out !== String(Number(input.min) + i));
} else {
  for (const input of [...inputs, inputs[0]]) {
    input.disabled = false;
    input.click();
    snap();
  }
}
if (inputs[0].type === "range") {
  inputs[0].value = value;
  inputs[0].dispatchEvent(new Event("input", { bubbles: true }));
} else {
  inputs.forEach((input, k) => {
    input.disabled = false;
    if (input.checked !== checked[k]) input.click();
  });
}
const restored = pixels() === before;
done({ drawings, valuetext_ok, restored, live: root.querySelector(".linreg-status").getAttribute("aria-live") });
"""


def test_a_shared_link_reopens_the_same_settings(browser, server, html_dir):
    page = html_dir / "chapters" / "07_training.html"
    url = urljoin(server, "chapters/07_training.html")
    _open(browser, url)
    browser.execute_script(
        "const input = document.querySelector('[data-panel=training] [data-control=lr] input');"
        "input.value = 5; input.dispatchEvent(new Event('input', {bubbles: true}));"
    )
    shared = browser.current_url
    assert "training.lr=" in shared, shared
    chosen = browser.execute_script(
        "return document.querySelector('[data-panel=training] [data-control=lr] output').textContent"
    )
    status = browser.execute_script(
        "return document.querySelector('[data-panel=training] .linreg-status').textContent"
    )
    browser.get("about:blank")
    _open(browser, shared)
    assert (
        browser.execute_script(
            "return document.querySelector('[data-panel=training] [data-control=lr] output').textContent"
        )
        == chosen
    )
    assert (
        browser.execute_script(
            "return document.querySelector('[data-panel=training] .linreg-status').textContent"
        )
        == status
    )
    assert page.is_file()


def _explorer_data(page):
    text = page.read_text(encoding="utf-8")
    found = {}
    for packed in re.findall(r'class="linreg-data">([^<]+)<', text):
        data = json.loads(gzip.decompress(base64.b64decode(packed)))
        found[data["name"]] = data
    return found


def _resolve(data, state_id):
    state = data["states"][state_id]
    if isinstance(state, list):
        return state
    base = _resolve(data, state["r"])
    return [[op[0], op[1], [op[2][0][:n] + t], op[3]] if op[0] == "p"
            else [op[0], op[1], op[2], op[3][:n] + t]
            for op, n, t in zip(base, state["n"], state["t"], strict=True)]  # fmt: skip


def _ops_at(data, index, k, stop):
    """The drawing operations of the frame at ``index`` with control k at ``stop``."""
    at = list(index)
    at[k] = stop
    sizes = [len(c["stops"]) for c in data["controls"]]
    frame = data["frames"][int(np.ravel_multi_index(at, sizes))]
    return [op for s in frame[2:] for op in _resolve(data, s)]


def test_the_epochs_control_shows_a_prefix_of_the_same_run(html_dir):
    """Fewer epochs draw the start of the longest run's paths, point for point."""
    checked = 0
    for page in _explorer_pages(html_dir):
        for name, data in _explorer_data(page).items():
            controls = data["controls"]
            epochs = [
                k
                for k, c in enumerate(controls)
                if c["name"] in ("num_epochs", "epochs", "steps", "num_iterations")
            ]
            if not epochs:
                continue
            k = epochs[0]
            sizes = [len(c["stops"]) for c in controls]
            index = [c["value"] for c in controls]

            full, longest_path = _ops_at(data, index, k, sizes[k] - 1), 0
            for stop in range(sizes[k] - 1):  # every shorter run
                paths = [(a, b) for a, b in zip(full, _ops_at(data, index, k, stop), strict=False)
                         if a[0] == b[0] == "p" and len(b[2][0]) > 2]  # fmt: skip
                for a, b in paths:
                    n = max(0, len(b[2][0]) - 8)  # all but a short tail
                    assert a[2][0][:n] == b[2][0][:n], f"{page.name}: {name}"
                    longest_path = max(longest_path, len(b[2][0]))
            assert longest_path > 16, f"{page.name}: {name} draws no path"
            checked += 1
    assert checked >= 5  # SGD, Training, NumPy only, Concise, the optimiser


def test_figures_are_numbered_captioned_and_referred_to_by_their_number(html_dir):
    problems = []
    for page in pages(html_dir):
        if not page.relative_to(html_dir).as_posix().startswith("chapters/"):
            continue
        text = page.read_text(encoding="utf-8")
        numbers = dict(re.findall(
            r'<figure[^>]*id="([^"]+)"[^>]*>.*?<span class="caption-number">Fig\. ([\d.]+)',
            text, re.DOTALL))  # fmt: skip
        images = len(re.findall(r'<img[^>]+src="[^"]*_images/[^"]+\.png"', text))
        if len(numbers) < images:
            problems.append(f"{page.name}: {images} figures, {len(numbers)} numbered")
        for target, label in re.findall(
            r'<a class="reference[^"]*"[^>]+href="[^"]*#(fig-[^"]+)"[^>]*>(.*?)</a>',
            text,
            re.DOTALL,
        ):
            label = re.sub("<[^>]+>", "", label)
            if target in numbers and numbers[target] not in label:
                problems.append(
                    f"{page.name}: link to {target} says {label!r}, it is {numbers[target]}"
                )
    assert not problems, "\n".join(problems)


def test_on_a_phone_controls_are_touchable_and_the_figure_readable(browser, server):
    browser.set_window_size(390, 844)
    try:
        _open(browser, urljoin(server, "chapters/07_training.html"))
        sizes = browser.execute_script(
            "const root = document.querySelector('[data-panel=training]');"
            "return {targets: [...root.querySelectorAll('input')].map(i => i.getBoundingClientRect().height),"
            " canvas: root.querySelector('canvas').getBoundingClientRect().width,"
            " native: root.querySelector('canvas').width / (window.devicePixelRatio || 1)}"
        )
        assert min(sizes["targets"]) >= 40, sizes  # about the 44 px of a fingertip
        assert sizes["canvas"] >= 600, sizes  # scrolls sideways rather than shrink
    finally:
        browser.set_window_size(1280, 1600)


def test_notes_and_captions_have_enough_contrast_in_both_modes(browser, server):
    _open(browser, urljoin(server, "chapters/07_training.html"))
    for mode in ("light", "dark"):
        browser.execute_script(f"document.documentElement.dataset.theme = '{mode}'")
        ratios = browser.execute_script(
            CONTRAST,
            ".linreg-note, .linreg-status, figcaption, .linreg-panel label, .linreg-panel output",
        )
        assert ratios and min(ratios) >= 4.5, (mode, ratios)


CONTRAST = r"""
const lum = (c) => {
  const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const background = (node) => {
  for (; node; node = node.parentElement) {
    const c = getComputedStyle(node).backgroundColor;
    if (c && !c.startsWith("rgba(0, 0, 0, 0)") && c !== "transparent") return c;
  }
  return "rgb(255, 255, 255)";
};
return [...document.querySelectorAll(arguments[0])].filter((n) => n.offsetParent).map((n) => {
  const [a, b] = [lum(getComputedStyle(n).color), lum(background(n))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
});
"""
