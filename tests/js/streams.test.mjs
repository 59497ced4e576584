// The realtime client's decisions about server events: per-stream sequence numbers.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  APPLY,
  APPLY_THEN_SYNC,
  DROP,
  StreamTracker,
  sequenceOf,
  snapshotStreams,
} from "../../static/shared/streams.js";

const phone = () => {
  const tracker = new StreamTracker();
  tracker.reset({ streams: { workshop: 10, participant: 3 } });
  return tracker;
};

test("the next number is applied, a number seen already is dropped", () => {
  const tracker = phone();
  assert.equal(tracker.receive({ stream: "workshop", seq: 11 }), APPLY);
  assert.equal(tracker.receive({ stream: "workshop", seq: 11 }), DROP);
  assert.equal(tracker.receive({ stream: "workshop", seq: 9 }), DROP);
  assert.equal(tracker.receive({ stream: "workshop", seq: 12 }), APPLY);
});

test("a gap is applied, then asks for a snapshot", () => {
  const tracker = phone();
  assert.equal(tracker.receive({ stream: "workshop", seq: 13 }), APPLY_THEN_SYNC);
  assert.equal(tracker.last.workshop, 13);
  assert.equal(tracker.receive({ stream: "workshop", seq: 14 }), APPLY);
});

test("each stream counts on its own", () => {
  const tracker = phone();
  assert.equal(tracker.receive({ stream: "participant", seq: 4 }), APPLY);
  assert.equal(tracker.receive({ stream: "workshop", seq: 11 }), APPLY);
  assert.equal(tracker.receive({ stream: "participant", seq: 4 }), DROP);
  assert.equal(tracker.receive({ stream: "participant", seq: 6 }), APPLY_THEN_SYNC);
  assert.deepEqual(tracker.last, { workshop: 11, participant: 6 });
});

test("the moderators' numbers moving on never make a phone resync", () => {
  // A phone is not in the moderators' room: 500 events there, then one for everyone.
  const tracker = phone();
  assert.equal(tracker.receive({ stream: "workshop", seq: 11 }), APPLY);
  const console_ = new StreamTracker();
  console_.reset({ streams: { workshop: 10, moderators: 1 } });
  for (let seq = 2; seq <= 501; seq += 1) {
    assert.equal(console_.receive({ stream: "moderators", seq }), APPLY);
  }
  assert.equal(console_.receive({ stream: "workshop", seq: 11 }), APPLY);
});

test("events without a number (tallies) are applied as they come", () => {
  const tracker = phone();
  assert.equal(sequenceOf({ connected: { total: 3 } }), null);
  assert.equal(tracker.receive({ connected: { total: 3 } }), APPLY);
  assert.equal(tracker.receive({ connected: { total: 3 } }), APPLY);
  assert.equal(tracker.receive(undefined), APPLY);
  assert.deepEqual(tracker.last, { workshop: 10, participant: 3 });
});

test("old-style events and snapshots (a top-level seq, no stream) are the workshop's", () => {
  assert.deepEqual(sequenceOf({ seq: 5, live: {} }), { stream: "workshop", seq: 5 });
  assert.deepEqual(snapshotStreams({ seq: 7, live: {} }), { workshop: 7 });
  assert.deepEqual(snapshotStreams({ streams: { workshop: 2, moderators: 9 }, seq: 1 }), {
    workshop: 2,
    moderators: 9,
  });
  assert.deepEqual(snapshotStreams({}), {});
  const tracker = new StreamTracker();
  tracker.reset({ seq: 7 });
  assert.equal(tracker.receive({ seq: 8 }), APPLY);
  assert.equal(tracker.receive({ seq: 8 }), DROP);
  assert.equal(tracker.receive({ seq: 10 }), APPLY_THEN_SYNC);
});

test("a stream without a number yet is taken as it comes", () => {
  const tracker = new StreamTracker();
  assert.equal(tracker.receive({ stream: "workshop", seq: 40 }), APPLY);
  assert.equal(tracker.receive({ stream: "workshop", seq: 41 }), APPLY);
});

test("a snapshot older than what was applied is stale; a newer one replaces the numbers", () => {
  const tracker = phone();
  tracker.receive({ stream: "workshop", seq: 11 });
  assert.equal(tracker.isStale({ streams: { workshop: 10, participant: 3 } }), true);
  assert.equal(tracker.isStale({ streams: { workshop: 11, participant: 3 } }), false);
  assert.equal(tracker.isStale({ seq: 10 }), true);
  tracker.reset({ streams: { workshop: 15, participant: 3 } });
  assert.equal(tracker.receive({ stream: "workshop", seq: 15 }), DROP);
  assert.equal(tracker.receive({ stream: "workshop", seq: 16 }), APPLY);
});
