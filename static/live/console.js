/* The moderator console: the program with planned, actual and re-timed times,
 * the controls, the timer, drift, who is connected. Everything shown comes
 * from the `live.sync` snapshot and the events after it, so several moderator
 * devices show and drive the same session. Strings come from page-data. */
(function () {
  "use strict";

  var F = window.Facilitator;
  var data = F.pageData();
  var S = data.strings;
  var ERRORS = data.errors;
  var TICK_MS = 250;
  var PARTICIPANTS_EVERY_MS = 2000;

  var model = { workshop: null, live: null, runs: [], presence: null, participants: [] };
  var items = [];        // program order, as in the snapshot
  var itemIndex = {};    // key -> index in items
  var programKeys = "";  // the program the list was built for
  var participantsShown = "";
  var client = null;

  function $(id) { return document.getElementById(id); }

  var fill = F.fill;
  var setText = F.setText;
  var element = F.element;

  /* Times in the workshop's zone, 24-hour: rooms read programs across continents. */
  var clock = new Intl.DateTimeFormat(data.locale, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: data.timezone
  });
  function time(ms) { return ms === null || ms === undefined ? "" : clock.format(new Date(ms)); }

  function text(value) { return F.pickText(value, data.language, data.default_language); }

  var regions = null;
  try { regions = new Intl.DisplayNames([data.locale], { type: "region" }); } catch (e) { regions = null; }
  function countryName(code) {
    if (!code) return "";
    try { return regions ? regions.of(code.toUpperCase()) : code; } catch (e) { return code; }
  }

  function languageName(code) { return code ? (data.languages[code] || code) : S.unknown_language; }

  /* --- the schedule: the same arithmetic as live/schedule.py project() --------------------- */

  function currentItem() {
    var live = model.live;
    if (!live || live.phase !== "running" || !live.item || !(live.item in itemIndex)) return null;
    return items[itemIndex[live.item]];
  }

  /* How far the workshop's zone is ahead of UTC at `ms`. */
  var wallClock = new Intl.DateTimeFormat("en-US", {
    timeZone: data.timezone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
    hour: "numeric", minute: "numeric", second: "numeric"
  });
  function zoneOffsetMs(ms) {
    var p = {};
    wallClock.formatToParts(new Date(ms)).forEach(function (part) { p[part.type] = +part.value; });
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  }

  /* The same clock time `days` later in the workshop's zone (a rehearsal on another date). */
  function onShiftedDate(ms, days) {
    if (!days) return ms;
    var moved = ms + days * 86400000;
    return moved + zoneOffsetMs(ms) - zoneOffsetMs(moved);
  }

  function project(now) {
    var current = currentItem();
    if (!current) return null;
    var days = model.live.schedule_shift_days || 0;
    var expectedEnd = now + Math.max(0, F.remainingMs(model.live.timer, now));
    var driftS = Math.round((expectedEnd - onShiftedDate(current.end_ms, days)) / 1000);
    var shift = driftS * 1000;
    var later = items.slice(itemIndex[current.id] + 1).filter(function (item) {
      return item.day === current.day;
    });
    var starts = {};
    later.forEach(function (item) { starts[item.id] = onShiftedDate(item.start_ms, days) + shift; });
    var dayEnd = later.length ? onShiftedDate(later[later.length - 1].end_ms, days) + shift : expectedEnd;
    return { driftS: driftS, dayEnd: dayEnd, starts: starts };
  }

  function driftText(driftS) {
    var minutes = Math.round(Math.abs(driftS) / 60);
    if (minutes === 0) return S.on_time;
    return fill(driftS > 0 ? S.drift_behind : S.drift_ahead, { minutes: minutes });
  }

  /* --- the program ------------------------------------------------------------------------ */

  function buildProgram() {
    var root = $("program");
    root.textContent = "";
    var labels = {};
    (data.days || []).forEach(function (day) { labels[day.day] = day.label; });
    var list = null;
    var day = null;
    items.forEach(function (item) {
      if (item.day !== day) {
        day = item.day;
        var heading = element("h3", "run-day", labels[day] || "");
        heading.id = "run-day-" + day;
        root.appendChild(heading);
        list = element("ol", "run-list");
        list.setAttribute("aria-labelledby", heading.id);
        root.appendChild(list);
      }
      var row = element("li", "run-item");
      row.dataset.item = item.id;
      var button = element("button", "run-go");
      button.type = "button";
      button.dataset.item = item.id;
      button.title = S.go_to;
      var when = element("span", "run-when");
      when.appendChild(element("span", "run-planned", time(item.start_ms) + "–" + time(item.end_ms)));
      when.appendChild(element("span", "run-retimed"));
      button.appendChild(when);
      var what = element("span", "run-what");
      var title = element("span", "run-title", text(item.title));
      what.appendChild(title);
      if (item.kind) what.appendChild(element("span", "run-kind", data.kinds[item.kind] || item.kind));
      if (item.people && item.people.length) {
        what.appendChild(element("span", "run-people", item.people.map(function (p) { return p.name; }).join(", ")));
      }
      what.appendChild(element("span", "run-actual"));
      button.appendChild(what);
      row.appendChild(button);
      list.appendChild(row);
    });
  }

  function actualTimes() {
    var byItem = {};
    model.runs.forEach(function (run) {
      var seen = byItem[run.item];
      if (!seen) { byItem[run.item] = { started: run.started_ms, ended: run.ended_ms }; return; }
      seen.started = Math.min(seen.started, run.started_ms);
      seen.ended = run.ended_ms; // the last run says whether it is still going
    });
    return byItem;
  }

  function renderProgram() {
    var current = model.live ? model.live.item : null;
    var ended = model.live && model.live.phase === "ended";
    var actual = actualTimes();
    var rows = document.querySelectorAll("#program .run-item");
    Array.prototype.forEach.call(rows, function (row) {
      var key = row.dataset.item;
      var isCurrent = key === current;
      row.classList.toggle("is-current", isCurrent);
      row.classList.toggle("is-done", !isCurrent && !!actual[key] && !!actual[key].ended);
      var button = row.querySelector(".run-go");
      if (isCurrent) button.setAttribute("aria-current", "step"); else button.removeAttribute("aria-current");
      button.disabled = !!ended;
      var times = actual[key];
      var parts = [];
      if (times) {
        parts.push(fill(S.started_at, { time: time(times.started) }));
        if (times.ended) parts.push(fill(S.ended_at, { time: time(times.ended) }));
      }
      setText(row.querySelector(".run-actual"), parts.length ? S.actual + ": " + parts.join(" · ") : "");
    });
  }

  function renderRetimed(projection) {
    var rows = document.querySelectorAll("#program .run-item");
    var shifted = projection && Math.round(Math.abs(projection.driftS) / 60) !== 0;
    Array.prototype.forEach.call(rows, function (row) {
      var at = shifted ? projection.starts[row.dataset.item] : undefined;
      var node = row.querySelector(".run-retimed");
      setText(node, at === undefined ? "" : fill(S.expected, { time: time(at) }));
      row.classList.toggle("is-retimed", at !== undefined);
    });
  }

  function onProgramClick(event) {
    var button = event.target.closest ? event.target.closest(".run-go") : null;
    if (!button || !model.live) return;
    var key = button.dataset.item;
    if (key === model.live.item) return;
    var item = items[itemIndex[key]];
    if (model.live.phase === "running" && !window.confirm(fill(S.confirm_goto, { title: text(item.title) }))) return;
    send("live.goto", { item: key });
  }

  /* --- now: phase, current item, timer, drift ---------------------------------------------- */

  function renderNow() {
    var live = model.live;
    if (!live) return;
    var phase = $("phase");
    setText(phase, S["phase_" + live.phase] || live.phase);
    phase.dataset.phase = live.phase;
    document.body.dataset.phase = live.phase;
    var current = currentItem();
    setText($("now-title"), current ? text(current.title) : live.phase === "ended" ? S.session_ended : S.no_current);

    var advance = $("btn-advance");
    setText(advance, live.phase === "waiting" ? S.start : S.next);
    var last = current && itemIndex[current.id] === items.length - 1;
    advance.disabled = live.phase === "ended" || (live.phase === "running" && !!last);
    $("btn-end").disabled = live.phase !== "running";

    var running = live.phase === "running";
    var paused = running && live.timer.running_since_ms === null;
    var pause = $("btn-pause");
    setText(pause, paused ? S.resume : S.pause);
    pause.classList.toggle("is-paused", paused); // the label says what a press does
    Array.prototype.forEach.call(document.querySelectorAll("[data-minutes], #btn-pause, #btn-reset"), function (b) {
      b.disabled = !running;
    });
    var minus = document.querySelector("[data-minutes='-1']");
    if (minus && running && live.timer.duration_s <= 60) minus.disabled = true;

    setText($("joining-state"), live.joining_locked ? S.joining_locked : S.joining_open);
    var lock = $("btn-lock");
    setText(lock, live.joining_locked ? S.unlock : S.lock);

    var message = live.message ? live.message.text : null;
    var shown = $("message-current");
    setText(shown, message ? S.message_shown + " " + message : S.message_none);
    shown.classList.toggle("has-message", !!message);
    $("message-clear").disabled = !message;
    tick();
  }

  function tick() {
    var live = model.live;
    if (!live || !client) return;
    var now = client.now();
    var timer = $("timer");
    if (live.phase !== "running") {
      setText($("timer-value"), "–:––");
      timer.dataset.level = "ok";
      setText($("timer-note"), "");
      setText($("drift"), "–");
      delete $("drift").dataset.drift;
      setText($("projected-end"), "–");
      renderRetimed(null);
      return;
    }
    var left = F.remainingMs(live.timer, now);
    setText($("timer-value"), F.formatClock(left));
    timer.dataset.level = F.timerLevel(live.timer, now);
    var notes = [];
    if (live.timer.running_since_ms === null) notes.push(S.timer_paused);
    if (left < 0) notes.push(S.timer_over);
    setText($("timer-note"), notes.join(" · "));
    var projection = project(now);
    if (!projection) return;
    var drift = $("drift");
    setText(drift, driftText(projection.driftS));
    var minutes = Math.round(projection.driftS / 60);
    drift.dataset.drift = minutes > 0 ? "behind" : minutes < 0 ? "ahead" : "on-time";
    setText($("projected-end"), time(projection.dayEnd));
    renderRetimed(projection);
  }

  /* --- who is here ------------------------------------------------------------------------ */

  function byLanguage(counts) {
    var codes = Object.keys(counts || {}).sort();
    if (!codes.length) return "–";
    return codes.map(function (code) { return languageName(code) + " " + counts[code]; }).join(" · ");
  }

  function renderPresence() {
    var p = model.presence;
    if (!p) return;
    setText($("presence-connected"), String(p.connected.total));
    setText($("presence-languages"), byLanguage(p.connected.by_language));
    setText($("presence-joined"), String(p.joined.total));
    setText($("presence-moderators"), String(p.moderators));
    setText($("presence-displays"), String(p.displays));
  }

  function renderParticipants() {
    var shown = JSON.stringify(model.participants);
    if (shown === participantsShown) return; // unchanged: keep focus where it is
    participantsShown = shown;
    var list = $("participants");
    list.textContent = "";
    if (!model.participants.length) {
      list.appendChild(element("li", "muted", S.nobody));
      return;
    }
    model.participants.forEach(function (person) {
      var row = element("li", "participant");
      row.dataset.connected = person.connected ? "yes" : "no";
      var name = person.name || S.anonymous;
      var who = element("span", "participant-who");
      who.appendChild(element("span", "participant-name", name));
      var details = [languageName(person.language), person.organisation, countryName(person.country)].filter(Boolean);
      who.appendChild(element("span", "participant-details", details.join(" · ")));
      who.appendChild(element("span", "participant-status", person.connected ? S.connected : S.not_connected));
      row.appendChild(who);
      var remove = element("button", "secondary small", S.remove);
      remove.type = "button";
      remove.setAttribute("aria-label", fill(S.remove_named, { name: name }));
      remove.addEventListener("click", function () {
        if (window.confirm(fill(S.confirm_remove, { name: name }))) {
          send("participant.remove", { participant: person.id });
        }
      });
      row.appendChild(remove);
      list.appendChild(row);
    });
  }

  /* The participant list comes with the snapshot: ask again when counts move, not too often. */
  var lastRefresh = 0;
  var refreshTimer = null;
  function refreshParticipants() {
    if (refreshTimer) return;
    var wait = Math.max(0, lastRefresh + PARTICIPANTS_EVERY_MS - Date.now());
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      lastRefresh = Date.now();
      client.sync();
    }, wait);
  }

  /* --- sending, status, errors --------------------------------------------------------------- */

  function renderPending() {
    var count = client ? client.outbox.length : 0;
    var node = $("pending");
    node.hidden = count === 0;
    setText(node, fill(S.pending, { count: count }));
  }

  var feedbackTimer = null;
  function say(message) {
    var node = $("feedback");
    node.textContent = ""; // a repeated message is announced again
    clearTimeout(feedbackTimer);
    feedbackTimer = setTimeout(function () { node.textContent = message; }, 50);
  }

  function send(event, payload) {
    var sent = client.send(event, payload);
    renderPending();
    return sent;
  }

  function onAck(message, ack) {
    renderPending();
    if (ack.ok) {
      clearTimeout(feedbackTimer);
      $("feedback").textContent = ""; // an earlier refusal is no longer news
      if (message.event === "message.broadcast" && message.payload.text) {
        var box = $("message-text");
        if (box.value.trim() === message.payload.text) { box.value = ""; renderCount(); }
      }
      return;
    }
    var code = ack.error && ack.error.code;
    say(ERRORS[code] || fill(ERRORS.generic, { code: code || "?" }));
  }

  function onStatus(status) {
    var node = $("connection");
    node.dataset.status = status;
    setText(node, S["status_" + status] || status);
    renderPending();
  }

  function onSnapshot(snapshot) {
    model.workshop = snapshot.workshop;
    model.live = snapshot.live;
    model.runs = snapshot.runs || [];
    model.presence = snapshot.presence || null;
    model.participants = snapshot.participants || [];
    items = snapshot.workshop.items;
    itemIndex = {};
    items.forEach(function (item, i) { itemIndex[item.id] = i; });
    var keys = JSON.stringify(items.map(function (item) { return [item.id, item.start_ms, item.end_ms]; }));
    if (keys !== programKeys) { programKeys = keys; buildProgram(); }
    renderNow();
    renderProgram();
    renderPresence();
    renderParticipants();
  }

  function onEvent(name, payload) {
    if (name === "live.state") {
      model.live = payload.live;
      renderNow();
      renderProgram();
    } else if (name === "live.runs") {
      model.runs = payload.runs;
      renderProgram();
    } else if (name === "presence.changed") {
      model.presence = payload;
      renderPresence();
      refreshParticipants();
    }
  }

  /* --- controls ----------------------------------------------------------------------------- */

  function renderCount() {
    var length = $("message-text").value.length;
    setText($("message-count"), fill(S.message_count, { count: length, max: data.max_message }));
  }

  function wire() {
    $("btn-advance").addEventListener("click", function () {
      if (!model.live) return;
      send(model.live.phase === "waiting" ? "live.start" : "live.next", {});
    });
    $("btn-end").addEventListener("click", function () {
      if (window.confirm(S.confirm_end)) send("live.end", {});
    });
    $("btn-pause").addEventListener("click", function () {
      if (!model.live) return;
      send(model.live.timer.running_since_ms === null ? "timer.resume" : "timer.pause", {});
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-minutes]"), function (button) {
      button.addEventListener("click", function () {
        send("timer.adjust", { minutes: parseInt(button.dataset.minutes, 10) });
      });
    });
    $("btn-reset").addEventListener("click", function () { send("timer.reset", {}); });
    $("btn-lock").addEventListener("click", function () {
      if (model.live) send("joining.lock", { locked: !model.live.joining_locked });
    });
    $("message-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var value = $("message-text").value.trim();
      if (!value) { say(ERRORS.message_length); return; }
      send("message.broadcast", { text: value });
    });
    $("message-clear").addEventListener("click", function () { send("message.broadcast", { text: null }); });
    $("message-text").addEventListener("input", renderCount);
    $("program").addEventListener("click", onProgramClick);
    renderCount();
  }

  function start() {
    wire();
    client = new F.LiveClient({
      auth: { as: "moderator", workshop: data.slug },
      storageKey: "console." + data.slug,
      events: ["live.state", "live.runs", "presence.changed"],
      onSnapshot: onSnapshot,
      onEvent: onEvent,
      onStatus: onStatus,
      onAck: onAck
    }).connect();
    renderPending();
    setInterval(tick, TICK_MS);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
