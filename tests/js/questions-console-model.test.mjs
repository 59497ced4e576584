import assert from "node:assert/strict";
import { test } from "node:test";

import {
  answersOf,
  applyEvent,
  barWidth,
  bars,
  blankDraft,
  breakdownChart,
  countsOf,
  draftOf,
  draftPayload,
  fromSnapshot,
  sections,
  shareOf,
  wordsOf,
} from "../../static/questions/console-model.js";

const pick = (text) => (typeof text === "string" ? text : text.en || Object.values(text)[0]);

const CHOICE = {
  id: 3,
  key: null,
  items: [],
  type: "choice",
  text: { en: "Which?", fr: "Lequel ?" },
  options: [{ en: "A" }, { en: "B" }],
  state: "ready",
  revealed: false,
  stored_state: "ready",
  opened_ms: null,
  editable: true,
};

const SNAPSHOT = {
  list: [
    { ...CHOICE, id: 1, key: "feel", items: ["opening"], type: "open", options: null, editable: false },
    CHOICE,
  ],
  answers: [
    { id: 10, question: 1, value: "Good", at_ms: 100, hidden: false, highlighted: false, participant: 5 },
    { id: 11, question: 1, value: "Tired", at_ms: 200, hidden: false, highlighted: false, participant: 6 },
  ],
  words: [{ question: 7, rules: [{ word: "eco", hidden: false, into: "ecology" }] }],
  settings: { auto_open: true },
  counts: { connected: 4, questions: [{ question: 1, answers: 2, participants: 2, results: { answers: 2, wall: [] } }] },
};

test("the snapshot becomes the console's state", () => {
  const state = fromSnapshot(SNAPSHOT);
  assert.deepEqual(state.list.map((q) => q.id), [1, 3]);
  assert.equal(state.settings.auto_open, true);
  assert.deepEqual(state.rules[7], [{ word: "eco", hidden: false, into: "ecology" }]);
  assert.deepEqual(countsOf(state, 1), {
    answers: 2,
    participants: 2,
    connected: 4,
    share: 50,
    results: { answers: 2, wall: [] },
  });
  assert.equal(countsOf(state, 3).share, 0); // nobody answered yet, 4 connected
  assert.equal(fromSnapshot(undefined).list.length, 0);
});

test("a public question.changed keeps the staff fields; the staff one replaces them", () => {
  let state = fromSnapshot(SNAPSHOT);
  const { editable, stored_state, opened_ms, ...publicView } = { ...CHOICE, state: "open" };
  state = applyEvent(state, "question.changed", { question: publicView });
  const shown = state.list.find((q) => q.id === 3);
  assert.equal(shown.state, "open");
  assert.equal(shown.editable, true); // until the staff view says otherwise
  state = applyEvent(state, "question.changed", {
    question: { ...CHOICE, state: "open", stored_state: "open", editable: false, opened_ms: 5 },
  });
  assert.equal(state.list.find((q) => q.id === 3).editable, false);
  const added = applyEvent(state, "question.changed", { question: { ...CHOICE, id: 9 } });
  assert.deepEqual(added.list.map((q) => q.id), [1, 3, 9]);
});

test("answers arrive, change, go, and are hidden with their author", () => {
  let state = fromSnapshot(SNAPSHOT);
  state = applyEvent(state, "answer.changed", {
    answer: { id: 12, question: 1, value: "Curious", at_ms: 300, hidden: false, highlighted: false, participant: 5 },
  });
  assert.deepEqual(answersOf(state, 1).map((a) => a.id), [12, 11, 10]); // newest first
  state = applyEvent(state, "answer.changed", { answer: { ...state.answers[10], highlighted: true } });
  assert.deepEqual(answersOf(state, 1).map((a) => a.id), [10, 12, 11]); // highlighted first
  state = applyEvent(state, "answer.removed", { answer: 11, question: 1 });
  assert.deepEqual(answersOf(state, 1).map((a) => a.id), [10, 12]);
  state = applyEvent(state, "moderation.hidden", { participant: 5, answers: [10, 12], questions: [] });
  assert.deepEqual(answersOf(state, 1).map((a) => a.hidden), [true, true]);
  assert.equal(applyEvent(state, "live.state", {}), state); // not ours: unchanged
});

test("hidden answers leave the count, not the share of who answered", () => {
  let state = fromSnapshot(SNAPSHOT);
  state = applyEvent(state, "question.counts", {
    connected: 2,
    questions: [{ question: 3, answers: 2, participants: 2, results: { answers: 1, options: [1, 0] } }],
  });
  assert.equal(countsOf(state, 3).answers, 1);
  assert.equal(countsOf(state, 3).share, 100);
});

test("counts come from the tally; the share is of connected participants", () => {
  let state = fromSnapshot(SNAPSHOT);
  state = applyEvent(state, "question.counts", {
    connected: 3,
    questions: [{ question: 3, answers: 2, participants: 2, results: { answers: 2, options: [1, 1] } }],
  });
  assert.equal(countsOf(state, 3).share, 67);
  assert.equal(countsOf(state, 1).answers, 0);
  assert.equal(shareOf(5, 4), 100); // someone answered, then left
  assert.equal(shareOf(0, 0), null);
});

test("sections follow the program, then the questions written live", () => {
  const list = [
    { id: 1, key: "a", items: ["talk", "panel"] },
    { id: 2, key: "b", items: ["opening"] },
    { id: 3, key: null, items: [] },
    { id: 4, key: "c", items: [] },
  ];
  const items = [{ id: "opening" }, { id: "talk" }, { id: "panel" }];
  const found = sections(list, items, "talk");
  assert.deepEqual(
    found.map((s) => [s.kind, s.item && s.item.id, s.current, s.questions.map((q) => q.id)]),
    [
      ["item", "opening", false, [2]],
      ["item", "talk", true, [1]],
      ["live", undefined, undefined, [3]],
      ["other", undefined, undefined, [4]],
    ],
  );
});

test("words: counted, merged into, hidden", () => {
  const rows = wordsOf(
    { answers: 3, words: [{ word: "ecology", label: "Ecology", count: 3 }] },
    [
      { word: "eco", hidden: false, into: "ecology" },
      { word: "spam", hidden: true, into: null },
    ],
  );
  assert.deepEqual(rows, [
    { word: "ecology", label: "Ecology", count: 3, hidden: false, into: null, merged: ["eco"] },
    { word: "eco", label: "eco", count: null, hidden: false, into: "ecology", merged: [] },
    { word: "spam", label: "spam", count: null, hidden: true, into: null, merged: [] },
  ]);
});

test("bars for choice, rank and scale; none for a wall or a cloud", () => {
  const choice = bars(CHOICE, { answers: 3, options: [2, 1] }, pick);
  assert.deepEqual(choice, [
    { label: "A", value: 2 },
    { label: "B", value: 1 },
  ]);
  assert.deepEqual(barWidth(1, choice), 50);
  assert.equal(barWidth(0, [{ value: 0 }]), 0);
  const rank = bars({ ...CHOICE, type: "rank" }, { answers: 1, points: [0, 1], order: [1, 0] }, pick);
  assert.deepEqual(rank.map((b) => b.value), [0, 1]);
  const scale = bars({ type: "scale" }, { answers: 1, distribution: [[1, 0], [2, 1]], mean: 2 }, pick);
  assert.deepEqual(scale, [
    { label: "1", value: 0 },
    { label: "2", value: 1 },
  ]);
  const labelled = bars(
    { type: "scale", scale: { min: 1, max: 3, min_label: { en: "Low" }, max_label: null } },
    { answers: 0, distribution: [[1, 0], [2, 0], [3, 0]], mean: null },
    pick,
  );
  assert.deepEqual(labelled.map((b) => b.label), ["1 · Low", "2", "3"]);
  assert.equal(bars({ type: "open" }, { answers: 1, wall: [] }, pick), null);
  assert.equal(bars(CHOICE, null, pick), null);
});

test("a draft becomes the create payload: blank languages and options left out", () => {
  const draft = blankDraft(["en", "fr"]);
  assert.deepEqual(draftPayload(draft), { error: "text_missing" });
  draft.text = { en: "  Which one? ", fr: "Laquelle ?" };
  assert.deepEqual(draftPayload(draft), { error: "options_do_not_fit" });
  draft.options = [{ en: "Red", fr: "Rouge" }, { en: " ", fr: "" }, { en: "Blue", fr: "" }];
  assert.deepEqual(draftPayload(draft).payload, {
    type: "choice",
    text: { en: "Which one?", fr: "Laquelle ?" },
    options: [{ en: "Red", fr: "Rouge" }, { en: "Blue" }],
  });
});

test("a scale needs min below max; labels are optional; open takes max_answers", () => {
  const draft = { ...blankDraft(["en"]), type: "scale", text: { en: "How?" } };
  assert.deepEqual(draftPayload(draft).payload, { type: "scale", text: { en: "How?" }, scale: { min: 1, max: 5 } });
  draft.scale = { ...draft.scale, min: 5, max: 5 };
  assert.deepEqual(draftPayload(draft), { error: "scale_does_not_fit" });
  draft.scale = { min: "0", max: "10", min_label: { en: "Not at all" }, max_label: { en: "" } };
  assert.deepEqual(draftPayload(draft).payload.scale, { min: 0, max: 10, min_label: { en: "Not at all" } });
  const open = { ...blankDraft(["en"]), type: "open", text: { en: "Ideas?" }, max_answers: "3" };
  assert.deepEqual(draftPayload(open).payload, { type: "open", text: { en: "Ideas?" }, max_answers: 3 });
  assert.deepEqual(draftPayload({ ...open, max_answers: 11 }), { error: "max_answers_does_not_fit" });
  assert.deepEqual(draftPayload({ ...open, text: { en: "x".repeat(501) } }), { error: "text_too_long" });
  assert.deepEqual(draftPayload({ ...open, type: "poll" }), { error: "unknown_type" });
});

test("an existing question fills the form to rewrite it", () => {
  const draft = draftOf({ ...CHOICE, text: { en: "Which?" } }, ["en", "fr"]);
  assert.deepEqual(draft.text, { en: "Which?", fr: "" });
  assert.deepEqual(draft.options, [{ en: "A", fr: "" }, { en: "B", fr: "" }]);
  assert.deepEqual(draftPayload(draft).payload, {
    type: "choice",
    text: { en: "Which?" },
    options: [{ en: "A" }, { en: "B" }],
  });
});

test("a breakdown as chart data: a dataset per group", () => {
  const name = (group) => group || "not given";
  const groups = [
    { group: "en", results: { answers: 2, options: [2, 0] } },
    { group: "", results: { answers: 1, options: [0, 1] } },
  ];
  assert.deepEqual(breakdownChart(CHOICE, groups, pick, name), {
    labels: ["A", "B"],
    datasets: [
      { label: "en", data: [2, 0] },
      { label: "not given", data: [0, 1] },
    ],
  });
  const words = [
    { group: "fr", results: { answers: 2, words: [{ word: "eau", count: 2 }, { word: "air", count: 1 }] } },
    { group: "en", results: { answers: 1, words: [{ word: "air", count: 2 }] } },
  ];
  const chart = breakdownChart({ type: "words" }, words, pick, name);
  assert.deepEqual(chart.labels, ["air", "eau"]);
  assert.deepEqual(chart.datasets[0].data, [1, 2]);
  const open = breakdownChart({ type: "open" }, [{ group: "KR", results: { answers: 4, wall: [] } }], pick, name, "answers");
  assert.deepEqual(open, { labels: ["KR"], datasets: [{ label: "answers", data: [4] }] });
});
