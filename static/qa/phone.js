// The phone's audience Q&A: ask (under one's name or anonymously, as the workshop allows;
// to anyone, to a speaker of the current item or of any item), upvote and take the vote
// back, sort by votes or time, keep to one's own language; one's own questions awaiting
// approval say so. Questions and votes go through the outbox. Protocol: docs/protocol.md,
// "Questions, polls and the audience Q&A"; what the list does is in list.js (pure).
import { useState } from "preact/hooks";

import { length, refusal } from "../questions/inputs.js";
import { fill } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { MAX_QUESTION_LENGTH, askModes, shownQuestions, speakerChoices } from "./list.js";

export const EVENTS = ["qa.question", "qa.removed", "qa.mine", "qa.voted", "qa.settings", "qa.votes"];

function languageNamer(language) {
  try {
    const names = new Intl.DisplayNames([language], { type: "language" });
    return (code) => {
      try {
        return names.of(code) || code;
      } catch {
        return code;
      }
    };
  } catch {
    return (code) => code;
  }
}

function AskForm({ ctx }) {
  const S = ctx.S;
  const modes = askModes(ctx.settings(), ctx.myName());
  const speakers = speakerChoices(ctx.speakers, ctx.currentItem());
  const [text, setText] = useState("");
  const [speaker, setSpeaker] = useState("");
  const [mode, setMode] = useState(null);
  const chosen = mode && modes.allowed.includes(mode) ? mode : modes.allowed[0] || null;
  const over = length(text) > MAX_QUESTION_LENGTH;
  const left = MAX_QUESTION_LENGTH - length(text);
  return html`<form class="qa-ask" onSubmit=${(e) => {
    e.preventDefault();
    if (!text.trim()) return ctx.note({ status: "error", code: "text_missing" });
    if (!chosen) return ctx.note({ status: "error", code: "anonymous_not_allowed" });
    const payload = { text: text.trim(), anonymous: chosen === "anonymous" };
    if (speaker) payload.speaker = speaker;
    ctx.ask(payload);
    setText("");
  }}>
    <h3 class="qa-subheading">${S.qa_ask}</h3>
    <label for="qa-text">${S.qa_text}</label>
    <textarea id="qa-text" rows="3" value=${text} aria-describedby="qa-text-n"
      onInput=${(e) => setText(e.currentTarget.value)}></textarea>
    <p id="qa-text-n" class=${"q-counter" + (over ? " q-counter-over" : "")}>
      ${left >= 0 ? fill(S.q_chars_left, { n: left }) : fill(S.q_chars_over, { n: -left })}
    </p>
    ${speakers.total > 0 &&
    html`<label for="qa-speaker">${S.qa_to}</label>
      <select id="qa-speaker" value=${speaker} onChange=${(e) => setSpeaker(e.currentTarget.value)}>
        <option value="">${S.qa_to_anyone}</option>
        ${speakers.now.length > 0 &&
        html`<optgroup label=${S.qa_speakers_now}>
          ${speakers.now.map((p) => html`<option key=${p.key} value=${p.key}>${p.name}</option>`)}
        </optgroup>`}
        ${speakers.other.length > 0 &&
        html`<optgroup label=${S.qa_speakers_other}>
          ${speakers.other.map((p) => html`<option key=${p.key} value=${p.key}>${p.name}</option>`)}
        </optgroup>`}
      </select>`}
    ${modes.allowed.length > 1 &&
    html`<fieldset class="qa-as">
      <legend>${S.qa_as}</legend>
      <label class="q-option"><input type="radio" name="qa-as" value="named" checked=${chosen === "named"}
        onChange=${() => setMode("named")} /> <span>${fill(S.qa_named, { name: ctx.myName() })}</span></label>
      <label class="q-option"><input type="radio" name="qa-as" value="anonymous" checked=${chosen === "anonymous"}
        onChange=${() => setMode("anonymous")} /> <span>${S.qa_anonymous}</span></label>
    </fieldset>`}
    ${modes.allowed.length === 1 && modes.allowed[0] === "anonymous" &&
    html`<p class="muted">${modes.reason === "no_name" ? S.qa_anonymous : S.qa_only_anonymous}</p>`}
    ${modes.allowed.length === 1 && modes.allowed[0] === "named" &&
    html`<p class="muted">${fill(S.qa_named, { name: ctx.myName() })}</p>`}
    ${modes.allowed.length === 0 && html`<p class="q-note q-note-error">${S.qa_need_name}</p>`}
    <button type="submit" class="primary" disabled=${over || modes.allowed.length === 0}>${S.qa_send}</button>
    <p class=${"q-note" + (ctx.askNote() && ctx.askNote().status === "error" ? " q-note-error" : ctx.askNote() && ctx.askNote().status === "queued" ? " q-note-queued" : "")}
      role="status" aria-live="polite">${noteText(ctx.askNote(), S)}</p>
  </form>`;
}

function noteText(note, S) {
  if (!note) return "";
  if (note.status === "error") return refusal(S, note.code);
  return { sending: S.q_sending, queued: S.qa_queued, sent: S.qa_sent, pending: S.qa_sent_pending }[note.status] || "";
}

function QuestionItem({ question, ctx }) {
  const S = ctx.S;
  const voted = ctx.voted(question.id);
  const pending = question.status === "pending";
  const speaker = question.speaker ? ctx.personName(question.speaker) : "";
  const answer = question.answer;
  const answeredBy = answer ? (answer.by_person ? ctx.personName(answer.by_person) : answer.by_name) : "";
  return html`<li class=${"qa-item" + (question.mine ? " qa-mine" : "") + (question.pinned ? " qa-pinned" : "")}
    data-qa=${question.id}>
    <div class="qa-badges">
      ${question.pinned && html`<span class="qa-badge qa-badge-pinned">${S.qa_pinned}</span>`}
      ${pending && html`<span class="qa-badge qa-badge-pending">${S.qa_pending}</span>`}
      ${question.status === "answered" && html`<span class="qa-badge qa-badge-answered">${S.qa_answered}</span>`}
      ${question.mine && html`<span class="qa-badge">${S.qa_yours}</span>`}
    </div>
    <p class="qa-text" lang=${question.language}>${question.text}</p>
    <p class="qa-meta">
      <span>${question.name || S.qa_anonymous_asker}</span>
      ${speaker && html`<span>${fill(S.qa_to_speaker, { name: speaker })}</span>`}
      <span class="qa-lang">${fill(S.qa_in_language, { language: ctx.languageName(question.language) })}</span>
      ${question.edited && html`<span>${S.qa_edited}</span>`}
    </p>
    ${answer &&
    html`<div class="qa-answer">
      ${answeredBy && html`<p class="qa-answer-by">${fill(S.qa_answered_by, { name: answeredBy })}</p>`}
      ${answer.text && html`<p class="qa-answer-text">${answer.text}</p>`}
    </div>`}
    ${!pending &&
    html`<button type="button" class=${"qa-vote" + (voted ? " qa-vote-on" : "")} aria-pressed=${voted ? "true" : "false"}
      onClick=${() => ctx.vote(question.id, !voted)}>
      <span aria-hidden="true">▲ </span>${voted ? S.qa_voted : S.qa_vote} · ${fill(S.qa_votes, { n: question.votes || 0 })}
    </button>`}
  </li>`;
}

function Qa({ ctx }) {
  const S = ctx.S;
  const view = ctx.view();
  const shown = shownQuestions(ctx.questions(), { sort: view.sort, language: view.onlyMine ? ctx.language : null });
  const all = ctx.questions().length;
  return html`
    <h2 id="qa-heading" class="q-heading">${S.qa_heading}</h2>
    <div class="card"><${AskForm} ctx=${ctx} /></div>
    <h3 class="qa-subheading">${S.qa_list}</h3>
    <div class="qa-tools">
      <fieldset class="qa-sort">
        <legend>${S.qa_sort}</legend>
        <label class="qa-tab"><input type="radio" name="qa-sort" value="votes" checked=${view.sort === "votes"}
          onChange=${() => ctx.setView({ sort: "votes" })} /> <span>${S.qa_sort_votes}</span></label>
        <label class="qa-tab"><input type="radio" name="qa-sort" value="time" checked=${view.sort === "time"}
          onChange=${() => ctx.setView({ sort: "time" })} /> <span>${S.qa_sort_time}</span></label>
      </fieldset>
      <label class="q-option qa-filter"><input type="checkbox" checked=${view.onlyMine}
        onChange=${(e) => ctx.setView({ onlyMine: e.currentTarget.checked })} /> <span>${S.qa_my_language}</span></label>
    </div>
    ${ctx.voteNote() && html`<p class="q-note q-note-error" role="status">${refusal(S, ctx.voteNote().code)}</p>`}
    ${shown.length > 0
      ? html`<ul class="qa-list">${shown.map((q) => html`<${QuestionItem} key=${q.id} question=${q} ctx=${ctx} />`)}</ul>`
      : html`<p class="muted">${all > 0 ? S.qa_none_in_language : S.qa_none}</p>`}
  `;
}

/* Hooks the Q&A into the phone page; returns what phone.js calls (see questions/phone.js). */
export function qaPhone({ root, strings, language, speakers, send, online, pending = [] }) {
  const model = {
    settings: { moderated: false, names: "any" },
    questions: new Map(), // id -> Q&A view (public ones and my own)
    voted: new Set(),
    live: null,
    me: null,
    view: { sort: "votes", onlyMine: false },
    askNote: null,
    voteNote: null,
  };
  const languageName = languageNamer(language);
  const ctx = {
    S: strings,
    language,
    languageName,
    settings: () => model.settings,
    myName: () => (model.me && model.me.name) || "",
    speakers,
    currentItem: () => (model.live && model.live.phase === "running" ? model.live.item : null),
    personName(key) {
      const person = ((speakers && speakers.people) || []).find((p) => p.key === key);
      return person ? person.name : "";
    },
    questions: () => [...model.questions.values()],
    voted: (id) => model.voted.has(id),
    view: () => model.view,
    setView(change) {
      model.view = { ...model.view, ...change };
      render();
    },
    askNote: () => model.askNote,
    voteNote: () => model.voteNote,
    note(note) {
      model.askNote = note;
      render();
    },
    ask(payload) {
      ctx.note({ status: online() ? "sending" : "queued" });
      send("qa.ask", payload).then(settleAsk);
    },
    vote(id, voted) {
      // Shown at once; the server's count follows in the votes tally.
      const question = model.questions.get(id);
      if (voted) model.voted.add(id);
      else model.voted.delete(id);
      if (question) question.votes = Math.max(0, (question.votes || 0) + (voted ? 1 : -1));
      model.voteNote = null;
      render();
      send("qa.vote", { question: id, voted }).then((ack) => {
        if (ack && ack.ok) return;
        if (voted) model.voted.delete(id);
        else model.voted.add(id);
        if (question) question.votes = Math.max(0, (question.votes || 0) + (voted ? -1 : 1));
        model.voteNote = { code: ack && ack.error && ack.error.code };
        render();
      });
    },
  };

  // A question a previous visit of this page left in the outbox: said to be waiting, and
  // its outcome said when its acknowledgement comes.
  const restored = new Set(pending.filter((m) => m.event === "qa.ask").map((m) => m.cid));
  if (restored.size > 0) model.askNote = { status: "queued" };

  function settleAsk(ack) {
    if (ack && ack.ok) ctx.note({ status: ack.data && ack.data.status === "pending" ? "pending" : "sent" });
    else ctx.note({ status: "error", code: ack && ack.error && ack.error.code });
  }

  function render() {
    mount(root, html`<${Qa} ctx=${ctx} />`);
    root.hidden = !model.live || model.live.phase === "ended";
  }

  return {
    events: EVENTS,
    snapshot(snapshot) {
      model.live = snapshot.live || model.live;
      model.me = snapshot.me || model.me;
      const part = snapshot.qa;
      if (part) {
        model.settings = part.settings || model.settings;
        model.questions = new Map((part.questions || []).map((q) => [q.id, q]));
        model.voted = new Set(part.voted || []);
      }
      render();
    },
    event(name, payload) {
      if (name === "qa.question" || name === "qa.mine") {
        const q = payload.question;
        const known = model.questions.get(q.id);
        // A public copy of my own question keeps it marked as mine.
        model.questions.set(q.id, known && known.mine ? { ...q, mine: true } : q);
      } else if (name === "qa.removed") {
        const known = model.questions.get(payload.question);
        if (known && !known.mine) model.questions.delete(payload.question);
      } else if (name === "qa.voted") {
        if (payload.voted) model.voted.add(payload.question);
        else model.voted.delete(payload.question);
      } else if (name === "qa.settings") {
        model.settings = { moderated: payload.moderated, names: payload.names };
      } else if (name === "qa.votes") {
        for (const [id, votes] of payload.votes || []) {
          const q = model.questions.get(id);
          if (q) q.votes = votes;
        }
      } else if (name === "live.state") {
        model.live = payload.live;
      } else {
        return;
      }
      render();
    },
    ack(message, ack) {
      if (restored.delete(message.cid)) settleAsk(ack);
    },
    status() {},
  };
}
