// The console's keyboard: which key does what, and when a key is the moderator's typing
// rather than a command. Pure, so Node can test it (tests/js/shortcuts.test.mjs).

const EDITABLE = new Set(["INPUT", "TEXTAREA", "SELECT"]);
const PRESSABLE = new Set(["BUTTON", "A", "SUMMARY"]);

/** The command a keydown stands for ("next", "pause", "plus", "minus"), or null. */
export function shortcutFor(event) {
  if (event.defaultPrevented || event.repeat) return null;
  if (event.ctrlKey || event.metaKey || event.altKey) return null; // the browser's own
  const target = event.target || {};
  if (EDITABLE.has(target.tagName) || target.isContentEditable) return null; // typing
  switch (event.key) {
    case "n":
    case "N":
    case "ArrowRight":
      return "next";
    case " ":
    case "Spacebar":
      // Space on a button presses that button: leave it to the button.
      // (A details' summary opens or closes it with Space as a button does.)
      return PRESSABLE.has(target.tagName) ? null : "pause";
    case "+":
    case "=":
      return "plus";
    case "-":
    case "−":
    case "_":
      return "minus";
    default:
      return null;
  }
}

/** A reset cannot be undone: it goes only when the workshop's id is typed exactly. */
export function confirmsReset(typed, slug) {
  return typeof typed === "string" && typed.trim() === slug && slug !== "";
}
