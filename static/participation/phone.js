// The participant's phone page: keeps the token, follows the live state (current item,
// its speakers, the timer, the moderators' message) without reloading, shows whether
// the phone is online, and switches the language. Strings come translated in
// page-data; participant and agenda text is set as text, never as HTML.
import { countryNames } from "../shared/format.js";
import { byId, pageData, show, setText } from "../shared/page.js";
import { LiveClient } from "../shared/realtime.js";
import { pickText, textLanguage } from "../shared/text.js";
import { formatClock, isPaused, remainingMs, timerLevel } from "../shared/timer.js";
import { html, mount } from "../shared/view.js";
import { mountQuestionsPhone } from "../questions/mount.js";
import { mountBreakoutsPhone } from "../breakouts/phone.js";
import { bringsBreakouts } from "../breakouts/model.js";
import { RESTORE_GUARD, removeItem, setItem } from "./identity.js";
import { wireProfile } from "./profile.js";

const TICK_MS = 250;

function Speakers({ people, text, countryName }) {
  return people.map((person, index) => {
    const from = [text(person.organisation), countryName(person.country)].filter(Boolean).join(" · ");
    return html`<li key=${person.name + index}>
      <span class="speaker-name">${person.name}</span>
      ${from && html`<span class="speaker-from">${from}</span>`}
    </li>`;
  });
}

function runPhone(data) {
  const S = data.strings;
  const language = data.language;
  const text = (value) => pickText(value, language, data.default_language);
  const countryName = countryNames(language, data.countries);
  const el = {
    status: byId("status"),
    message: byId("message"),
    messageText: byId("message-text"),
    waiting: byId("waiting"),
    current: byId("current"),
    itemTitle: byId("item-title"),
    itemKind: byId("item-kind"),
    timer: byId("timer"),
    timerLabel: byId("timer-label"),
    speakersBlock: byId("speakers-block"),
    speakers: byId("speakers"),
    ended: byId("ended"),
    removed: byId("removed"),
    removedText: byId("removed-text"),
    form: byId("language-form"),
    select: byId("language-choice"),
    who: byId("who"),
  };
  const model = { items: data.initial.workshop.items || [], live: data.initial.live };
  const initialOffset = data.initial.server_ms - Date.now();
  let stopped = false;
  let client = null;
  let ticker = null;

  setItem("localStorage", data.storage_key, data.token);
  removeItem("sessionStorage", RESTORE_GUARD + data.workshop);

  const now = () => (client ? client.now() : Date.now() + initialOffset);

  function setStatus(status) {
    if (stopped) return;
    el.status.className = "status status-" + status;
    setText(el.status, S[status] || status);
    if (status === "refused") stop(S.refused);
  }

  function renderItem(item) {
    setText(el.itemTitle, text(item.title));
    el.itemTitle.lang = textLanguage(item.title, language, data.default_language);
    const kind = item.kind ? data.kinds[item.kind] || "" : "";
    setText(el.itemKind, kind);
    show(el.itemKind, kind !== "");
    const people = item.people || [];
    mount(el.speakers, html`<${Speakers} people=${people} text=${text} countryName=${countryName} />`);
    show(el.speakersBlock, people.length > 0);
  }

  function tick() {
    const live = model.live;
    if (stopped || live.phase !== "running" || !live.item) return;
    const at = now();
    const left = remainingMs(live.timer, at);
    const paused = isPaused(live.timer);
    setText(el.timer, formatClock(left));
    const classes = "timer timer-" + timerLevel(live.timer, at) + (paused ? " timer-paused" : "");
    if (el.timer.className !== classes) el.timer.className = classes;
    setText(el.timerLabel, paused ? S.paused : left < 0 ? S.overtime : S.time_left);
  }

  function render() {
    if (stopped) return;
    const live = model.live;
    document.body.className = "phone phase-" + live.phase;
    const item =
      live.phase === "running" && live.item ? model.items.find((i) => i.id === live.item) : null;
    show(el.waiting, live.phase === "waiting");
    show(el.ended, live.phase === "ended");
    // The record's public page, once the record is published (the server adds record_url).
    const recordUrl = live.phase === "ended" && live.record_url ? live.record_url : "";
    if (recordUrl) byId("record-url").href = recordUrl;
    show(byId("record-link"), recordUrl !== "");
    show(el.current, Boolean(item));
    if (item) renderItem(item); // Preact and setText touch only what changed
    const message = live.message && live.message.text ? live.message.text : "";
    setText(el.messageText, message);
    show(el.message, message !== "");
    tick();
  }

  function stop(reason) {
    stopped = true;
    removeItem("localStorage", data.storage_key);
    if (ticker !== null) window.clearInterval(ticker);
    if (client) client.disconnect();
    for (const node of [el.message, el.waiting, el.current, el.ended, el.form, el.status, el.who, byId("profile")]) {
      show(node, false);
    }
    el.removedText.textContent = reason;
    show(el.removed, true);
  }

  function onSnapshot(snapshot) {
    if (snapshot.me && snapshot.me.language && snapshot.me.language !== language) {
      window.location.reload(); // changed on another device: draw the page in that language
      return;
    }
    model.items = snapshot.workshop.items || [];
    model.live = snapshot.live;
    render();
  }

  function onEvent(name, payload) {
    if (name === "live.state") {
      model.live = payload.live;
      render();
    } else if (name === "program.changed") {
      model.items = payload.workshop.items || []; // a re-uploaded agenda, without a reload
      // ... unless it brings breakout groups this page was drawn without.
      if (bringsBreakouts(data.breakouts, model.items)) window.location.reload();
      render();
    } else if (name === "participant.removed" && payload.participant === data.participant) {
      stop(S.removed);
    }
  }

  function changeLanguage(event) {
    event.preventDefault();
    const chosen = el.select.value;
    if (!client || chosen === language) return;
    const button = el.form.querySelector("button");
    if (button) button.disabled = true;
    el.status.textContent = S.changing;
    client.send("participant.language", { language: chosen }).then((ack) => {
      if (ack && ack.ok) {
        window.location.reload();
      } else {
        if (button) button.disabled = false;
        el.select.value = language;
        setStatus(client.status);
      }
    });
  }

  render();
  ticker = window.setInterval(tick, TICK_MS);
  if (el.form) el.form.addEventListener("submit", changeLanguage);

  client = new LiveClient({
    auth: { as: "participant", workshop: data.workshop, token: data.token },
    storageKey: "participant." + data.workshop + "." + data.participant,
    events: ["live.state", "program.changed", "participant.removed"],
    streams: data.initial.streams || (typeof data.initial.seq === "number" ? { workshop: data.initial.seq } : null),
    offsetMs: initialOffset, // until the clock pings answer
    onSnapshot,
    onEvent,
    onStatus: setStatus,
  });
  client.connect();
  mountQuestionsPhone(client, data);
  mountBreakoutsPhone({ client, data, root: byId("breakouts") });
  wireProfile({ client: () => client, strings: S, storageKey: data.storage_key });
}

const data = pageData();
if (data && data.mode === "phone") runPhone(data);
