// The record's saves go over HTTP (a rapporteur has no socket), through the same outbox
// as every mutation (shared/outbox.js): kept in localStorage until the server answers,
// resent with the same cid (stored once). These are the pure decisions; sender.js runs them.

/** What an HTTP answer means for a queued save: {retryInMs} to send it again later, or
 * {done: true} (stored, or refused for good: a conflict, a bad payload). `status` 0 or
 * null: no answer at all (offline, the connection dropped). */
export function httpOutcome(status) {
  if (!status) return { retryInMs: 2000 };
  if (status === 429) return { retryInMs: 3000 };
  if (status === 408 || status >= 500) return { retryInMs: 5000 };
  return { done: true };
}

/** The slot a note is about, as the server names it (record/notes.py slot_of). */
export function slotKey(where) {
  const name = String(where.name || "").split(/\s+/).filter(Boolean).join(" ").toLowerCase();
  return [where.kind, where.item || "", where.person || "", where.question || "", name].join(":");
}

/** The messages of `group` in the outbox, oldest first. */
export function ofGroup(messages, group) {
  return messages.filter((message) => message.group === group);
}

/** Which messages may go now: per group only the oldest (a note's saves go one after
 * the other, each based on the version the one before made); messages with no group
 * all go. */
export function sendable(messages) {
  const seen = new Set();
  const out = [];
  for (const message of messages) {
    if (!message.group) {
      out.push(message);
    } else if (!seen.has(message.group)) {
      seen.add(message.group);
      out.push(message);
    }
  }
  return out;
}

/** Queue a newer text for `group`: the last queued message of the group takes it if it
 * was never sent (a note typed offline is sent once, with its last text); otherwise a
 * new message is due. Returns the message to update, or null. */
export function replaceable(messages, group) {
  const mine = ofGroup(messages, group);
  const last = mine[mine.length - 1];
  return last && !last.sent ? last : null;
}

/** The version a note's queued save is based on: the one it was typed from, or, when it
 * follows an earlier save of the same note (null), the version that save made. */
export function basedOn(message, chainVersion) {
  const given = message.payload.based_on;
  return given === null || given === undefined ? chainVersion : given;
}

/** The order of a section's entries once `order` (ids) is applied: listed ids first in
 * that order, then the rest as compiled (record/review.py _ordered). */
export function ordered(entries, order) {
  const rank = new Map((order || []).map((id, i) => [id, i]));
  const size = rank.size;
  return entries
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => {
      const ra = rank.has(a.entry.id) ? rank.get(a.entry.id) : size;
      const rb = rank.has(b.entry.id) ? rank.get(b.entry.id) : size;
      return ra - rb || a.i - b.i;
    })
    .map((pair) => pair.entry);
}

/** The ids of `entries` in order after moving `id` by `step` (-1 up, +1 down). */
export function moved(entries, id, step) {
  const ids = entries.map((entry) => entry.id);
  const at = ids.indexOf(id);
  const to = at + step;
  if (at < 0 || to < 0 || to >= ids.length) return ids;
  [ids[at], ids[to]] = [ids[to], ids[at]];
  return ids;
}
