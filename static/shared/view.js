// The keyed view library for lists that change live: Preact with htm's tagged templates
// (no build-time JSX, no eval: it runs under the strict CSP).
import { h, render } from "preact";
import htm from "htm";

export const html = htm.bind(h);
export { render };

/** Renders `view` into `container`, dropping the server's first paint the first time. */
export function mount(container, view) {
  if (!container) return;
  if (!container.dataset.mounted) {
    container.textContent = "";
    container.dataset.mounted = "1";
  }
  render(view, container);
}
