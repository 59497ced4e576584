// The projector: read-only, follows the live state of its workshop. Big type, one
// language (the display's), or two stacked with ?lang=en,fr; nothing to click. Strings
// come from page-data; agenda texts are picked in the display's language(s).
import { clockFormat, countryNames } from "../shared/format.js";
import { byId, pageData, setText, whenReady } from "../shared/page.js";
import { LiveClient } from "../shared/realtime.js";
import { mountBreakoutsDisplay } from "../breakouts/display.js";
import { questionsScreen } from "../questions/display.js";
import { pickText } from "../shared/text.js";
import { formatClock, isPaused, remainingMs, timerLevel } from "../shared/timer.js";
import { html, mount } from "../shared/view.js";

const TICK_MS = 250;

const data = pageData();
const S = data.strings;
const time = clockFormat(data.locale, data.timezone);
const countryName = countryNames(data.locale);
const text = (value) => pickText(value, data.language, data.default_language);
const LANGUAGES = data.languages || [data.language];
const questions = questionsScreen(data); // polls and the Q&A, in the main area

/** An agenda text in each of the screen's languages (two for `?lang=en,fr`), stacked;
 * a text that is the same in both is shown once. */
function Both({ value }) {
  const seen = new Set();
  return LANGUAGES.map((code, index) => {
    const shown = pickText(value, code, data.default_language);
    if (!shown || seen.has(shown)) return null;
    seen.add(shown);
    return html`<span key=${code} lang=${code}
      class=${index === 0 ? "screen-first-language" : "screen-second-language"}>${shown}</span>`;
  });
}

let items = [];
let live = null;
let client = null;
let fittedFor = "";

function People({ people }) {
  return people.map((person, index) => {
    const about = [text(person.organisation), countryName(person.country)].filter(Boolean).join(" · ");
    return html`<li class="screen-person" key=${person.name + index}>
      <span class="screen-person-name">${person.name}</span>
      ${about && html`<span class="screen-person-about">${about}</span>`}
    </li>`;
  });
}

function render() {
  if (!live) return;
  document.body.dataset.phase = live.phase;
  const first = items[0];
  setText(byId("first-time"), first ? time(first.start_ms) : "");
  mount(byId("first-title"), first ? html`<${Both} value=${first.title} />` : null);

  const index = items.findIndex((item) => item.id === live.item);
  const current = index >= 0 ? items[index] : null;
  let fitKey = "";
  if (current) {
    setText(byId("now-kind"), current.kind ? data.kinds[current.kind] || current.kind : "");
    mount(byId("now-title"), html`<${Both} value=${current.title} />`);
    mount(byId("now-people"), html`<${People} people=${current.people || []} />`);
    fitKey = current.id + JSON.stringify(current.people || []) + text(current.title);
    const next = items[index + 1];
    setText(byId("next-label"), next ? S.next : S.last_item);
    setText(byId("next-time"), next ? time(next.start_ms) : "");
    mount(byId("next-title"), next ? html`<${Both} value=${next.title} />` : null);
  }
  const message = live.message ? live.message.text : "";
  byId("message").hidden = !message;
  setText(byId("message-text"), message);
  document.body.classList.toggle("has-message", Boolean(message));
  fitKey += "|" + message + "|" + live.phase;
  if (fitKey !== fittedFor) {
    fittedFor = fitKey;
    fit();
  }
  tick();
}

/* Long titles and many speakers: shrink the type until the block fits, never scroll. */
function fit() {
  shrink(byId("message-text"));
  const box = byId("now");
  const title = byId("now-title");
  const people = byId("now-people");
  title.style.fontSize = "";
  people.style.fontSize = "";
  if (live.phase !== "running") return;
  let size = parseFloat(window.getComputedStyle(title).fontSize);
  let peopleSize = parseFloat(window.getComputedStyle(people).fontSize);
  for (let i = 0; i < 40 && box.scrollHeight > box.clientHeight + 1; i += 1) {
    if (size > peopleSize * 1.4) {
      size *= 0.92;
    } else {
      size *= 0.94;
      peopleSize *= 0.94;
      people.style.fontSize = peopleSize + "px";
    }
    title.style.fontSize = size + "px";
  }
}

/* A long message: smaller type rather than a cut sentence. */
function shrink(node) {
  node.style.fontSize = "";
  if (node.offsetParent === null) return; // hidden
  let size = parseFloat(window.getComputedStyle(node).fontSize);
  for (let i = 0; i < 20 && node.scrollHeight > node.clientHeight + 1; i += 1) {
    size *= 0.92;
    node.style.fontSize = size + "px";
  }
}

function tick() {
  if (!live || !client || live.phase !== "running") return;
  const now = client.now();
  const left = remainingMs(live.timer, now);
  setText(byId("timer"), formatClock(left));
  byId("timer").dataset.level = timerLevel(live.timer, now);
  setText(byId("timer-note"), isPaused(live.timer) ? S.paused : left < 0 ? S.over : "");
}

function onStatus(status) {
  byId("online").dataset.status = status;
  setText(byId("online-text"), S[status] || status);
}

function onSnapshot(snapshot) {
  items = snapshot.workshop.items;
  live = snapshot.live;
  fittedFor = "";
  render();
  questions.snapshot(snapshot);
}

function onEvent(name, payload) {
  if (name === "live.state") live = payload.live;
  else if (name === "program.changed") items = payload.workshop.items; // re-uploaded agenda
  render();
  questions.event(name, payload);
}

whenReady(() => {
  client = new LiveClient({
    auth: { as: "display", token: data.token },
    storageKey: "display." + data.token.slice(0, 8),
    events: ["live.state", "program.changed", ...questions.events],
    onSnapshot,
    onEvent,
    onStatus,
  }).connect();
  mountBreakoutsDisplay({ client, data, root: byId("breakouts") });
  setInterval(tick, TICK_MS);
  window.addEventListener("resize", () => {
    if (live) fit();
  });
});
