import assert from "node:assert/strict";
import { test } from "node:test";

import {
  addPayload,
  answerPayload,
  applyEvent,
  fromSnapshot,
  languagesOf,
  queue,
  speakerUrl,
  tallies,
} from "../../static/qa/queue.js";

const view = (id, extra = {}) => ({
  id,
  text: `Q${id}`,
  language: "en",
  name: null,
  speaker: null,
  status: "open",
  pinned: false,
  votes: 0,
  answer: null,
  at_ms: id * 1000,
  edited: false,
  hidden: false,
  participant: 7,
  added_by: null,
  ...extra,
});

const SNAPSHOT = {
  settings: { moderated: true, names: "named" },
  questions: [
    view(1, { votes: 3 }),
    view(2, { votes: 5, language: "fr" }),
    view(3, { status: "pending" }),
    view(4, { votes: 5 }),
    view(5, { status: "answered" }),
    view(6, { hidden: true, votes: 9 }),
  ],
  people: [{ id: "ana", name: "Ana Lee", items: ["talk"], link: null }],
};

test("the queue: by votes (older first on a tie) or by time, pinned first", () => {
  const state = fromSnapshot(SNAPSHOT);
  assert.deepEqual(queue(state).map((q) => q.id), [2, 4, 1]);
  assert.deepEqual(queue(state, { sort: "time" }).map((q) => q.id), [4, 2, 1]);
  const pinned = applyEvent(state, "qa.staff", { question: view(1, { votes: 3, pinned: true }) });
  assert.deepEqual(queue(pinned).map((q) => q.id), [1, 2, 4]);
  assert.deepEqual(queue(state, { filter: "pending" }).map((q) => q.id), [3]);
  assert.deepEqual(queue(state, { filter: "hidden" }).map((q) => q.id), [6]);
  assert.deepEqual(queue(state, { filter: "all", language: "fr" }).map((q) => q.id), [2]);
  assert.deepEqual(tallies(state), { pending: 1, open: 3, answered: 1, hidden: 1, all: 6 });
  assert.deepEqual(languagesOf(state), ["en", "fr"]);
});

test("events: staff views replace, public ones keep the staff fields, votes follow", () => {
  let state = fromSnapshot(SNAPSHOT);
  const { hidden, participant, added_by, ...publicView } = view(3, { status: "open", text: "Fixed" });
  state = applyEvent(state, "qa.question", { question: publicView });
  assert.equal(state.questions[3].status, "open");
  assert.equal(state.questions[3].participant, 7);
  state = applyEvent(state, "qa.votes", { votes: [[1, 8], [99, 1]] });
  assert.equal(state.questions[1].votes, 8);
  assert.equal(state.questions[99], undefined);
  state = applyEvent(state, "qa.settings", { moderated: false, names: "any" });
  assert.deepEqual(state.settings, { moderated: false, names: "any" });
  state = applyEvent(state, "qa.link", { speaker: "ana", token: "tok" });
  assert.equal(state.people[0].link, "tok");
  state = applyEvent(state, "moderation.hidden", { participant: 7, answers: [], questions: [1, 2] });
  assert.deepEqual([state.questions[1].hidden, state.questions[2].hidden], [true, true]);
  assert.equal(applyEvent(state, "qa.removed", { question: 1 }), state);
});

test("answered by a speaker of the agenda or by a name as typed", () => {
  assert.deepEqual(answerPayload(5, { by: "ana", name: "ignored", text: " Yes. " }), {
    question: 5,
    answered: true,
    by_person: "ana",
    text: "Yes.",
  });
  assert.deepEqual(answerPayload(5, { by: "", name: " Janick ", text: "" }), {
    question: 5,
    answered: true,
    by_name: "Janick",
  });
});

test("a question added on someone's behalf", () => {
  assert.deepEqual(addPayload({ text: "  ", language: "en" }), { error: "text_missing" });
  assert.deepEqual(addPayload({ text: " Why? ", name: " Janick ", language: "fr", speaker: "ana" }), {
    payload: { text: "Why?", name: "Janick", language: "fr", speaker: "ana" },
  });
  assert.deepEqual(addPayload({ text: "Why?", name: "", language: "en", speaker: "" }), {
    payload: { text: "Why?", language: "en" },
  });
  assert.equal(speakerUrl("https://x.org", "a/b"), "https://x.org/speaker/a%2Fb");
});
