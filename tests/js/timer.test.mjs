import assert from "node:assert/strict";
import { test } from "node:test";

import { formatClock, isPaused, remainingMs, timerLevel } from "../../static/shared/timer.js";

const NOW = Date.UTC(2026, 0, 1, 9, 0);
const running = (sinceMs, durationS, elapsedS = 0) => ({
  duration_s: durationS,
  elapsed_s: elapsedS,
  running_since_ms: sinceMs,
});

test("remainingMs counts the time run before and since the last start", () => {
  assert.equal(remainingMs(running(NOW - 60_000, 600, 30), NOW), 510_000);
  assert.equal(remainingMs({ duration_s: 600, elapsed_s: 300, running_since_ms: null }, NOW), 300_000);
  assert.equal(remainingMs(running(NOW - 700_000, 600), NOW), -100_000);
});

test("a clock behind the timer's start counts no negative time", () => {
  assert.equal(remainingMs(running(NOW, 600), NOW - 2000), 600_000);
  assert.equal(remainingMs(running(NOW, 600), NOW + 60_000), 540_000);
});

test("isPaused", () => {
  assert.equal(isPaused({ duration_s: 1, elapsed_s: 0, running_since_ms: null }), true);
  assert.equal(isPaused({ duration_s: 1, elapsed_s: 0 }), true);
  assert.equal(isPaused(running(NOW, 1)), false);
});

test("timerLevel: ok, warn from 20 % left, over past the end", () => {
  assert.equal(timerLevel(running(NOW, 600), NOW + 479_000), "ok");
  assert.equal(timerLevel(running(NOW, 600), NOW + 480_000), "warn");
  assert.equal(timerLevel(running(NOW, 600), NOW + 599_999), "warn");
  assert.equal(timerLevel(running(NOW, 600), NOW + 600_000), "over");
  assert.equal(timerLevel(running(NOW, 600), NOW + 900_000), "over");
  assert.equal(timerLevel({ duration_s: 0, elapsed_s: 0, running_since_ms: null }, NOW), "warn");
});

test("formatClock rounds time left up and time over down", () => {
  assert.equal(formatClock(600_000), "10:00");
  assert.equal(formatClock(59_001), "1:00");
  assert.equal(formatClock(59_000), "0:59");
  assert.equal(formatClock(1), "0:01");
  assert.equal(formatClock(0), "0:00");
  assert.equal(formatClock(-999), "+0:00");
  assert.equal(formatClock(-65_500), "+1:05");
  assert.equal(formatClock(3_600_000), "1:00:00");
  assert.equal(formatClock(3_661_000), "1:01:01");
  assert.equal(formatClock(-7_325_000), "+2:02:05");
});
