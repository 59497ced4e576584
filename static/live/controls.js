// The console's keyboard shortcuts and its reset: each presses or sends what a button
// would, so the two ways in cannot drift apart.
import { byId } from "../shared/page.js";
import { confirmsReset, shortcutFor } from "../shared/shortcuts.js";

const BUTTON_OF = {
  next: "btn-advance",
  pause: "btn-pause",
  plus: "btn-plus",
  minus: "btn-minus",
};

/** N or →, Space, + and −: a click on the matching button, when it is enabled. */
export function wireKeys() {
  document.addEventListener("keydown", (event) => {
    const command = shortcutFor(event);
    if (!command) return;
    const button = byId(BUTTON_OF[command]);
    if (!button || button.disabled) return;
    event.preventDefault(); // Space would scroll the page
    button.click();
  });
}

/** The reset button is enabled only while the workshop's id is typed in the box. */
export function wireReset({ slug, send }) {
  const box = byId("reset-confirm");
  const button = byId("btn-run-reset");
  const form = byId("reset-form");
  if (!box || !button || !form) return;
  const update = () => {
    button.disabled = !confirmsReset(box.value, slug);
  };
  box.addEventListener("input", update);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!confirmsReset(box.value, slug)) return;
    send("live.reset", { confirm: box.value.trim() });
    box.value = "";
    update();
  });
  update();
}
