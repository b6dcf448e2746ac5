/* timeline.html: events in lanes over time; wheel or buttons zoom, drag pans; filters by kind, body and
   outlet; a click opens an event's evidence and sources. */
(() => {
  const DAY = 86400000;
  const events = DATA.events.map(e => ({...e, t0: Date.parse(e.start), t1: Date.parse(e.end) + DAY}));
  const byId = new Map(events.map(e => [e.id, e]));
  const kinds = [...new Set(events.map(e => e.kind))].sort();
  const facets = {
    kind: e => [e.kind],
    body: e => [e.body || "(no body)"],
    outlet: e => (e.outlets.length ? e.outlets : ["(no outlet)"]),
  };
  const state = {lanes: "kind", selected: null, hidden: {kind: new Set(), body: new Set(), outlet: new Set()}, text: ""};
  const full = events.length ? [Math.min(...events.map(e => e.t0)), Math.max(...events.map(e => e.t1))] : [0, DAY];
  const pad = Math.max((full[1] - full[0]) * 0.02, 3 * DAY);
  const home = [full[0] - pad, full[1] + pad];
  // the first view leaves out a few far outliers (an old document cited once); "whole period" shows them
  const starts = events.map(e => e.t0).sort((a, b) => a - b), ends = events.map(e => e.t1).sort((a, b) => a - b);
  const core = events.length >= 20 ? [starts[Math.floor(0.02 * starts.length)], ends[Math.ceil(0.98 * ends.length) - 1]] : full;
  const corePad = Math.max((core[1] - core[0]) * 0.03, 3 * DAY);
  let view = [Math.max(home[0], core[0] - corePad), Math.min(home[1], core[1] + corePad)];
  const W = 1000, M = {l: 150, r: 16, t: 24, b: 30}, LANE = 26;

  header(DATA.title, `${fmt(events.length, 0)} events. Each mark is an event at its date (a bar spans a month, ` +
    `quarter, year or range; a hollow mark is planned, not yet held); its size grows with the number of ` +
    `articles reporting it. Scroll or use the buttons to zoom, drag to pan, click a mark for its evidence and sources.`);

  const controls = el("div", {class: "controls"});
  const laneSelect = el("select", {id: "lanes"});
  for (const k of Object.keys(facets)) laneSelect.appendChild(el("option", {value: k, text: k}));
  laneSelect.addEventListener("change", () => { state.lanes = laneSelect.value; draw(); });
  const search = el("input", {type: "search", id: "search", placeholder: "words in label or evidence", size: 26});
  search.addEventListener("input", () => { state.text = search.value.trim().toLowerCase(); draw(); });
  const zoomIn = el("button", {type: "button", id: "zoom-in", text: "zoom in"});
  const zoomOut = el("button", {type: "button", id: "zoom-out", text: "zoom out"});
  const reset = el("button", {type: "button", id: "zoom-reset", text: "whole period"});
  zoomIn.addEventListener("click", () => zoom(0.5, 0.5));
  zoomOut.addEventListener("click", () => zoom(2, 0.5));
  reset.addEventListener("click", () => { view = [...home]; draw(); });
  controls.append(el("label", {text: "lanes by "}, laneSelect), el("label", {text: "find "}, search), zoomIn, zoomOut, reset);
  APP.appendChild(controls);

  const filters = el("div", {class: "filters"});
  APP.appendChild(filters);
  for (const facet of Object.keys(facets)) {
    const counts = new Map();
    for (const e of events) for (const v of facets[facet](e)) counts.set(v, (counts.get(v) || 0) + 1);
    const box = el("div", {class: "checks", "data-facet": facet});
    for (const [value, n] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      const cb = el("input", {type: "checkbox", checked: "checked", "data-value": value});
      cb.addEventListener("change", () => {
        if (cb.checked) state.hidden[facet].delete(value); else state.hidden[facet].add(value);
        draw();
      });
      const sw = facet === "kind" ? el("span", {class: "swatch"}) : null;
      if (sw) sw.style.background = colour(kinds.indexOf(value));
      box.appendChild(el("label", {}, cb, " ", sw, `${value} (${n})`));
    }
    const all = el("button", {type: "button", class: "link", text: "all"});
    const none = el("button", {type: "button", class: "link", text: "none"});
    const setAll = on => {
      for (const cb of box.querySelectorAll("input")) {
        cb.checked = on;
        if (on) state.hidden[facet].delete(cb.getAttribute("data-value")); else state.hidden[facet].add(cb.getAttribute("data-value"));
      }
      draw();
    };
    all.addEventListener("click", () => setAll(true));
    none.addEventListener("click", () => setAll(false));
    filters.appendChild(el("fieldset", {}, el("legend", {text: facet}), box, el("div", {}, all, " · ", none)));
  }

  const layout = el("div", {class: "layout"});
  APP.appendChild(layout);
  const chartCard = el("div", {class: "card"});
  const side = el("div", {class: "card", id: "detail"});
  layout.append(chartCard, side);
  const chart = svgEl("svg", {id: "timeline", role: "img", "aria-label": "timeline"});
  chartCard.appendChild(chart);
  const table = el("table", {class: "events", id: "event-list"});
  chartCard.append(el("h3", {text: "events in view"}), el("div", {class: "scroll"}, table));

  function visible(e) {
    for (const facet of Object.keys(facets)) {
      const values = facets[facet](e);
      if (values.every(v => state.hidden[facet].has(v))) return false;
    }
    if (state.text) {
      const hay = [e.label, ...e.evidence.map(x => x[1]), ...e.documents].join(" ").toLowerCase();
      if (!hay.includes(state.text)) return false;
    }
    return true;
  }

  function zoom(factor, at) {
    const span = view[1] - view[0], centre = view[0] + span * at;
    const next = Math.max(Math.min(span * factor, (home[1] - home[0]) * 4), 2 * DAY);
    view = [centre - next * at, centre + next * (1 - at)];
    draw();
  }

  function ticks(t0, t1) {
    const span = t1 - t0, out = [];
    const start = new Date(t0);
    const steps = [[1, "day"], [7, "day"], [1, "month"], [3, "month"], [1, "year"], [5, "year"], [10, "year"]];
    const size = {day: DAY, month: 30.4 * DAY, year: 365.25 * DAY};
    const [n, unit] = steps.find(([k, u]) => span / (k * size[u]) <= 10) || steps[steps.length - 1];
    let d;
    if (unit === "day") d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
    else if (unit === "month") d = new Date(Date.UTC(start.getUTCFullYear(), Math.floor(start.getUTCMonth() / n) * n, 1));
    else d = new Date(Date.UTC(Math.floor(start.getUTCFullYear() / n) * n, 0, 1));
    while (d.getTime() <= t1 && out.length < 400) {
      if (d.getTime() >= t0) {
        const iso = d.toISOString();
        out.push([d.getTime(), unit === "year" ? iso.slice(0, 4) : unit === "month" ? iso.slice(0, 7) : iso.slice(0, 10)]);
      }
      if (unit === "day") d = new Date(d.getTime() + n * DAY);
      else if (unit === "month") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
      else d = new Date(Date.UTC(d.getUTCFullYear() + n, 0, 1));
    }
    return out;
  }

  function draw() {
    const shown = events.filter(visible);
    const laneOf = facets[state.lanes];
    const laneCounts = new Map();
    for (const e of shown) for (const v of laneOf(e)) laneCounts.set(v, (laneCounts.get(v) || 0) + 1);
    const lanes = [...laneCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(x => x[0]);
    const H = M.t + M.b + LANE * Math.max(lanes.length, 1);
    chart.setAttribute("viewBox", `0 0 ${W} ${H}`);
    clear(chart);
    const x = scale(view[0], view[1], M.l, W - M.r);
    const axis = svgEl("g", {class: "axis"});
    for (const [t, label] of ticks(view[0], view[1])) {
      axis.append(svgEl("line", {class: "grid", x1: x(t), x2: x(t), y1: M.t, y2: H - M.b}),
                  svgEl("text", {x: x(t), y: H - M.b + 16, "text-anchor": "middle", text: label}));
    }
    lanes.forEach((lane, i) => {
      axis.appendChild(svgEl("text", {class: "lane-label", x: M.l - 8, y: M.t + LANE * i + LANE / 2 + 4,
                                      "text-anchor": "end", text: lane.length > 24 ? lane.slice(0, 23) + "…" : lane}));
    });
    chart.appendChild(axis);
    const clip = svgEl("clipPath", {id: "plot-area"}, svgEl("rect", {x: M.l, y: 0, width: W - M.l - M.r, height: H}));
    chart.appendChild(svgEl("defs", {}, clip));
    const marks = svgEl("g", {"clip-path": "url(#plot-area)"});
    const inView = [];
    for (const e of shown) {
      if (e.t1 < view[0] || e.t0 > view[1]) continue;
      inView.push(e);
      const c = colour(kinds.indexOf(e.kind));
      // salience = sources + outlets + kind and body weights (about 3 to 20): the radius grows with its root
      const size = Math.min(14, 2 + 2 * Math.sqrt(e.salience !== null && e.salience !== undefined ? e.salience : e.n_sources));
      for (const lane of laneOf(e)) {
        const yy = M.t + LANE * lanes.indexOf(lane) + LANE / 2;
        const long = e.granularity !== "day" && x(e.t1) - x(e.t0) > 2 * size;
        const attrs = {class: "ev" + (state.selected === e ? " sel" : ""), "data-id": e.id, tabindex: 0,
                       fill: e.planned ? "#ffffff" : c, stroke: e.planned ? c : null, "aria-label": e.label};
        const mark = long
          ? svgEl("rect", {...attrs, x: x(e.t0), y: yy - size / 2, width: x(e.t1) - x(e.t0), height: size, rx: 2, opacity: 0.55})
          : svgEl("circle", {...attrs, cx: x((e.t0 + e.t1) / 2), cy: yy, r: size});
        mark.addEventListener("mousemove", evt => TOOLTIP.show(evt, [
          e.label, `${e.date} · ${e.kind}${e.body ? " · " + e.body : ""}${e.planned ? " · planned" : ""}`,
          `${e.n_sources} article${e.n_sources === 1 ? "" : "s"}: ${e.outlets.join(", ")}`]));
        mark.addEventListener("mouseleave", () => TOOLTIP.hide());
        mark.addEventListener("click", evt => { evt.stopPropagation(); select(e); });
        mark.addEventListener("keydown", evt => { if (evt.key === "Enter") select(e); });
        marks.appendChild(mark);
      }
    }
    chart.appendChild(marks);
    drawList(inView);
    showDetail(state.selected);
  }

  function drawList(rows) {
    clear(table);
    table.appendChild(el("tr", {}, ["date", "kind", "event", "outlets", "articles"].map(h => el("th", {text: h}))));
    for (const e of rows.slice(0, 500)) {
      const sw = el("span", {class: "swatch"});
      sw.style.background = colour(kinds.indexOf(e.kind));
      const tr = el("tr", {"data-id": e.id}, el("td", {text: e.date}), el("td", {}, sw, e.kind), el("td", {text: e.label}),
                    el("td", {text: e.outlets.join(", ")}), el("td", {text: fmt(e.n_sources, 0)}));
      tr.addEventListener("click", () => select(e));
      table.appendChild(tr);
    }
    if (rows.length > 500) table.appendChild(el("tr", {}, el("td", {colspan: 5, class: "empty", text: `… ${rows.length - 500} more: zoom in`})));
  }

  function select(e) {
    state.selected = e;
    for (const m of chart.querySelectorAll(".ev")) m.classList.toggle("sel", m.getAttribute("data-id") === e.id);
    showDetail(e);
  }

  function showDetail(e) {
    clear(side);
    if (!e) {
      side.append(el("h2", {text: "Event"}), el("p", {class: "empty", text: "Click a mark or a row for the event's evidence and sources."}));
      return;
    }
    const facts = [["date", `${e.date} (${e.granularity})`], ["kind", e.kind], ["body", e.body], ["confidence", e.confidence],
                   ["planned", e.planned ? "yes: announced, not yet held" : null],
                   ["held as", e.held_as && e.held_as.length ? e.held_as.map(id => (byId.get(id) || {date: id}).date).join(", ") : null],
                   ["salience", e.salience !== null && e.salience !== undefined ? String(e.salience) : null],
                   ["date note", e.note],
                   ["Party documents", e.documents.join(", ") || null], ["languages", e.langs.join(", ")]];
    const dl = el("table", {class: "stats"});
    for (const [k, v] of facts) if (v) dl.appendChild(el("tr", {}, el("td", {text: k}), el("td", {text: v})));
    const evidence = el("ol", {class: "evidence", id: "evidence"});
    for (const [d, sentence] of e.evidence) {
      evidence.appendChild(el("li", {}, el("div", {text: sentence}), el("div", {class: "note", text: d === null ? "" : docLine(d)})));
    }
    const sources = el("ul", {id: "sources"}, e.sources.map(sourceItem));
    side.append(el("h2", {id: "detail-item", text: e.label}), dl, el("h3", {text: "evidence"}), evidence,
                el("h3", {text: `sources (${e.sources.length})`}), sources);
  }

  // wheel zooms around the pointer, dragging pans
  chart.addEventListener("wheel", evt => {
    evt.preventDefault();
    const box = chart.getBoundingClientRect();
    const at = Math.min(Math.max((evt.clientX - box.left) / box.width * W - M.l, 0) / (W - M.l - M.r), 1);
    zoom(evt.deltaY > 0 ? 1.25 : 0.8, at);
  }, {passive: false});
  let drag = null;
  chart.addEventListener("mousedown", evt => { drag = {x: evt.clientX, view: [...view]}; });
  window.addEventListener("mouseup", () => { drag = null; });
  window.addEventListener("mousemove", evt => {
    if (!drag) return;
    const box = chart.getBoundingClientRect();
    const shift = (evt.clientX - drag.x) / box.width * W / (W - M.l - M.r) * (drag.view[1] - drag.view[0]);
    if (Math.abs(shift) > 0) { view = [drag.view[0] - shift, drag.view[1] - shift]; draw(); }
  });

  draw();
})();
