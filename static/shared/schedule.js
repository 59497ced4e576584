// Drift and the re-timed rest of the day: the console's projection, in one place.
//
// Drift is how far the current item will end after (positive) or before (negative) its
// planned end, taking the timer as the truth; the remaining items of the same day are
// shown shifted by that drift, the gaps between them kept. Items are the snapshot's
// (workshop.items: id, day, start_ms, end_ms, in program order).
import { remainingMs } from "./timer.js";

/** {driftS, dayEnd (ms, or null without a current item), starts: {item id: ms}}.
 * `shiftMs`: live.schedule_shift_s × 1000. A run started on another date than planned
 * (a rehearsal) moves every planned time by it, so it is timed from its actual start
 * rather than against the clock times of another day; 0 on the planned date. */
export function project({ items, currentId, timer, nowMs, shiftMs = 0 }) {
  const index = currentId ? items.findIndex((item) => item.id === currentId) : -1;
  if (index < 0) return { driftS: 0, dayEnd: null, starts: {} };
  const current = items[index];
  const expectedEnd = nowMs + Math.max(0, remainingMs(timer, nowMs));
  const driftS = Math.round((expectedEnd - (current.end_ms + shiftMs)) / 1000);
  const moveMs = shiftMs + driftS * 1000;
  const later = items.slice(index + 1).filter((item) => item.day === current.day);
  const starts = {};
  for (const item of later) starts[item.id] = item.start_ms + moveMs;
  const dayEnd = later.length ? later[later.length - 1].end_ms + moveMs : expectedEnd;
  return { driftS, dayEnd, starts };
}
