/* The projector: read-only, follows the live state of its workshop. Big type,
 * one language (the display's), nothing to click. Strings come from page-data;
 * agenda texts are picked in the display's language. */
(function () {
  "use strict";

  var F = window.Facilitator;
  var data = F.pageData();
  var S = data.strings;
  var TICK_MS = 250;

  var items = [];
  var itemIndex = {};
  var live = null;
  var client = null;
  var fittedFor = "";

  function $(id) { return document.getElementById(id); }

  var setText = F.setText;
  var element = F.element;

  function text(value) { return F.pickText(value, data.language, data.default_language); }

  var clock = new Intl.DateTimeFormat(data.locale, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: data.timezone
  });
  function time(ms) { return ms === null || ms === undefined ? "" : clock.format(new Date(ms)); }

  var regions = null;
  try { regions = new Intl.DisplayNames([data.locale], { type: "region" }); } catch (e) { regions = null; }
  function countryName(code) {
    if (!code) return "";
    try { return regions ? regions.of(code.toUpperCase()) : code; } catch (e) { return code; }
  }

  /* --- what is on screen ------------------------------------------------------------------ */

  function renderPeople(item) {
    var list = $("now-people");
    list.textContent = "";
    (item.people || []).forEach(function (person) {
      var row = element("li", "screen-person");
      row.appendChild(element("span", "screen-person-name", person.name));
      var about = [text(person.organisation), countryName(person.country)].filter(Boolean).join(" · ");
      if (about) row.appendChild(element("span", "screen-person-about", about));
      list.appendChild(row);
    });
  }

  function render() {
    if (!live) return;
    document.body.dataset.phase = live.phase;
    var first = items[0];
    setText($("first-time"), first ? time(first.start_ms) : "");
    setText($("first-title"), first ? text(first.title) : "");

    var index = live.item in itemIndex ? itemIndex[live.item] : -1;
    var current = index >= 0 ? items[index] : null;
    var fitKey = "";
    if (current) {
      setText($("now-kind"), current.kind ? (data.kinds[current.kind] || current.kind) : "");
      setText($("now-title"), text(current.title));
      renderPeople(current);
      fitKey = current.id;
      var next = items[index + 1];
      setText($("next-label"), next ? S.next : S.last_item);
      setText($("next-time"), next ? time(next.start_ms) : "");
      setText($("next-title"), next ? text(next.title) : "");
    }
    var message = live.message ? live.message.text : "";
    $("message").hidden = !message;
    setText($("message-text"), message);
    document.body.classList.toggle("has-message", !!message);
    fitKey += "|" + message + "|" + live.phase;
    if (fitKey !== fittedFor) { fittedFor = fitKey; fit(); }
    tick();
  }

  /* Long titles and many speakers: shrink the type until the block fits, never scroll. */
  function fit() {
    shrink($("message-text"));
    var box = $("now");
    var title = $("now-title");
    var people = $("now-people");
    title.style.fontSize = "";
    people.style.fontSize = "";
    if (live.phase !== "running") return;
    var size = parseFloat(window.getComputedStyle(title).fontSize);
    var peopleSize = parseFloat(window.getComputedStyle(people).fontSize);
    for (var i = 0; i < 40 && box.scrollHeight > box.clientHeight + 1; i += 1) {
      if (size > peopleSize * 1.4) { size *= 0.92; title.style.fontSize = size + "px"; }
      else { size *= 0.94; peopleSize *= 0.94; title.style.fontSize = size + "px"; people.style.fontSize = peopleSize + "px"; }
    }
  }

  /* A long message: smaller type rather than a cut sentence. */
  function shrink(node) {
    node.style.fontSize = "";
    if (node.offsetParent === null) return; // hidden
    var size = parseFloat(window.getComputedStyle(node).fontSize);
    for (var i = 0; i < 20 && node.scrollHeight > node.clientHeight + 1; i += 1) {
      size *= 0.92;
      node.style.fontSize = size + "px";
    }
  }

  function tick() {
    if (!live || !client) return;
    if (live.phase !== "running") return;
    var now = client.now();
    var left = F.remainingMs(live.timer, now);
    setText($("timer"), F.formatClock(left));
    $("timer").dataset.level = F.timerLevel(live.timer, now);
    var note = live.timer.running_since_ms === null ? S.paused : left < 0 ? S.over : "";
    setText($("timer-note"), note);
  }

  function onStatus(status) {
    var node = $("online");
    node.dataset.status = status;
    setText($("online-text"), S[status] || status);
  }

  function onSnapshot(snapshot) {
    items = snapshot.workshop.items;
    itemIndex = {};
    items.forEach(function (item, i) { itemIndex[item.id] = i; });
    live = snapshot.live;
    fittedFor = "";
    render();
  }

  function onEvent(name, payload) {
    if (name === "live.state") { live = payload.live; render(); }
  }

  function start() {
    client = new F.LiveClient({
      auth: { as: "display", token: data.token },
      storageKey: "display." + data.token.slice(0, 8),
      events: ["live.state"],
      onSnapshot: onSnapshot,
      onEvent: onEvent,
      onStatus: onStatus
    }).connect();
    setInterval(tick, TICK_MS);
    window.addEventListener("resize", function () { if (live) fit(); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
