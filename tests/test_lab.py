"""The live notebooks, driven in a real JupyterLab as a learner uses them.

Starts JupyterLab from this environment (as ``make lab`` does: same packages,
same settings) headless on loopback, opens the Training chapter in Chromium,
and checks what a reader sees: before running, the panel says how to make it
live; after Run All, each move of the learning-rate, batch-size and epochs
sliders redraws the figure, with no error output; after a kernel restart the
panel says no kernel answers instead of moving in vain; after saving and
reopening it never shows "model not found", trusted or not. The server is
stopped at the end.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import pytest

from scripts import browser as browser_tools

from .test_book import chromium

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "07_training.ipynb"
TOKEN = "linreg-test"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on loopback serving a copy of the chapter."""
    settings = (
        Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    )
    assert settings.is_file() and json.loads(settings.read_text()) == json.loads(
        (ROOT / "binder" / "overrides.json").read_text()
    ), (
        "JupyterLab's settings are not installed: run make (it copies binder/overrides.json)"
    )
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(ROOT / "chapters" / CHAPTER, root / CHAPTER)
    with browser_tools.jupyterlab(root, TOKEN) as url:
        yield url, root


@pytest.fixture(scope="module")
def browser():
    driver = chromium("1400,1000")
    driver.set_script_timeout(120)
    yield driver
    driver.quit()


def open_notebook(driver, url, root, name):
    driver.get(f"{url}/lab/tree/{name}?token={TOKEN}")
    wait(
        driver, "return !!(window.jupyterapp && document.querySelector('.jp-Notebook'))"
    )
    wait(driver, "return document.querySelectorAll('.jp-Cell').length > 5")
    # JupyterLab draws cells far below the fold lazily: bring the panel's into view
    cells = json.loads((root / name).read_text())["cells"]
    index = next(
        i for i, c in enumerate(cells) if 'name="training"' in "".join(c["source"])
    )
    wait(
        driver,
        "const n = (window.jupyterapp.shell.currentWidget || {}).content;"
        "if (n && n.widgets) n.scrollToItem(arguments[0], 'center');"
        "return document.querySelector('.linreg-panel');",
        90,
        index,
    )


def wait(driver, script, timeout=90, *args):
    return browser_tools.wait(driver, script, timeout, *args)


def command(driver, name, args=None):
    driver.execute_async_script(
        "const [name, args, done] = arguments;"
        "window.jupyterapp.commands.execute(name, args || {}).then(() => done(1), () => done(0));",
        name, args,
    )  # fmt: skip


def panel_root(driver):
    return "document.querySelector('.linreg-live[data-panel=\"training\"]')"


def test_a_learner_runs_the_chapter_and_moves_every_slider(lab, browser):
    url, root = lab
    open_notebook(browser, url, root, CHAPTER)
    # before running: the saved output says how to make the panel live
    text = browser.execute_script(
        "return document.querySelector('.jp-Notebook').textContent"
    )
    assert "This panel is live when the notebook runs" in text
    assert "model not found" not in text
    command(browser, "notebook:run-all-cells")
    wait(
        browser,
        f"return {panel_root(browser)} && {panel_root(browser)}.querySelector('canvas')",
    )
    wait(
        browser,
        "return !document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"busy\"]') && document.querySelectorAll('.jp-InputArea-prompt').length && ![...document.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('[*]'))",
        240,
    )
    errors = browser.execute_script(
        "return [...document.querySelectorAll('.jp-OutputArea-output')]"
        ".filter(o => o.dataset.mimeType === 'application/vnd.jupyter.stderr'"
        " || o.classList.contains('jp-RenderedText') && o.dataset.mimeType === 'application/vnd.jupyter.error')"
        ".map(o => o.innerText.slice(0, 200))"
    )
    assert not errors, errors  # no tracebacks, no stray stderr bars
    for name in ("lr", "batch_size", "num_epochs"):
        before = browser.execute_script(
            f"return {panel_root(browser)}.querySelector('canvas').toDataURL()"
        )
        moved = browser.execute_script(
            f"const root = {panel_root(browser)};"
            "const input = root.querySelector(`[data-control=\"${arguments[0]}\"] input`);"
            "input.value = Math.min(Number(input.max), Number(input.value) + 2);"
            "input.dispatchEvent(new Event('input', {bubbles: true}));"
            "return input.value;",
            name,
        )  # fmt: skip
        assert moved is not None
        wait(
            browser,
            f"return {panel_root(browser)}.querySelector('canvas').toDataURL() !== arguments[0]",
            30,
            before,
        )
        assert browser.execute_script(
            f"return {panel_root(browser)}.querySelector('.linreg-banner').hidden"
        )
    latency = browser.execute_script(f"return {panel_root(browser)}.linregLatency")
    assert len(latency) == 3 and all(ms > 0 for ms in latency)


def test_after_a_restart_the_panel_says_no_kernel_answers(lab, browser):
    """Run in the test above; here the kernel restarts under the panel."""
    url, _ = lab
    if not browser.execute_script(f"return !!{panel_root(browser)}"):
        pytest.skip("needs the run of the test above")
    browser.execute_async_script(
        "const done = arguments[0];"
        "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()"
        ".then(() => done(1), () => done(0));"
    )
    time.sleep(2)
    browser.execute_script(
        f"const input = {panel_root(browser)}.querySelector('[data-control=\"lr\"] input');"
        "input.value = Number(input.value) - 1;"
        "input.dispatchEvent(new Event('input', {bubbles: true}));"
    )
    wait(
        browser,
        f"return !{panel_root(browser)}.querySelector('.linreg-banner').hidden",
        15,
    )
    banner = browser.execute_script(
        f"return {panel_root(browser)}.querySelector('.linreg-banner').textContent"
    )
    assert "No running kernel is answering" in banner and "Run All" in banner
    disabled = browser.execute_script(
        f"return [...{panel_root(browser)}.querySelectorAll('input')].every(i => i.disabled)"
    )
    assert disabled  # no control moves in vain


def test_a_saved_notebook_reopens_without_model_not_found_trusted_or_not(lab, browser):
    url, root = lab
    if not browser.execute_script(f"return !!{panel_root(browser)}"):
        pytest.skip("needs the run of the first test")
    command(browser, "docmanager:save")
    time.sleep(1)
    saved = json.loads((root / CHAPTER).read_text())
    shown = {
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in saved["cells"]
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    }
    state = saved["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    assert shown and shown <= set(state), (
        "a panel's output points at a widget whose state was not saved"
    )
    command(browser, "application:close-all")
    # reopened as saved (trusted: this server signed it when it saved it)
    open_notebook(browser, url, root, CHAPTER)
    wait(
        browser,
        f"return {panel_root(browser)} && !{panel_root(browser)}.querySelector('.linreg-banner').hidden",
        30,
    )
    text = browser.execute_script(
        "return document.querySelector('.jp-Notebook').textContent"
    )
    assert "model not found" not in text
    assert "No running kernel is answering" in text
    command(browser, "application:close-all")
    # a copy changed outside JupyterLab is untrusted: the saved still and its note
    saved["metadata"]["edited"] = "outside JupyterLab"
    (root / "untrusted.ipynb").write_text(json.dumps(saved))
    open_notebook(browser, url, root, "untrusted.ipynb")
    time.sleep(5)
    text = browser.execute_script(
        "return document.querySelector('.jp-Notebook').textContent"
    )
    assert "model not found" not in text
    assert (
        "This panel is live when the notebook runs" in text
        or "No running kernel is answering" in text
    )
