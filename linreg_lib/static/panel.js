// linreg_lib's slider panel, in the browser: controls, a canvas and a status line.
//
// One file serves both places a reader meets a panel:
// - live, in a notebook, as an anywidget (export default { render }): a move of
//   a control asks the kernel for a new frame, which arrives as drawing data;
// - in the static book, as an explorer: every frame was recorded when the book
//   was built, and a move of a control looks one up (explore(), run on load).
// A frame is a list of drawing operations in the figure's pixel coordinates,
// recorded by linreg_lib/_recorder.py from matplotlib's own renderer calls,
// drawn here on a canvas over the figure's still background.

const CAPS = { butt: "butt", round: "round", projecting: "square" };

// -- drawing ------------------------------------------------------------------

function pathOf(subpaths, closed, q) {
  // Subpaths are delta-encoded: [x0, y0, dx1, dy1, ...] in 1/scale pixels.
  const path = new Path2D();
  subpaths.forEach((d, k) => {
    let x = 0, y = 0;
    for (let i = 0; i < d.length; i += 2) {
      x += d[i]; y += d[i + 1];
      if (i === 0) path.moveTo(x * q, y * q); else path.lineTo(x * q, y * q);
    }
    if (closed[k]) path.closePath();
  });
  return path;
}

function applyStyle(ctx, style) {
  if (style.clip) {
    ctx.beginPath();
    ctx.rect(...style.clip);
    ctx.clip();
  }
  if (style.stroke) ctx.strokeStyle = style.stroke;
  if (style.fill) ctx.fillStyle = style.fill;
  ctx.lineWidth = style.width || 1;
  ctx.setLineDash(style.dash || []);
  ctx.lineCap = CAPS[style.cap] || "butt";
  ctx.lineJoin = style.join || "round";
}

const images = new Map(); // data URL -> decoded image, shared by all frames

function imageOf(uri, repaint) {
  if (!images.has(uri)) {
    const img = new Image();
    img.onload = repaint;
    img.src = uri;
    images.set(uri, img);
  }
  return images.get(uri);
}

// Draw one frame's operations, in order, on the transparent canvas that lies
// over the figure's background image (which the browser composites itself).
function paint(canvas, view, ops, repaint) {
  const ctx = canvas.getContext("2d");
  const k = canvas.width / view.width, q = 1 / view.scale;
  ctx.setTransform(k, 0, 0, k, 0, 0);
  ctx.clearRect(0, 0, view.width, view.height);
  for (const op of ops) {
    ctx.save();
    if (op[0] === "i") {
      const [, x, y, w, h, uri, smooth] = op;
      ctx.imageSmoothingEnabled = !!smooth;
      const img = imageOf(uri, repaint);
      if (img.complete) ctx.drawImage(img, x * q, y * q, w * q, h * q);
      ctx.restore();
      continue;
    }
    const style = view.styles[op[1]];
    applyStyle(ctx, style);
    if (op[0] === "p") {
      const path = pathOf(op[2], op[3], q);
      if (style.fill) ctx.fill(path);
      if (style.stroke) ctx.stroke(path);
    } else if (op[0] === "m") {
      const shape = pathOf(op[2][0], op[2][1], q), d = op[3];
      let x = 0, y = 0;
      for (let i = 0; i < d.length; i += 2) {
        x += d[i]; y += d[i + 1];
        ctx.setTransform(k, 0, 0, k, k * x * q, k * y * q);
        if (style.fill) ctx.fill(shape);
        if (style.stroke) ctx.stroke(shape);
      }
    } else if (op[0] === "t") {
      const [, , x, y, text, angle] = op;
      ctx.font = style.font;
      ctx.textAlign = style.align;
      ctx.textBaseline = style.baseline || "alphabetic";
      ctx.translate(x * q, y * q);
      if (angle) ctx.rotate((-angle * Math.PI) / 180);
      ctx.fillText(text, 0, 0);
    }
    ctx.restore();
  }
}

// -- controls -----------------------------------------------------------------

let counter = 0;

function element(tag, props = {}, ...children) {
  const { dataset, ...rest } = props;
  const node = Object.assign(document.createElement(tag), rest);
  Object.assign(node.dataset, dataset || {});
  node.append(...children);
  return node;
}

// Build the panel's DOM inside root; onMove(index) is called with the stop index
// of every control after each move. Returns the handles the two modes need.
function build(root, spec, onMove) {
  const id = `linreg-${spec.name}-${++counter}`;
  const index = Object.fromEntries(spec.controls.map((c) => [c.name, c.value]));
  const box = element("div", { className: "linreg-controls" });
  const inputs = {};
  for (const c of spec.controls) {
    const why = element("span", { className: "linreg-why", hidden: true }, c.why);
    if (c.kind === "slider") {
      const input = element("input", {
        type: "range", min: 0, max: c.stops.length - 1, step: 1, value: c.value,
      });
      const output = element("output", {}, c.stops[c.value]);
      const track = element("span", { className: "linreg-track" }, input);
      if (c.mark) {
        const at = c.mark.at / Math.max(c.stops.length - 1, 1);
        track.append(element("span", {
          className: "linreg-mark", title: c.mark.label,
          style: `left: calc(${at} * (100% - 1.1em) + 0.55em)`,
        }));
      }
      input.setAttribute("aria-valuetext", c.stops[c.value]);
      input.addEventListener("input", () => {
        index[c.name] = Number(input.value);
        output.textContent = c.stops[input.value];
        input.setAttribute("aria-valuetext", c.stops[input.value]);
        onMove({ ...index });
      });
      const mark = c.mark ? element("small", { className: "linreg-mark-label" }, `| ${c.mark.label}`) : "";
      box.append(element("label", { className: "linreg-slider", dataset: { control: c.name } },
        element("span", { className: "linreg-label" }, c.label), track, output, mark, why));
      inputs[c.name] = { nodes: [input], why, set: (i) => { input.value = i; output.textContent = c.stops[i]; input.setAttribute("aria-valuetext", c.stops[i]); } };
    } else if (c.kind === "toggle") {
      const input = element("input", { type: "checkbox", checked: c.value === 1 });
      input.addEventListener("change", () => {
        index[c.name] = input.checked ? 1 : 0;
        onMove({ ...index });
      });
      box.append(element("label", { className: "linreg-toggle", dataset: { control: c.name } },
        input, ` ${c.label}`, why));
      inputs[c.name] = { nodes: [input], why, set: (i) => { input.checked = i === 1; } };
    } else {
      const radios = c.stops.map((label, i) => {
        const input = element("input", { type: "radio", name: `${id}-${c.name}`, value: i, checked: i === c.value });
        input.addEventListener("change", () => {
          index[c.name] = i;
          onMove({ ...index });
        });
        return element("label", {}, input, ` ${label}`);
      });
      box.append(element("fieldset", { className: "linreg-choice", dataset: { control: c.name } },
        element("legend", {}, c.label), ...radios, why));
      inputs[c.name] = { nodes: radios.map((r) => r.firstChild), why, set: (i) => { radios[i].firstChild.checked = true; } };
    }
  }
  const background = element("img", { className: "linreg-background", alt: "" });
  const canvas = element("canvas", { className: "linreg-canvas", role: "img" });
  const frame = element("div", { className: "linreg-figure" },
    element("div", { className: "linreg-stack" }, background, canvas));
  const status = element("p", { className: "linreg-status" });
  status.setAttribute("aria-live", "polite");
  const banner = element("p", { className: "linreg-banner", hidden: true });
  root.replaceChildren(box, frame, status, banner);
  const view = { width: spec.width, height: spec.height, scale: spec.scale, styles: [] };
  let last = [];
  const repaint = () => paint(canvas, view, last, repaint);
  const resize = () => {
    const css = canvas.getBoundingClientRect().width || spec.width;
    const px = Math.round(css * (window.devicePixelRatio || 1));
    if (px && canvas.width !== px) {
      canvas.width = px;
      canvas.height = Math.round((px * spec.height) / spec.width);
      repaint();
    }
  };
  frame.firstChild.style.maxWidth = `${spec.width}px`;
  background.width = spec.width;
  background.height = spec.height;
  background.src = spec.background;
  new ResizeObserver(resize).observe(canvas);
  resize();
  return {
    index, inputs, status, banner, canvas,
    show(ops, styles, text) {
      view.styles = styles;
      last = ops;
      repaint();
      status.textContent = text;
      canvas.setAttribute("aria-label", `${spec.alt} ${text}`.trim());
    },
    disable(mask) {
      spec.controls.forEach((c, k) => {
        const off = Boolean(mask & (1 << k));
        inputs[c.name].nodes.forEach((n) => { n.disabled = off; });
        inputs[c.name].why.hidden = !off;
      });
    },
  };
}

// Time from a move to the next painted frame, kept for the benchmarks.
function timed(root, handles) {
  // linregLatency: input to the frame that shows it (rAF runs just before it is
  // painted); linregWork: input to the drawing done, the part this code controls.
  root.linregLatency = [];
  root.linregWork = [];
  let start = null;
  return {
    moved() { start = performance.now(); },
    painted() {
      if (start === null) return;
      const t0 = start;
      start = null;
      root.linregWork.push(performance.now() - t0);
      requestAnimationFrame(() => root.linregLatency.push(performance.now() - t0));
    },
  };
}

// -- the static book: every frame recorded, looked up on every move -------------

async function decode(text) {
  const bytes = Uint8Array.from(atob(text.trim()), (ch) => ch.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}

function resolve(data, id, cache) {
  // A state is a list of ops, or {r, n, t}: another state's ops cut to their
  // first n[k] values plus a tail t[k] (an epochs slider shows a prefix of a run).
  if (cache.has(id)) return cache.get(id);
  let ops = data.states[id];
  if (!Array.isArray(ops)) {
    const { n, t } = ops;
    ops = resolve(data, ops.r, cache).map((op, k) => op[0] === "p"
      ? [op[0], op[1], [op[2][0].slice(0, n[k]).concat(t[k])], op[3]]
      : [op[0], op[1], op[2], op[3].slice(0, n[k]).concat(t[k])]);
  }
  cache.set(id, ops);
  return ops;
}

function readHash(name) {
  const found = {};
  for (const part of location.hash.replace(/^#/, "").split("&")) {
    const [key, value] = part.split("=").map(decodeURIComponent);
    if (value !== undefined && key.startsWith(`${name}.`)) found[key.slice(name.length + 1)] = value;
  }
  return found;
}

function writeHash(name, spec, index) {
  const parts = location.hash.replace(/^#/, "").split("&")
    .filter((p) => p && p.includes("=") && !p.startsWith(`${name}.`));
  for (const c of spec.controls) parts.push(`${name}.${c.name}=${encodeURIComponent(c.stops[index[c.name]])}`);
  history.replaceState(null, "", `#${parts.join("&")}`);
}

export async function explore(root) {
  const data = await decode(root.querySelector("script.linreg-data").textContent);
  const cache = new Map();
  const wanted = readHash(data.name);
  for (const c of data.controls) {
    const k = c.stops.indexOf(wanted[c.name]);
    if (k >= 0) c.value = k;
  }
  let handles = null, clock = null;
  const show = (index) => {
    let flat = 0;
    for (const c of data.controls) flat = flat * c.stops.length + index[c.name];
    const [statusId, mask, ...ids] = data.frames[flat];
    const ops = ids.flatMap((id) => resolve(data, id, cache));
    handles.show(ops, data.styles, data.status[statusId]);
    handles.disable(mask);
    clock.painted();
  };
  const mount = root.querySelector(".linreg-mount") || root; // the note stays below
  data.background = data.background || root.querySelector("img.linreg-fallback").src;
  handles = build(mount, data, (index) => {
    clock.moved();
    show(index);
    writeHash(data.name, data, index);
  });
  clock = timed(root, handles);
  show(handles.index);
  root.dataset.ready = "true";
}

function hydrate() {
  document.querySelectorAll(".linreg-panel[data-explorer]:not([data-ready])").forEach((root) => {
    explore(root).catch((error) => {
      root.dataset.ready = "error";
      console.error("linreg panel", error);
    });
  });
}

if (typeof document !== "undefined" && document.documentElement.dataset.linregBook !== undefined) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", hydrate);
  else hydrate();
}

// -- live, in a notebook: anywidget ---------------------------------------------

const SILENT_MS = 4000; // no answer from the kernel in this long: it is not running

// JupyterLab's widget manager saves only the models whose kernel connection is
// live (jupyter-widgets/ipywidgets#3270; the fix, #4015, is not released). So
// a notebook saved after a kernel restart, or saved again after it was reopened
// without a kernel (autosave does that), keeps the panel's output but drops its
// state, and the next opening shows "Error displaying widget: model not found"
// where the panel was. Until the fix ships, the panels' own models (those
// running this module) and the models they refer to (their layout) are saved
// whether or not their kernel is live.
function keepPanelsWhenSaved(manager, esm) {
  const models = manager && manager._modelsSync;
  if (!(models instanceof Map) || typeof manager.get_state_sync !== "function") return;
  if (manager.linregKeepsPanels) return;
  manager.linregKeepsPanels = true;
  const saveLive = manager.get_state_sync.bind(manager);
  manager.get_state_sync = (options) => {
    const panels = [...models.values()].filter((m) => m.get("_esm") === esm);
    const referred = panels.flatMap((m) => Object.values(m.attributes).flat())
      .filter((value) => value && models.get(value.model_id) === value);
    const asleep = [...new Set([...panels, ...referred])].filter((m) => !m.comm_live);
    asleep.forEach((m) => { m.comm_live = true; });
    try {
      return saveLive(options);
    } finally {
      asleep.forEach((m) => { m.comm_live = false; });
    }
  };
}

function render({ model, el }) {
  keepPanelsWhenSaved(model.widget_manager, model.get("_esm"));
  const root = element("div", { className: "linreg-panel linreg-live", dataset: { panel: model.get("spec").name } });
  root.dataset.lmSuppressShortcuts = "true"; // keys move sliders, not JupyterLab's cells
  el.append(root);
  const spec = model.get("spec");
  let waiting = null, pending = null;
  const offline = () => {
    handles.banner.hidden = false;
    handles.banner.textContent =
      "No running kernel is answering, so this panel cannot redraw. Run the notebook " +
      "(Run ▸ Run All Cells) to make it live again.";
    Object.values(handles.inputs).forEach((c) => c.nodes.forEach((n) => { n.disabled = true; }));
  };
  const expect = () => {
    clearTimeout(waiting);
    waiting = setTimeout(offline, SILENT_MS);
  };
  const ask = (index) => {
    try {
      model.set("index", index);
      model.save_changes();
      expect();
    } catch (error) {
      offline();
    }
  };
  const handles = build(root, spec, (index) => {
    clock.moved();
    if (waiting) pending = index; // one request at a time: keep only the newest move
    else ask(index);
  });
  const clock = timed(root, handles);
  const update = () => {
    const frame = model.get("frame");
    clearTimeout(waiting);
    waiting = null;
    handles.banner.hidden = true;
    handles.show(frame.ops, frame.styles, frame.status);
    handles.disable(frame.disabled);
    clock.painted();
    if (pending) {
      const next = pending;
      pending = null;
      ask(next);
    }
  };
  model.on("change:frame", update);
  model.on("msg:custom", (msg) => {
    if (msg && msg.pong !== undefined) {
      clearTimeout(waiting);
      waiting = null;
    }
  });
  update();
  try {
    model.send({ ping: Date.now() });
    expect();
  } catch (error) {
    offline();
  }
  return () => clearTimeout(waiting);
}

export default { render };
