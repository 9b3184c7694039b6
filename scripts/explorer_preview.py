"""Preview a chapter's panels as the book will show them, without building it.

    python scripts/explorer_preview.py chapters/07_training.ipynb [--shots DIR]

Runs the notebook's code cells in this process with LINREG_BOOK=1, as the book
build does, then writes one page per panel, ``DIR/<name>.html``, with the
panel's recorded frames and ``panel.js``/``panel.css`` beside it, and prints
each panel's controls, frames, bytes (gzipped data and background) and the
time it took to record them. With ``--shots``, headless Chromium opens each
page and saves a screenshot, ``DIR/<name>.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def panels_of(path: Path) -> list:
    """Execute the notebook in this process; return the panels it made, in order."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    from linreg_lib.panels import Panel

    made, original = [], Panel.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    Panel.__init__ = recording
    shell, cwd = InteractiveShell.instance(), os.getcwd()
    os.chdir(path.parent)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code" and not cell.source.startswith(
                    "# Installs"
                ):
                    shell.run_cell(cell.source, silent=True).raise_error()
    finally:
        os.chdir(cwd)
        Panel.__init__ = original
    return made


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "panels"
    )
    parser.add_argument("--shots", action="store_true", help="screenshots in Chromium")
    args = parser.parse_args(argv)
    os.environ["LINREG_BOOK"] = "1"
    os.environ.pop("MPLBACKEND", None)
    from linreg_lib import explorer

    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("panel.js", "panel.css"):
        shutil.copy(ROOT / "linreg_lib" / "static" / name, args.out / name)
    pages = []
    for panel in panels_of(args.notebook.resolve()):
        start = time.perf_counter()
        data = explorer.build(panel)
        seconds = time.perf_counter() - start
        html = explorer.html_of(panel, data)
        page = args.out / f"{panel.spec['name']}.html"
        page.write_text(
            "<!doctype html><html data-linreg-book><head><meta charset='utf-8'>"
            "<link rel='stylesheet' href='panel.css'><script type='module' src='panel.js'>"
            f"</script></head><body style='max-width:1100px;margin:auto'>{html}</body></html>"
        )
        sizes = [len(c.stops) for c in panel.controls.values()]
        print(f"{panel.spec['name']}: controls {dict(zip(panel.controls, sizes, strict=True))}, "
              f"{len(data['frames'])} frames, {len(html):,} bytes of HTML "
              f"(background {len(panel.spec['background']):,}), recorded in {seconds:.1f} s "
              f"-> {page}")  # fmt: skip
        pages.append(page)
    if args.shots:
        shoot(pages)


def shoot(pages):
    import http.server
    import threading

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args):
            super().__init__(*args, directory=str(pages[0].parent))

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1000",
                 "--disable-background-networking"):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        for page in pages:
            driver.get(f"http://127.0.0.1:{server.server_address[1]}/{page.name}")
            time.sleep(1.5)
            driver.save_screenshot(str(page.with_suffix(".png")))
            print(f"screenshot -> {page.with_suffix('.png')}")
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
