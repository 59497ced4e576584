// The realtime client every screen uses: connection status, snapshots and the audience
// streams, a clock agreed with the server, and the outbox. Protocol: docs/protocol.md.
// The decisions are in pure modules (streams.js, outbox.js) that tests/js/ covers.
import { io } from "socket.io-client";

import { Outbox, ackOutcome, wireBody } from "./outbox.js";
import { APPLY_THEN_SYNC, DROP, StreamTracker, resyncDelay } from "./streams.js";

const ACK_TIMEOUT_MS = 10000;
const SYNC_RETRY_MS = 2000;
const STALE_SNAPSHOTS_MAX = 3;
const CLOCK_SAMPLES = 5;
const TRANSPORT_ERRORS = new Set(["xhr poll error", "websocket error", "timeout"]);

function localStore() {
  try {
    return window.localStorage; // blocked storage throws on access
  } catch {
    return null;
  }
}

/* options: auth (the Socket.IO auth payload), storageKey (the outbox's namespace),
 * events (server event names to follow), streams (numbers the page was drawn at),
 * onSnapshot(data), onEvent(name, data), onStatus(status, detail) with status one of
 * "connecting", "online", "offline", "refused", onAck(message, ack). */
export class LiveClient {
  constructor(options) {
    this.options = options;
    this.tracker = new StreamTracker();
    if (options.streams) this.tracker.reset({ streams: options.streams });
    this.offsetMs = options.offsetMs || 0;
    this.clockSynced = false;
    this.status = "connecting";
    this.outbox = new Outbox("facilitator.outbox." + options.storageKey, localStore());
    this.pending = new Map(); // cid -> resolve of send()'s promise
    this.inFlight = new Set();
    this.staleSnapshots = 0;
    this.socket = null;
  }

  connect() {
    // A websocket straight away (one request, not a polling handshake first); long
    // polling still takes over where a network blocks websockets.
    const socket = io({
      auth: this.options.auth,
      reconnectionDelayMax: 5000,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
    });
    this.socket = socket;
    this.setStatus("connecting");
    socket.on("connect", () => {
      this.setStatus("online");
      this.inFlight.clear();
      this.sync();
      this.syncClock();
      this.flushOutbox();
    });
    socket.on("disconnect", () => this.setStatus("offline"));
    socket.on("connect_error", (error) => {
      const message = error && error.message;
      this.setStatus(message && !TRANSPORT_ERRORS.has(message) ? "refused" : "offline", message);
    });
    for (const name of this.options.events || []) {
      socket.on(name, (data) => this.receive(name, data));
    }
    // A reset after a rehearsal: whatever the screen holds is gone, take the whole picture
    // (the room's phones spread over the window the server gives; a console and a projector
    // at once: the moderator who reset is looking at them).
    socket.on("live.cleared", (data) => {
      this.receive("live.cleared", data);
      const phone = this.options.auth && this.options.auth.as === "participant";
      setTimeout(() => this.sync(), phone ? resyncDelay(data) : 0);
    });
    window.addEventListener("online", () => {
      if (!socket.connected) socket.connect();
    });
    return this;
  }

  setStatus(status, detail) {
    this.status = status;
    if (this.options.onStatus) this.options.onStatus(status, detail);
  }

  receive(name, data) {
    const decision = this.tracker.receive(data);
    if (decision === DROP) return;
    if (this.options.onEvent) this.options.onEvent(name, data);
    if (decision === APPLY_THEN_SYNC) this.sync(); // missed something: take the whole picture
  }

  sync() {
    if (!this.socket || !this.socket.connected) return;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("live.sync", {}, (error, ack) => {
      if (error || !ack || !ack.ok) {
        setTimeout(() => this.sync(), SYNC_RETRY_MS);
        return;
      }
      // An event newer than this snapshot came while it was on its way: ask again (a few
      // times at most: a server whose database was reset counts from lower).
      if (this.tracker.isStale(ack.data) && ++this.staleSnapshots <= STALE_SNAPSHOTS_MAX) {
        this.sync();
        return;
      }
      this.staleSnapshots = 0;
      this.tracker.reset(ack.data);
      if (typeof ack.data.server_ms === "number" && !this.clockSynced) {
        this.offsetMs = ack.data.server_ms - Date.now();
      }
      if (this.options.onSnapshot) this.options.onSnapshot(ack.data);
    });
  }

  /* NTP-style: of a few pings, keep the one with the shortest round trip. */
  syncClock() {
    let best = null;
    let left = CLOCK_SAMPLES;
    const sample = () => {
      if (!this.socket || !this.socket.connected) return;
      const sent = Date.now();
      this.socket.timeout(ACK_TIMEOUT_MS).emit("clock.ping", {}, (error, ack) => {
        const roundTrip = Date.now() - sent;
        if (!error && ack && ack.ok && (best === null || roundTrip < best.roundTrip)) {
          best = { roundTrip, offset: ack.data.server_ms - (sent + roundTrip / 2) };
        }
        left -= 1;
        if (left > 0) setTimeout(sample, 150);
        else if (best !== null) {
          this.offsetMs = best.offset;
          this.clockSynced = true;
        }
      });
    };
    sample();
  }

  now() {
    return Date.now() + this.offsetMs;
  }

  /** Sends a mutation, kept in the outbox until acknowledged; resolves with the ack. */
  send(event, payload) {
    const message = this.outbox.add(event, payload);
    return new Promise((resolve) => {
      this.pending.set(message.cid, resolve);
      this.transmit(message);
    });
  }

  transmit(message) {
    if (!this.socket || !this.socket.connected || this.inFlight.has(message.cid)) return;
    this.inFlight.add(message.cid);
    this.socket.timeout(ACK_TIMEOUT_MS).emit(message.event, wireBody(message), (error, ack) => {
      this.inFlight.delete(message.cid);
      const outcome = ackOutcome(Boolean(error), ack);
      if (!outcome.done) {
        setTimeout(() => this.transmit(message), outcome.retryInMs);
        return;
      }
      this.outbox.remove(message.cid);
      const resolve = this.pending.get(message.cid);
      this.pending.delete(message.cid);
      if (resolve) resolve(ack);
      if (this.options.onAck) this.options.onAck(message, ack);
    });
  }

  flushOutbox() {
    for (const message of this.outbox.messages) this.transmit(message);
  }

  disconnect() {
    if (this.socket) this.socket.disconnect();
  }
}
