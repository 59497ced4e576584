// The realtime client's outbox: what is kept, what an acknowledgement means.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  NO_ANSWER_RETRY_MS,
  Outbox,
  RETRY_AFTER_MS,
  ackOutcome,
  newCid,
  wireBody,
} from "../../static/shared/outbox.js";

class MemoryStorage {
  constructor() {
    this.values = new Map();
  }
  getItem(key) {
    return this.values.has(key) ? this.values.get(key) : null;
  }
  setItem(key, value) {
    this.values.set(key, String(value));
  }
}

test("no answer in time: send again (the cid makes it safe)", () => {
  assert.deepEqual(ackOutcome(true, undefined), { retryInMs: NO_ANSWER_RETRY_MS });
  assert.deepEqual(ackOutcome(false, null), { retryInMs: NO_ANSWER_RETRY_MS });
});

test("transient refusals are sent again after their delay", () => {
  for (const [code, delay] of Object.entries(RETRY_AFTER_MS)) {
    assert.deepEqual(ackOutcome(false, { ok: false, error: { code } }), { retryInMs: delay });
  }
  assert.equal(RETRY_AFTER_MS.rate_limited, 3000);
});

test("success and final refusals leave the outbox", () => {
  assert.deepEqual(ackOutcome(false, { ok: true, data: null }), { done: true });
  for (const code of ["bad_payload", "forbidden", "already_current", "toString"]) {
    assert.deepEqual(ackOutcome(false, { ok: false, error: { code } }), { done: true });
  }
});

test("the outbox survives a reload through its storage, in order", () => {
  const storage = new MemoryStorage();
  const outbox = new Outbox("facilitator.outbox.test", storage);
  const first = outbox.add("live.next", {});
  const second = outbox.add("timer.adjust", { minutes: 5 });
  const reloaded = new Outbox("facilitator.outbox.test", storage);
  assert.deepEqual(
    reloaded.messages.map((m) => m.event),
    ["live.next", "timer.adjust"],
  );
  reloaded.remove(first.cid);
  assert.deepEqual(new Outbox("facilitator.outbox.test", storage).messages, [second]);
  assert.deepEqual(wireBody(second), { minutes: 5, cid: second.cid });
});

test("broken or missing storage: memory only", () => {
  const storage = new MemoryStorage();
  storage.setItem("k", "not json");
  assert.equal(new Outbox("k", storage).size, 0);
  const memory = new Outbox("k", null);
  memory.add("live.end", {});
  assert.equal(memory.size, 1);
  const full = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); } };
  const kept = new Outbox("k", full);
  kept.add("live.end", {});
  assert.equal(kept.size, 1);
});

test("cids are UUIDs, as the server accepts them", () => {
  const cid = newCid();
  assert.match(cid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(newCid(), cid);
});
