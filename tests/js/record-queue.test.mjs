// The record's saves over HTTP: what an answer means, one save of a note at a time, a
// note typed offline sent once with its last text, the review's order.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  basedOn,
  httpOutcome,
  moved,
  ordered,
  replaceable,
  sendable,
  slotKey,
} from "../../static/record/queue.js";

test("no answer, too many requests or a server failure: send again later", () => {
  assert.ok(httpOutcome(0).retryInMs > 0);
  assert.ok(httpOutcome(null).retryInMs > 0);
  assert.ok(httpOutcome(429).retryInMs > 0);
  assert.ok(httpOutcome(502).retryInMs > 0);
});

test("stored, a conflict or a refusal: done (the conflict is shown, not resent)", () => {
  for (const status of [200, 201, 400, 403, 409, 413]) {
    assert.deepEqual(httpOutcome(status), { done: true }, String(status));
  }
});

test("a slot is named as the server names it (spaces and case of a free name folded)", () => {
  assert.equal(slotKey({ kind: "item", item: "opening" }), "item:opening:::");
  assert.equal(
    slotKey({ kind: "conclusion", name: "  Khady   SAMBA " }),
    "conclusion::::khady samba",
  );
  assert.equal(
    slotKey({ kind: "answer", question: "q", person: "young-kim" }),
    "answer::young-kim:q:",
  );
});

test("one save of a note at a time; other notes and ungrouped messages go at once", () => {
  const messages = [
    { cid: "1", group: "a" },
    { cid: "2", group: "a" },
    { cid: "3", group: "b" },
    { cid: "4", group: null },
  ];
  assert.deepEqual(
    sendable(messages).map((m) => m.cid),
    ["1", "3", "4"],
  );
});

test("a note typed offline is queued once: the unsent save takes the newer text", () => {
  const sent = { cid: "1", group: "a", sent: true, payload: {} };
  const waiting = { cid: "2", group: "a", payload: {} };
  assert.equal(replaceable([sent], "a"), null); // sent once: resent as it was
  assert.equal(replaceable([sent, waiting], "a"), waiting);
  assert.equal(replaceable([sent, waiting], "b"), null);
});

test("a save that follows another of the same note is based on the version it made", () => {
  assert.equal(basedOn({ payload: { based_on: 3 } }, 7), 3);
  assert.equal(basedOn({ payload: { based_on: null } }, 7), 7);
  assert.equal(basedOn({ payload: { based_on: 0 } }, 7), 0);
});

test("the review's order: listed ids first, then the rest as compiled", () => {
  const entries = [{ id: "a" }, { id: "b" }, { id: "c" }];
  assert.deepEqual(
    ordered(entries, ["c", "a"]).map((e) => e.id),
    ["c", "a", "b"],
  );
  assert.deepEqual(
    ordered(entries, undefined).map((e) => e.id),
    ["a", "b", "c"],
  );
  assert.deepEqual(moved(entries, "b", -1), ["b", "a", "c"]);
  assert.deepEqual(moved(entries, "c", 1), ["a", "b", "c"]); // already last
});
