"""The book's own Sphinx extension: panels that work without a kernel, light pages.

- Panels. The kernels that execute the chapters see ``LINREG_BOOK=1``, so each
  panel records all its frames into the page (linreg_lib/explorer.py);
  ``panel.js`` and ``panel.css`` from ``linreg_lib/static`` draw them.
- Math. KaTeX renders every formula to HTML when the book is built
  (sphinxcontrib.katex with node; package.json pins KaTeX): the pages load its
  CSS and the fonts they use, and no math JavaScript.
- Icons. Font Awesome's 1.5 MB script is dropped: the theme's CSS draws the
  icons with its webfonts, which are cut down to the glyphs the site uses.
- Weight. Source maps are not published; figures get 256-colour palettes.
- Fixes. Jupyter Book 1.x registers some inline scripts twice (a SyntaxError on
  every page): the first copy is kept. The theme logs an error when no
  light/dark mode was ever chosen: pages start light.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PANEL_STATIC = ROOT / "linreg_lib" / "static"
KATEX = ROOT / "node_modules" / "katex" / "dist"
ICON_FONTS = "_static/vendor/fontawesome/webfonts"


def _dedupe(context):
    for key in ("script_files", "css_files"):
        seen, unique = set(), []
        for asset in context.get(key, []):
            attrs = getattr(asset, "attributes", {})
            name = getattr(asset, "filename", asset) or ""  # None and "" both: inline
            if "fontawesome" in str(name):
                continue  # the theme's CSS and webfonts draw the icons
            ident = (str(name), tuple(sorted((k, str(v)) for k, v in attrs.items())))
            if ident not in seen:
                seen.add(ident)
                unique.append(asset)
        if key in context:
            context[key] = unique


def _page_context(app, pagename, templatename, context, doctree):
    _dedupe(context)
    context.setdefault("default_mode", "light")


def _static_paths(app):
    app.config.html_static_path.append(str(PANEL_STATIC))


def _finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    _drop_icon_script(out)
    _drop_source_maps(out / "_static")
    _copy_katex(out / "_static" / "katex")
    _subset_icon_fonts(out)
    _palette_figures(out / "_images")


def _palette_figures(images: Path):
    """The chapters' figures with 256-colour palettes: a third of the bytes."""
    from linreg_lib._recorder_media import palette_png

    for path in images.glob("*.png"):
        smaller = palette_png(path.read_bytes(), 256)
        if len(smaller) < path.stat().st_size:
            path.write_bytes(smaller)


def _drop_icon_script(out: Path):
    """The theme's templates load fontawesome.js directly: take it out of every page."""
    tag = re.compile(r"<(script|link)[^>]*fontawesome\.js[^>]*>(</script>)?\s*")
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "fontawesome.js" in text:
            page.write_text(tag.sub("", text), encoding="utf-8")
    (out / "_static" / "scripts" / "fontawesome.js").unlink(missing_ok=True)
    (out / "_static" / "scripts" / "fontawesome.js.LICENSE.txt").unlink(missing_ok=True)


def _drop_source_maps(static: Path):
    for path in static.rglob("*.map"):
        path.unlink()
    pattern = re.compile(r"\n?(//# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/)")
    for path in [*static.rglob("*.js"), *static.rglob("*.css")]:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if "sourceMappingURL" in text:
            path.write_text(
                pattern.sub("", text), encoding="utf-8", errors="surrogateescape"
            )


def _copy_katex(target: Path):
    """KaTeX's stylesheet and its woff2 fonts (browsers take woff2 first)."""
    if not KATEX.is_dir():
        raise RuntimeError(
            "KaTeX is missing: run `npm ci` (make book does) to install it"
        )
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    shutil.copy(KATEX / "katex.min.css", target / "katex.min.css")
    for font in (KATEX / "fonts").glob("*.woff2"):
        shutil.copy(font, target / "fonts" / font.name)


def _subset_icon_fonts(out: Path):
    """Keep only the icon glyphs the pages and the theme's CSS ask for."""
    from fontTools import subset

    css = (out / "_static" / "styles" / "pydata-sphinx-theme.css").read_text()
    codes = {}  # icon class -> code point
    for selectors, code in re.findall(r"([^{}]+)\{content:\"\\([0-9a-f]{4})\"\}", css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+):+before", selectors):
            codes[name] = int(code, 16)
    used = set()
    for page in out.rglob("*.html"):
        used |= set(re.findall(r"\bfa-[a-z0-9-]+", page.read_text(encoding="utf-8")))
    wanted = {codes[name] for name in used if name in codes}
    wanted |= {
        int(c, 16)
        for c in re.findall(r"--pst-icon-[a-z-]+:\s*\"\\([0-9a-f]{4})\"", css)
    }
    for font in (out / ICON_FONTS).glob("*.woff2"):
        options = subset.Options()
        options.flavor, options.layout_features = "woff2", ["*"]
        glyphs = subset.load_font(str(font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(glyphs)
        subset.save_font(glyphs, str(font), options)
    for font in (out / ICON_FONTS).glob("*.ttf"):
        font.unlink()  # the fallback no browser of the last decade asks for


def setup(app):
    os.environ["LINREG_BOOK"] = "1"  # the chapters' kernels inherit it
    app.connect("builder-inited", _static_paths)
    app.add_js_file(None, body="document.documentElement.dataset.linregBook = '';")
    app.add_js_file("panel.js", type="module")
    app.add_css_file("panel.css")
    app.add_css_file("book.css")
    app.connect("html-page-context", _page_context, priority=900)
    app.connect("build-finished", _finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
