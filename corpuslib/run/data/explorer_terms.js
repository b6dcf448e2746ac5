/* terms.html: two groups as a scattertext-style explorer. Each item row is
   [item, label, count_a, count_b, rate_a, rate_b, docs_a, docs_b, x, y, z, p, q]. */
(() => {
  const [A, B] = DATA.groups;
  const LEVEL_NAMES = {term: "Words", concept: "Concepts"};
  const levels = Object.keys(DATA.levels).filter(l => Object.keys(DATA.levels[l]).length);
  const state = {level: levels[0] || "term", lang: null, selected: null};
  const W = 640, H = 600, M = {l: 52, r: 16, t: 14, b: 46};

  header(`Words and concepts: ${A} vs ${B}`,
    `Grouped by ${DATA.by}: ${A} (${fmt(DATA.n_docs[0], 0)} documents) and ${B} (${fmt(DATA.n_docs[1], 0)}). ` +
    `Each point is a word (compared within one language) or a concept of the lexicon (counted as sentences, ` +
    `across languages), placed by its frequency rank in each group (ties alphabetical). Colour: keyness z ` +
    `(${DATA.measure}), blue typical of ${A}, red typical of ${B}; a dark ring marks the significant ones` +
    ` (Benjamini-Hochberg q < 0.05 over the page's tests). Hover a point for its counts, click it for its concordance lines ` +
    `(up to ${DATA.lines_per_group} per group).`);

  const controls = el("div", {class: "controls"});
  APP.appendChild(controls);
  if (!levels.includes("term")) {
    APP.appendChild(el("p", {class: "note controls", id: "no-words",
      text: `No language has documents in both groups, so words (compared within a language) cannot be compared; concepts can.`}));
  }
  const layout = el("div", {class: "layout"});
  APP.appendChild(layout);
  const chartCard = el("div", {class: "card"});
  const side = el("div", {class: "card"});
  layout.append(chartCard, side);
  const chart = svgEl("svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "term scatter plot", id: "scatter"});
  chartCard.appendChild(chart);
  const lists = el("div", {class: "lists"});
  chartCard.appendChild(lists);
  const detail = el("div", {id: "detail"});
  side.appendChild(detail);

  // level buttons, language choice, search
  const levelButtons = {};
  for (const lv of levels) {
    const b = el("button", {type: "button", "data-level": lv, text: LEVEL_NAMES[lv] || lv});
    b.addEventListener("click", () => { state.level = lv; state.lang = null; state.selected = null; draw(); });
    levelButtons[lv] = b;
    controls.appendChild(b);
  }
  const langLabel = el("label", {text: "language "});
  const langSelect = el("select", {id: "lang"});
  langLabel.appendChild(langSelect);
  controls.appendChild(langLabel);
  langSelect.addEventListener("change", () => { state.lang = langSelect.value; state.selected = null; draw(); });
  const search = el("input", {type: "search", id: "search", placeholder: "find a word", list: "items", size: 22});
  const datalist = el("datalist", {id: "items"});
  controls.append(el("label", {text: "find "}, search), datalist);
  search.addEventListener("input", () => highlight(search.value));
  search.addEventListener("change", () => {
    const hit = rows().find(r => r[0] === search.value || r[1] === search.value);
    if (hit) select(hit);
  });

  function current() {
    const byLang = DATA.levels[state.level] || {};
    const langs = Object.keys(byLang).sort((a, b) => byLang[b].items.length - byLang[a].items.length);
    if (state.lang === null || !(state.lang in byLang)) state.lang = langs[0];
    return {langs, data: byLang[state.lang] || {items: [], totals: [0, 0]}};
  }
  function rows() { return current().data.items; }
  function name(r) { return r[1] ? `${r[1]} (${r[0]})` : r[0]; }
  function significant(r) { return r[12] !== null ? r[12] < 0.05 : r[10] !== null && Math.abs(r[10]) > 1.96; }
  function fill(z) {
    if (z === null) return "#bbbbbb";
    const t = Math.max(-1, Math.min(1, z / 4));
    const [c0, c1] = t >= 0 ? [[187, 187, 187], [42, 111, 151]] : [[187, 187, 187], [181, 69, 47]];
    const a = Math.abs(t);
    return `rgb(${c0.map((c, i) => Math.round(c + (c1[i] - c) * a)).join(",")})`;
  }
  function tip(evt, r) {
    const [nA, nB] = current().data.totals;
    const unit = state.level === "concept" ? "sentences" : "tokens";
    TOOLTIP.show(evt, [
      name(r),
      `${A}: ${fmt(r[2], 0)} (${fmt(r[4])} per 1,000 ${unit}), in ${fmt(r[6], 0)} documents`,
      `${B}: ${fmt(r[3], 0)} (${fmt(r[5])} per 1,000 ${unit}), in ${fmt(r[7], 0)} documents`,
      `z = ${fmt(r[10])}, p = ${fmt(r[11], 4)}` + (r[12] !== null ? `, q = ${fmt(r[12], 4)}` : ""),
      `totals: ${fmt(nA, 0)} / ${fmt(nB, 0)} ${unit}`,
    ]);
  }

  function draw() {
    for (const [lv, b] of Object.entries(levelButtons)) b.classList.toggle("on", lv === state.level);
    const {langs} = current();
    clear(langSelect);
    for (const l of langs) langSelect.appendChild(el("option", {value: l, text: l || "all languages"}));
    langSelect.value = state.lang;
    langLabel.style.display = langs.length > 1 ? "" : "none";
    clear(datalist);
    for (const r of rows()) datalist.appendChild(el("option", {value: r[0]}));
    drawChart();
    drawLists();
    showDetail(state.selected);
  }

  function drawChart() {
    clear(chart);
    const x = scale(0, 1, M.l, W - M.r), y = scale(0, 1, H - M.b, M.t);
    const axis = svgEl("g", {class: "axis"});
    for (const t of [0, 0.25, 0.5, 0.75, 1]) {
      axis.append(svgEl("line", {class: "grid", x1: x(t), x2: x(t), y1: y(0), y2: y(1)}),
                  svgEl("line", {class: "grid", x1: x(0), x2: x(1), y1: y(t), y2: y(t)}),
                  svgEl("text", {x: x(t), y: H - M.b + 16, "text-anchor": "middle", text: `${t * 100}`}),
                  svgEl("text", {x: M.l - 6, y: y(t) + 4, "text-anchor": "end", text: `${t * 100}`}));
    }
    axis.append(svgEl("line", {x1: x(0), x2: x(1), y1: y(0), y2: y(0)}), svgEl("line", {x1: x(0), x2: x(0), y1: y(0), y2: y(1)}),
                svgEl("text", {class: "axis-label", x: (x(0) + x(1)) / 2, y: H - 8, "text-anchor": "middle",
                               text: `frequency rank in ${A} (percentile) →`}),
                svgEl("text", {class: "axis-label", x: 14, y: (y(0) + y(1)) / 2, "text-anchor": "middle",
                               transform: `rotate(-90 14 ${(y(0) + y(1)) / 2})`, text: `frequency rank in ${B} (percentile) →`}));
    chart.appendChild(axis);
    const points = svgEl("g", {});
    const items = rows();
    items.forEach((r, i) => {
      const c = svgEl("circle", {class: "pt" + (significant(r) ? " sig" : "") + (state.selected === r ? " sel" : ""),
                                 cx: x(r[8]), cy: y(r[9]), r: 4.2, fill: fill(r[10]), "data-i": i, tabindex: 0,
                                 "aria-label": r[0]});
      c.addEventListener("mousemove", evt => tip(evt, r));
      c.addEventListener("mouseleave", () => TOOLTIP.hide());
      c.addEventListener("click", () => select(r));
      c.addEventListener("keydown", evt => { if (evt.key === "Enter") select(r); });
      points.appendChild(c);
    });
    chart.appendChild(points);
    // labels for the most distinctive items of each side
    const labelled = [...items].filter(r => r[10] !== null).sort((a, b) => b[10] - a[10]);
    const labels = svgEl("g", {"pointer-events": "none"});
    const placed = [];  // label boxes drawn so far: a label that would overlap one is left out
    for (const r of [...labelled.slice(0, 12), ...labelled.slice(-12).filter(r => r[10] < 0)]) {
      const text = r[1] || r[0], w = 6.2 * text.length, lx = Math.min(x(r[8]) + 6, W - M.r - w), ly = y(r[9]) + 3;
      const box = [lx - 2, ly - 11, lx + w + 2, ly + 3];
      if (placed.some(b => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      placed.push(box);
      labels.appendChild(svgEl("text", {x: lx, y: ly, text}));
    }
    chart.appendChild(labels);
  }

  function drawLists() {
    clear(lists);
    const ranked = [...rows()].filter(r => r[10] !== null).sort((a, b) => b[10] - a[10] || (a[0] < b[0] ? -1 : 1));
    const side = (title, cls, items) => {
      const ol = el("ol", {});
      for (const r of items) {
        const b = el("button", {type: "button", class: "link", text: name(r)});
        b.addEventListener("click", () => select(r));
        ol.appendChild(el("li", {}, b, el("span", {class: "note", text: ` z ${fmt(r[10], 1)}`})));
      }
      return el("div", {}, el("h3", {}, "typical of ", el("span", {class: cls, text: title})), ol);
    };
    lists.append(side(A, "group-a", ranked.filter(r => r[10] > 0).slice(0, 15)),
                 side(B, "group-b", ranked.filter(r => r[10] < 0).reverse().slice(0, 15)));
  }

  function highlight(text) {
    const needle = text.trim().toLowerCase();
    const items = rows();
    for (const c of chart.querySelectorAll("circle.pt")) {
      const r = items[Number(c.getAttribute("data-i"))];
      c.classList.toggle("hit", needle.length > 0 && (r[0].toLowerCase().includes(needle) ||
                                                      (r[1] || "").toLowerCase().includes(needle)));
    }
  }

  function select(r) {
    state.selected = r;
    for (const c of chart.querySelectorAll("circle.pt")) {
      c.classList.toggle("sel", rows()[Number(c.getAttribute("data-i"))] === r);
    }
    showDetail(r);
  }

  function showDetail(r) {
    clear(detail);
    if (!r) {
      detail.append(el("h2", {text: "Concordance"}),
                    el("p", {class: "empty", text: "Click a point or a word in the lists to see its lines in both groups."}));
      return;
    }
    const unit = state.level === "concept" ? "sentences" : "tokens";
    const stats = el("table", {class: "stats"},
      el("tr", {}, el("th", {text: ""}), el("th", {text: "count"}), el("th", {text: `per 1,000 ${unit}`}), el("th", {text: "documents"})),
      el("tr", {}, el("td", {class: "group-a", text: A}), el("td", {text: fmt(r[2], 0)}), el("td", {text: fmt(r[4])}), el("td", {text: fmt(r[6], 0)})),
      el("tr", {}, el("td", {class: "group-b", text: B}), el("td", {text: fmt(r[3], 0)}), el("td", {text: fmt(r[5])}), el("td", {text: fmt(r[7], 0)})));
    detail.append(el("h2", {id: "detail-item", text: name(r)}), stats,
                  el("p", {class: "note", text: `z = ${fmt(r[10])}, p = ${fmt(r[11], 4)}` + (r[12] !== null ? `, q = ${fmt(r[12], 4)}` : "")}));
    const lines = ((DATA.lines[state.level] || {})[state.lang] || {})[r[0]] || [];
    const box = el("div", {class: "scroll", id: "kwic"});
    for (const g of [0, 1]) {
      const mine = lines.filter(l => l[1] === g);
      box.appendChild(el("h3", {}, el("span", {class: g ? "group-b" : "group-a", text: g ? B : A}),
                         ` · ${mine.length} line${mine.length === 1 ? "" : "s"}`));
      if (!mine.length) box.appendChild(el("p", {class: "empty", text: "no line in this group"}));
      for (const [d, , left, match, right] of mine) {
        box.appendChild(el("div", {class: "kwic-line"},
          el("div", {}, el("span", {class: "left", text: left ? left + " " : ""}), el("mark", {text: match}),
             el("span", {class: "right", text: right ? " " + right : ""})),
          el("div", {class: "meta", text: docLine(d)})));
      }
    }
    detail.appendChild(box);
  }

  draw();
})();
