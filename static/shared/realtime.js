/* The realtime client every screen uses: connection status, snapshots and seq,
 * a clock agreed with the server, and an outbox that keeps mutations until the
 * server acknowledges them, across reconnects and reloads.
 * Protocol: docs/protocol.md. No framework; loaded after socket.io.min.js. */
(function () {
  "use strict";

  var RETRY_CODES = { rate_limited: 3000, not_connected: 1000, internal_error: 5000 };
  var ACK_TIMEOUT_MS = 10000;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function readJSON(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function writeJSON(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: memory only */ }
  }

  /* options: auth (Socket.IO auth payload), storageKey (outbox namespace),
   * events (server event names to listen to), onSnapshot(data), onEvent(name, data),
   * onStatus(status) with status one of "connecting", "online", "offline", "refused". */
  function LiveClient(options) {
    this.options = options;
    this.streams = {}; // stream name -> the last seq seen on it
    this.offsetMs = 0;
    this.status = "connecting";
    this.outboxKey = "facilitator.outbox." + options.storageKey;
    this.outbox = readJSON(this.outboxKey, []);
    this.pending = {};
    this.inFlight = {};
    this.socket = null;
  }

  LiveClient.prototype.connect = function () {
    var self = this;
    var socket = window.io({ auth: this.options.auth, reconnectionDelayMax: 5000 });
    this.socket = socket;
    this.setStatus("connecting");
    socket.on("connect", function () {
      self.setStatus("online");
      self.inFlight = {};
      self.sync();
      self.syncClock();
      self.flushOutbox();
    });
    socket.on("disconnect", function () { self.setStatus("offline"); });
    socket.on("connect_error", function (err) {
      self.setStatus(err && err.message && err.message !== "xhr poll error" && err.message !== "websocket error" && err.message !== "timeout" ? "refused" : "offline", err && err.message);
    });
    (this.options.events || []).forEach(function (name) {
      socket.on(name, function (data) { self.receive(name, data); });
    });
    window.addEventListener("online", function () { if (!socket.connected) socket.connect(); });
    return this;
  };

  LiveClient.prototype.setStatus = function (status, detail) {
    this.status = status;
    if (this.options.onStatus) this.options.onStatus(status, detail);
  };

  /* Each audience (the workshop, the moderators, this participant) numbers its own
   * stream: a gap in one of this screen's streams means something was missed. */
  LiveClient.prototype.receive = function (name, data) {
    if (data && typeof data.seq === "number") {
      var stream = data.stream || "workshop";
      var last = this.streams[stream];
      if (last !== undefined && data.seq <= last) return; // seen already
      var gap = last !== undefined && data.seq > last + 1;
      this.streams[stream] = data.seq;
      if (this.options.onEvent) this.options.onEvent(name, data);
      if (gap) this.sync(); // something was missed while away: take the whole picture
      return;
    }
    if (this.options.onEvent) this.options.onEvent(name, data);
  };

  LiveClient.prototype.sync = function () {
    var self = this;
    if (!this.socket || !this.socket.connected) return;
    this.socket.timeout(ACK_TIMEOUT_MS).emit("live.sync", {}, function (err, ack) {
      if (err || !ack || !ack.ok) { setTimeout(function () { self.sync(); }, 2000); return; }
      // An event newer than this snapshot arrived while it was on its way: ask again.
      // (A few times at most: a server whose database was reset counts from lower.)
      var streams = ack.data.streams || {};
      var stale = Object.keys(streams).some(function (name) {
        return self.streams[name] !== undefined && streams[name] < self.streams[name];
      });
      if (stale && (self.staleSnapshots = (self.staleSnapshots || 0) + 1) <= 3) {
        self.sync();
        return;
      }
      self.staleSnapshots = 0;
      self.streams = Object.assign({}, streams);
      if (typeof ack.data.server_ms === "number" && !self.clockSynced) {
        self.offsetMs = ack.data.server_ms - Date.now();
      }
      if (self.options.onSnapshot) self.options.onSnapshot(ack.data);
    });
  };

  /* NTP-style: keep the sample with the shortest round trip. */
  LiveClient.prototype.syncClock = function () {
    var self = this;
    var best = null;
    var left = 5;
    function sample() {
      if (!self.socket || !self.socket.connected) return;
      var sent = Date.now();
      self.socket.timeout(ACK_TIMEOUT_MS).emit("clock.ping", {}, function (err, ack) {
        var received = Date.now();
        if (!err && ack && ack.ok) {
          var rtt = received - sent;
          if (best === null || rtt < best.rtt) {
            best = { rtt: rtt, offset: ack.data.server_ms - (sent + rtt / 2) };
          }
        }
        left -= 1;
        if (left > 0) { setTimeout(sample, 150); }
        else if (best !== null) { self.offsetMs = best.offset; self.clockSynced = true; }
      });
    }
    sample();
  };

  LiveClient.prototype.now = function () { return Date.now() + this.offsetMs; };

  /* Send a mutation; it waits in the outbox until acknowledged. Resolves with the ack. */
  LiveClient.prototype.send = function (event, payload) {
    var self = this;
    var message = { cid: uuid(), event: event, payload: payload || {} };
    this.outbox.push(message);
    writeJSON(this.outboxKey, this.outbox);
    return new Promise(function (resolve) {
      self.pending[message.cid] = resolve;
      self.transmit(message);
    });
  };

  LiveClient.prototype.transmit = function (message) {
    var self = this;
    if (!this.socket || !this.socket.connected || this.inFlight[message.cid]) return;
    this.inFlight[message.cid] = true;
    var body = Object.assign({}, message.payload, { cid: message.cid });
    this.socket.timeout(ACK_TIMEOUT_MS).emit(message.event, body, function (err, ack) {
      delete self.inFlight[message.cid];
      if (err || !ack) {
        // No answer in time: it stays in the outbox and goes again (the cid makes that safe).
        setTimeout(function () { self.transmit(message); }, 2000);
        return;
      }
      if (!ack.ok && RETRY_CODES[ack.error.code]) {
        setTimeout(function () { self.transmit(message); }, RETRY_CODES[ack.error.code]);
        return;
      }
      self.outbox = self.outbox.filter(function (m) { return m.cid !== message.cid; });
      writeJSON(self.outboxKey, self.outbox);
      var resolve = self.pending[message.cid];
      delete self.pending[message.cid];
      if (resolve) resolve(ack);
      if (self.options.onAck) self.options.onAck(message, ack);
    });
  };

  LiveClient.prototype.flushOutbox = function () {
    var self = this;
    this.outbox.forEach(function (message) { self.transmit(message); });
  };

  /* --- timers and text, shared by every screen ---------------------------- */

  function remainingMs(timer, nowMs) {
    var elapsed = timer.elapsed_s * 1000;
    if (timer.running_since_ms !== null && timer.running_since_ms !== undefined) {
      elapsed += Math.max(0, nowMs - timer.running_since_ms);
    }
    return timer.duration_s * 1000 - elapsed;
  }

  /* "ok", "warn" (20 % or less left) or "over" (past the end). */
  function timerLevel(timer, nowMs) {
    var left = remainingMs(timer, nowMs);
    if (left <= 0 && timer.duration_s > 0) return "over";
    if (left <= timer.duration_s * 1000 * 0.2) return "warn";
    return "ok";
  }

  function formatClock(ms) {
    var sign = ms < 0 ? "+" : "";
    var total = Math.floor(Math.abs(ms) / 1000);
    if (ms > 0) total = Math.ceil(ms / 1000);
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var mm = (h > 0 && m < 10 ? "0" : "") + m;
    return sign + (h > 0 ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  /* Text from the agenda: a string, or {lang: string}; the viewer's language, else the default. */
  function pickText(text, language, fallback) {
    if (text === null || text === undefined) return "";
    if (typeof text === "string") return text;
    if (text[language]) return text[language];
    var base = language.split("-")[0];
    for (var key in text) { if (key.split("-")[0] === base) return text[key]; }
    if (fallback && text[fallback]) return text[fallback];
    for (var first in text) return text[first];
    return "";
  }

  /* --- small DOM helpers: text only, never HTML -------------------------- */

  function setText(node, text) {
    if (node && node.textContent !== text) node.textContent = text;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* A translated template with {name} placeholders, filled in. */
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function pageData(id) {
    var node = document.getElementById(id || "page-data");
    return node ? JSON.parse(node.textContent) : {};
  }

  window.Facilitator = {
    LiveClient: LiveClient,
    remainingMs: remainingMs,
    timerLevel: timerLevel,
    formatClock: formatClock,
    pickText: pickText,
    pageData: pageData,
    setText: setText,
    element: element,
    fill: fill,
    uuid: uuid
  };
})();
