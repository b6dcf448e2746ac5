/* topics.html: topic prevalence over time (lines, with intervals when the table has them) and by group
   (a heat map); a click on a topic shows its top terms and the articles that show it best.
   Prevalence rows are [group or period, topic, value, low, high, documents]. */
(() => {
  const topics = DATA.topics;
  const byId = new Map(topics.map((t, i) => [t.id, {...t, i}]));
  const periods = [...new Set(DATA.over_time.map(r => r[0]))].sort();
  const groups = [...new Set(DATA.by_group.map(r => r[0]))];
  const what = DATA.value === "weight" ? "mean topic weight" : "share of documents whose dominant topic it is";
  const state = {shown: new Set(topics.slice(0, 6).map(t => t.id)), selected: null};
  const asText = v => (DATA.value === "weight" ? fmt(v, 3) : pct(v));

  header(DATA.title, `${topics.length} topics. Value: ${what}, per period of publication and per ${DATA.group_by}` +
    (DATA.undated ? ` (${fmt(DATA.undated, 0)} undated documents are left out of the time chart)` : "") +
    ". Click a topic to draw it and see its top terms and example articles; hover a point or a cell for its " +
    "value, interval (when computed) and number of documents.");

  const layout = el("div", {class: "layout"});
  APP.appendChild(layout);
  const main = el("div", {class: "card"});
  const side = el("div", {class: "card"});
  layout.append(main, side);
  const picker = el("div", {class: "controls", id: "topic-picker"});
  const timeChart = svgEl("svg", {id: "over-time", role: "img", "aria-label": "topics over time"});
  const heat = svgEl("svg", {id: "by-group", role: "img", "aria-label": "topics by group"});
  main.append(el("h3", {text: "topics"}), picker, el("h3", {text: "over time"}), timeChart,
              el("h3", {text: `by ${DATA.group_by}`}), heat);
  const detail = el("div", {id: "detail"});
  side.appendChild(detail);

  function drawPicker() {
    clear(picker);
    for (const t of topics) {
      const sw = el("span", {class: "swatch"});
      sw.style.background = colour(byId.get(t.id).i);
      const b = el("button", {type: "button", "data-topic": t.id, class: state.shown.has(t.id) ? "on" : ""}, sw, `${t.id} ${t.label}`);
      b.addEventListener("click", () => {
        if (state.shown.has(t.id) && state.selected === t.id) state.shown.delete(t.id); else state.shown.add(t.id);
        state.selected = t.id;
        draw();
      });
      picker.appendChild(b);
    }
  }

  function drawTime() {
    clear(timeChart);
    const W = 760, H = 260, M = {l: 56, r: 14, t: 10, b: 40};
    timeChart.setAttribute("viewBox", `0 0 ${W} ${H}`);
    if (!periods.length) {
      timeChart.appendChild(svgEl("text", {x: W / 2, y: H / 2, "text-anchor": "middle", class: "axis-label", text: "no dated documents"}));
      return;
    }
    const rows = DATA.over_time.filter(r => state.shown.has(r[1]) && r[2] !== null);
    const top = Math.max(0.01, ...rows.map(r => (r[4] !== null ? r[4] : r[2])));
    const x = scale(0, Math.max(periods.length - 1, 1), M.l, W - M.r), y = scale(0, top, H - M.b, M.t);
    const axis = svgEl("g", {class: "axis"});
    for (let k = 0; k <= 4; k++) {
      const v = top * k / 4;
      axis.append(svgEl("line", {class: "grid", x1: M.l, x2: W - M.r, y1: y(v), y2: y(v)}),
                  svgEl("text", {x: M.l - 6, y: y(v) + 4, "text-anchor": "end", text: asText(v)}));
    }
    const every = Math.ceil(periods.length / 12);
    periods.forEach((p, i) => {
      if (i % every) return;
      const anchor = periods.length > 1 && i === periods.length - 1 ? "end" : i === 0 ? "start" : "middle";
      axis.appendChild(svgEl("text", {x: x(i), y: H - M.b + 16, "text-anchor": anchor, text: p}));
    });
    timeChart.appendChild(axis);
    for (const id of state.shown) {
      const t = byId.get(id);
      if (!t) continue;
      const mine = rows.filter(r => r[1] === id).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      const c = colour(t.i);
      let path = "", last = -2;
      for (const r of mine) {  // a period without a value breaks the line
        const i = periods.indexOf(r[0]);
        path += `${i === last + 1 ? "L" : "M"}${x(i).toFixed(1)},${y(r[2]).toFixed(1)}`;
        last = i;
      }
      timeChart.appendChild(svgEl("path", {class: "series", d: path, stroke: c, "stroke-width": state.selected === id ? 3 : 1.8}));
      for (const r of mine) {
        const i = periods.indexOf(r[0]);
        if (r[3] !== null && r[4] !== null) timeChart.appendChild(svgEl("line", {x1: x(i), x2: x(i), y1: y(r[3]), y2: y(r[4]), stroke: c, opacity: 0.45}));
        const dot = svgEl("circle", {class: "pt", cx: x(i), cy: y(r[2]), r: 3.2, fill: c, "data-topic": id, "data-period": r[0]});
        dot.addEventListener("mousemove", evt => TOOLTIP.show(evt, [`${id} ${t.label}`, `${r[0]}: ${asText(r[2])}` +
          (r[3] !== null ? ` (95 % ${asText(r[3])} – ${asText(r[4])})` : ""), `${fmt(r[5], 0)} documents in the period`]));
        dot.addEventListener("mouseleave", () => TOOLTIP.hide());
        dot.addEventListener("click", () => { state.selected = id; draw(); });
        timeChart.appendChild(dot);
      }
    }
  }

  function drawHeat() {
    clear(heat);
    const cellW = Math.max(46, Math.min(110, 620 / Math.max(groups.length, 1))), cellH = 20;
    const M = {l: 260, t: 70};
    const W = M.l + cellW * groups.length + 10, H = M.t + cellH * topics.length + 10;
    heat.setAttribute("viewBox", `0 0 ${W} ${H}`);
    heat.style.maxWidth = W + "px";  // a few groups: keep cells at their size rather than stretch them
    const value = new Map(DATA.by_group.map(r => [r[0] + "\u0000" + r[1], r]));
    const maxByTopic = new Map(topics.map(t => [t.id, Math.max(1e-9, ...DATA.by_group.filter(r => r[1] === t.id && r[2] !== null).map(r => r[2]))]));
    groups.forEach((g, j) => {
      const label = g.length > 18 ? g.slice(0, 17) + "…" : g;
      heat.appendChild(svgEl("text", {x: M.l + cellW * j + cellW / 2, y: M.t - 8, "text-anchor": "start",
                                      transform: `rotate(-35 ${M.l + cellW * j + cellW / 2} ${M.t - 8})`, text: label}));
    });
    topics.forEach((t, i) => {
      const name = `${t.id} ${t.label}`;
      heat.appendChild(svgEl("text", {x: M.l - 6, y: M.t + cellH * i + 14, "text-anchor": "end",
                                      "font-weight": state.selected === t.id ? 700 : 400, text: name.length > 36 ? name.slice(0, 35) + "…" : name}));
      groups.forEach((g, j) => {
        const r = value.get(g + "\u0000" + t.id);
        const v = r ? r[2] : null;
        const a = v === null ? 0 : v / maxByTopic.get(t.id);
        const cell = svgEl("rect", {class: "cell", x: M.l + cellW * j, y: M.t + cellH * i, width: cellW, height: cellH,
                                    fill: v === null ? "#f1f3f5" : `rgba(42,111,151,${(0.08 + 0.85 * a).toFixed(3)})`,
                                    "data-topic": t.id, "data-group": g});
        cell.addEventListener("mousemove", evt => TOOLTIP.show(evt, [`${t.id} ${t.label}`, `${DATA.group_by} ${g}: ` +
          (v === null ? "no documents of this topic's language" : asText(v) + (r[3] !== null ? ` (95 % ${asText(r[3])} – ${asText(r[4])})` : "")),
          r ? `${fmt(r[5], 0)} documents in the group` : null]));
        cell.addEventListener("mouseleave", () => TOOLTIP.hide());
        cell.addEventListener("click", () => { state.selected = t.id; state.shown.add(t.id); draw(); });
        heat.appendChild(cell);
        if (v !== null) heat.appendChild(svgEl("text", {x: M.l + cellW * j + cellW / 2, y: M.t + cellH * i + 14, "text-anchor": "middle",
                                                        "pointer-events": "none", fill: a > 0.6 ? "#fff" : "#1d232a", text: asText(v)}));
      });
    });
  }

  function showDetail() {
    clear(detail);
    const t = byId.get(state.selected);
    if (!t) {
      detail.append(el("h2", {text: "Topic"}), el("p", {class: "empty", text: "Click a topic, a point or a cell."}));
      return;
    }
    const top = Math.max(1e-9, ...t.terms.map(x => x[1]));
    const bars = el("div", {class: "terms-bars"});
    for (const [term, w] of t.terms) {
      const bar = el("span", {class: "bar"});
      bar.style.width = Math.round(160 * w / top) + "px";
      bars.appendChild(el("div", {}, bar, el("span", {text: term})));
    }
    const facts = el("p", {class: "note", text: [t.lang ? `language ${t.lang}` : null, t.documents !== null ? `${fmt(t.documents, 0)} documents` : null,
                                                 t.coherence !== null ? `coherence ${fmt(t.coherence, 2)}` : null].filter(x => x).join(" · ")});
    const examples = el("ol", {class: "evidence", id: "examples"});
    for (const [topic, d, w, snippet] of DATA.examples) {
      if (topic !== t.id) continue;
      examples.appendChild(el("li", {}, el("div", {text: docLine(d)}), el("div", {class: "note", text: snippet || ""})));
    }
    if (!examples.childNodes.length) examples.appendChild(el("li", {class: "empty", text: "no example documents"}));
    detail.append(el("h2", {id: "detail-item", text: `${t.id} ${t.label}`}), facts, el("h3", {text: "top terms"}), bars,
                  el("h3", {text: "articles that show it best"}), examples);
  }

  function draw() { drawPicker(); drawTime(); drawHeat(); showDetail(); }
  draw();
})();
