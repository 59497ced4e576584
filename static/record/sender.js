// Sends the record's saves over HTTP through the outbox (shared/outbox.js): a save typed
// with no signal waits in localStorage and goes when the network is back, with its cid.
import { Outbox, wireBody } from "../shared/outbox.js";
import { basedOn, httpOutcome, replaceable, sendable } from "./queue.js";

function localStore() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/* options: storageKey, csrf, onAnswer(message, status, body), onStatus(online, pending),
 * chainVersion(group): the version the last save of a note made (for chained saves). */
export class HttpSender {
  constructor(options) {
    this.options = options;
    this.outbox = new Outbox("facilitator.outbox." + options.storageKey, localStore());
    this.inFlight = new Set();
    this.timer = null;
    this.online = navigator.onLine !== false;
    window.addEventListener("online", () => this.pump());
    window.addEventListener("offline", () => this.setOnline(false));
  }

  get pending() {
    return this.outbox.size;
  }

  setOnline(online) {
    this.online = online;
    if (this.options.onStatus) this.options.onStatus(online, this.outbox.size);
  }

  /** Queue a POST of `payload` to `url`; within a `group` a newer one replaces an unsent one. */
  send(url, payload, group) {
    const waiting = group ? replaceable(this.outbox.messages, group) : null;
    if (waiting) {
      waiting.payload = { ...payload, based_on: waiting.payload.based_on };
      if (!("based_on" in payload)) delete waiting.payload.based_on;
      this.outbox.save();
    } else {
      const message = this.outbox.add(url, payload);
      message.group = group || null;
      this.outbox.save();
    }
    this.pump();
  }

  drop(group) {
    this.outbox.messages = this.outbox.messages.filter(
      (message) => message.group !== group || this.inFlight.has(message.cid),
    );
    this.outbox.save();
  }

  has(group) {
    return this.outbox.messages.some((message) => message.group === group);
  }

  pump() {
    for (const message of sendable(this.outbox.messages)) this.transmit(message);
    if (this.options.onStatus) this.options.onStatus(this.online, this.outbox.size);
  }

  async transmit(message) {
    if (this.inFlight.has(message.cid)) return;
    this.inFlight.add(message.cid);
    if (!message.sent) {
      if ("based_on" in message.payload) {
        message.payload.based_on = basedOn(message, this.options.chainVersion(message.group));
      }
      message.sent = true; // from now on it is resent exactly as it is (same cid, same body)
      this.outbox.save();
    }
    let status = 0;
    let body = null;
    try {
      const response = await fetch(message.event, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": this.options.csrf },
        body: JSON.stringify(wireBody({ cid: message.cid, payload: message.payload })),
        credentials: "same-origin",
      });
      status = response.status;
      body = await response.json().catch(() => null);
    } catch {
      status = 0;
    }
    this.inFlight.delete(message.cid);
    const outcome = httpOutcome(status);
    if (!outcome.done) {
      this.setOnline(status !== 0);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.pump(), outcome.retryInMs);
      return;
    }
    this.outbox.remove(message.cid);
    this.setOnline(true);
    if (this.options.onAnswer) this.options.onAnswer(message, status, body);
    this.pump(); // the next save of the same note may go now
  }

  /** Resolves once nothing waits (or after `ms`). */
  idle(ms = 15000) {
    const until = Date.now() + ms;
    return new Promise((resolve) => {
      const check = () => {
        if (this.outbox.size === 0 || Date.now() > until) resolve(this.outbox.size === 0);
        else setTimeout(check, 100);
      };
      check();
    });
  }
}

/** A POST outside the outbox (publishing, an image): the answer's status and body. */
export async function post(url, csrf, body) {
  const isForm = body instanceof FormData;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: isForm ? { "X-CSRFToken": csrf } : { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: isForm ? body : JSON.stringify(body || {}),
      credentials: "same-origin",
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  } catch {
    return { status: 0, body: null };
  }
}
