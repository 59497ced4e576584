// Timer maths every screen shares. A timer is {duration_s, elapsed_s, running_since_ms}
// (docs/protocol.md): remaining = duration - elapsed - (now - running_since).

export function remainingMs(timer, nowMs) {
  let elapsed = timer.elapsed_s * 1000;
  if (timer.running_since_ms !== null && timer.running_since_ms !== undefined) {
    // A clock slightly behind the server's never counts time backwards.
    elapsed += Math.max(0, nowMs - timer.running_since_ms);
  }
  return timer.duration_s * 1000 - elapsed;
}

export function isPaused(timer) {
  return timer.running_since_ms === null || timer.running_since_ms === undefined;
}

/** "ok", "warn" (20 % or less left) or "over" (past the end). */
export function timerLevel(timer, nowMs) {
  const left = remainingMs(timer, nowMs);
  if (left <= 0 && timer.duration_s > 0) return "over";
  if (left <= timer.duration_s * 1000 * 0.2) return "warn";
  return "ok";
}

/** m:ss, h:mm:ss past an hour; over time counts up with a "+" ("+1:05"). Seconds left
 * round up (a timer shows 0:00 only when it is over), seconds over round down. */
export function formatClock(ms) {
  const sign = ms < 0 ? "+" : "";
  const total = ms > 0 ? Math.ceil(ms / 1000) : Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours > 0 ? String(minutes).padStart(2, "0") : String(minutes);
  return sign + (hours > 0 ? hours + ":" : "") + mm + ":" + String(seconds).padStart(2, "0");
}
