// The realtime client's glue over a stand-in socket: what it applies, drops and asks for.
import assert from "node:assert/strict";
import { test } from "node:test";

import { LiveClient } from "../../static/shared/realtime.js";

/** Records what the client emits; `answer(event, payload)` gives each acknowledgement. */
class FakeSocket {
  constructor(answer) {
    this.connected = true;
    this.sent = [];
    this.answer = answer;
  }
  timeout() {
    return this;
  }
  emit(event, payload, callback) {
    this.sent.push({ event, payload });
    callback(null, this.answer(event, payload));
  }
  disconnect() {
    this.connected = false;
  }
}

function phoneClient(snapshots) {
  const applied = [];
  const shown = [];
  const client = new LiveClient({
    auth: { as: "participant" },
    storageKey: "test",
    onEvent: (name, data) => applied.push([name, data.seq]),
    onSnapshot: (snapshot) => shown.push(snapshot.streams),
  });
  client.socket = new FakeSocket((event) =>
    event === "live.sync" ? { ok: true, data: snapshots.shift() } : { ok: true, data: null },
  );
  return { client, applied, shown };
}

test("a snapshot, the next event, a duplicate, then a gap that brings a new snapshot", () => {
  const { client, applied, shown } = phoneClient([
    { streams: { workshop: 4, participant: 1 }, server_ms: 0 },
    { streams: { workshop: 7, participant: 1 }, server_ms: 0 },
  ]);
  client.sync();
  assert.deepEqual(shown, [{ workshop: 4, participant: 1 }]);
  assert.deepEqual(client.socket.sent.at(-1), { event: "live.sync", payload: {} });

  client.receive("live.state", { stream: "workshop", seq: 5 });
  client.receive("live.state", { stream: "workshop", seq: 5 }); // a duplicate
  assert.deepEqual(applied, [["live.state", 5]]);

  client.receive("live.state", { stream: "workshop", seq: 7 }); // 6 was missed
  assert.deepEqual(applied, [["live.state", 5], ["live.state", 7]]);
  assert.equal(shown.length, 2); // and a snapshot was asked for and shown
  assert.equal(client.socket.sent.filter((m) => m.event === "live.sync").length, 2);
});

test("tallies are applied as they come and never resync", () => {
  const { client, applied } = phoneClient([{ streams: { workshop: 1 } }]);
  client.sync();
  client.receive("presence.changed", { connected: { total: 2 } });
  client.receive("presence.changed", { connected: { total: 3 } });
  assert.equal(applied.length, 2);
  assert.equal(client.socket.sent.length, 1);
});

test("an old server's snapshot (top-level seq) and events (no stream) are followed", () => {
  const { client, applied } = phoneClient([{ seq: 10 }]);
  client.sync();
  client.receive("live.state", { seq: 10 }); // in the snapshot already
  client.receive("live.state", { seq: 11 });
  assert.deepEqual(applied, [["live.state", 11]]);
  assert.equal(client.socket.sent.length, 1);
});

test("a snapshot older than an event already applied is asked for again", () => {
  const { client, shown } = phoneClient([
    { streams: { workshop: 4 } },
    { streams: { workshop: 5 } },
    { streams: { workshop: 6 } },
  ]);
  client.sync();
  client.receive("live.state", { stream: "workshop", seq: 6 }); // a gap: asks; 5 < 6 is stale
  assert.deepEqual(shown, [{ workshop: 4 }, { workshop: 6 }]);
});

test("a mutation leaves the outbox when acknowledged, with its cid on the wire", async () => {
  const { client } = phoneClient([]);
  const acked = client.send("participant.language", { language: "fr" });
  const ack = await acked;
  assert.deepEqual(ack, { ok: true, data: null });
  assert.equal(client.outbox.size, 0);
  const sent = client.socket.sent.at(-1);
  assert.equal(sent.event, "participant.language");
  assert.equal(sent.payload.language, "fr");
  assert.match(sent.payload.cid, /^[0-9a-f-]{36}$/);
});

test("offline, a mutation waits in the outbox and goes on reconnecting", () => {
  const { client } = phoneClient([]);
  client.socket.connected = false;
  client.send("live.next", {});
  assert.equal(client.outbox.size, 1);
  assert.equal(client.socket.sent.length, 0);
  client.socket.connected = true;
  client.flushOutbox();
  assert.equal(client.outbox.size, 0);
  assert.equal(client.socket.sent[0].event, "live.next");
});
