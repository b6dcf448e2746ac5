/* corpuslib explorer pages: shared helpers. Scraped text is only ever set as textContent or as an
   attribute value; no string from the data is parsed as markup. */
"use strict";

const DATA = JSON.parse(document.getElementById("explorer-data").textContent);
const SVG_NS = "http://www.w3.org/2000/svg";
const APP = document.getElementById("app");

/** Return a new element; attrs are set with setAttribute (never on* handlers), children appended as nodes or text. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Return a new SVG element (same rules as el). */
function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.toLowerCase().startsWith("on")) throw new Error("no inline handlers: " + k);
    if (k === "text") node.textContent = String(v);
    else node.setAttribute(k, String(v));
  }
}

function append(node, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
  }
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** A number for reading: thousands separated, at most `digits` decimals. */
function fmt(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const d = digits === undefined ? (Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2) : digits;
  return Number(x).toLocaleString("en-US", {maximumFractionDigits: d, minimumFractionDigits: 0});
}

function pct(x, digits) {
  return x === null || x === undefined ? "–" : fmt(100 * x, digits === undefined ? 1 : digits) + " %";
}

/** One shared tooltip: show(event, [first line, other lines...]) with plain text lines. */
const TOOLTIP = (() => {
  const box = el("div", {class: "tooltip", role: "status"});
  document.body.appendChild(box);
  return {
    show(evt, lines) {
      clear(box);
      for (const line of lines) if (line !== null && line !== undefined) box.appendChild(el("div", {text: line}));
      box.style.display = "block";
      const w = box.offsetWidth, h = box.offsetHeight;
      const x = Math.min(evt.clientX + 14, window.innerWidth - w - 6);
      const y = evt.clientY + h + 20 > window.innerHeight ? evt.clientY - h - 10 : evt.clientY + 14;
      box.style.left = Math.max(4, x) + "px";
      box.style.top = Math.max(4, y) + "px";
    },
    hide() { box.style.display = "none"; },
  };
})();

/** The documents a page refers to: [doc_id, title, outlet, date, lang, url]. */
function doc(i) {
  const d = (DATA.docs || [])[i];
  return d ? {id: d[0], title: d[1], outlet: d[2], date: d[3], lang: d[4], url: d[5]} : null;
}

/** "outlet · date · title" of a document, as text. */
function docLine(i) {
  const d = doc(i);
  if (!d) return "";
  return [d.outlet, d.date, d.title || d.id].filter(x => x).join(" · ");
}

/** A list item naming one source article: its title (a link when it has an http(s) address), outlet and date. */
function sourceItem(i) {
  const d = doc(i);
  if (!d) return el("li", {class: "empty", text: "unknown article"});
  const name = d.title || d.id;
  const safe = typeof d.url === "string" && /^https?:\/\//i.test(d.url);
  const title = safe ? el("a", {href: d.url, target: "_blank", rel: "noopener noreferrer", text: name})
                     : el("span", {text: name});
  return el("li", {}, title, el("span", {class: "note", text: " " + [d.outlet, d.date, d.lang, d.id].filter(x => x).join(" · ")}));
}

function header(title, note) {
  APP.appendChild(el("header", {}, el("h1", {text: title}), note ? el("p", {class: "note", text: note}) : null));
}

/** Linear scale from [d0, d1] to [r0, r1]. */
function scale(d0, d1, r0, r1) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = v => r0 + (v - d0) * k;
  f.invert = p => (k === 0 ? d0 : d0 + (p - r0) / k);
  return f;
}

/** A qualitative colour per index (colour-blind-safe Okabe–Ito, then Tableau). */
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
                 "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#76B7B2", "#EDC948", "#FF9DA7", "#9C755F"];
function colour(i) { return PALETTE[i % PALETTE.length]; }
