// The search page of searcher --serve. It asks /search for JSON and draws it; the state of a
// search lives in the page's URL (q, since, until, site, lang, sort, collapse, share,
// timeline, offset), so that a search can be shared and the back button works.
"use strict";

const PAGE = 10;
const FIELDS = ["q", "since", "until", "site", "lang", "sort", "collapse", "share", "timeline", "compare", "significant", "against", "origin", "kwic", "offset", "view"];
// How many key words the page asks for.
const WORDS = 15;
// The lines of a comparison: the query's, then each compared query's (at most five).
const COLOURS = ["#0b57d0", "#d93025", "#188038", "#e37400", "#9334e6"];
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

// The state of the page, from its URL. The compared queries are one parameter each
// (compare=gold&compare=wheat), kept here as one text: "gold; wheat".
function state() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const f of FIELDS) if (p.get(f)) s[f] = f === "compare" ? p.getAll(f).join("; ") : p.get(f);
  return s;
}

function comparedQueries(text) {
  return (text || "").split(";").map((q) => q.trim()).filter((q) => q);
}

function go(next, replace) {
  const p = new URLSearchParams();
  for (const f of FIELDS) {
    if (next[f] === undefined || next[f] === "" || next[f] === null) continue;
    if (f === "compare") for (const q of comparedQueries(next[f])) p.append(f, q);
    else p.set(f, next[f]);
  }
  const url = p.toString() ? "/?" + p.toString() : "/";
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  run();
}

function fillForm(s) {
  $("q").value = s.q || "";
  $("since").value = s.since || "";
  $("until").value = s.until || "";
  $("site").value = s.site || "";
  $("sort").value = s.sort || "relevance";
  $("timeline").value = s.timeline || "month";
  $("collapse").checked = s.collapse === "1";
  $("share").checked = s.share === "1";
  $("compare").value = s.compare || "";
  $("significant").checked = s.significant === "1";
  $("against").value = s.against || "rest";
  $("origin").checked = s.origin === "1";
  $("kwic").checked = s.kwic === "1";
  // The analysis controls: open on a wide screen, or when one of them is in use.
  if (s.compare || s.significant || s.share || s.against || s.origin || s.kwic || window.matchMedia("(min-width: 801px)").matches)
    $("analysis").open = true;
}

function fromForm() {
  const s = state();
  return {
    q: $("q").value.trim(),
    since: $("since").value,
    until: $("until").value,
    site: $("site").value.trim(),
    lang: s.lang,
    sort: $("sort").value === "relevance" ? "" : $("sort").value,
    collapse: $("collapse").checked ? "1" : "",
    share: $("share").checked ? "1" : "",
    compare: comparedQueries($("compare").value).join("; "),
    significant: $("significant").checked ? "1" : "",
    against: $("against").value === "rest" ? "" : $("against").value,
    origin: $("origin").checked ? "1" : "",
    kwic: $("kwic").checked ? "1" : "",
    timeline: $("timeline").value === "month" ? "" : $("timeline").value,
  };
}

// A token, when the server wants one (searcher --token-file): asked once per tab.
async function getJson(url) {
  const headers = {};
  const token = sessionStorage.getItem("newsidx-token");
  if (token) headers.Authorization = "Bearer " + token;
  const res = await fetch(url, { headers });
  if (res.status === 401) {
    const given = prompt("This server wants a token:");
    if (given) {
      sessionStorage.setItem("newsidx-token", given.trim());
      return getJson(url);
    }
  }
  const body = await res.json();
  return { ok: res.ok, body };
}

// getJson, with a server that does not answer as an error reply.
async function ask(url) {
  try {
    return await getJson(url);
  } catch (e) {
    return { ok: false, body: { error: "the server did not answer: " + e.message } };
  }
}

// The snippet with its highlights (byte offsets into the UTF-8 text) as <mark>s.
function snippet(text, highlights) {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const out = el("p", { class: "snippet" });
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at || end > bytes.length) continue;
    out.append(dec.decode(bytes.subarray(at, start)));
    out.append(el("mark", {}, dec.decode(bytes.subarray(start, end))));
    at = end;
  }
  out.append(dec.decode(bytes.subarray(at)));
  return out;
}

async function toggleCopies(hit, li, button) {
  const open = li.querySelector(".copies");
  if (open) { open.remove(); return; }
  button.disabled = true;
  const reply = await ask("/search?copies=" + encodeURIComponent(hit.url));
  button.disabled = false;
  const { ok, body } = reply;
  const list = el("ul", { class: "copies" });
  if (!ok) list.append(el("li", {}, body.error || "error"));
  else for (const c of body.copies)
    list.append(el("li", {}, c.date + " \u00b7 " + c.site + " \u00b7 ",
                   el("a", { href: c.url, rel: "noopener noreferrer" }, c.title)));
  li.append(list);
}

// Arabic, Hebrew and the other right-to-left scripts: the direction of a hit's text.
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
function direction(text) {
  const first = (text || "").match(/[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/);
  return first && RTL.test(first[0]) ? "rtl" : "ltr";
}

function drawHit(hit) {
  // A hit reads in the direction of its title's script: an Arabic article right to left.
  const li = el("li", { class: "hit", dir: direction(hit.title || hit.snippet) });
  li.append(el("h3", { dir: "auto" }, el("a", { href: hit.url, rel: "noopener noreferrer" }, hit.title || hit.url)));
  li.append(el("div", { class: "meta", dir: "ltr" }, hit.date + " \u00b7 " + hit.site + " \u00b7 " + hit.url));
  const text = snippet(hit.snippet, hit.highlights);
  text.setAttribute("dir", "auto");
  li.append(text);
  if (hit.kwic) li.append(el("ul", { class: "kwic" }, ...hit.kwic.map((k) => el("li", { dir: "auto" },
    el("span", { class: "left" }, el("span", {}, k.left)), el("mark", {}, k.keyword), el("span", { class: "right" }, k.right)))));
  if (hit.cluster && hit.cluster.copies > 1) {
    const c = hit.cluster;
    const trail = el("div", { class: "trail" });
    const first = c.first.url === hit.url ? "ran it first" : "first: " + c.first.site + " on " + c.first.date;
    trail.append(first);
    if (c.also_on.length) trail.append(" \u00b7 also on " + c.also_on.join(", "));
    {
      const b = el("button", { class: "similar", type: "button", title: "every copy, earliest first" },
                   c.similar > 0 ? "+" + c.similar + " similar" : c.copies + " copies");
      b.addEventListener("click", () => toggleCopies(hit, li, b));
      trail.append(b);
    }
    li.append(trail);
  }
  return li;
}

// At most this many bars: more (342 months of 1987-2015) would be hair-thin, so the periods
// are drawn a coarser one at a time: days as months, weeks and months as years.
const MAX_BARS = 120;
function coarser(t) {
  const key = (period) => t.period === "day" ? period.slice(0, 7) : period.slice(0, 4);
  const buckets = [];
  for (const b of t.buckets) {
    const k = key(b.period);
    const last = buckets[buckets.length - 1];
    if (last && last.period === k) { last.count += b.count; last.all += b.all || 0; }
    else buckets.push({ period: k, count: b.count, all: b.all || 0 });
  }
  for (const b of buckets) b.share = b.all ? b.count / b.all : null;
  return { ...t, period: t.period === "day" ? "month" : "year", buckets };
}

// A label under a chart's axis: a period's name at x, anchored at its start or end.
function axisLabel(svg, text, x, y, anchor) {
  const label = document.createElementNS("http://www.w3.org/2000/svg", "text");
  label.setAttribute("x", x);
  label.setAttribute("y", y);
  label.setAttribute("text-anchor", anchor);
  label.textContent = text;
  svg.append(label);
}

function drawTimeline(asked) {
  const box = $("chart");
  box.replaceChildren();
  if (!asked || !asked.buckets.length) { $("timeline-box").hidden = true; return; }
  $("timeline-box").hidden = false;
  let t = asked;
  while (t.buckets.length > MAX_BARS && t.period !== "year") t = coarser(t);
  box.dataset.period = t.period;
  const W = 300, H = 110, n = t.buckets.length;
  // With share=1 a bar is as tall as its share of the period's articles, else its count.
  const shared = t.all_total !== undefined;
  const measure = (b) => shared ? (b.share || 0) : b.count;
  const max = Math.max(shared ? 1e-9 : 1, ...t.buckets.map(measure));
  box.dataset.measure = shared ? "share" : "count";
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H + 14}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", shared
    ? `share of all ${t.counts} that match, per ${t.period}`
    : `${t.total} matches per ${t.period}`);
  const bw = Math.min(W / n, 24);  // a few periods: narrow bars, not one block
  t.buckets.forEach((b, i) => {
    const h = (measure(b) / max) * H;
    const r = document.createElementNS(ns, "rect");
    r.setAttribute("x", (i * bw).toFixed(2));
    r.setAttribute("y", (H - h).toFixed(2));
    r.setAttribute("width", Math.max(bw - (bw > 3 ? 1 : 0), 0.5).toFixed(2));
    r.setAttribute("height", h.toFixed(2));
    r.setAttribute("data-period", b.period);
    r.setAttribute("data-count", b.count);
    if (shared) { r.setAttribute("data-all", b.all); r.setAttribute("data-share", b.share === null ? "" : b.share); }
    const tip = document.createElementNS(ns, "title");
    tip.textContent = shared
      ? `${b.period}: ${b.count.toLocaleString("en")} of ${b.all.toLocaleString("en")} (${percent(b.count, b.all)})`
      : `${b.period}: ${b.count}`;
    r.append(tip);
    svg.append(r);
  });
  // The first and the last period under the bars; when the bars are too few to hold both
  // apart (a label is about 60 units wide), one label names the span.
  const first = t.buckets[0].period, last = t.buckets[n - 1].period;
  const apart = n * bw >= 130;
  const labels = n === 1 ? [[first, 0, "start"]]
    : apart ? [[first, 0, "start"], [last, Math.min(W, n * bw), "end"]]
    : [[first + "\u2013" + last, 0, "start"]];
  for (const [text, x, anchor] of labels) axisLabel(svg, text, x, H + 12, anchor);
  box.append(svg);
  if (t.period !== asked.period)
    box.append(el("p", { class: "notes" }, `by ${t.period}: ${asked.buckets.length} ${asked.period}s are too many to draw`));
}

// count / all as a percentage, as the command line writes it: two decimals, two significant
// digits below 0.01%; "-" when the period has no article.
function percent(count, all) {
  if (!all) return "-";
  const p = 100 * count / all;
  return (p > 0 && p < 0.01 ? p.toPrecision(2) : p.toFixed(2)) + "%";
}

// --compare: each query's timeline as a line, over the same periods, with a legend; counts, or
// with share=1 each period's share of all its articles.
function drawComparison(body) {
  const box = $("chart");
  box.replaceChildren();
  let series = [{ query: body.query, t: body.timeline }, ...body.compared.map((c) => ({ query: c.query, t: c.timeline }))];
  if (!series[0].t.buckets.length) { $("timeline-box").hidden = true; return; }
  $("timeline-box").hidden = false;
  while (series[0].t.buckets.length > MAX_BARS && series[0].t.period !== "year")
    series = series.map((x) => ({ ...x, t: coarser(x.t) }));
  const first = series[0].t;
  box.dataset.period = first.period;
  const shared = first.all_total !== undefined;
  box.dataset.measure = shared ? "share" : "count";
  const measure = (b) => shared ? (b.share || 0) : b.count;
  const W = 300, H = 110, n = first.buckets.length;
  const max = Math.max(shared ? 1e-9 : 1, ...series.flatMap((x) => x.t.buckets.map(measure)));
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H + 14}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${series.length} queries per ${first.period}`);
  const x = (i) => n === 1 ? W / 2 : (i * W) / (n - 1);
  const y = (v) => H - 2 - (v / max) * (H - 4);  // the lines' width inside the box
  series.forEach((s, k) => {
    // A period without any article has no share: the line breaks there.
    const gap = (b) => shared && !b.all;
    let d = "", pen = "M";
    s.t.buckets.forEach((b, i) => {
      if (gap(b)) { pen = "M"; return; }
      d += `${pen}${x(i).toFixed(2)},${y(measure(b)).toFixed(2)} `;
      pen = "L";
    });
    const line = document.createElementNS(ns, "path");
    line.setAttribute("d", d.trim());
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", COLOURS[k]);
    line.setAttribute("stroke-width", "1.5");
    line.setAttribute("vector-effect", "non-scaling-stroke");
    line.setAttribute("data-query", s.query);
    svg.append(line);
    s.t.buckets.forEach((b, i) => {
      if (gap(b)) return;
      const dot = document.createElementNS(ns, "circle");
      dot.setAttribute("cx", x(i).toFixed(2));
      dot.setAttribute("cy", y(measure(b)).toFixed(2));
      dot.setAttribute("r", n > 40 ? "0.8" : "1.6");
      dot.setAttribute("fill", COLOURS[k]);
      dot.setAttribute("data-period", b.period);
      dot.setAttribute("data-count", b.count);
      if (shared) dot.setAttribute("data-all", b.all);
      const tip = document.createElementNS(ns, "title");
      tip.textContent = `${b.period} \u00b7 ${s.query}: ${b.count.toLocaleString("en")}` +
        (shared ? ` of ${b.all.toLocaleString("en")} (${percent(b.count, b.all)})` : "");
      dot.append(tip);
      svg.append(dot);
    });
  });
  axisLabel(svg, first.buckets[0].period, 0, H + 12, "start");
  if (n > 1) axisLabel(svg, first.buckets[n - 1].period, W, H + 12, "end");
  box.append(svg);
  const legend = el("ul", { class: "legend" });
  const suggestions = [body.did_you_mean, ...body.compared.map((c) => c.did_you_mean)];
  series.forEach((s, k) => {
    // (Through the CSSOM: the page's Content-Security-Policy refuses style attributes.)
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = COLOURS[k];
    legend.append(el("li", { "data-query": s.query }, swatch, s.query + " ",
    el("span", { class: "count" }, s.t.total.toLocaleString("en") +
      (shared ? " (" + percent(s.t.total, s.t.all_total) + ")" : "")),
      ...(suggestions[k] ? [el("span", { class: "count" }, " did you mean: " + suggestions[k])] : [])));
  });
  box.append(legend);
  if (first.period !== body.timeline.period)
    box.append(el("p", { class: "notes" }, `by ${first.period}: ${body.timeline.buckets.length} ${body.timeline.period}s are too many to draw`));
}

// --significant: the words that set the matching stories apart, each with its stories; a click
// searches the word within the matches.
function drawWords(sig) {
  $("words-box").hidden = !sig;
  if (!sig) return;
  const against = sig.against === "rest"
    ? `${sig.stories.toLocaleString("en")} matching stories against the ${sig.others.toLocaleString("en")} others with the same filters`
    : `${sig.stories.toLocaleString("en")} matching stories against the ${sig.others.toLocaleString("en")} of ${sig.period}`;
  $("words-against").textContent = against;
  $("words").replaceChildren(...sig.words.map((w) => el("li", { "data-word": w.word, title: `${w.count} of ${sig.stories} matching stories, ${w.others} of ${sig.others} others (${sig.scoring} ${w.score})` },
    el("a", { href: "#", dir: "auto", onclick: (e) => { e.preventDefault(); const n = state(); n.q = "(" + n.q + ") AND \"" + w.word + "\""; delete n.offset; go(n); } }, w.word),
    el("span", { class: "count" }, w.count.toLocaleString("en") + " \u00b7 " + percent(w.count, sig.stories)))));
  if (!sig.words.length) $("words").append(el("li", {}, "no word is in three matching stories and more common there"));
}

// A facet value narrows the search: a site, a year (its first to last day), a language.
function narrow(field, value) {
  const s = state();
  delete s.offset;
  if (field === "site") s.site = value;
  if (field === "lang") s.lang = value;
  if (field === "year") { s.since = value + "-01-01"; s.until = value + "-12-31"; }
  go(s);
}

function drawFacets(facets) {
  const box = $("facets");
  box.replaceChildren();
  for (const [field, f] of Object.entries(facets || {})) {
    if (!f.top.length) continue;
    const list = el("ul");
    for (const c of f.top)
      list.append(el("li", {},
        el("a", { href: "#", "data-field": field, "data-value": c.value,
                  onclick: (e) => { e.preventDefault(); narrow(field, c.value); } }, c.value),
        el("span", { class: "count" }, c.count.toLocaleString("en") +
           (c.all !== undefined ? " of " + c.all.toLocaleString("en") : "")),
        ...(c.all !== undefined ? [el("span", { class: "share" }, percent(c.count, c.all))] : [])));
    box.append(el("div", { class: "facet", "data-facet": field }, el("h2", {}, field), list));
  }
}

function drawChips(s) {
  const box = $("chips");
  box.replaceChildren();
  const named = { since: "from", until: "to", site: "site", lang: "language" };
  for (const [f, label] of Object.entries(named)) {
    if (!s[f]) continue;
    const b = el("button", { class: "chip", type: "button", title: "remove this filter" },
                 label + ": " + s[f] + " \u00d7");
    b.addEventListener("click", () => { const n = state(); delete n[f]; delete n.offset; go(n); });
    box.append(b);
  }
}

// --origin: the query box holds a passage; where it appeared first, and who carried it.
async function runOrigin(s, mine) {
  const p = new URLSearchParams();
  p.set("origin", s.q);
  for (const f of ["since", "until", "site", "lang"]) if (s[f]) p.set(f, s[f]);
  $("status").textContent = "looking for the passage\u2026";
  const reply = await ask("/search?" + p.toString());
  if (mine !== running) return;
  $("pager").hidden = true;
  $("side").hidden = true;
  $("partial").hidden = true;
  $("notes").hidden = true;
  const { ok, body } = reply;
  if (!ok) {
    $("error").textContent = body.error + (body.hint ? " (" + body.hint + ")" : "");
    $("error").hidden = false;
    $("status").textContent = "";
    $("hits").replaceChildren();
    return;
  }
  if (!body.carriers.length) {
    $("status").textContent = "no article carries the passage";
    $("hits").replaceChildren();
    return;
  }
  const n = body.carriers.length;
  $("status").textContent = `the passage (${body.words} words) is in ${n} article${n === 1 ? "" : "s"} on ` +
    `${body.sites.length} site${body.sites.length === 1 ? "" : "s"}, ${body.stories} ${body.stories === 1 ? "story" : "stories"}; ` +
    `first: ${body.first.site}, ${body.first.date}`;
  $("hits").replaceChildren(...body.carriers.map((c, i) => {
    const li = el("li", { class: "hit carrier", dir: direction(c.title), "data-url": c.url, "data-whole": c.whole ? "1" : "0" });
    li.append(el("h3", { dir: "auto" }, el("a", { href: c.url, rel: "noopener noreferrer" }, c.title || c.url)));
    li.append(el("div", { class: "meta", dir: "ltr" }, (i === 0 ? "first \u00b7 " : "") + c.date + " \u00b7 " + c.site + " \u00b7 ",
      el("span", { class: "reuse" }, c.whole ? "the whole passage" : Math.round(c.coverage * 100) + "% of it"),
      " \u00b7 story " + c.story + (c.story === 1 ? " (the first's)" : "")));
    return li;
  }));
}

// The alerts view (view=alerts): the saved searches, each with its latest alerts and where
// their stories ran since, and how far each receiver has taken them.
function drawAlert(a) {
  const li = el("li", { class: "hit alert", dir: direction(a.article.title), "data-url": a.article.url });
  li.append(el("h3", { dir: "auto" }, el("a", { href: a.article.url, rel: "noopener noreferrer" }, a.article.title || a.article.url)));
  // Where the story ran besides, as the index holds it now (as searcher --alerts says it).
  const others = (a.story_sites || []).filter((site) => site !== a.article.site);
  const more = (a.story || []).filter((c) => c.url !== a.article.url).length;
  const also = a.in_index === false ? " \u00b7 no longer in the index" : others.length ? ` \u00b7 also ran on ${others.length} other site${others.length === 1 ? "" : "s"}: ${others.join(", ")}`
    : more ? ` \u00b7 ran ${more} more time${more === 1 ? "" : "s"} on ${a.article.site}` : "";
  li.append(el("div", { class: "meta", dir: "ltr" }, `#${a.n} \u00b7 ${a.article.date} \u00b7 ${a.article.site}` + also +
    ` \u00b7 found ${a.at.replace("T", " ").replace("Z", " UTC")}`));
  return li;
}

async function runAlerts(mine) {
  document.title = "Alerts \u2013 newsidx";
  $("status").textContent = "reading the saved searches\u2026";
  const reply = await ask("/alerts");
  if (mine !== running) return;
  for (const id of ["pager", "side", "partial", "notes"]) $(id).hidden = true;
  $("json-link").href = "/alerts";
  if (!reply.ok) {
    $("error").textContent = reply.body.error;
    $("error").hidden = false;
    $("status").textContent = "";
    $("hits").replaceChildren();
    return;
  }
  const body = reply.body;
  $("status").textContent = body.searches.length
    ? `${body.searches.length} saved search${body.searches.length === 1 ? "" : "es"} \u00b7 the index is at change ${body.index_change}`
    : "no saved searches yet: save one with searcher --alert-add NAME QUERY, or with Save as alert above a search";
  const items = body.searches.map((s) => {
    const opts = Object.entries(s.options).map(([k, v]) => ` ${k}:${v}`).join("");
    const li = el("li", { class: "saved", "data-name": s.name });
    li.append(el("h2", {}, s.name, el("span", { class: "query", dir: "auto" }, `: ${s.query}${opts}`)));
    li.append(el("p", { class: "meta" }, s.left_out ? `left out of the checks: ${s.left_out}`
      : `${s.alerts} alert${s.alerts === 1 ? "" : "s"} \u00b7 ` + (s.checked ? `checked up to change ${s.checked}` : "not checked yet")));
    li.append(el("ol", { class: "hits" }, ...s.latest.map(drawAlert)));
    return li;
  });
  const receivers = body.receivers.map((r) => el("li", { class: "receiver", "data-name": r.name },
    `${r.name} (${r.kind}): delivered up to #${r.delivered}` + (r.waiting ? `, ${r.waiting} waiting` : "")));
  if (receivers.length) items.push(el("li", { class: "saved" }, el("h2", {}, "Receivers"), el("ul", { class: "receivers" }, ...receivers)));
  $("hits").replaceChildren(...items);
}

// Save as alert: the query and its filters as a saved search, with the alerts token (asked
// once per tab; searcher --serve --alerts-token-file).
async function saveAlert() {
  const s = state();
  const name = prompt("Name of the saved search (letters, digits, - _ .):");
  if (!name) return;
  let token = sessionStorage.getItem("newsidx-alerts-token");
  if (!token) token = (prompt("The alerts token (searcher --alerts-token-file):") || "").trim();
  const options = {};
  for (const f of ["since", "until", "site", "lang"]) if (s[f]) options[f] = s[f];
  let res;
  try {
    res = await fetch("/alerts", { method: "POST", headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
      body: JSON.stringify({ name: name.trim(), query: s.q, options }) });
  } catch (e) {
    res = null;
  }
  const body = res ? await res.json().catch(() => ({})) : { error: "the server did not answer" };
  if (res && res.ok) {
    sessionStorage.setItem("newsidx-alerts-token", token);
    $("status").textContent = `saved as \u201c${body.saved}\u201d: new stories that match will alert`;
  } else {
    if (res && res.status === 401) sessionStorage.removeItem("newsidx-alerts-token");
    $("error").textContent = body.error || "the search was not saved";
    $("error").hidden = false;
  }
}

let running = 0;
async function run() {
  const s = state();
  fillForm(s);
  drawChips(s);
  $("error").hidden = true;
  const mine = ++running;  // a search still on its way draws nothing once another began
  $("save-alert").hidden = !s.q || s.origin === "1" || s.view === "alerts";
  if (s.view === "alerts") return runAlerts(mine);
  $("json-link").href = "/search?" + (s.origin === "1"
    ? new URLSearchParams([["origin", s.q || ""], ...["since", "until", "site", "lang"].filter((f) => s[f]).map((f) => [f, s[f]])])
    : new URLSearchParams(Object.entries(s).filter(([k]) => k !== "timeline" && k !== "compare"))).toString();
  if (!s.q) {
    $("partial").hidden = true;
    $("notes").hidden = true;
    $("hits").replaceChildren();
    $("status").textContent = "";
    $("pager").hidden = true;
    $("side").hidden = true;
    return;
  }
  document.title = s.q + " \u2013 newsidx";
  if (s.origin === "1") return runOrigin(s, mine);
  const p = new URLSearchParams();
  p.set("q", s.q);
  for (const f of ["since", "until", "site", "lang", "sort", "offset"]) if (s[f]) p.set(f, s[f]);
  // Sent either way, so that the switch overrides a server started with --collapse.
  p.set("collapse", s.collapse === "1" ? "1" : "0");
  p.set("timeline", s.timeline || "month");
  p.set("share", s.share === "1" ? "1" : "0");
  for (const q of comparedQueries(s.compare)) p.append("compare", q);
  if (s.kwic === "1") p.set("kwic", 5);
  if (s.significant === "1") {
    p.set("significant", WORDS);
    if (s.against) p.set("against", s.against);
  }
  p.set("facet", "site,year,lang");
  // The table as CSV: the same counts, without the page.
  const csv = new URLSearchParams(p);
  csv.delete("offset");
  csv.set("format", "csv");
  $("csv-link").href = "/search?" + csv.toString();
  p.set("limit", PAGE);
  $("status").textContent = "searching\u2026";
  const reply = await ask("/search?" + p.toString());
  if (mine !== running) return;  // a newer search is on its way
  const { ok, body } = reply;
  if (!ok) {
    $("partial").hidden = true;
    $("notes").hidden = true;
    $("error").textContent = body.error + (body.hint ? " (" + body.hint + ")" : "");
    $("error").hidden = false;
    $("status").textContent = "";
    $("hits").replaceChildren();
    $("pager").hidden = true;
    $("side").hidden = true;
    return;
  }
  const hits = body.results;
  const offset = Number(s.offset || 0);
  // Exact, "about" only when the estimate is within 10%, else what is certain: a lower bound.
  const atLeast = !body.total_exact && !body.total_about;
  const total = atLeast ? body.total_at_least : body.total_estimate;
  const about = body.total_exact ? "" : atLeast ? "at least " : "about ";
  const collapsed = body.articles !== undefined;
  const what = collapsed ? (total === 1 ? " story" : " stories") : (total === 1 ? " result" : " results");
  $("status").replaceChildren(hits.length
    ? `${hits[0].rank}\u2013${hits[hits.length - 1].rank} of ${about}${total.toLocaleString("en")}${what}` +
      (collapsed ? ` (${body.articles.toLocaleString("en")} article${body.articles === 1 ? "" : "s"})` : "") +
      ` \u00b7 ${body.elapsed_ms.toFixed(1)} ms`
    : offset > 0 ? `no results past ${offset}` : "no results");
  if (body.did_you_mean) {
    const a = el("a", { href: "#" }, body.did_you_mean);
    a.addEventListener("click", (e) => { e.preventDefault(); const n = state(); n.q = body.did_you_mean; delete n.offset; go(n); });
    $("status").append(" \u00b7 did you mean: ", a);
  }
  // A partial answer says so, and what the server noted is shown.
  $("partial").hidden = !body.partial;
  $("partial").textContent = body.partial
    ? "Partial answer: left out " + (body.missing_shards || []).join("; ") : "";
  $("notes").replaceChildren(...(body.notes || []).map((n) => el("li", {}, n)));
  $("notes").hidden = !(body.notes && body.notes.length);
  $("hits").replaceChildren(...hits.map(drawHit));
  $("pager").hidden = offset === 0 && offset + hits.length >= total;
  $("prev").disabled = offset === 0;
  $("next").disabled = offset + hits.length >= total;
  $("page").textContent = "page " + (Math.floor(offset / PAGE) + 1);
  $("side").hidden = false;
  drawWords(body.significant);
  if (body.compared) drawComparison(body);
  else drawTimeline(body.timeline);
  drawFacets(body.facets);
}

$("search").addEventListener("submit", (e) => { e.preventDefault(); go(fromForm()); });
// With a token the CSV is fetched with it, and saved from memory.
$("csv-link").addEventListener("click", async (e) => {
  const token = sessionStorage.getItem("newsidx-token");
  if (!token) return;
  e.preventDefault();
  const res = await fetch($("csv-link").href, { headers: { Authorization: "Bearer " + token } });
  if (!res.ok) { $("error").textContent = "the CSV could not be fetched (" + res.status + ")"; $("error").hidden = false; return; }
  const a = el("a", { href: URL.createObjectURL(await res.blob()), download: "newsidx.csv" });
  a.click();
  URL.revokeObjectURL(a.href);
});
for (const id of ["sort", "timeline", "collapse", "share", "compare", "significant", "against", "origin", "kwic", "since", "until"])
  $(id).addEventListener("change", () => { if ($("q").value.trim()) go(fromForm()); });
$("save-alert").addEventListener("click", saveAlert);
$("alerts-link").addEventListener("click", (e) => { e.preventDefault(); go({ view: "alerts" }); });
$("prev").addEventListener("click", () => { const s = state(); s.offset = Math.max(0, Number(s.offset || 0) - PAGE); if (!s.offset) delete s.offset; go(s); });
$("next").addEventListener("click", () => { const s = state(); s.offset = Number(s.offset || 0) + PAGE; go(s); });
window.addEventListener("popstate", run);
run();
