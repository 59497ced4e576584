import assert from "node:assert/strict";
import { test } from "node:test";

import {
  barRows,
  cloudDiff,
  cloudWords,
  fillBox,
  fitSizes,
  inLanguages,
  languageNames,
  onScreen,
  qaBoard,
  rankRows,
  scaleRows,
  screenMode,
  seedOf,
  seededRandom,
  speakerLists,
  upsert,
  wallCards,
  withVotes,
  wrapLabel,
} from "../../static/questions/layout.js";

const WORDS = [
  { word: "trust", label: "Trust", count: 16 },
  { word: "care", label: "care", count: 4 },
  { word: "협동", label: "협동", count: 1 },
];

test("cloudWords: the most counted is biggest, by the square root of the count", () => {
  const sized = cloudWords(WORDS, { min: 20, max: 100 });
  assert.deepEqual(
    sized.map((w) => [w.text, w.size]),
    [
      ["Trust", 100],
      ["care", 50], // sqrt: 2 of 1..4 is a third of the way, rounded to the nearest eighth
      ["협동", 20],
    ],
  );
});

test("cloudWords: one word, or all equal, is shown big; nothing counted, no words", () => {
  assert.deepEqual(cloudWords([{ word: "a", count: 3 }], { min: 10, max: 90 }).map((w) => w.size), [90]);
  assert.deepEqual(cloudWords([]), []);
  assert.deepEqual(cloudWords([{ word: "a", count: 0 }]), []);
  assert.equal(cloudWords(Array.from({ length: 99 }, (_, i) => ({ word: "w" + i, count: 1 })), { limit: 10 }).length, 10);
});

test("cloudWords: a count that hardly changes a size leaves the sizes, so the layout stays", () => {
  const many = (n) => [{ word: "a", count: 100 }, { word: "b", count: n }, { word: "c", count: 1 }];
  assert.deepEqual(
    cloudWords(many(50)).map((w) => w.size),
    cloudWords(many(51)).map((w) => w.size),
  );
  assert.equal(seedOf(cloudWords(many(50))), seedOf(cloudWords(many(51))));
  assert.notEqual(seedOf(cloudWords(many(50))), seedOf(cloudWords(many(5))));
});

test("fitSizes: many long words shrink to fit the box; few keep their size", () => {
  const few = fitSizes(cloudWords(WORDS), 1600, 800);
  assert.deepEqual(few.map((w) => w.size), cloudWords(WORDS).map((w) => w.size));
  const long = Array.from({ length: 40 }, (_, i) => ({ word: "participation" + i, count: 40 - i }));
  const fitted = fitSizes(cloudWords(long), 1200, 600);
  const area = fitted.reduce((s, w) => s + w.size * w.size * 0.62 * w.text.length, 0);
  assert.ok(area <= 1200 * 600 * 0.3 + 1, `area ${area}`);
  assert.ok(fitted[0].size < cloudWords(long)[0].size);
  assert.ok(fitted.every((w) => w.size >= 12 && w.size <= 600 / 3));
});

test("seededRandom: the same seed gives the same numbers, in [0, 1)", () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 5 }, () => a());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, seededRandom(43)));
});

test("cloudDiff: new words enter, shown ones move, gone ones leave", () => {
  const diff = cloudDiff([{ word: "a" }, { word: "b" }], [{ word: "b" }, { word: "c" }]);
  assert.deepEqual(diff, { enter: ["c"], move: ["b"], exit: ["a"] });
  assert.deepEqual(cloudDiff(null, [{ word: "x" }]), { enter: ["x"], move: [], exit: [] });
});

test("wrapLabel: lines of a width, long words cut, at most three lines", () => {
  assert.deepEqual(wrapLabel("Local governments and the social economy", 20), [
    "Local governments",
    "and the social",
    "economy",
  ]);
  assert.deepEqual(wrapLabel("Supercalifragilisticexpialidocious", 10), ["Supercali…"]);
  const lines = wrapLabel("one two three four five six seven eight", 5, 3);
  assert.equal(lines.length, 3);
  assert.ok(lines[2].endsWith("…"));
  assert.deepEqual(wrapLabel(""), [""]);
});

test("barRows: counts and shares in the options' order, zero for options nobody chose", () => {
  const rows = barRows({ answers: 4, options: [3, 1] }, ["Yes", "No", "Maybe"]);
  assert.deepEqual(rows, [
    { label: "Yes", value: 3, percent: 75 },
    { label: "No", value: 1, percent: 25 },
    { label: "Maybe", value: 0, percent: 0 },
  ]);
  assert.deepEqual(barRows(undefined, ["A"]), [{ label: "A", value: 0, percent: 0 }]);
});

test("barRows: multi shares are of those who answered, and may pass 100 together", () => {
  const rows = barRows({ answers: 2, options: [2, 2] }, ["A", "B"]);
  assert.deepEqual(rows.map((r) => r.percent), [100, 100]);
});

test("rankRows: the options by points, most first, with their place", () => {
  const rows = rankRows({ answers: 2, points: [1, 4, 1], order: [1, 0, 2] }, ["A", "B", "C"]);
  assert.deepEqual(rows, [
    { label: "B", value: 4, place: 1 },
    { label: "A", value: 1, place: 2 },
    { label: "C", value: 1, place: 3 },
  ]);
});

test("scaleRows: every value, its share, the mean and where it falls", () => {
  const shown = scaleRows({ answers: 4, distribution: [[1, 1], [2, 0], [3, 0], [4, 1], [5, 2]], mean: 3.75 }, { min: 1, max: 5 });
  assert.deepEqual(shown.rows.map((r) => [r.value, r.count, r.percent]), [
    [1, 1, 25],
    [2, 0, 0],
    [3, 0, 0],
    [4, 1, 25],
    [5, 2, 50],
  ]);
  assert.equal(shown.mean, 3.75);
  assert.equal(shown.position, 0.6875);
  const none = scaleRows({ answers: 0, distribution: [[0, 0], [10, 0]], mean: null }, { min: 0, max: 10 });
  assert.equal(none.mean, null);
  assert.equal(none.position, null);
});

test("wallCards: highlighted first, then the newest, up to the limit", () => {
  const wall = [
    { id: 1, text: "old", highlighted: false, at_ms: 1 },
    { id: 2, text: "new", highlighted: false, at_ms: 3 },
    { id: 3, text: "star", highlighted: true, at_ms: 2 },
  ];
  assert.deepEqual(wallCards(wall).map((c) => c.text), ["star", "new", "old"]);
  assert.deepEqual(wallCards(wall, 2).map((c) => c.text), ["star", "new"]);
});

test("onScreen: the open questions; else the current item's closed, revealed ones", () => {
  const list = [
    { id: 1, state: "closed", revealed: true, items: ["panel"] },
    { id: 2, state: "closed", revealed: false, items: ["panel"] },
    { id: 3, state: "closed", revealed: true, items: ["other"] },
  ];
  assert.deepEqual(onScreen(list, "panel").map((q) => q.id), [1]);
  assert.deepEqual(onScreen(list, null), []);
  assert.deepEqual(onScreen([...list, { id: 4, state: "open", items: [] }], "panel").map((q) => q.id), [4]);
});

const QA = [
  { id: 1, status: "open", pinned: false, votes: 2, at_ms: 10 },
  { id: 2, status: "open", pinned: false, votes: 5, at_ms: 20 },
  { id: 3, status: "answered", pinned: false, votes: 9, at_ms: 5 },
  { id: 4, status: "open", pinned: false, votes: 2, at_ms: 5 },
];

test("qaBoard: the most voted open question big, the others by votes then the older", () => {
  const { big, rest } = qaBoard(QA);
  assert.equal(big.id, 2);
  assert.deepEqual(rest.map((q) => q.id), [4, 1]); // answered ones leave the list
});

test("qaBoard: a pinned question is the big one, whatever its votes", () => {
  const { big, rest } = qaBoard([...QA, { id: 5, status: "answered", pinned: true, votes: 0, at_ms: 1 }]);
  assert.equal(big.id, 5);
  assert.deepEqual(rest.map((q) => q.id), [2, 4, 1]);
  assert.deepEqual(qaBoard([]), { big: null, rest: [] });
  assert.equal(qaBoard(QA, 1).rest.length, 1);
});

test("withVotes and upsert: tallies and changes applied to the list", () => {
  const voted = withVotes(QA, [[1, 7]]);
  assert.equal(voted.find((q) => q.id === 1).votes, 7);
  assert.equal(qaBoard(voted).big.id, 1);
  const changed = upsert(QA, { ...QA[0], pinned: true });
  assert.equal(changed.length, 4);
  assert.equal(changed.find((q) => q.id === 1).pinned, true);
  assert.deepEqual(upsert(QA, null, 2).map((q) => q.id), [1, 3, 4]);
});

test("speakerLists: open questions in the server's order, then the latest answered", () => {
  const { open, answered } = speakerLists([
    { id: 1, status: "open", votes: 3 },
    { id: 2, status: "answered", votes: 9, answer: { at_ms: 10 } },
    { id: 3, status: "open", votes: 1 },
    { id: 4, status: "answered", votes: 0, answer: { at_ms: 20 } },
  ]);
  assert.deepEqual(open.map((q) => q.id), [1, 3]);
  assert.deepEqual(answered.map((q) => q.id), [4, 2]);
});

test("languageNames: a language's name in the viewer's language, else its code", () => {
  const names = languageNames("en");
  assert.equal(names("fr"), "French");
  assert.equal(names("ko"), "Korean");
  assert.equal(names(""), "");
  assert.equal(languageNames("fr")("en"), "anglais");
});

test("screenMode: polls first, then the Q&A in a Q&A item or when pinned, never after the end", () => {
  assert.equal(screenMode({ phase: "running", kind: "qa", polls: 1, pinned: true }), "poll");
  assert.equal(screenMode({ phase: "waiting", kind: null, polls: 1, pinned: false }), "poll");
  assert.equal(screenMode({ phase: "running", kind: "qa", polls: 0, pinned: false }), "qa");
  assert.equal(screenMode({ phase: "running", kind: "presentation", polls: 0, pinned: true }), "qa");
  assert.equal(screenMode({ phase: "running", kind: "presentation", polls: 0, pinned: false }), "");
  assert.equal(screenMode({ phase: "waiting", kind: "qa", polls: 0, pinned: true }), "");
  assert.equal(screenMode({ phase: "ended", kind: "qa", polls: 2, pinned: true }), "");
});

test("fillBox: the placed words grow to fill the box, centred, at most by a factor", () => {
  const placed = [
    { word: "a", x: 10, y: 0, size: 20, x0: -20, x1: 20, y0: -10, y1: 10 },
    { word: "b", x: 50, y: 20, size: 10, x0: -10, x1: 10, y0: -5, y1: 5 },
  ];
  const filled = fillBox(placed, 200, 100, { margin: 1, most: 10 });
  // bounds: x -10..60 (70 wide), y -10..25 (35 high): k = min(200/70, 100/35) = 2.857
  const k = 200 / 70;
  assert.ok(Math.abs(filled[0].size - 20 * k) < 1e-9);
  assert.ok(Math.abs(filled[0].x - (10 - 25) * k) < 1e-9);
  assert.ok(Math.abs(filled[1].y - (20 - 7.5) * k) < 1e-9);
  assert.equal(fillBox(placed, 2000, 1000, { most: 2 })[0].size, 40); // capped
  assert.deepEqual(fillBox([], 10, 10), []);
});

test("a bilingual projector shows an option in both languages, each text once", () => {
  const option = { en: "Housing", fr: "Logement" };
  assert.equal(inLanguages(option, ["en", "fr"], "en"), "Housing / Logement");
  assert.equal(inLanguages(option, ["fr"], "en"), "Logement");
  // No French text: the fallback once, not "Housing / Housing".
  assert.equal(inLanguages({ en: "Care" }, ["en", "fr"], "en"), "Care");
  assert.equal(inLanguages("Plain", ["en", "ko"], "en"), "Plain");
  assert.equal(inLanguages(undefined, ["en", "ko"], "en"), "");
});
