"""Small fixes to the HTML that Jupyter Book 1.x produces, applied at build time.

- Jupyter Book registers sphinx-thebe's and sphinx-togglebutton's inline
  scripts twice; the second ``const THEBE_JS_URL`` is a SyntaxError in the
  browser console on every page. Keep the first copy of each script.
- The theme logs an error when no light/dark mode was ever chosen; start light.
"""


def _dedupe(context):
    for key in ("script_files", "css_files"):
        seen, unique = set(), []
        for asset in context.get(key, []):
            attrs = getattr(asset, "attributes", {})
            name = getattr(asset, "filename", asset) or ""  # None and "" both: inline
            ident = (str(name), tuple(sorted((k, str(v)) for k, v in attrs.items())))
            if ident not in seen:
                seen.add(ident)
                unique.append(asset)
        if key in context:
            context[key] = unique


def _page_context(app, pagename, templatename, context, doctree):
    _dedupe(context)
    context.setdefault("default_mode", "light")


def setup(app):
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
