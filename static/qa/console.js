// The console's audience Q&A: the mode (open or pre-moderated) and who may ask how; the
// queue by votes or time, filtered by state and language; approve, fix a typo, hide, pin,
// mark answered (by a speaker of the agenda or a name, with a short answer); a question
// added on someone's behalf; the speakers' links. A panel mounted by
// static/live/console.js. State and the queue's order: queue.js (Node-tested).
import { useState } from "preact/hooks";

import { byId } from "../shared/page.js";
import { fill } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import {
  EVENTS,
  FILTERS,
  addPayload,
  answerPayload,
  applyEvent,
  emptyQa,
  fromSnapshot,
  languagesOf,
  queue,
  speakerUrl,
  tallies,
} from "./queue.js";

const MAX_TEXT = 500;
const MAX_NAME = 80;

let ctx = null;
let S = {};
let state = emptyQa();
let workshop = null;
let currentItem = null;
let frame = null;
const view = { filter: "open", sort: "votes", language: "" };
let notice = ""; // the last thing done that the moderator should hear about

const languageName = (code) => (ctx.data.languages && ctx.data.languages[code]) || code;
const languages = () => (workshop && workshop.languages) || [ctx.data.default_language];
const personName = (key) => {
  const person = state.people.find((p) => p.id === key);
  return person ? person.name : key;
};

function render() {
  if (frame !== null) return;
  const run = () => {
    frame = null;
    mount(byId("qa-console"), html`<${Panel} />`);
  };
  frame = typeof requestAnimationFrame === "function" ? requestAnimationFrame(run) : setTimeout(run, 16);
}

function announce(text) {
  notice = text;
  render();
}

function setView(change) {
  Object.assign(view, change);
  render();
}

/* People the current item lists first: whom a question is most likely for. */
function speakersInOrder() {
  const now = state.people.filter((p) => currentItem && p.items.includes(currentItem));
  const rest = state.people.filter((p) => !now.includes(p));
  return [...now, ...rest];
}

function Panel() {
  const counts = tallies(state);
  // Something awaits approval: the moderator sees that first.
  const list = queue(state, view);
  const langs = languagesOf(state);
  return html`<section class="qam-console" aria-labelledby="qa-heading">
    <h2 id="qa-heading">${S.qa_heading}</h2>
    <p class="qc-notice" role="status">${notice}</p>
    <${Settings} />
    <${AddForm} />
    <div class="qam-controls">
      <div class="qam-filters" role="group" aria-label=${S.qa_filters}>
        ${FILTERS.map(
          (f) => html`<button type="button" key=${f} id=${"qa-filter-" + f}
            class=${"qam-filter" + (f === "pending" && counts.pending ? " has-waiting" : "")}
            aria-pressed=${view.filter === f ? "true" : "false"} onClick=${() => setView({ filter: f })}>
            ${fill(S["qa_filter_" + f], { n: counts[f] })}
          </button>`,
        )}
      </div>
      <div class="qam-sort">
        <label for="qa-sort">${S.qa_sort}</label>
        <select id="qa-sort" value=${view.sort} onChange=${(e) => setView({ sort: e.target.value })}>
          <option value="votes">${S.qa_sort_votes}</option>
          <option value="time">${S.qa_sort_time}</option>
        </select>
        <label for="qa-language">${S.qa_filter_language}</label>
        <select id="qa-language" value=${view.language} onChange=${(e) => setView({ language: e.target.value })}>
          <option value="">${S.qa_all_languages}</option>
          ${langs.map((l) => html`<option key=${l} value=${l}>${languageName(l)}</option>`)}
        </select>
      </div>
    </div>
    ${list.length
      ? html`<ul class="qam-queue">
          ${list.map((q) => html`<${QuestionRow} key=${q.id} question=${q} />`)}
        </ul>`
      : html`<p class="muted qam-empty">${S.qa_empty}</p>`}
    <${Links} />
  </section>`;
}

function Settings() {
  const { moderated, names } = state.settings;
  return html`<div class="qam-settings">
    <label class="qc-check">
      <input type="checkbox" id="qa-moderated" checked=${moderated}
        onChange=${(e) => ctx.send("qa.configure", { moderated: e.target.checked })} />
      ${S.qa_moderated}
    </label>
    <span class="qam-names">
      <label for="qa-names">${S.qa_names}</label>
      <select id="qa-names" value=${names} onChange=${(e) => ctx.send("qa.configure", { names: e.target.value })}>
        ${["any", "named", "anonymous"].map((n) => html`<option key=${n} value=${n}>${S["qa_names_" + n]}</option>`)}
      </select>
    </span>
  </div>`;
}

function SpeakerSelect({ id, value, onChange, label, none }) {
  return html`<label for=${id}>${label}</label>
    <select id=${id} value=${value} onChange=${(e) => onChange(e.target.value)}>
      <option value="">${none}</option>
      ${speakersInOrder().map((p) => html`<option key=${p.id} value=${p.id}>${p.name}</option>`)}
    </select>`;
}

function AddForm() {
  const [form, setForm] = useState({ text: "", name: "", language: "", speaker: "" });
  const [message, setMessage] = useState({ text: "", error: false });
  const language = form.language || languages()[0];
  const set = (change) => setForm({ ...form, ...change });
  const submit = (event) => {
    event.preventDefault();
    const made = addPayload({ ...form, language });
    if (made.error) {
      setMessage({ text: ctx.data.errors[made.error] || made.error, error: true });
      return;
    }
    ctx.send("qa.add", made.payload).then((ack) => {
      if (ack && ack.ok) {
        setForm({ ...form, text: "", name: "" }); // the language and speaker stay: often the next is alike
        setMessage({ text: S.qa_added, error: false });
      } else {
        setMessage({ text: (ack && ack.error && ctx.data.errors[ack.error.code]) || "", error: true });
      }
    });
  };
  return html`<details class="qam-add">
    <summary>${S.qa_add_heading}</summary>
    <form class="qam-add-form" onSubmit=${submit}>
      <div class="qc-field qam-wide">
        <label for="qa-add-text">${S.qa_text}</label>
        <textarea id="qa-add-text" rows="2" maxlength=${MAX_TEXT} lang=${language} value=${form.text}
          onInput=${(e) => set({ text: e.target.value })}></textarea>
      </div>
      <div class="qc-field">
        <label for="qa-add-name">${S.qa_from}</label>
        <input id="qa-add-name" maxlength=${MAX_NAME} autocomplete="off" value=${form.name}
          onInput=${(e) => set({ name: e.target.value })} />
      </div>
      <div class="qc-field">
        <label for="qa-add-language">${S.qa_language}</label>
        <select id="qa-add-language" value=${language} onChange=${(e) => set({ language: e.target.value })}>
          ${languages().map((l) => html`<option key=${l} value=${l}>${languageName(l)}</option>`)}
        </select>
      </div>
      <div class="qc-field">
        <${SpeakerSelect} id="qa-add-speaker" value=${form.speaker} label=${S.qa_for_speaker} none=${S.qa_no_speaker}
          onChange=${(speaker) => set({ speaker })} />
      </div>
      <p class=${message.error ? "qc-error" : "qc-notice"} role="status">${message.text}</p>
      <div class="qc-actions"><button type="submit">${S.qa_add}</button></div>
    </form>
  </details>`;
}

function QuestionRow({ question: q }) {
  const [mode, setMode] = useState(null); // "fix" | "answer" | null
  const send = (event, extra = {}) => ctx.send(event, { question: q.id, ...extra });
  const isPublic = q.status !== "pending" && !q.hidden;
  const who = q.name ? fill(S.qa_from_name, { name: q.name }) : S.qa_anonymous;
  const meta = [languageName(q.language), who];
  if (q.participant === null && q.added_by !== null) meta.push(S.qa_added_by_moderator);
  if (q.speaker) meta.push(fill(S.qa_to_speaker, { name: personName(q.speaker) }));
  if (q.edited) meta.push(S.qa_edited);
  const classes = ["qam-question", "is-" + q.status];
  if (q.hidden) classes.push("is-hidden");
  if (q.pinned) classes.push("is-pinned");
  const hidePerson = () => {
    const name = q.name || S.q_someone;
    if (!window.confirm(fill(S.q_confirm_hide_person, { name }))) return;
    ctx.send("moderation.hide_participant", { participant: q.participant }).then((ack) => {
      if (ack && ack.ok) announce(fill(S.q_hidden_person, ack.data));
    });
  };
  return html`<li class=${classes.join(" ")} data-qa=${q.id}>
    <p class="qam-votes">
      <span class="qam-votes-n" aria-hidden="true">${q.votes}</span>
      <span class="visually-hidden">${fill(S.qa_votes, { n: q.votes })}</span>
    </p>
    <div class="qam-body">
      <p class="qam-badges">
        ${q.pinned ? html`<span class="qc-badge is-pinned">${S.qa_pinned}</span>` : null}
        ${q.status === "pending" ? html`<span class="qc-badge state-ready">${S.qa_pending}</span>` : null}
        ${q.status === "answered" ? html`<span class="qc-badge state-closed">${S.qa_answered}</span>` : null}
        ${q.hidden ? html`<span class="qc-badge">${S.q_hidden}</span>` : null}
        <span class="qc-lang">${q.language.toUpperCase()}</span>
      </p>
      ${mode === "fix"
        ? html`<${FixForm} question=${q} onDone=${() => setMode(null)} />`
        : html`<p class="qam-text" lang=${q.language}>${q.text}</p>`}
      <p class="qam-meta">${meta.join(" · ")}</p>
      ${q.answer
        ? html`<p class="qam-answer">
            <strong>${fill(S.qa_answered_by, { name: q.answer.by_person ? personName(q.answer.by_person) : q.answer.by_name || S.q_someone })}</strong>
            ${q.answer.text ? html`: <span class="qam-answer-text">${q.answer.text}</span>` : null}
          </p>`
        : null}
      ${mode === "answer" ? html`<${AnswerForm} question=${q} onDone=${() => setMode(null)} />` : null}
      ${mode
        ? null
        : html`<div class="qc-row-actions">
            ${q.status === "pending" ? html`<button type="button" class="small" onClick=${() => send("qa.approve")}>${S.qa_approve}</button>` : null}
            ${isPublic
              ? html`<button type="button" class="secondary small" aria-pressed=${q.pinned ? "true" : "false"}
                  onClick=${() => send("qa.pin", { pinned: !q.pinned })}>${q.pinned ? S.qa_unpin : S.qa_pin}</button>`
              : null}
            ${q.status === "open" ? html`<button type="button" class="secondary small" onClick=${() => setMode("answer")}>${S.qa_mark_answered}</button>` : null}
            ${q.status === "answered" ? html`<button type="button" class="secondary small" onClick=${() => send("qa.answer", { answered: false })}>${S.qa_reopen}</button>` : null}
            <button type="button" class="secondary small" onClick=${() => setMode("fix")}>${S.qa_fix}</button>
            <button type="button" class="secondary small" onClick=${() => send("qa.hide", { hidden: !q.hidden })}>${q.hidden ? S.qa_show : S.qa_hide}</button>
            ${q.participant !== null
              ? html`<button type="button" class="secondary small" onClick=${hidePerson}>
                  ${fill(S.q_hide_person, { name: q.name || S.qa_anonymous })}
                </button>`
              : null}
          </div>`}
    </div>
  </li>`;
}

function FixForm({ question, onDone }) {
  const [text, setText] = useState(question.text);
  const id = "qa-fix-" + question.id;
  const submit = (event) => {
    event.preventDefault();
    if (!text.trim()) return;
    ctx.send("qa.edit", { question: question.id, text: text.trim() }).then((ack) => {
      if (ack && ack.ok) onDone();
    });
  };
  return html`<form class="qam-inline-form" onSubmit=${submit}>
    <label for=${id} class="visually-hidden">${S.qa_text}</label>
    <textarea id=${id} rows="2" maxlength=${MAX_TEXT} lang=${question.language} value=${text}
      onInput=${(e) => setText(e.target.value)}></textarea>
    <div class="qc-actions">
      <button type="submit" class="small">${S.qa_save}</button>
      <button type="button" class="secondary small" onClick=${onDone}>${S.qa_cancel}</button>
    </div>
  </form>`;
}

function AnswerForm({ question, onDone }) {
  const first = question.speaker || (speakersInOrder()[0] && speakersInOrder()[0].id) || "";
  const [by, setBy] = useState(first);
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const id = "qa-answer-" + question.id;
  const submit = (event) => {
    event.preventDefault();
    ctx.send("qa.answer", answerPayload(question.id, { by, name, text })).then((ack) => {
      if (ack && ack.ok) onDone();
    });
  };
  return html`<form class="qam-inline-form qam-answer-form" onSubmit=${submit}>
    <div class="qc-field">
      <${SpeakerSelect} id=${id + "-by"} value=${by} label=${S.qa_answered_by_label} none=${S.qa_someone_else}
        onChange=${setBy} />
    </div>
    ${by
      ? null
      : html`<div class="qc-field">
          <label for=${id + "-name"}>${S.qa_answerer_name}</label>
          <input id=${id + "-name"} maxlength=${MAX_NAME} value=${name} onInput=${(e) => setName(e.target.value)} />
        </div>`}
    <div class="qc-field qam-wide">
      <label for=${id + "-text"}>${S.qa_answer_text}</label>
      <textarea id=${id + "-text"} rows="2" maxlength=${MAX_TEXT} value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
    </div>
    <div class="qc-actions">
      <button type="submit" class="small">${S.qa_mark_answered}</button>
      <button type="button" class="secondary small" onClick=${onDone}>${S.qa_cancel}</button>
    </div>
  </form>`;
}

function Links() {
  const [note, setNote] = useState("");
  const copy = (person) => {
    const url = speakerUrl(window.location.origin, person.link);
    const done = () => setNote(S.qa_copied);
    const failed = () => setNote(S.qa_copy_failed);
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, failed);
    else failed();
  };
  return html`<details class="qam-links">
    <summary>${S.qa_links_heading}</summary>
    <p class="muted">${S.qa_links_hint}</p>
    ${state.people.length ? null : html`<p class="muted">${S.qa_no_people}</p>`}
    <ul class="qam-link-list">
      ${speakersInOrder().map((person) => {
        const id = "qa-link-" + person.id;
        return html`<li key=${person.id} class="qam-link" data-person=${person.id}>
          <span class="qam-link-name">${person.name}</span>
          ${person.link
            ? html`<label for=${id} class="visually-hidden">${fill(S.qa_link_of, { name: person.name })}</label>
                <input id=${id} class="qam-link-url" readonly value=${speakerUrl(window.location.origin, person.link)}
                  onFocus=${(e) => e.target.select()} />
                <button type="button" class="secondary small" onClick=${() => copy(person)}>
                  ${fill(S.qa_copy_link, { name: person.name })}
                </button>
                <a class="button secondary small" href=${speakerUrl("", person.link)} target="_blank" rel="noopener">${S.qa_open_link}</a>`
            : html`<button type="button" class="secondary small"
                onClick=${() => ctx.send("qa.speaker_link", { speaker: person.id })}>
                ${fill(S.qa_make_link, { name: person.name })}
              </button>`}
        </li>`;
      })}
    </ul>
    <p class="qc-notice" role="status">${note}</p>
  </details>`;
}

export const qaPanel = {
  events: EVENTS,
  start(context) {
    ctx = context;
    S = context.data.strings;
    render();
  },
  onSnapshot(snapshot) {
    workshop = snapshot.workshop || workshop;
    currentItem = snapshot.live ? snapshot.live.item : null;
    state = fromSnapshot(snapshot.qa);
    render();
  },
  onEvent(name, payload) {
    if (name === "live.state") {
      if (payload.live.item === currentItem) return;
      currentItem = payload.live.item;
    } else if (name === "program.changed") {
      workshop = payload.workshop;
    } else {
      const next = applyEvent(state, name, payload);
      if (next === state) return;
      state = next;
    }
    if (ctx) render();
  },
};
