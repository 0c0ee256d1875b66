// The preview page: asks the server for the state (long polling: the answer
// comes when something changed), draws the pages and the diagnostics.
"use strict";

let version = 0;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function draw(s) {
  const select = document.getElementById("documents");
  const ids = s.documents.map((d) => d.id).join("\n");
  if (select.dataset.ids !== ids) {
    select.replaceChildren(...s.documents.map((d) => {
      const o = el("option", "", d.title ? d.title + " (" + d.id + ")" : d.id);
      o.value = d.id;
      return o;
    }));
    select.dataset.ids = ids;
  }
  if (s.document) select.value = s.document;

  const pages = document.getElementById("pages");
  pages.classList.toggle("stale", s.stale);
  pages.dataset.version = String(s.version);
  // Only the pages that changed are fetched and redrawn: the others keep
  // their image (no flash on every save).
  const imgs = [...pages.querySelectorAll("img.page")];
  s.page_hashes.forEach((hash, i) => {
    let img = imgs[i];
    if (!img) {
      img = el("img", "page");
      img.alt = "страница " + (i + 1);
      pages.append(img);
    }
    if (img.dataset.hash !== hash) {
      img.dataset.hash = hash;
      img.src = "/api/svg/" + hash;
    }
  });
  imgs.slice(s.page_hashes.length).forEach((img) => img.remove());

  const status = document.getElementById("status");
  status.classList.toggle("stale", s.stale);
  status.textContent = s.message
    ? s.message
    : "страниц: " + s.page_count + " · собрано за " + s.render_ms + " мс";

  const list = document.getElementById("diagnostics");
  list.replaceChildren(...s.diagnostics.map((d) => {
    const li = el("li", d.severity);
    li.append(el("div", "where", d.file + ":" + d.line + ":" + d.column));
    li.append(el("div", "what", (d.severity === "error" ? "ошибка" : "предупреждение") + "[" + d.code + "]: " + d.message));
    li.append(el("pre", "source", d.source));
    if (d.hint) li.append(el("div", "hint", "подсказка: " + d.hint));
    return li;
  }));
  document.getElementById("clean").hidden = s.diagnostics.length > 0;
}

async function poll() {
  for (;;) {
    try {
      const r = await fetch("/api/state?since=" + version);
      if (r.ok) {
        const s = await r.json();
        version = s.version;
        draw(s);
        continue;
      }
    } catch (e) {
      document.getElementById("status").textContent = "нет связи с prikaz preview";
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
}

document.getElementById("documents").addEventListener("change", (e) => {
  fetch("/api/select?document=" + encodeURIComponent(e.target.value), { method: "POST" });
});

poll();
