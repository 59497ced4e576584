// Drift and the re-timed rest of the day: the console's projection, in one place.
//
// Drift is how far the current item will end after (positive) or before (negative) its
// planned end, taking the timer as the truth; the remaining items of the same day are
// shown shifted by that drift, the gaps between them kept. Items are the snapshot's
// (workshop.items: id, day, start_ms, end_ms, in program order).
import { remainingMs } from "./timer.js";

const DAY_MS = 86400000;

/** How far `timeZone` is ahead of UTC at `ms`. */
function zoneOffsetMs(ms, timeZone) {
  const parts = {};
  const wallClock = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  for (const part of wallClock.formatToParts(new Date(ms))) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The same clock time `days` later in `timeZone` (a rehearsal on another date; a summer
 * time change in between keeps the clock time, not the hours). */
export function onShiftedDate(ms, days, timeZone) {
  if (!days) return ms;
  const moved = ms + days * DAY_MS;
  return moved + zoneOffsetMs(ms, timeZone) - zoneOffsetMs(moved, timeZone);
}

/** {driftS, dayEnd (ms, or null without a current item), starts: {item id: ms}}.
 * `shiftDays`: live.schedule_shift_days, the planned dates' distance to the run's. */
export function project({ items, currentId, timer, nowMs, timeZone, shiftDays = 0 }) {
  const index = currentId ? items.findIndex((item) => item.id === currentId) : -1;
  if (index < 0) return { driftS: 0, dayEnd: null, starts: {} };
  const current = items[index];
  const expectedEnd = nowMs + Math.max(0, remainingMs(timer, nowMs));
  const driftS = Math.round((expectedEnd - onShiftedDate(current.end_ms, shiftDays, timeZone)) / 1000);
  const shiftMs = driftS * 1000;
  const later = items.slice(index + 1).filter((item) => item.day === current.day);
  const starts = {};
  for (const item of later) starts[item.id] = onShiftedDate(item.start_ms, shiftDays, timeZone) + shiftMs;
  const dayEnd = later.length
    ? onShiftedDate(later[later.length - 1].end_ms, shiftDays, timeZone) + shiftMs
    : expectedEnd;
  return { driftS, dayEnd, starts };
}
