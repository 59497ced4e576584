// How the breakout screens follow a page's LiveClient (static/breakouts/attach.js): their
// events go through the client's stream tracker like the page's own, the page keeps its
// events and snapshots, and a client already connected listens at once.
import assert from "node:assert/strict";
import { test } from "node:test";

import { attach } from "../../static/breakouts/attach.js";

function fakeClient(connected) {
  const seen = [];
  const client = {
    options: {
      events: ["live.state"],
      onSnapshot: (snapshot) => seen.push(["page snapshot", snapshot.n]),
      onEvent: (name) => seen.push(["page", name]),
    },
    socket: null,
    received: [],
    receive(name, data) {
      this.received.push(name);
      this.options.onEvent(name, data);
    },
  };
  if (connected) {
    client.socket = { handlers: {}, on(name, handler) { this.handlers[name] = handler; } };
  }
  return { client, seen };
}

test("a feature's events are followed, the page's still reach the page", () => {
  const { client, seen } = fakeClient(false);
  attach(client, {
    events: ["breakouts.card", "live.state"],
    onSnapshot: (snapshot) => seen.push(["mine snapshot", snapshot.n]),
    onEvent: (name) => seen.push(["mine", name]),
  });
  assert.deepEqual(client.options.events, ["live.state", "breakouts.card"]); // none twice
  client.options.onSnapshot({ n: 1 });
  client.options.onEvent("breakouts.card", {});
  client.options.onEvent("live.state", {});
  client.options.onEvent("program.changed", {});
  assert.deepEqual(seen, [
    ["page snapshot", 1],
    ["mine snapshot", 1],
    ["page", "breakouts.card"],
    ["mine", "breakouts.card"],
    ["page", "live.state"], // an event both follow reaches both
    ["mine", "live.state"],
    ["page", "program.changed"],
  ]);
});

test("a client already connected listens to the new events through its tracker", () => {
  const { client, seen } = fakeClient(true);
  attach(client, { events: ["breakouts.votes"], onSnapshot: () => {}, onEvent: (name) => seen.push(["mine", name]) });
  client.socket.handlers["breakouts.votes"]({ seq: 4 });
  assert.deepEqual(client.received, ["breakouts.votes"]);
  assert.deepEqual(seen, [
    ["page", "breakouts.votes"],
    ["mine", "breakouts.votes"],
  ]);
});
