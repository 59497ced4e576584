// The console's keyboard shortcuts (static/shared/shortcuts.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { confirmsReset, shortcutFor } from "../../static/shared/shortcuts.js";

const key = (k, extra = {}) => ({ key: k, target: { tagName: "BODY" }, ...extra });

test("N and the right arrow go to the next item", () => {
  assert.equal(shortcutFor(key("n")), "next");
  assert.equal(shortcutFor(key("N")), "next");
  assert.equal(shortcutFor(key("ArrowRight")), "next");
});

test("Space pauses or resumes, plus and minus change a minute", () => {
  assert.equal(shortcutFor(key(" ")), "pause");
  assert.equal(shortcutFor(key("+")), "plus");
  assert.equal(shortcutFor(key("=")), "plus");
  assert.equal(shortcutFor(key("-")), "minus");
});

test("nothing fires while typing in a field", () => {
  for (const tagName of ["INPUT", "TEXTAREA", "SELECT"]) {
    assert.equal(shortcutFor(key("n", { target: { tagName } })), null);
    assert.equal(shortcutFor(key(" ", { target: { tagName } })), null);
  }
  assert.equal(shortcutFor(key("n", { target: { tagName: "DIV", isContentEditable: true } })), null);
});

test("Space on a focused button presses that button, not the timer", () => {
  assert.equal(shortcutFor(key(" ", { target: { tagName: "BUTTON" } })), null);
  assert.equal(shortcutFor(key(" ", { target: { tagName: "SUMMARY" } })), null); // opens its details
  assert.equal(shortcutFor(key("n", { target: { tagName: "BUTTON" } })), "next");
});

test("modified, repeated and other keys are left alone", () => {
  assert.equal(shortcutFor(key("n", { ctrlKey: true })), null);
  assert.equal(shortcutFor(key("ArrowRight", { altKey: true })), null);
  assert.equal(shortcutFor(key("n", { repeat: true })), null);
  assert.equal(shortcutFor(key("x")), null);
  assert.equal(shortcutFor(key("n", { defaultPrevented: true })), null);
});

test("a reset goes only with the workshop's id typed exactly", () => {
  assert.equal(confirmsReset("demo-2021", "demo-2021"), true);
  assert.equal(confirmsReset(" demo-2021 ", "demo-2021"), true);
  assert.equal(confirmsReset("demo-202", "demo-2021"), false);
  assert.equal(confirmsReset("", ""), false);
  assert.equal(confirmsReset(undefined, "demo"), false);
});
