// The drift projection (static/shared/schedule.js): the cases of the former Python
// tests (tests/live/test_schedule.py), same agendas, same expected values.
import assert from "node:assert/strict";
import { test } from "node:test";

import { project } from "../../static/shared/schedule.js";

// The 2021 seed (sessions/2021-local-governments-sse-alliances.yaml): 8 October 2021 in Seoul.
const SEOUL = "Asia/Seoul";
const seoul = (hour, minute, second = 0) => Date.UTC(2021, 9, 8, hour - 9, minute, second);
const SEED_TIMES = [
  ["connection-check", "18:00", "18:01"],
  ["moderator-introduction", "18:01", "18:06"],
  ["session-introduction", "18:06", "18:11"],
  ["speaker-1", "18:11", "18:21"],
  ["speaker-2", "18:21", "18:31"],
  ["speaker-3", "18:31", "18:41"],
  ["speaker-4", "18:41", "18:51"],
  ["discussion", "18:51", "19:15"],
  ["audience-qa", "19:15", "19:25"],
  ["closing", "19:25", "19:30"],
];
const at = (clock, zoned) => zoned(...clock.split(":").map(Number));
const SEED = SEED_TIMES.map(([id, start, end]) => ({
  id,
  day: 1,
  start_ms: at(start, seoul),
  end_ms: at(end, seoul),
}));

// Two days in Paris (winter time, UTC+1), with a coffee break between b and c on the first.
const PARIS = "Europe/Paris";
const paris = (day, hour, minute) => Date.UTC(2026, 2, day, hour - 1, minute);
const TWO_DAYS = [
  ["a", 2, "09:00", "10:00"],
  ["b", 2, "10:00", "10:30"],
  ["c", 2, "11:00", "12:00"],
  ["d", 2, "12:15", "12:45"],
  ["e", 3, "09:00", "10:00"],
  ["f", 3, "10:00", "11:00"],
].map(([id, date, start, end]) => ({
  id,
  day: date - 1,
  start_ms: at(start, (h, m) => paris(date, h, m)),
  end_ms: at(end, (h, m) => paris(date, h, m)),
}));

const running = (sinceMs, durationS, elapsedS = 0) => ({
  duration_s: durationS,
  elapsed_s: elapsedS,
  running_since_ms: sinceMs,
});
const seed = (currentId, timer, nowMs) =>
  project({ items: SEED, currentId, timer, nowMs, });
const twoDays = (currentId, timer, nowMs) =>
  project({ items: TWO_DAYS, currentId, timer, nowMs, });

test("on time", () => {
  const result = seed("speaker-1", running(seoul(18, 11), 600), seoul(18, 15));
  assert.equal(result.driftS, 0);
  assert.equal(result.dayEnd, seoul(19, 30));
  assert.equal(result.starts["speaker-2"], seoul(18, 21));
  assert.equal(result.starts.closing, seoul(19, 25));
});

test("running late by a timer overrun", () => {
  // speaker-1 started on time, and is still speaking 4 minutes after its end
  const timer = running(seoul(18, 11), 600);
  const result = seed("speaker-1", timer, seoul(18, 25));
  assert.equal(result.driftS, 240);
  assert.equal(result.starts["speaker-2"], seoul(18, 25));
  assert.equal(result.starts.discussion, seoul(18, 55));
  assert.equal(result.dayEnd, seoul(19, 34));

  // the overrun grows with every second the speaker goes on
  const later = seed("speaker-1", timer, seoul(18, 26, 30));
  assert.equal(later.driftS, 330);
  assert.equal(later.dayEnd, seoul(19, 35, 30));
});

test("running late because the item started late", () => {
  const result = seed("speaker-1", running(seoul(18, 14), 600), seoul(18, 15));
  assert.equal(result.driftS, 180);
  assert.equal(result.starts["speaker-2"], seoul(18, 24));
});

test("running early after moving on before the planned end", () => {
  // speaker-1 finished at 18:18 instead of 18:21, and speaker-2 began at once
  const result = seed("speaker-2", running(seoul(18, 18), 600), seoul(18, 19));
  assert.equal(result.driftS, -180);
  assert.equal(result.starts["speaker-3"], seoul(18, 28));
  assert.equal(result.starts.closing, seoul(19, 22));
  assert.equal(result.dayEnd, seoul(19, 27));
  assert.ok(!("speaker-2" in result.starts)); // only the items still to come
  assert.ok(!("speaker-1" in result.starts));
});

test("a paused timer pushes the rest of the day", () => {
  // speaker-1 ran 5 of its 10 minutes, then paused at 18:16
  const timer = { duration_s: 600, elapsed_s: 300, running_since_ms: null };
  assert.equal(seed("speaker-1", timer, seoul(18, 16)).driftS, 0);
  const tenMinutesOn = seed("speaker-1", timer, seoul(18, 26));
  assert.equal(tenMinutesOn.driftS, 600);
  assert.equal(tenMinutesOn.starts["speaker-2"], seoul(18, 31));
  assert.equal(tenMinutesOn.dayEnd, seoul(19, 40));
});

test("the last item of the day ends the day", () => {
  const result = seed("closing", running(seoul(19, 27), 300), seoul(19, 28));
  assert.deepEqual(result.starts, {});
  assert.equal(result.driftS, 120);
  assert.equal(result.dayEnd, seoul(19, 32));
});

test("gaps are kept and other days untouched", () => {
  // item a runs 10 minutes over
  const result = twoDays("a", running(paris(2, 9, 0), 3600), paris(2, 10, 10));
  assert.equal(result.driftS, 600);
  assert.deepEqual(result.starts, {
    b: paris(2, 10, 10),
    c: paris(2, 11, 10), // the 30-minute break is still there
    d: paris(2, 12, 25), // and the 15-minute one
  });
  assert.equal(result.dayEnd, paris(2, 12, 55));
});

test("on the second day only its items move", () => {
  const result = twoDays("e", running(paris(3, 9, 5), 3600), paris(3, 9, 30));
  assert.equal(result.driftS, 300);
  assert.deepEqual(result.starts, { f: paris(3, 10, 5) });
  assert.equal(result.dayEnd, paris(3, 11, 5));
});

test("nothing to project before the start or after the end", () => {
  const idle = { duration_s: 0, elapsed_s: 0, running_since_ms: null };
  assert.deepEqual(twoDays(null, idle, paris(2, 9, 0)), { driftS: 0, dayEnd: null, starts: {} });
  // nor for an item the program no longer has (the agenda was re-loaded without it)
  assert.deepEqual(twoDays("gone", idle, paris(2, 9, 0)), { driftS: 0, dayEnd: null, starts: {} });
});

test("a rehearsal at night, days later, is timed from its actual start", () => {
  // The case of tests/live/test_services.py: started 1506 days and 5 h 2 min after the
  // planned 18:00; the server gives schedule_shift_s for exactly that distance.
  const shiftMs = (1506 * 86400 + 5 * 3600 + 120) * 1000;
  const rehearsal = seoul(18, 0) + shiftMs;
  const result = project({
    items: SEED,
    currentId: "connection-check",
    timer: running(rehearsal, 60),
    nowMs: rehearsal + 20000,
    shiftMs,
  });
  // Not "300 min behind": the first item has its planned minute, from when it started.
  assert.equal(result.driftS, 0);
  assert.equal(result.starts["moderator-introduction"], seoul(18, 1) + shiftMs);
  assert.equal(result.dayEnd, seoul(19, 30) + shiftMs);
});

test("a rehearsal that overruns its first item drifts by the overrun only", () => {
  const shiftMs = -((2 * 86400 - 3 * 3600) * 1000); // two days earlier, three hours later
  const start = paris(2, 9, 0) + shiftMs;
  const result = project({
    items: TWO_DAYS,
    currentId: "a",
    timer: running(start, 3600),
    nowMs: start + 3600000 + 5 * 60000, // five minutes over
  });
  assert.equal(result.driftS, 300 + shiftMs / 1000); // unshifted: against the clock of the day
  const shifted = project({
    items: TWO_DAYS,
    currentId: "a",
    timer: running(start, 3600),
    nowMs: start + 3600000 + 5 * 60000,
    shiftMs,
  });
  assert.equal(shifted.driftS, 300);
  assert.equal(shifted.starts.c, paris(2, 11, 5) + shiftMs); // the gap before c is kept
});
