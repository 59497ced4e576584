import assert from "node:assert/strict";
import { test } from "node:test";

import { askModes, shownQuestions, speakerChoices } from "../../static/qa/list.js";

test("how a participant may ask follows the workshop's setting and whether they gave a name", () => {
  assert.deepEqual(askModes({ names: "any" }, "Ana").allowed, ["named", "anonymous"]);
  assert.deepEqual(askModes({ names: "any" }, "  ").allowed, ["anonymous"]);
  assert.equal(askModes({ names: "any" }, "").reason, "no_name");
  assert.deepEqual(askModes({ names: "anonymous" }, "Ana").allowed, ["anonymous"]);
  assert.deepEqual(askModes({ names: "named" }, "Ana").allowed, ["named"]);
  assert.deepEqual(askModes({ names: "named" }, null), { allowed: [], reason: "no_name" });
});

test("the current item's speakers come first, then the others by name, each once", () => {
  const speakers = {
    people: [
      { key: "zoe", name: "Zoé" },
      { key: "ana", name: "Ana" },
      { key: "min", name: "민준" },
    ],
    items: { opening: ["zoe"], panel: ["min", "zoe"] },
  };
  const choices = speakerChoices(speakers, "panel");
  assert.deepEqual(choices.now.map((p) => p.key), ["zoe", "min"]);
  assert.deepEqual(choices.other.map((p) => p.key), ["ana"]);
  assert.equal(choices.total, 3);
  assert.deepEqual(speakerChoices(speakers, null).now, []);
  assert.equal(speakerChoices(undefined, null).total, 0);
});

const Q = [
  { id: 1, votes: 2, at_ms: 100, language: "en" },
  { id: 2, votes: 5, at_ms: 200, language: "fr" },
  { id: 3, votes: 2, at_ms: 300, language: "ko" },
  { id: 4, votes: 0, at_ms: 400, language: "fr-CA", pinned: true },
  { id: 5, votes: 0, at_ms: 500, language: "en", mine: true, status: "pending" },
];

test("by votes: pinned first, then the most votes, the older first on a tie", () => {
  assert.deepEqual(shownQuestions(Q, { sort: "votes" }).map((q) => q.id), [4, 2, 1, 3, 5]);
});

test("by time: pinned first, then the newest", () => {
  assert.deepEqual(shownQuestions(Q, { sort: "time" }).map((q) => q.id), [4, 5, 3, 2, 1]);
});

test("my language only: by base language, and my own questions stay", () => {
  assert.deepEqual(shownQuestions(Q, { sort: "time", language: "fr" }).map((q) => q.id), [4, 5, 2]);
  assert.deepEqual(shownQuestions(Q, { sort: "votes", language: "ko" }).map((q) => q.id), [3, 5]);
});
