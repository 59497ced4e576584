import assert from "node:assert/strict";
import { test } from "node:test";

import { fill, pickText, textLanguage } from "../../static/shared/text.js";

const TITLE = { en: "Welcome", fr: "Bienvenue", "pt-BR": "Bem-vindo" };

test("pickText: plain strings and nothing", () => {
  assert.equal(pickText("Hello", "fr", "en"), "Hello");
  assert.equal(pickText(null, "fr", "en"), "");
  assert.equal(pickText(undefined, "fr", "en"), "");
  assert.equal(pickText({}, "fr", "en"), "");
});

test("pickText: the viewer's language, then its base, then the fallback, then any", () => {
  assert.equal(pickText(TITLE, "fr", "en"), "Bienvenue");
  assert.equal(pickText(TITLE, "fr-CA", "en"), "Bienvenue");
  assert.equal(pickText(TITLE, "pt", "en"), "Bem-vindo");
  assert.equal(pickText(TITLE, "ko", "en"), "Welcome");
  assert.equal(pickText({ es: "Hola", fr: "Salut" }, "ko", "en"), "Hola");
  assert.equal(pickText({ en: "", fr: "Salut" }, "en", "en"), "Salut"); // empty is missing
});

test("textLanguage names the language pickText shows", () => {
  assert.equal(textLanguage(TITLE, "fr-CA", "en"), "fr");
  assert.equal(textLanguage(TITLE, "ko", "en"), "en");
  assert.equal(textLanguage("plain", "ko", "en"), "en");
});

test("fill puts values in their placeholders and leaves unknown ones", () => {
  assert.equal(fill("{count} of {max}", { count: 3, max: 280 }), "3 of 280");
  assert.equal(fill("{name} {other}", { name: "Ana" }), "Ana {other}");
});
