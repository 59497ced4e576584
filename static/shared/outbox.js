// Mutations wait in an outbox (kept in localStorage) until the server acknowledges them,
// across reconnects and reloads; the cid makes a resend safe (docs/protocol.md).

/** How long to wait before a resend, by error code; other refusals are final. */
export const RETRY_AFTER_MS = { rate_limited: 3000, not_connected: 1000, internal_error: 5000 };
export const NO_ANSWER_RETRY_MS = 2000;

/** What an acknowledgement means for the message: {retryInMs} to send again, or
 * {done: true} to drop it from the outbox and report the ack. */
export function ackOutcome(timedOut, ack) {
  if (timedOut || !ack || typeof ack !== "object") return { retryInMs: NO_ANSWER_RETRY_MS };
  if (!ack.ok) {
    const code = ack.error && ack.error.code;
    if (Object.prototype.hasOwnProperty.call(RETRY_AFTER_MS, code)) {
      return { retryInMs: RETRY_AFTER_MS[code] };
    }
  }
  return { done: true };
}

export function newCid() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The messages not yet acknowledged, in sending order, mirrored to `storage`
 * (localStorage, or nothing in private mode: then they live in memory only). */
export class Outbox {
  constructor(key, storage) {
    this.key = key;
    this.storage = storage;
    this.messages = [];
    try {
      const raw = storage ? storage.getItem(key) : null;
      const kept = raw ? JSON.parse(raw) : [];
      if (Array.isArray(kept)) this.messages = kept;
    } catch {
      this.messages = [];
    }
  }

  get size() {
    return this.messages.length;
  }

  add(event, payload, cid = newCid()) {
    const message = { cid, event, payload: payload || {} };
    this.messages.push(message);
    this.save();
    return message;
  }

  remove(cid) {
    this.messages = this.messages.filter((message) => message.cid !== cid);
    this.save();
  }

  save() {
    try {
      if (this.storage) this.storage.setItem(this.key, JSON.stringify(this.messages));
    } catch {
      // full, or private mode: memory only
    }
  }
}

/** What goes on the wire: the payload with its cid. */
export function wireBody(message) {
  return { ...message.payload, cid: message.cid };
}
