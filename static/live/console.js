// The moderator console: the program with planned, actual and re-timed times, the
// controls, the timer, drift, who is connected. Everything shown comes from the
// `live.sync` snapshot and the events after it, so several moderator devices show and
// drive the same session. Translated strings come from page-data.
import { countryNames, clockFormat } from "../shared/format.js";
import { byId, pageData, setText, whenReady } from "../shared/page.js";
import { LiveClient } from "../shared/realtime.js";
import { project } from "../shared/schedule.js";
import { fill, pickText } from "../shared/text.js";
import { formatClock, isPaused, remainingMs, timerLevel } from "../shared/timer.js";
import { html, mount } from "../shared/view.js";
import { wireKeys, wireReset } from "./controls.js";
import { Program } from "./program.js";
import { mountBreakoutsConsole } from "../breakouts/console.js";
import { bringsBreakouts } from "../breakouts/model.js";
import { mountQuestionsConsole } from "../questions/console.js";

const TICK_MS = 250;
const PARTICIPANTS_EVERY_MS = 2000;

const data = pageData();
const S = data.strings;
const ERRORS = data.errors;
const time = clockFormat(data.locale, data.timezone);
const countryName = countryNames(data.locale);
const text = (value) => pickText(value, data.language, data.default_language);
const languageName = (code) => (code ? data.languages[code] || code : S.unknown_language);

const model = { workshop: null, live: null, runs: [], skipped: [], presence: null, participants: [] };
let client = null;

const items = () => (model.workshop ? model.workshop.items : []);

function currentItem() {
  const live = model.live;
  if (!live || live.phase !== "running" || !live.item) return null;
  return items().find((item) => item.id === live.item) || null;
}

function projection(now) {
  if (!currentItem()) return null;
  return project({
    items: items(),
    currentId: model.live.item,
    timer: model.live.timer,
    nowMs: now,
    shiftMs: (model.live.schedule_shift_s || 0) * 1000,
  });
}

function driftText(driftS) {
  const minutes = Math.round(Math.abs(driftS) / 60);
  if (minutes === 0) return S.on_time;
  return fill(driftS > 0 ? S.drift_behind : S.drift_ahead, { minutes });
}

const ui = { S, time, text, kinds: data.kinds, days: data.days, goTo: (item) => goTo(item) };

function renderProgram(projected) {
  if (!model.workshop) return;
  mount(byId("program"), html`<${Program} model=${model} ui=${ui} projected=${projected} />`);
}

function goTo(item) {
  if (!model.live || item.id === model.live.item) return;
  const confirmed =
    model.live.phase !== "running" || window.confirm(fill(S.confirm_goto, { title: text(item.title) }));
  if (confirmed) send("live.goto", { item: item.id });
}

/* --- now: phase, current item, timer, drift ----------------------------------------------- */

function renderNow() {
  const live = model.live;
  if (!live) return;
  const phase = byId("phase");
  setText(phase, S["phase_" + live.phase] || live.phase);
  phase.dataset.phase = live.phase;
  document.body.dataset.phase = live.phase;
  const current = currentItem();
  setText(byId("now-title"), current ? text(current.title) : live.phase === "ended" ? S.session_ended : S.no_current);

  const advance = byId("btn-advance");
  const all = items();
  const last = current && all[all.length - 1].id === current.id;
  // The button names where it goes: no guessing what "next" is under pressure.
  const index = current ? all.findIndex((item) => item.id === current.id) : -1;
  const following = index >= 0 ? all[index + 1] : null;
  setText(
    advance,
    live.phase === "waiting" ? S.start : following ? fill(S.next_named, { title: text(following.title) }) : S.next,
  );
  advance.disabled = live.phase === "ended" || (live.phase === "running" && Boolean(last));
  byId("btn-end").disabled = live.phase !== "running";

  const running = live.phase === "running";
  const paused = running && isPaused(live.timer);
  const pause = byId("btn-pause");
  setText(pause, paused ? S.resume : S.pause);
  pause.classList.toggle("is-paused", paused); // the label says what a press does
  for (const button of document.querySelectorAll("[data-minutes], #btn-pause, #btn-reset")) {
    button.disabled = !running;
  }
  const minus = document.querySelector("[data-minutes='-1']");
  if (minus && running && live.timer.duration_s <= 60) minus.disabled = true;

  setText(byId("joining-state"), live.joining_locked ? S.joining_locked : S.joining_open);
  setText(byId("btn-lock"), live.joining_locked ? S.unlock : S.lock);

  const message = live.message ? live.message.text : null;
  const shown = byId("message-current");
  setText(shown, message ? S.message_shown + " " + message : S.message_none);
  shown.classList.toggle("has-message", Boolean(message));
  byId("message-clear").disabled = !message;
  tick();
}

function tick() {
  const live = model.live;
  if (!live || !client) return;
  const now = client.now();
  const timer = byId("timer");
  const drift = byId("drift");
  if (live.phase !== "running") {
    setText(byId("timer-value"), "–:––");
    timer.dataset.level = "ok";
    setText(byId("timer-note"), "");
    setText(drift, "–");
    delete drift.dataset.drift;
    setText(byId("projected-end"), "–");
    renderProgram(null);
    return;
  }
  const left = remainingMs(live.timer, now);
  setText(byId("timer-value"), formatClock(left));
  timer.dataset.level = timerLevel(live.timer, now);
  const notes = [];
  if (isPaused(live.timer)) notes.push(S.timer_paused);
  if (left < 0) notes.push(S.timer_over);
  setText(byId("timer-note"), notes.join(" · "));
  const projected = projection(now);
  renderProgram(projected);
  if (!projected) return;
  setText(drift, driftText(projected.driftS));
  const minutes = Math.round(projected.driftS / 60);
  drift.dataset.drift = minutes > 0 ? "behind" : minutes < 0 ? "ahead" : "on-time";
  setText(byId("projected-end"), time(projected.dayEnd));
}

/* --- who is here ------------------------------------------------------------------------- */

function byLanguage(counts) {
  const codes = Object.keys(counts || {}).sort();
  if (!codes.length) return "–";
  return codes.map((code) => languageName(code) + " " + counts[code]).join(" · ");
}

function renderPresence() {
  const presence = model.presence;
  if (!presence) return;
  setText(byId("presence-connected"), String(presence.connected.total));
  setText(byId("presence-languages"), byLanguage(presence.connected.by_language));
  setText(byId("presence-joined"), String(presence.joined.total));
  setText(byId("presence-moderators"), String(presence.moderators));
  setText(byId("presence-displays"), String(presence.displays));
}

function Participant({ person }) {
  const name = person.name || S.anonymous;
  const details = [languageName(person.language), person.organisation, countryName(person.country)];
  const remove = () => {
    if (window.confirm(fill(S.confirm_remove, { name }))) {
      send("participant.remove", { participant: person.id });
    }
  };
  return html`<li class="participant" data-connected=${person.connected ? "yes" : "no"}>
    <span class="participant-who">
      <span class="participant-name">${name}</span>
      <span class="participant-details">${details.filter(Boolean).join(" · ")}</span>
      <span class="participant-status">${person.connected ? S.connected : S.not_connected}</span>
    </span>
    <button type="button" class="secondary small" aria-label=${fill(S.remove_named, { name })}
      onClick=${remove}>${S.remove}</button>
  </li>`;
}

function renderParticipants() {
  // Keyed rows: a refresh keeps the focus on the button it was on.
  const people = model.participants;
  mount(
    byId("participants"),
    people.length
      ? people.map((person) => html`<${Participant} key=${person.id} person=${person} />`)
      : html`<li class="muted">${S.nobody}</li>`,
  );
}

/* The participant list comes with the snapshot: ask again when counts move, not too often. */
let lastRefresh = 0;
let refreshTimer = null;
function refreshParticipants() {
  if (refreshTimer) return;
  const wait = Math.max(0, lastRefresh + PARTICIPANTS_EVERY_MS - Date.now());
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    lastRefresh = Date.now();
    client.sync();
  }, wait);
}

/* --- sending, status, errors -------------------------------------------------------------- */

function renderPending() {
  const count = client ? client.outbox.size : 0;
  const node = byId("pending");
  node.hidden = count === 0;
  setText(node, fill(S.pending, { count }));
}

let feedbackTimer = null;
function say(message) {
  const node = byId("feedback");
  node.textContent = ""; // a repeated message is announced again
  clearTimeout(feedbackTimer);
  feedbackTimer = setTimeout(() => {
    node.textContent = message;
  }, 50);
}

function send(event, payload) {
  const sent = client.send(event, payload);
  renderPending();
  return sent;
}

function onAck(message, ack) {
  renderPending();
  if (ack.ok) {
    clearTimeout(feedbackTimer);
    byId("feedback").textContent = ""; // an earlier refusal is no longer news
    if (message.event === "message.broadcast" && message.payload.text) {
      const box = byId("message-text");
      if (box.value.trim() === message.payload.text) {
        box.value = "";
        renderCount();
      }
    }
    return;
  }
  const code = ack.error && ack.error.code;
  say(ERRORS[code] || fill(ERRORS.generic, { code: code || "?" }));
}

function onStatus(status) {
  const node = byId("connection");
  node.dataset.status = status;
  setText(node, S["status_" + status] || status);
  renderPending();
}

function onSnapshot(snapshot) {
  model.workshop = snapshot.workshop;
  model.live = snapshot.live;
  model.runs = snapshot.runs || [];
  model.skipped = snapshot.skipped || [];
  model.presence = snapshot.presence || null;
  model.participants = snapshot.participants || [];
  renderNow();
  renderPresence();
  renderParticipants();
}

function onEvent(name, payload) {
  if (name === "live.state") {
    model.live = payload.live;
    renderNow();
  } else if (name === "live.runs") {
    model.runs = payload.runs;
    model.skipped = payload.skipped || [];
    tick();
  } else if (name === "program.changed") {
    model.workshop = payload.workshop; // a re-uploaded agenda, shown without a reload
    // ... unless it brings breakout groups this console was drawn without.
    if (bringsBreakouts(data.breakouts, payload.workshop.items)) window.location.reload();
    renderNow();
  } else if (name === "display.changed") {
    // The display link was replaced (someone who could see it lost their role).
    const link = byId("projector-link");
    if (link) link.href = link.href.replace(/[^/]+$/, encodeURIComponent(payload.display_token));
  } else if (name === "presence.changed") {
    model.presence = payload;
    renderPresence();
    refreshParticipants();
  }
}

/* --- controls ------------------------------------------------------------------------------ */

function renderCount() {
  const length = byId("message-text").value.length;
  setText(byId("message-count"), fill(S.message_count, { count: length, max: data.max_message }));
}

function wire() {
  byId("btn-advance").addEventListener("click", () => {
    if (model.live) send(model.live.phase === "waiting" ? "live.start" : "live.next", {});
  });
  byId("btn-end").addEventListener("click", () => {
    if (window.confirm(S.confirm_end)) send("live.end", {});
  });
  byId("btn-pause").addEventListener("click", () => {
    if (model.live) send(isPaused(model.live.timer) ? "timer.resume" : "timer.pause", {});
  });
  for (const button of document.querySelectorAll("[data-minutes]")) {
    button.addEventListener("click", () => {
      send("timer.adjust", { minutes: parseInt(button.dataset.minutes, 10) });
    });
  }
  byId("btn-reset").addEventListener("click", () => send("timer.reset", {}));
  byId("btn-lock").addEventListener("click", () => {
    if (model.live) send("joining.lock", { locked: !model.live.joining_locked });
  });
  byId("message-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = byId("message-text").value.trim();
    if (!value) say(ERRORS.message_length);
    else send("message.broadcast", { text: value });
  });
  byId("message-clear").addEventListener("click", () => send("message.broadcast", { text: null }));
  byId("message-text").addEventListener("input", renderCount);
  renderCount();
  wireReset({ slug: data.slug, send });
  wireKeys();
}

whenReady(() => {
  wire();
  client = new LiveClient({
    auth: { as: "moderator", workshop: data.slug },
    storageKey: "console." + data.slug,
    // Every event of its streams, even one it had no use for: a number it never saw
    // would look like a gap.
    events: ["live.state", "live.runs", "program.changed", "display.changed", "presence.changed"],
    onSnapshot,
    onEvent,
    onStatus,
    onAck,
  }).connect();
  mountBreakoutsConsole({ client, data, root: byId("breakouts") });
  mountQuestionsConsole({ client, data, send });
  renderPending();
  setInterval(tick, TICK_MS);
});
