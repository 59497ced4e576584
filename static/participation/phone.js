/* The participant's phone.
 * On the join form: if this device kept a token for the workshop (the cookie was
 * lost), hand it back to the server and reload as that participant.
 * On the phone page: keep the token, follow the live state (current item, its
 * speakers, the timer, the moderators' message) without reloading, show whether
 * the phone is online, and switch the language.
 * Strings come translated in page-data; participant and agenda text is set as
 * text (textContent), never as HTML. Needs realtime.js on the phone page. */
(function () {
  "use strict";

  var RESTORE_GUARD = "facilitator.restoring.";
  var TICK_MS = 250;

  function readPageData() {
    var node = document.getElementById("page-data");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function store(kind) {
    try { return window[kind]; } catch (e) { return null; } // blocked storage throws on access
  }

  function getItem(kind, key) {
    var s = store(kind);
    try { return s ? s.getItem(key) : null; } catch (e) { return null; }
  }

  function setItem(kind, key, value) {
    var s = store(kind);
    try { if (s) s.setItem(key, value); } catch (e) { /* full or private mode: the cookie remains */ }
  }

  function removeItem(kind, key) {
    var s = store(kind);
    try { if (s) s.removeItem(key); } catch (e) { /* nothing kept */ }
  }

  function show(node, visible) {
    if (node) node.hidden = !visible;
  }

  /* --- the join form: restore an identity kept on this device ------------------ */

  function restoreIdentity(data) {
    var token = getItem("localStorage", data.storage_key);
    if (!token || !window.fetch) return;
    var guard = RESTORE_GUARD + data.workshop;
    // Tried once in this tab already: cookies are refused, do not reload in a loop.
    if (getItem("sessionStorage", guard)) return;
    setItem("sessionStorage", guard, "1");
    window.fetch(data.restore_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf_token },
      body: JSON.stringify({ token: token })
    }).then(function (response) {
      if (response.ok) {
        window.location.reload();
      } else if (response.status === 404) {
        removeItem("localStorage", data.storage_key); // removed, or another workshop's
      }
    }).catch(function () { /* offline: the form stays, the next visit tries again */ });
  }

  /* --- the phone page ------------------------------------------------------------ */

  function textLanguage(text, language, fallback) {
    if (!text || typeof text === "string") return fallback;
    if (text[language]) return language;
    var base = language.split("-")[0];
    for (var key in text) { if (key.split("-")[0] === base) return key; }
    if (text[fallback]) return fallback;
    for (var first in text) return first;
    return fallback;
  }

  function runPhone(data) {
    var F = window.Facilitator;
    if (!F) return; // realtime.js is missing: the page as drawn by the server stays
    var S = data.strings;
    var language = data.language;
    var fallback = data.default_language;
    var el = {
      status: document.getElementById("status"),
      message: document.getElementById("message"),
      messageText: document.getElementById("message-text"),
      waiting: document.getElementById("waiting"),
      current: document.getElementById("current"),
      itemTitle: document.getElementById("item-title"),
      itemKind: document.getElementById("item-kind"),
      timer: document.getElementById("timer"),
      timerLabel: document.getElementById("timer-label"),
      speakersBlock: document.getElementById("speakers-block"),
      speakers: document.getElementById("speakers"),
      ended: document.getElementById("ended"),
      removed: document.getElementById("removed"),
      removedText: document.getElementById("removed-text"),
      form: document.getElementById("language-form"),
      select: document.getElementById("language-choice"),
      who: document.getElementById("who")
    };
    var model = { workshop: data.initial.workshop, live: data.initial.live, items: {} };
    var shownItem = null;
    var stopped = false;
    var client = null;
    var ticker = null;

    setItem("localStorage", data.storage_key, data.token);
    removeItem("sessionStorage", RESTORE_GUARD + data.workshop);

    function index(workshop) {
      model.items = {};
      (workshop.items || []).forEach(function (item) { model.items[item.id] = item; });
      shownItem = null; // the program may have changed: draw the item again
    }

    function now() {
      return client ? client.now() : Date.now() + initialOffset;
    }

    function setStatus(status) {
      if (stopped) return;
      el.status.className = "status status-" + status;
      el.status.textContent = S[status] || status;
      if (status === "refused") stop(S.refused);
    }

    function renderItem(item) {
      el.itemTitle.textContent = F.pickText(item.title, language, fallback);
      el.itemTitle.lang = textLanguage(item.title, language, fallback);
      var kind = item.kind ? (data.kinds[item.kind] || "") : "";
      el.itemKind.textContent = kind;
      show(el.itemKind, kind !== "");
      while (el.speakers.firstChild) el.speakers.removeChild(el.speakers.firstChild);
      (item.people || []).forEach(function (person) {
        var li = document.createElement("li");
        var name = document.createElement("span");
        name.className = "speaker-name";
        name.textContent = person.name;
        li.appendChild(name);
        var organisation = F.pickText(person.organisation, language, fallback);
        var country = person.country ? (data.countries[person.country] || person.country) : "";
        var from = [organisation, country].filter(Boolean).join(" · ");
        if (from) {
          var span = document.createElement("span");
          span.className = "speaker-from";
          span.textContent = from;
          li.appendChild(span);
        }
        el.speakers.appendChild(li);
      });
      show(el.speakersBlock, (item.people || []).length > 0);
    }

    function renderMessage(message) {
      var text = message && message.text ? message.text : "";
      if (el.messageText.textContent !== text) el.messageText.textContent = text;
      show(el.message, text !== "");
    }

    function tick() {
      var live = model.live;
      if (stopped || live.phase !== "running" || !live.item) return;
      var timer = live.timer;
      var at = now();
      var left = F.remainingMs(timer, at);
      var paused = timer.running_since_ms === null || timer.running_since_ms === undefined;
      var text = F.formatClock(left);
      if (el.timer.textContent !== text) el.timer.textContent = text;
      var cls = "timer timer-" + F.timerLevel(timer, at) + (paused ? " timer-paused" : "");
      if (el.timer.className !== cls) el.timer.className = cls;
      var label = paused ? S.paused : (left < 0 ? S.overtime : S.time_left);
      if (el.timerLabel.textContent !== label) el.timerLabel.textContent = label;
    }

    function render() {
      if (stopped) return;
      var live = model.live;
      document.body.className = "phone phase-" + live.phase;
      var item = live.phase === "running" && live.item ? model.items[live.item] : null;
      show(el.waiting, live.phase === "waiting");
      show(el.ended, live.phase === "ended");
      show(el.current, !!item);
      if (item && shownItem !== item.id) {
        renderItem(item);
        shownItem = item.id;
      }
      if (!item) shownItem = null;
      renderMessage(live.message);
      tick();
    }

    function stop(text) {
      stopped = true;
      removeItem("localStorage", data.storage_key);
      if (ticker !== null) window.clearInterval(ticker);
      if (client && client.socket) client.socket.disconnect();
      [el.message, el.waiting, el.current, el.ended, el.form, el.status, el.who].forEach(function (node) {
        show(node, false);
      });
      el.removedText.textContent = text;
      show(el.removed, true);
    }

    function onSnapshot(snapshot) {
      if (snapshot.me && snapshot.me.language && snapshot.me.language !== language) {
        window.location.reload(); // changed on another device: draw the page in that language
        return;
      }
      model.workshop = snapshot.workshop;
      model.live = snapshot.live;
      index(model.workshop);
      render();
    }

    function onEvent(name, payload) {
      if (name === "live.state") {
        model.live = payload.live;
        render();
      } else if (name === "participant.removed" && payload.participant === data.participant) {
        stop(S.removed);
      }
    }

    function changeLanguage(event) {
      event.preventDefault();
      var chosen = el.select.value;
      if (!client || chosen === language) return;
      var button = el.form.querySelector("button");
      if (button) button.disabled = true;
      el.status.textContent = S.changing;
      client.send("participant.language", { language: chosen }).then(function (ack) {
        if (ack && ack.ok) {
          window.location.reload();
        } else {
          if (button) button.disabled = false;
          el.select.value = language;
          setStatus(client.status);
        }
      });
    }

    var initialOffset = data.initial.server_ms - Date.now();
    index(model.workshop);
    render();
    ticker = window.setInterval(tick, TICK_MS);
    if (el.form) el.form.addEventListener("submit", changeLanguage);

    if (!window.io) {
      setStatus("offline"); // the realtime scripts did not load: what was drawn stays
      return;
    }
    client = new F.LiveClient({
      auth: { as: "participant", workshop: data.workshop, token: data.token },
      storageKey: "participant." + data.workshop + "." + data.participant,
      events: ["live.state", "participant.removed"],
      onSnapshot: onSnapshot,
      onEvent: onEvent,
      onStatus: setStatus
    });
    client.offsetMs = initialOffset; // until the clock pings answer
    client.connect();
  }

  var data = readPageData();
  if (!data) return;
  if (data.mode === "join") restoreIdentity(data);
  else if (data.mode === "phone") runPhone(data);
})();
