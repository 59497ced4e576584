// The rapporteur's notes screen: the program with the current item, and a note for each
// thing the record holds (an item, a speaker's presentation, a speaker's answer to a
// guiding question, a person's conclusions). Saved as typed through the outbox (offline:
// kept and sent later); a conflict shows both texts. It polls screen.json (no socket for
// rapporteurs). Routes: docs/record.md.
import { byId, pageData, setText, show, whenReady } from "../shared/page.js";
import { fill, pickText, textLanguage } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { slotKey } from "./queue.js";
import { HttpSender, post } from "./sender.js";

const POLL_MS = 4000;
const MODERATING = new Set(["moderator", "facilitator", "host"]);
const SUMMARISED = new Set(["presentation", "keynote", "panel", null, undefined]);
const TYPING_PAUSE_MS = 700;

const data = pageData();
const S = data.strings;
const ui = data.language;
let screen = data.initial;
let etag = null;
const slots = new Map(); // slot key -> {where, version, chain, text, base, conflict, status}
const typing = new Map(); // slot key -> timer
const extraNames = [];
let noteLanguage = data.default_language;

const sender = new HttpSender({
  storageKey: data.storage_key,
  csrf: data.csrf_token,
  chainVersion: (group) => (slots.get(group) ? slots.get(group).chain : 0),
  onAnswer: answered,
  onStatus: status,
});

function slot(where) {
  const key = slotKey(where);
  if (!slots.has(key)) {
    slots.set(key, { key, where, version: 0, chain: 0, base: 0, text: "", conflict: null, status: "" });
  }
  return slots.get(key);
}

/** What the server holds; a note being typed (or waiting to be sent) keeps its text. */
function absorb(notes) {
  for (const note of notes) {
    const where = { kind: note.kind, item: note.item, person: note.person, question: note.question, name: note.name };
    const state = slot(where);
    if (note.version <= state.version) continue;
    state.version = note.version;
    const busy = typing.has(state.key) || sender.has(state.key) || state.conflict;
    if (!busy) {
      state.text = note.text;
      state.base = note.version;
      state.chain = note.version;
    }
  }
}

function typed(state, text) {
  state.text = text;
  state.status = "waiting";
  clearTimeout(typing.get(state.key));
  typing.set(
    state.key,
    setTimeout(() => {
      typing.delete(state.key);
      queue(state);
    }, TYPING_PAUSE_MS),
  );
  render();
}

function queue(state) {
  if (state.conflict) return; // resolved by the rapporteur first
  const w = state.where;
  const payload = {
    kind: w.kind,
    text: state.text,
    language: noteLanguage,
    based_on: sender.has(state.key) ? null : state.base,
  };
  for (const field of ["item", "person", "question", "name"]) if (w[field]) payload[field] = w[field];
  sender.send(data.urls.notes, payload, state.key);
  state.status = "saving";
  render();
}

function answered(message, statusCode, body) {
  if (message.event === data.urls.attendance) {
    feedback(statusCode === 200 ? S.attendance_saved : refusal(body));
    return;
  }
  const state = slots.get(message.group);
  if (!state) return;
  if (statusCode === 200 && body && body.note) {
    state.chain = body.note.version;
    state.version = Math.max(state.version, body.note.version);
    if (!sender.has(state.key)) state.base = body.note.version;
    state.status = sender.has(state.key) || typing.has(state.key) ? "saving" : "saved";
  } else if (statusCode === 409 && body && body.note) {
    sender.drop(state.key); // later saves of this note were based on the refused one
    state.conflict = { theirs: body.note.text, version: body.note.version, yours: state.text };
    state.version = Math.max(state.version, body.note.version);
    state.status = "";
    feedback(S.conflict_title);
  } else {
    state.status = "";
    feedback(refusal(body));
  }
  render();
}

function resolve(state, keepMine) {
  const conflict = state.conflict;
  state.conflict = null;
  state.base = conflict.version;
  state.chain = conflict.version;
  if (keepMine) {
    state.text = conflict.yours;
    queue(state);
  } else {
    state.text = conflict.theirs;
    state.status = "saved";
  }
  render();
}

function refusal(body) {
  const code = body && body.error && body.error.code;
  if (!code) return fill(S.generic, { code: "?" });
  return S[code] || (body.error.message ? fill(S.refused, { message: body.error.message }) : fill(S.generic, { code }));
}

function feedback(text) {
  setText(byId("feedback"), text);
}

function status(online, pending) {
  const node = byId("connection");
  node.dataset.status = online ? "online" : "offline";
  setText(node, online ? S.online : S.offline);
  setText(byId("pending"), pending ? fill(S.pending, { count: pending }) : "");
  show(byId("pending"), pending > 0);
}

// --- polling --------------------------------------------------------------------------

async function poll() {
  try {
    const response = await fetch(data.urls.screen, {
      headers: etag ? { "If-None-Match": etag } : {},
      credentials: "same-origin",
      cache: "no-store",
    });
    if (response.status === 200) {
      etag = response.headers.get("ETag");
      screen = await response.json();
      absorb(screen.notes);
      render();
    }
    if (response.ok || response.status === 304) sender.pump();
  } catch {
    status(false, sender.pending);
  }
  setTimeout(poll, POLL_MS);
}

// --- the view ---------------------------------------------------------------------------

const person = (key) => screen.people.find((p) => p.key === key);
const question = (key) => screen.questions.find((q) => q.key === key);
const text = (value) => pickText(value, ui, screen.workshop.languages[0]);
const lang = (value) => textLanguage(value, ui, screen.workshop.languages[0]);

function Note({ where, label, id }) {
  const state = slot(where);
  const statusText = state.status ? S[state.status] : "";
  return html`<div class="note" key=${state.key}>
    <label for=${id}>${label}</label>
    ${state.conflict
      ? html`<div class="conflict" role="group" aria-label=${S.conflict_title}>
          <p class="conflict-title">${S.conflict_title}</p>
          <div class="conflict-texts">
            <div><p class="conflict-label">${S.theirs}</p><p class="conflict-text">${state.conflict.theirs}</p></div>
            <div><p class="conflict-label">${S.yours}</p><p class="conflict-text">${state.conflict.yours}</p></div>
          </div>
          <div class="control-row">
            <button type="button" onClick=${() => resolve(state, true)}>${S.keep_mine}</button>
            <button type="button" class="secondary" onClick=${() => resolve(state, false)}>${S.take_theirs}</button>
          </div>
        </div>`
      : null}
    <textarea
      id=${id}
      rows="4"
      maxlength=${data.max_note}
      value=${state.conflict ? state.conflict.yours : state.text}
      readOnly=${Boolean(state.conflict)}
      onInput=${(event) => typed(state, event.currentTarget.value)}
    ></textarea>
    <p class="note-status muted" aria-live="off">${statusText}</p>
  </div>`;
}

function Item({ item, index }) {
  const current = screen.current_item === item.key;
  const people = item.people.map(person).filter(Boolean);
  // A presentation's people get a summary each; a guiding question, an answer from each
  // speaker (not from whoever only moderates); a closing item's people, their conclusions.
  const speakers = people.filter((p) => !p.roles.every((role) => MODERATING.has(role)));
  const summaries = SUMMARISED.has(item.kind) ? speakers : [];
  return html`<section
    class=${"slot-section item-section" + (current ? " current" : "")}
    id=${"item-" + item.key}
    key=${item.key}
    aria-labelledby=${"item-heading-" + item.key}
  >
    <h2 id=${"item-heading-" + item.key}>
      <span lang=${lang(item.title)}>${index + 1}. ${text(item.title)}</span>
      ${current ? html` <span class="now-badge">${S.now}</span>` : null}
    </h2>
    <${Note} where=${{ kind: "item", item: item.key }} id=${"note-item-" + item.key} label=${S.item_notes} />
    ${summaries.map(
      (p) => html`<${Note}
        where=${{ kind: "summary", item: item.key, person: p.key }}
        id=${"note-summary-" + item.key + "-" + p.key}
        label=${fill(S.summary_of, { name: p.name })}
      />`,
    )}
    ${item.questions.map(question).filter(Boolean).map(
      (q) => html`<div class="question-block" key=${q.key}>
        <h3><span class="muted">${S.question}:</span> <span lang=${lang(q.text)}>${text(q.text)}</span></h3>
        ${speakers.map(
          (p) => html`<${Note}
            where=${{ kind: "answer", question: q.key, person: p.key }}
            id=${"note-answer-" + q.key + "-" + p.key}
            label=${fill(S.answer_of, { name: p.name })}
          />`,
        )}
      </div>`,
    )}
    ${item.kind === "closing"
      ? html`<p><a href="#conclusions-heading">${S.write_conclusions}</a></p>`
      : null}
  </section>`;
}

function Program() {
  return screen.program.map(
    (item, index) => html`<li key=${item.key} class=${screen.current_item === item.key ? "current" : ""}>
      <a href=${"#item-" + item.key} aria-current=${screen.current_item === item.key ? "step" : undefined}>
        <span lang=${lang(item.title)}>${index + 1}. ${text(item.title)}</span>
      </a>
      ${screen.current_item === item.key ? html` <span class="now-badge">${S.now}</span>` : null}
    </li>`,
  );
}

function conclusionPeople() {
  const named = screen.notes.filter((n) => n.kind === "conclusion" && n.name).map((n) => n.name);
  const names = [];
  for (const name of [...named, ...extraNames]) {
    if (!names.some((known) => known.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return [
    ...screen.people.map((p) => ({ where: { kind: "conclusion", person: p.key }, name: p.name, id: p.key })),
    ...names.map((name, i) => ({ where: { kind: "conclusion", name }, name, id: "name-" + i })),
  ];
}

function Images() {
  if (!screen.images.length) return html`<li class="muted">${S.no_images}</li>`;
  return screen.images.map(
    (image) => html`<li key=${image.id}>
      <figure>
        <img src=${data.urls.images + "/" + image.id} alt=${image.caption} width=${image.width} height=${image.height} loading="lazy" />
        <figcaption>${image.caption}</figcaption>
      </figure>
      <button type="button" class="secondary" onClick=${() => removeImage(image.id)}>${S.remove_image}</button>
    </li>`,
  );
}

function render() {
  setText(byId("phase"), screen.phase ? S["phase_" + screen.phase] || "" : "");
  mount(byId("program-list"), html`${Program()}`);
  mount(byId("items"), html`${screen.program.map((item, index) => html`<${Item} item=${item} index=${index} key=${item.key} />`)}`);
  mount(
    byId("conclusions"),
    html`${conclusionPeople().map(
      (c) => html`<${Note} where=${c.where} id=${"note-conclusion-" + c.id} label=${fill(S.conclusion_of, { name: c.name })} key=${c.id} />`,
    )}`,
  );
  const a = screen.attendance;
  setText(byId("joined"), String(a.joined));
  setText(byId("peak"), a.peak_connected === null ? S.not_measured : String(a.peak_connected));
  mount(byId("images"), html`${Images()}`);
}

// --- forms ----------------------------------------------------------------------------

async function addImage(event) {
  event.preventDefault();
  const file = byId("image-file").files[0];
  if (!file) return;
  const form = new FormData();
  const caption = byId("image-caption").value;
  form.append("image", file);
  form.append("caption", caption);
  feedback(S.image_sending);
  const answer = await post(data.urls.images, data.csrf_token, form);
  if (answer.status === 201) {
    feedback(S.image_added);
    byId("image-form").reset();
    etag = null;
    // Shown now, not at the next poll (seconds later): the answer says what was stored.
    const { id, width, height } = answer.body;
    if (!screen.images.some((image) => image.id === id)) {
      screen.images = [...screen.images, { id, caption, width, height }];
      render();
    }
  } else {
    feedback(answer.status === 0 ? S.image_offline : refusal(answer.body));
  }
}

async function removeImage(id) {
  const answer = await post(data.urls.images + "/" + id + "/delete", data.csrf_token, {});
  if (answer.status !== 200) feedback(answer.status === 0 ? S.image_offline : refusal(answer.body));
  else {
    screen.images = screen.images.filter((image) => image.id !== id);
    render();
  }
}

function saveAttendance(event) {
  event.preventDefault();
  const raw = byId("online-count").value.trim();
  const label = byId("online-label").value.trim();
  sender.send(data.urls.attendance, { online_count: raw === "" ? null : Number(raw), label: label || null }, "attendance");
}

function addPerson(event) {
  event.preventDefault();
  const input = byId("add-person-name");
  const name = input.value.split(/\s+/).filter(Boolean).join(" ");
  if (!name) return;
  const onAgenda = screen.people.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (onAgenda) {
    input.value = "";
    byId("note-conclusion-" + onAgenda.key).focus();
    return;
  }
  extraNames.push(name);
  input.value = "";
  render();
  const all = conclusionPeople();
  const added = all.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (added) byId("note-conclusion-" + added.id).focus();
}

whenReady(() => {
  const select = byId("note-language");
  for (const [code, name] of Object.entries(data.languages)) {
    const option = document.createElement("option");
    option.value = code;
    option.textContent = name;
    option.lang = code;
    select.append(option);
  }
  select.value = noteLanguage;
  select.addEventListener("change", () => (noteLanguage = select.value));
  const a = screen.attendance;
  if (a.online_count !== null) byId("online-count").value = String(a.online_count);
  if (a.online_label) byId("online-label").value = a.online_label;
  byId("attendance-form").addEventListener("submit", saveAttendance);
  byId("image-form").addEventListener("submit", addImage);
  byId("add-person").addEventListener("submit", addPerson);
  // Saves left in the outbox by an earlier visit (a note typed offline, then the tab
  // closed): their slots show them as waiting, and they go now.
  absorb(screen.notes);
  for (const message of sender.outbox.messages) {
    const state = message.group && slots.get(message.group);
    if (state && message.payload && typeof message.payload.text === "string") {
      state.text = message.payload.text;
      state.status = "waiting";
    } else if (message.group && message.payload && message.payload.kind) {
      const p = message.payload;
      const s = slot({ kind: p.kind, item: p.item, person: p.person, question: p.question, name: p.name });
      s.text = p.text;
      s.status = "waiting";
      if (p.name && !extraNames.includes(p.name)) extraNames.push(p.name);
    }
  }
  render();
  status(navigator.onLine !== false, sender.pending);
  sender.pump();
  const current = screen.current_item && byId("item-" + screen.current_item);
  if (current && location.hash === "") current.scrollIntoView({ block: "start" });
  setTimeout(poll, POLL_MS);
});
