// Which server events to apply: the pure half of the realtime client (docs/protocol.md,
// "Sequence numbers and snapshots"). Each audience a screen belongs to (the workshop,
// the moderators, this participant) numbers its own stream; a gap in one of the
// screen's own streams means something was missed, and a snapshot repairs it.

export const DROP = "drop"; // seen already
export const APPLY = "apply";
export const APPLY_THEN_SYNC = "apply-then-sync"; // something before it was missed

/** The event's stream and seq, or null for events that are not sequenced (tallies).
 * Before the per-audience streams, events had a seq and no stream: the workshop's. */
export function sequenceOf(data) {
  if (!data || typeof data.seq !== "number") return null;
  return { stream: typeof data.stream === "string" ? data.stream : "workshop", seq: data.seq };
}

/** The snapshot's stream numbers; an older server's top-level seq is the workshop's. */
export function snapshotStreams(snapshot) {
  if (snapshot && snapshot.streams && typeof snapshot.streams === "object") {
    return { ...snapshot.streams };
  }
  if (snapshot && typeof snapshot.seq === "number") return { workshop: snapshot.seq };
  return {};
}

export class StreamTracker {
  constructor() {
    this.last = {}; // stream name -> the last seq seen on it
  }

  /** What to do with an event; records its seq when it is to be applied. */
  receive(data) {
    const sequence = sequenceOf(data);
    if (sequence === null) return APPLY;
    const { stream, seq } = sequence;
    const last = this.last[stream];
    if (last === undefined) {
      // A stream this screen has no number for yet (no snapshot so far): take it as is.
      this.last[stream] = seq;
      return APPLY;
    }
    if (seq <= last) return DROP;
    this.last[stream] = seq;
    return seq === last + 1 ? APPLY : APPLY_THEN_SYNC;
  }

  /** True when the snapshot is older than events already applied: ask again. */
  isStale(snapshot) {
    const streams = snapshotStreams(snapshot);
    return Object.keys(streams).some(
      (name) => this.last[name] !== undefined && streams[name] < this.last[name],
    );
  }

  /** A snapshot replaces the screen's whole picture, its numbers included. */
  reset(snapshot) {
    this.last = snapshotStreams(snapshot);
  }
}

const SYNC_WITHIN_MAX_MS = 30000;

/** How long a screen waits before it takes a new snapshot when the server asks for one
 * (breakouts.moved, live.cleared): at a random moment within the message's
 * `sync_within_ms` (a thousand phones asked at once), at once when there is none. */
export function resyncDelay(message, random = Math.random) {
  const within = message && Number.isFinite(message.sync_within_ms) ? message.sync_within_ms : 0;
  return Math.floor(random() * Math.min(Math.max(0, within), SYNC_WITHIN_MAX_MS));
}
