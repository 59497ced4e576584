// What the server hands a screen: the JSON in <script type="application/json" id="page-data">
// (translated strings included: gettext runs in the routes).

export function pageData(id = "page-data") {
  const node = document.getElementById(id);
  if (!node) return null;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return null;
  }
}

export const byId = (id) => document.getElementById(id);

/** Only when it changed: a screen reader re-reads live regions on every write. */
export function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

export function show(node, visible) {
  if (node) node.hidden = !visible;
}

/** Runs `start` once the document is parsed (modules are deferred, but say so). */
export function whenReady(start) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
