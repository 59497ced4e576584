// The phone's guiding questions and polls: every open question in the participant's
// language with the input its type asks for, their own answers (changed or withdrawn while
// the question is open), results once the moderators reveal them. Answers go through the
// outbox: sent at once when online, kept and sent when the connection is back otherwise.
// Protocol: docs/protocol.md, "Questions, polls and the audience Q&A". What the inputs
// decide is in inputs.js (pure, tested in Node); participants' text is set as text only.
import { useEffect, useState } from "preact/hooks";

import { fill, pickText, textLanguage } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import {
  MAX_OPEN_LENGTH,
  MAX_WORD_LENGTH,
  answerValue,
  answersLeft,
  draftFromValue,
  emptyDraft,
  inputOf,
  length,
  move,
  refusal,
  sameValue,
  scaleRange,
  scaleSteps,
  shares,
  toggle,
} from "./inputs.js";

export const EVENTS = ["question.changed", "question.open_list", "question.results", "answer.mine"];

const WALL_SHOWN = 20;

/* A piece of agenda text in the viewer's language, with its lang attribute. */
function Text({ value, ctx, tag = "span", className = "", id = null }) {
  const lang = textLanguage(value, ctx.language, ctx.defaultLanguage);
  return html`<${tag} id=${id} class=${className} lang=${lang || null}>${ctx.text(value)}</${tag}>`;
}

function Note({ note, ctx }) {
  if (!note) return html`<p class="q-note" role="status" aria-live="polite"></p>`;
  const S = ctx.S;
  const words = {
    sending: S.q_sending,
    queued: S.q_queued,
    sent: S.q_sent,
    withdrawn: S.q_withdrawn,
    error: refusal(S, note.code),
  }[note.status];
  const tone = note.status === "error" ? " q-note-error" : note.status === "queued" ? " q-note-queued" : "";
  return html`<p class=${"q-note" + tone} role="status" aria-live="polite">${words || ""}</p>`;
}

function Counter({ text, max, id, S }) {
  const left = max - length(text);
  const words = left >= 0 ? fill(S.q_chars_left, { n: left }) : fill(S.q_chars_over, { n: -left });
  return html`<p id=${id} class=${"q-counter" + (left < 0 ? " q-counter-over" : "")}>${words}</p>`;
}

/* The one input of a question whose answer is a single value (all types but open). */
function Input({ question, draft, setDraft, ctx, disabled }) {
  const S = ctx.S;
  const id = "q" + question.id;
  const options = question.options || [];
  switch (inputOf(question)) {
    case "words":
      return html`<div class="q-words-input">
        ${draft.map(
          (word, i) => html`<div class="q-word" key=${i}>
            <label for=${id + "-w" + i}>${fill(i === 0 ? S.q_word : S.q_word_optional, { n: i + 1 })}</label>
            <input id=${id + "-w" + i} type="text" maxlength=${MAX_WORD_LENGTH} autocomplete="off"
              value=${word} disabled=${disabled}
              onInput=${(e) => setDraft(draft.map((w, j) => (j === i ? e.currentTarget.value : w)))} />
          </div>`,
        )}
      </div>`;
    case "single":
      return html`<div class="q-options" role="radiogroup" aria-labelledby=${id + "-title"}>
        ${options.map(
          (option, i) => html`<label class="q-option" key=${i}>
            <input type="radio" name=${id} value=${i} checked=${draft === i} disabled=${disabled}
              onChange=${() => setDraft(i)} />
            <${Text} value=${option} ctx=${ctx} />
          </label>`,
        )}
      </div>`;
    case "multiple":
      return html`<div class="q-options" role="group" aria-labelledby=${id + "-title"}>
        ${options.map(
          (option, i) => html`<label class="q-option" key=${i}>
            <input type="checkbox" value=${i} checked=${draft.includes(i)} disabled=${disabled}
              onChange=${(e) => setDraft(toggle(draft, i, e.currentTarget.checked))} />
            <${Text} value=${option} ctx=${ctx} />
          </label>`,
        )}
      </div>`;
    case "scale":
      return html`<${Scale} question=${question} draft=${draft} setDraft=${setDraft} ctx=${ctx} disabled=${disabled} />`;
    case "order":
      return html`<ol class="q-order">
        ${draft.map(
          (option, place) => html`<li key=${option} class="q-order-item">
            <span class="q-place" aria-hidden="true">${place + 1}</span>
            <${Text} value=${options[option]} ctx=${ctx} className="q-order-text" />
            <span class="q-order-moves">
              <button type="button" class="q-move" disabled=${disabled || place === 0}
                aria-label=${fill(S.q_move_up, { option: ctx.text(options[option]) })}
                onClick=${() => setDraft(move(draft, place, -1))}>↑</button>
              <button type="button" class="q-move" disabled=${disabled || place === draft.length - 1}
                aria-label=${fill(S.q_move_down, { option: ctx.text(options[option]) })}
                onClick=${() => setDraft(move(draft, place, 1))}>↓</button>
            </span>
          </li>`,
        )}
      </ol>`;
    default:
      return null;
  }
}

function Scale({ question, draft, setDraft, ctx, disabled }) {
  const id = "q" + question.id;
  const scale = question.scale || {};
  const { min, max } = scaleRange(question);
  const steps = scaleSteps(question);
  const ends = html`<div class="q-scale-ends">
    <span>${min}${scale.min_label ? " · " : ""}${scale.min_label ? html`<${Text} value=${scale.min_label} ctx=${ctx} />` : ""}</span>
    <span>${scale.max_label ? html`<${Text} value=${scale.max_label} ctx=${ctx} />` : ""}${scale.max_label ? " · " : ""}${max}</span>
  </div>`;
  if (steps === null) {
    const value = Number.isInteger(draft) ? draft : Math.round((min + max) / 2);
    return html`<div class="q-scale">
      ${ends}
      <input type="range" min=${min} max=${max} step="1" value=${value} disabled=${disabled}
        aria-labelledby=${id + "-title"} onInput=${(e) => setDraft(Number(e.currentTarget.value))} />
      <output class="q-scale-value">${Number.isInteger(draft) ? draft : "–"}</output>
    </div>`;
  }
  return html`<div class="q-scale">
    ${ends}
    <div class="q-scale-steps" role="radiogroup" aria-labelledby=${id + "-title"}>
      ${steps.map(
        (value) => html`<label key=${value} class=${"q-step" + (draft === value ? " q-step-on" : "")}>
          <input type="radio" name=${id} value=${value} checked=${draft === value} disabled=${disabled}
            onChange=${() => setDraft(value)} />
          <span>${value}</span>
        </label>`,
      )}
    </div>
  </div>`;
}

function hintOf(question, S) {
  const input = inputOf(question);
  if (input === "text") {
    return question.many_answers && question.max_answers > 1
      ? fill(S.q_hint_text_many, { n: question.max_answers })
      : S.q_hint_text;
  }
  if (input === "scale") return fill(S.q_hint_scale, scaleRange(question));
  return S["q_hint_" + input] || "";
}

/* One answer of an open question: shown, edited in place, or withdrawn. */
function OpenAnswer({ question, answer, ctx, open }) {
  const S = ctx.S;
  const [editing, setEditing] = useState(null);
  const id = "q" + question.id + "-a" + answer.id;
  if (editing === null) {
    return html`<li class="q-mine">
      <p class="q-mine-text">${answer.value}</p>
      ${open &&
      html`<div class="q-actions">
        <button type="button" class="secondary" onClick=${() => setEditing(answer.value)}
          aria-describedby=${id + "-t"}>${S.q_edit}</button>
        <button type="button" class="secondary" onClick=${() => ctx.withdraw(question, answer.id)}>${S.q_withdraw}</button>
      </div>`}
      <span id=${id + "-t"} hidden>${answer.value}</span>
    </li>`;
  }
  const over = length(editing) > MAX_OPEN_LENGTH;
  return html`<li class="q-mine">
    <label for=${id}>${S.q_your_answer}</label>
    <textarea id=${id} rows="3" value=${editing} aria-describedby=${id + "-n"}
      onInput=${(e) => setEditing(e.currentTarget.value)}></textarea>
    <${Counter} text=${editing} max=${MAX_OPEN_LENGTH} id=${id + "-n"} S=${S} />
    <div class="q-actions">
      <button type="button" class="primary" disabled=${over || !editing.trim()}
        onClick=${() => {
          ctx.submit(question, editing.trim(), answer.id);
          setEditing(null);
        }}>${S.q_save}</button>
      <button type="button" class="secondary" onClick=${() => setEditing(null)}>${S.q_cancel}</button>
    </div>
  </li>`;
}

function OpenQuestion({ question, mine, queued, ctx, open }) {
  const S = ctx.S;
  const [draft, setDraft] = useState("");
  const id = "q" + question.id + "-new";
  const left = answersLeft(question, [...mine, ...queued]);
  const over = length(draft) > MAX_OPEN_LENGTH;
  return html`<div>
    ${(mine.length > 0 || queued.length > 0) &&
    html`<h4 class="label">${S.q_your_answers}</h4>
      <ul class="q-mine-list">
        ${mine.map((answer) => html`<${OpenAnswer} key=${answer.id} question=${question} answer=${answer} ctx=${ctx} open=${open} />`)}
        ${queued.map((value, i) => html`<li key=${"queued" + i} class="q-mine q-mine-queued"><p class="q-mine-text">${value}</p></li>`)}
      </ul>`}
    ${open && left > 0 &&
    html`<form class="q-form" onSubmit=${(e) => {
      e.preventDefault();
      const answer = answerValue(question, draft);
      if (answer.error) return ctx.note(question.id, { status: "error", code: answer.error });
      ctx.submit(question, answer.value, null);
      setDraft("");
    }}>
      <label for=${id}>${S.q_your_answer}</label>
      <textarea id=${id} rows="3" value=${draft} aria-describedby=${id + "-n"}
        onInput=${(e) => setDraft(e.currentTarget.value)}></textarea>
      <${Counter} text=${draft} max=${MAX_OPEN_LENGTH} id=${id + "-n"} S=${S} />
      <button type="submit" class="primary" disabled=${over}>${S.q_send}</button>
    </form>`}
    ${open && left === 0 && html`<p class="muted">${S.q_all_given}</p>`}
  </div>`;
}

function OneAnswerQuestion({ question, mine, ctx, open }) {
  const S = ctx.S;
  const given = mine.length > 0 ? mine[0] : null;
  const [state, setState] = useState({ draft: null, touched: false });
  // Untouched, the input shows the answer as stored (given on another device too); once
  // the stored answer changes (this one acknowledged, or another device's), it follows it.
  // An answer waiting offline stays on screen as it was sent.
  const stored = given ? JSON.stringify(given.value) : "";
  useEffect(() => setState({ draft: null, touched: false }), [stored]);
  const draft = state.touched ? state.draft : given ? draftFromValue(question, given.value) : emptyDraft(question);
  const setDraft = (next) => setState({ draft: next, touched: true });
  const answer = answerValue(question, draft);
  const unchanged = given !== null && !answer.error && sameValue(answer.value, given.value);
  return html`<form class="q-form" onSubmit=${(e) => {
    e.preventDefault();
    if (answer.error) return ctx.note(question.id, { status: "error", code: answer.error });
    ctx.submit(question, answer.value, null);
  }}>
    <${Input} question=${question} draft=${draft} setDraft=${setDraft} ctx=${ctx} disabled=${!open} />
    ${open &&
    html`<div class="q-actions">
      <button type="submit" class="primary" disabled=${unchanged}>${given ? S.q_change : S.q_send}</button>
      ${given &&
      html`<button type="button" class="secondary" onClick=${() => {
        ctx.withdraw(question, given.id);
        setState({ draft: null, touched: false });
      }}>${S.q_withdraw}</button>`}
    </div>`}
  </form>`;
}

function Bars({ rows, S }) {
  return html`<ul class="q-bars">
    ${rows.map(
      (row, i) => html`<li key=${i} class="q-bar-row">
        <span class="q-bar-label">${row.label}</span>
        <span class="q-bar-count">${row.count}${row.share !== undefined ? ` · ${row.share}%` : ""}</span>
        <span class="q-bar" aria-hidden="true"><span class="q-bar-fill" style=${{ width: row.width + "%" }}></span></span>
      </li>`,
    )}
  </ul>`;
}

/* Results as the phone shows them once revealed: small, plain, readable. */
function Results({ question, results, ctx }) {
  const S = ctx.S;
  const options = question.options || [];
  let body = null;
  if (question.chart === "wall") {
    body = html`<ul class="q-wall">
      ${(results.wall || []).slice(0, WALL_SHOWN).map(
        (a) => html`<li key=${a.id} class=${a.highlighted ? "q-wall-star" : ""}>${a.text}</li>`,
      )}
    </ul>`;
  } else if (question.chart === "cloud") {
    body = html`<ul class="q-cloud">
      ${(results.words || []).slice(0, 30).map((w) => html`<li key=${w.word}>${w.label} <span class="muted">${w.count}</span></li>`)}
    </ul>`;
  } else if (question.chart === "bars") {
    const counts = results.options || [];
    const percents = shares(counts, results.answers);
    const top = Math.max(1, ...counts);
    body = html`<${Bars} S=${S} rows=${counts.map((count, i) => ({
      label: html`<${Text} value=${options[i]} ctx=${ctx} />`,
      count,
      share: percents[i],
      width: Math.round((100 * count) / top),
    }))} />`;
  } else if (question.chart === "distribution") {
    const rows = results.distribution || [];
    const top = Math.max(1, ...rows.map((r) => r[1]));
    body = html`<div>
      ${results.mean !== null && results.mean !== undefined && html`<p class="q-mean">${fill(S.q_mean, { mean: results.mean })}</p>`}
      <${Bars} S=${S} rows=${rows.map(([value, count]) => ({ label: String(value), count, width: Math.round((100 * count) / top) }))} />
    </div>`;
  } else if (question.chart === "points") {
    const points = results.points || [];
    const top = Math.max(1, ...points);
    body = html`<${Bars} S=${S} rows=${(results.order || []).map((i) => ({
      label: html`<${Text} value=${options[i]} ctx=${ctx} />`,
      count: fill(S.q_points, { n: points[i] || 0 }),
      width: Math.round((100 * (points[i] || 0)) / top),
    }))} />`;
  }
  return html`<div class="q-results">
    <h4 class="label">${S.q_results} · ${fill(S.q_answers, { n: results.answers || 0 })}</h4>
    ${body}
  </div>`;
}

function QuestionCard({ question, ctx }) {
  const S = ctx.S;
  const open = question.state === "open";
  const mine = ctx.mine(question.id);
  const results = ctx.results(question.id);
  const titleId = "q" + question.id + "-title";
  return html`<article class=${"card q-card" + (open ? "" : " q-card-closed")} aria-labelledby=${titleId}
    data-question=${question.id} data-type=${question.type}>
    <${Text} tag="h3" id=${titleId} className="q-title" value=${question.text} ctx=${ctx} />
    ${open ? html`<p class="q-hint muted">${hintOf(question, S)}</p>` : html`<p class="q-hint muted">${S.q_closed}</p>`}
    ${question.many_answers
      ? html`<${OpenQuestion} question=${question} mine=${mine} queued=${ctx.queued(question.id)} ctx=${ctx} open=${open} />`
      : html`<${OneAnswerQuestion} question=${question} mine=${mine} ctx=${ctx} open=${open} />`}
    <${Note} note=${ctx.notes.get(question.id)} ctx=${ctx} />
    ${results && html`<${Results} question=${question} results=${results} ctx=${ctx} />`}
  </article>`;
}

/* A closed question stays in view while it has something to say (an answer refused
 * because it closed, or one still waiting to be sent). */
function inView(question, ctx) {
  if (question.state === "open") return true;
  const note = ctx.notes.get(question.id);
  return Boolean(note && (note.status === "error" || note.status === "queued" || note.status === "sending"));
}

function Questions({ list, ctx }) {
  const open = list.filter((q) => inView(q, ctx));
  const earlier = list.filter((q) => !inView(q, ctx));
  return html`
    ${open.length > 0 &&
    html`<h2 id="questions-heading" class="q-heading">${ctx.S.q_heading}</h2>
      ${open.map((q) => html`<${QuestionCard} key=${q.id} question=${q} ctx=${ctx} />`)}`}
    ${earlier.length > 0 &&
    html`<details class="q-earlier">
      <summary>${ctx.S.q_earlier} (${earlier.length})</summary>
      ${earlier.map((q) => html`<${QuestionCard} key=${q.id} question=${q} ctx=${ctx} />`)}
    </details>`}
  `;
}

/* Hooks the questions into the phone page. `send(event, payload)` is the client's (through
 * the outbox), `online()` whether the socket is connected. Returns what phone.js calls. */
export function questionsPhone({ root, strings, language, defaultLanguage, send, online, pending = [] }) {
  const model = {
    list: [], // question views, in the server's order
    results: new Map(), // question id -> results (revealed ones)
    mine: new Map(), // question id -> my answer views
    queued: new Map(), // question id -> open answers not yet acknowledged
    ended: false, // the session is over: its thank-you screen, no questions
  };
  const notes = new Map(); // question id -> {status, code}

  const ctx = {
    S: strings,
    language,
    defaultLanguage,
    text: (value) => pickText(value, language, defaultLanguage),
    notes,
    mine: (id) => model.mine.get(id) || [],
    results: (id) => model.results.get(id) || null,
    queued: (id) => model.queued.get(id) || [],
    note(id, note) {
      notes.set(id, note);
      render();
    },
    submit(question, value, answerId) {
      const payload = { question: question.id, value };
      if (answerId) payload.answer = answerId;
      const queued = question.many_answers && !answerId;
      if (queued) model.queued.set(question.id, [...ctx.queued(question.id), value]);
      ctx.note(question.id, { status: online() ? "sending" : "queued" });
      send("answer.submit", payload).then((ack) => settle(question.id, value, queued, ack));
    },
    withdraw(question, answerId) {
      ctx.note(question.id, { status: online() ? "sending" : "queued" });
      send("answer.withdraw", { answer: answerId }).then((ack) => {
        if (ack && ack.ok) {
          model.mine.set(question.id, ctx.mine(question.id).filter((a) => a.id !== answerId));
          ctx.note(question.id, { status: "withdrawn" });
        } else {
          ctx.note(question.id, { status: "error", code: ack && ack.error && ack.error.code });
        }
      });
    },
  };

  /* An answer acknowledged: stored (its value kept, in case answer.mine is still on its
   * way) or refused (said why). */
  function settle(id, value, queued, ack) {
    if (queued) {
      const rest = [...ctx.queued(id)];
      const at = rest.findIndex((v) => sameValue(v, value));
      if (at >= 0) rest.splice(at, 1);
      model.queued.set(id, rest);
    }
    if (ack && ack.ok) {
      keepMine(id, ack.data);
      ctx.note(id, { status: "sent" });
    } else {
      ctx.note(id, { status: "error", code: ack && ack.error && ack.error.code });
    }
  }

  function keepMine(id, data) {
    if (!data || typeof data.answer !== "number") return;
    const answers = ctx.mine(id);
    const known = answers.find((a) => a.id === data.answer);
    if (known) known.value = data.value;
    else answers.push({ id: data.answer, question: id, slot: answers.length, value: data.value });
    model.mine.set(id, answers);
  }

  // Answers a previous visit of this page left in the outbox (sent once connected): shown
  // as waiting, and their outcome said when their acknowledgement comes (ack below).
  const restored = new Set();
  for (const message of pending) {
    if (message.event !== "answer.submit" || !message.payload) continue;
    const { question, value, answer } = message.payload;
    restored.add(message.cid);
    notes.set(question, { status: "queued" });
    if (!answer) model.queued.set(question, [...ctx.queued(question), value]);
  }

  function upsert(view) {
    const index = model.list.findIndex((q) => q.id === view.id);
    if (index >= 0) model.list[index] = view;
    else model.list.push(view);
  }

  function render() {
    mount(root, html`<${Questions} list=${model.list} ctx=${ctx} />`);
    root.hidden = model.list.length === 0 || model.ended;
  }

  return {
    events: EVENTS,
    snapshot(snapshot) {
      model.ended = Boolean(snapshot.live && snapshot.live.phase === "ended");
      const part = snapshot.questions;
      if (!part) return render();
      model.list = [...(part.list || [])];
      model.results = new Map((part.results || []).map((r) => [r.question, r.results]));
      model.mine = new Map();
      for (const answer of part.mine || []) {
        model.mine.set(answer.question, [...ctx.mine(answer.question), answer]);
      }
      render();
    },
    event(name, payload) {
      if (name === "question.changed" && payload.question) {
        upsert(payload.question);
      } else if (name === "question.open_list") {
        const open = new Set((payload.questions || []).map((q) => q.id));
        for (const view of payload.questions || []) upsert(view);
        for (const q of model.list) if (q.state === "open" && !open.has(q.id)) q.state = "closed";
      } else if (name === "question.results") {
        model.results = new Map((payload.results || []).map((r) => [r.question, r.results]));
      } else if (name === "answer.mine") {
        model.mine.set(payload.question, payload.answers || []);
      } else if (name === "live.state" && payload.live) {
        model.ended = payload.live.phase === "ended";
      } else {
        return;
      }
      render();
    },
    ack(message, ack) {
      if (!restored.delete(message.cid)) return; // this page's own: its send() settles it
      const { question, value, answer } = message.payload;
      settle(question, value, !answer, ack);
    },
    status(status) {
      let changed = false;
      for (const [id, note] of notes) {
        if (status !== "online" && note.status === "sending") {
          notes.set(id, { status: "queued" });
          changed = true;
        }
      }
      if (changed) render();
    },
  };
}
