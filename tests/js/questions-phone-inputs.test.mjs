import assert from "node:assert/strict";
import { test } from "node:test";

import {
  answerValue,
  answersLeft,
  cleanWords,
  draftFromValue,
  emptyDraft,
  inputOf,
  length,
  move,
  refusal,
  sameValue,
  scaleSteps,
  shares,
  toggle,
} from "../../static/questions/inputs.js";

const OPTIONS = [{ en: "Yes" }, { en: "No" }, { en: "Maybe" }];
const open = { id: 1, type: "open", input: "text", many_answers: true, max_answers: 3 };
const words = { id: 2, type: "words", input: "words" };
const choice = { id: 3, type: "choice", input: "single", options: OPTIONS };
const multi = { id: 4, type: "multi", input: "multiple", options: OPTIONS };
const scale = { id: 5, type: "scale", input: "scale", scale: { min: 1, max: 5 } };
const rank = { id: 6, type: "rank", input: "order", options: OPTIONS };

test("each type asks with its own input, from the view or from the type", () => {
  assert.equal(inputOf(open), "text");
  assert.equal(inputOf({ type: "rank" }), "order");
  assert.equal(inputOf({ type: "multi" }), "multiple");
  assert.deepEqual(emptyDraft(words), ["", "", ""]);
  assert.equal(emptyDraft(choice), null);
  assert.deepEqual(emptyDraft(multi), []);
  assert.deepEqual(emptyDraft(rank), [0, 1, 2]); // a ranking starts in the options' order
});

test("an open answer is trimmed, not blank, and at most 500 characters as people count them", () => {
  assert.deepEqual(answerValue(open, "  More money  "), { value: "More money" });
  assert.deepEqual(answerValue(open, "   "), { error: "answer_empty" });
  assert.deepEqual(answerValue(open, "x".repeat(501)), { error: "answer_too_long" });
  assert.equal(length("사회적경제"), 5);
  assert.deepEqual(answerValue(open, "가".repeat(500)), { value: "가".repeat(500) });
  assert.equal(length("👍🏽"), 2); // two code points, as the server's len() counts them
});

test("words: one to three, blanks left out, inner spaces collapsed, each at most 32", () => {
  assert.deepEqual(cleanWords(["  trust ", "", " local   money "]), ["trust", "local money"]);
  assert.deepEqual(answerValue(words, ["trust", "", ""]), { value: ["trust"] });
  assert.deepEqual(answerValue(words, ["", " ", ""]), { error: "answer_empty" });
  assert.deepEqual(answerValue(words, ["a", "b", "c", "d"]), { error: "too_many_words" });
  assert.deepEqual(answerValue(words, ["x".repeat(33)]), { error: "word_too_long" });
});

test("choice and multi: an option must be chosen; multi sends sorted, distinct indexes", () => {
  assert.deepEqual(answerValue(choice, null), { error: "answer_empty" });
  assert.deepEqual(answerValue(choice, 2), { value: 2 });
  assert.deepEqual(answerValue(choice, 3), { error: "unknown_option" });
  assert.deepEqual(answerValue(multi, []), { error: "answer_empty" });
  assert.deepEqual(answerValue(multi, [2, 0, 2]), { value: [0, 2] });
  assert.deepEqual(toggle([2], 0, true), [0, 2]);
  assert.deepEqual(toggle([0, 2], 2, false), [0]);
});

test("scale: a whole number within the scale; buttons up to eleven values, a slider beyond", () => {
  assert.deepEqual(answerValue(scale, null), { error: "answer_empty" });
  assert.deepEqual(answerValue(scale, 4), { value: 4 });
  assert.deepEqual(answerValue(scale, 6), { error: "out_of_scale" });
  assert.deepEqual(scaleSteps(scale), [1, 2, 3, 4, 5]);
  assert.equal(scaleSteps({ scale: { min: 0, max: 10 } }).length, 11);
  assert.equal(scaleSteps({ scale: { min: 0, max: 100 } }), null);
});

test("rank: arrows move an option one place; the ranking holds every option once", () => {
  assert.deepEqual(move([0, 1, 2], 2, -1), [0, 2, 1]);
  assert.deepEqual(move([0, 1, 2], 0, 1), [1, 0, 2]);
  assert.deepEqual(move([0, 1, 2], 0, -1), [0, 1, 2]); // the first cannot go up
  assert.deepEqual(move([0, 1, 2], 2, 1), [0, 1, 2]);
  assert.deepEqual(answerValue(rank, [2, 0, 1]), { value: [2, 0, 1] });
  assert.deepEqual(answerValue(rank, [2, 0]), { error: "ranking_incomplete" });
  assert.deepEqual(answerValue(rank, [2, 2, 1]), { error: "ranking_incomplete" });
});

test("an answer given earlier becomes the draft to change it", () => {
  assert.deepEqual(draftFromValue(words, ["trust"]), ["trust", "", ""]);
  assert.equal(draftFromValue(choice, 1), 1);
  assert.deepEqual(draftFromValue(rank, [2, 0, 1]), [2, 0, 1]);
  assert.deepEqual(draftFromValue(rank, [2, 7]), [2, 0, 1]); // an unknown option dropped, the rest after
  assert.equal(draftFromValue(open, "Hello"), "Hello");
  assert.ok(sameValue([0, 2], [0, 2]));
  assert.ok(!sameValue([0, 2], [2, 0]));
});

test("open questions take up to max_answers; the others one answer, changed in place", () => {
  assert.equal(answersLeft(open, []), 3);
  assert.equal(answersLeft(open, [{}, {}]), 1);
  assert.equal(answersLeft({ ...open, max_answers: 1 }, [{}, {}]), 0); // lowered after answering
  assert.equal(answersLeft(choice, []), 1);
  assert.equal(answersLeft(choice, [{}]), 0);
});

test("bars: whole percents of the answers, nothing divided by zero", () => {
  assert.deepEqual(shares([1, 2, 1], 4), [25, 50, 25]);
  assert.deepEqual(shares([0, 0], 0), [0, 0]);
});

test("a refusal reads as the phone's sentence for its code, else a general one", () => {
  const S = {
    refused_question_closed: "Closed.",
    refused_unknown_option: "Choose again.",
    refused: "Not recognised.",
    refused_other: "Try again.",
  };
  assert.equal(refusal(S, "question_closed"), "Closed.");
  assert.equal(refusal(S, "repeated_option"), "Choose again.");
  assert.equal(refusal(S, "forbidden"), "Not recognised.");
  assert.equal(refusal(S, "internal_error"), "Try again.");
  assert.equal(refusal(S, undefined), "Try again.");
});
