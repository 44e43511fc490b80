// aemp observe: draws the snapshots that /events sends. Everything in a snapshot comes from the
// network, so it only ever reaches the page as text (textContent, attribute values), never as markup.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const W = 800, H = 560, R = 22;
  const token = new URLSearchParams(window.location.search).get("token");
  const seenEvents = new Set();

  function el(tag, attrs, text) {
    const e = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      e.setAttribute(k, String(v));
    }
    if (text !== undefined) {
      e.textContent = String(text);
    }
    return e;
  }

  function time(ms) {
    return ms ? new Date(ms).toLocaleTimeString() : "";
  }

  function rate(x, unit) {
    if (typeof x !== "number" || x < 0) return "";
    if (x >= 1e6) return (x / 1e6).toFixed(1) + " M" + unit;
    if (x >= 1e3) return (x / 1e3).toFixed(1) + " k" + unit;
    return x.toFixed(x < 10 ? 1 : 0) + " " + unit;
  }

  function linkLabel(l) {
    if (!l.framing) return "";
    return l.framing + " · " + (l.tls ? "tls " : "") + l.auth;
  }

  // nodes on a circle, the observer at the bottom, the rest in id order
  function layout(nodes) {
    const others = nodes.filter(n => !n.observer);
    const me = nodes.filter(n => n.observer);
    const pos = new Map();
    const cx = W / 2, cy = H / 2 - 20, rad = Math.min(W, H) / 2 - 70;
    others.forEach((n, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, others.length);
      pos.set(n.id, [cx + rad * Math.cos(a), cy + rad * Math.sin(a) * 0.8]);
    });
    me.forEach(n => pos.set(n.id, [W - 70, H - 40]));
    return pos;
  }

  function drawGraph(s) {
    const pos = layout(s.nodes);
    const edges = document.getElementById("edges");
    const vertices = document.getElementById("vertices");
    edges.replaceChildren();
    vertices.replaceChildren();
    for (const l of s.links) {
      const a = pos.get(l.a), b = pos.get(l.b);
      if (!a || !b) continue;
      const g = el("svg:g", {"class": "edge" + (l.observer ? " observer" : ""), "data-link": l.id,
        "data-a": l.a, "data-b": l.b});
      g.appendChild(el("svg:line", {x1: a[0], y1: a[1], x2: b[0], y2: b[1]}));
      if (!l.observer) {
        const mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
        g.appendChild(el("svg:text", {x: mx, y: my - 4}, linkLabel(l)));
        if (typeof l.messageRate === "number") {
          g.appendChild(el("svg:text", {x: mx, y: my + 9}, rate(l.messageRate, "msg/s") + "  " + rate(l.byteRate, "B/s")));
        }
      }
      edges.appendChild(g);
    }
    for (const n of s.nodes) {
      const p = pos.get(n.id);
      const cls = ["vertex", n.kind];
      if (n.global) cls.push("global");
      if (n.observer) cls.push("observer");
      const g = el("svg:g", {"class": cls.join(" "), "data-node": n.id, "data-state": n.state,
        "data-kind": n.kind, "data-global": n.global});
      g.appendChild(el("svg:circle", {cx: p[0], cy: p[1], r: R}));
      g.appendChild(el("svg:text", {x: p[0], y: p[1] + R + 15}, n.id));
      g.appendChild(el("svg:text", {"class": "sub", x: p[0], y: p[1] + 4},
        n.state === "down" ? "down" : n.kind === "perl" ? "Perl" : n.kind === "java" ? "Java" : "?"));
      const title = el("svg:title", {}, n.id + " (" + (n.provider || n.kind) + ")" + (n.global ? ", global" : "")
        + (n.addresses.length ? ", " + n.addresses.join(" ") : "") + ", " + n.state + " since " + time(n.since));
      g.appendChild(title);
      vertices.appendChild(g);
    }
  }

  function row(cells, attrs) {
    const tr = el("tr", attrs);
    for (const c of cells) tr.appendChild(el("td", {}, c));
    return tr;
  }

  function drawTables(s) {
    const nodes = document.querySelector("#nodes tbody");
    nodes.replaceChildren(...s.nodes.map(n => row([n.id + (n.observer ? " (observer)" : ""),
      n.kind + (n.provider ? " (" + n.provider + ")" : ""), n.global ? "yes" : "", n.addresses.join(" "),
      (n.state === "up" ? "" : "down since ") + time(n.since)], {"data-node-row": n.id, "data-state": n.state})));
    const links = document.querySelector("#links tbody");
    links.replaceChildren(...s.links.filter(l => !l.observer).map(l => row([l.a + " – " + l.b, l.framing || "",
      l.framing ? (l.tls ? "tls, " : "") + l.auth : "", rate(l.messageRate, ""), rate(l.byteRate, "")],
      {"data-link-row": l.id})));
    const db = document.querySelector("#db tbody");
    const rows = [];
    for (const f of s.families) {
      if (f.keys.length === 0) rows.push(row([f.family, "(empty)", "", ""], {"data-family": f.family}));
      for (const k of f.keys) rows.push(row([f.family, k.key, k.owner, k.value], {"data-family": f.family}));
    }
    db.replaceChildren(...rows);
  }

  function drawLog(s) {
    const log = document.getElementById("log");
    for (const e of s.events) {
      if (seenEvents.has(e.seq)) continue;
      seenEvents.add(e.seq);
      const li = el("li", {"data-event": e.event, "data-node": e.node},
        time(e.time) + "  " + e.node + " " + e.event + (e.reason ? " (" + e.reason + ")" : ""));
      log.prepend(li);
    }
    while (log.children.length > 200) log.lastElementChild.remove();
  }

  function draw(s) {
    document.getElementById("self").textContent = "watching from node " + s.self;
    drawGraph(s);
    drawTables(s);
    drawLog(s);
    document.body.setAttribute("data-updated", String(s.time));
  }

  function connect() {
    const status = document.getElementById("status");
    const source = new EventSource("events" + (token ? "?token=" + encodeURIComponent(token) : ""));
    source.addEventListener("snapshot", ev => {
      status.textContent = "live";
      status.setAttribute("data-status", "live");
      draw(JSON.parse(ev.data));
    });
    source.onerror = () => {
      status.textContent = "connection lost, retrying…";
      status.setAttribute("data-status", "lost");
    };
  }

  connect();
})();
