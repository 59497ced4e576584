// The console's questions and polls: the program's questions and those written live,
// writing and rewriting a question in the workshop's languages, open / close / reopen,
// results shown or hidden on projectors and phones, answers arriving with counts and the
// share of connected participants, word and answer moderation, and a breakdown of the
// results by the participants' language, country or type. A panel mounted by
// static/live/console.js: it gets the console's snapshots and events, and sends through
// the console's client. State and decisions: console-model.js (Node-tested).
import { useState } from "preact/hooks";

import { byId } from "../shared/page.js";
import { countryNames } from "../shared/format.js";
import { fill, pickText, textLanguage } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { qaPanel } from "../qa/console.js";
import { BreakdownChart } from "./console-chart.js";
import {
  EVENTS,
  MAX_OPEN_ANSWERS,
  MAX_OPTIONS,
  MAX_TEXT,
  TYPES,
  WITH_OPTIONS,
  answersOf,
  applyEvent,
  barWidth,
  bars,
  blankDraft,
  breakdownChart,
  countsOf,
  draftOf,
  draftPayload,
  emptyQuestions,
  fromSnapshot,
  sections,
  wordsOf,
} from "./console-model.js";

const SHOWN_ANSWERS = 60; // answers listed at first; the rest on demand
const BREAKDOWN_TIMEOUT_MS = 10000;
const DIMENSIONS = ["language", "country", "organisation_type", "stakeholder_type"];

let ctx = null; // {data, client, send, say}
let S = {};
let state = emptyQuestions();
let workshop = null;
let currentItem = null;
let frame = null;
let notice = ""; // the last thing done that the moderator should hear about

function announce(text) {
  notice = text;
  render();
}

const pick = (text) => pickText(text, ctx.data.language, ctx.data.default_language);
const langOf = (text) => textLanguage(text, ctx.data.language, ctx.data.default_language);
const languageName = (code) => (ctx.data.languages && ctx.data.languages[code]) || code;
const languages = () => (workshop && workshop.languages) || [ctx.data.default_language];

function render() {
  if (frame !== null) return;
  // At most once a frame, however fast answers come.
  const run = () => {
    frame = null;
    mount(byId("questions-console"), html`<${Panel} />`);
  };
  frame = typeof requestAnimationFrame === "function" ? requestAnimationFrame(run) : setTimeout(run, 16);
}

/* --- the panel ------------------------------------------------------------------------------ */

function Panel() {
  const [writing, setWriting] = useState(false);
  const found = sections(state.list, workshop ? workshop.items : [], currentItem);
  const autoOpen = (event) => ctx.send("question.configure", { auto_open: event.target.checked });
  return html`<section class="questions-console" aria-labelledby="questions-heading">
    <div class="qc-top">
      <h2 id="questions-heading">${S.q_heading}</h2>
      <label class="qc-check">
        <input type="checkbox" id="q-auto-open" checked=${state.settings.auto_open} onChange=${autoOpen} />
        ${S.q_auto_open}
      </label>
      ${writing
        ? null
        : html`<button type="button" id="q-write" onClick=${() => setWriting(true)}>${S.q_write}</button>`}
    </div>
    <p class="qc-notice" role="status">${notice}</p>
    ${writing
      ? html`<${QuestionForm}
          key="new"
          onDone=${(saved) => {
            setWriting(false);
            announce(saved ? S.q_created : "");
          }}
        />`
      : null}
    ${found.length ? null : html`<p class="muted">${S.q_none}</p>`}
    ${found.map(
      (section) => html`<section
        key=${section.kind + (section.item ? section.item.id : "")}
        class=${"qc-section" + (section.current ? " is-current" : "")}
        aria-label=${sectionTitle(section)}
      >
        <h3 class="qc-section-title">
          ${sectionTitle(section)}
          ${section.current ? html` <span class="qc-badge is-current">${S.q_current_item}</span>` : null}
        </h3>
        ${section.questions.map((q) => html`<${QuestionCard} key=${q.id} question=${q} />`)}
      </section>`,
    )}
  </section>`;
}

function sectionTitle(section) {
  if (section.kind === "item") return pick(section.item.title);
  return section.kind === "live" ? S.q_live_section : S.q_other_section;
}

/* --- one question ----------------------------------------------------------------------- */

function QuestionCard({ question }) {
  const [editing, setEditing] = useState(false);
  const counts = countsOf(state, question.id);
  const id = question.id;
  const send = (event, extra = {}) => ctx.send(event, { question: id, ...extra });
  if (editing) {
    return html`<article class="qc-card is-editing" data-question=${id}>
      <${QuestionForm} question=${question} onDone=${() => setEditing(false)} />
    </article>`;
  }
  const state_ = question.state;
  const title = pick(question.text);
  return html`<article class=${"qc-card is-" + state_} data-question=${id} aria-labelledby=${"q-title-" + id}>
    <header class="qc-card-head">
      <p class="qc-badges">
        <span class="qc-badge">${S["type_" + question.type] || question.type}</span>
        <span class=${"qc-badge state-" + state_}>${S["q_state_" + state_] || state_}</span>
        <span class=${"qc-badge" + (question.revealed ? " is-revealed" : "")}>
          ${question.revealed ? S.q_shown : S.q_not_shown}
        </span>
      </p>
      <h4 class="qc-title" id=${"q-title-" + id} lang=${langOf(question.text)}>${title}</h4>
      ${Object.keys(question.text || {}).length > 1
        ? html`<ul class="qc-translations">
            ${Object.entries(question.text)
              .filter(([code]) => code !== langOf(question.text))
              .map(([code, text]) => html`<li key=${code} lang=${code}><span class="qc-lang">${code.toUpperCase()}</span> ${text}</li>`)}
          </ul>`
        : null}
    </header>
    ${state_ === "ready" && !counts.answers ? null : html`<${Counts} counts=${counts} id=${id} />`}
    <div class="qc-actions">
      ${state_ === "open"
        ? html`<button type="button" class="danger" onClick=${() => send("question.close")}>${S.q_close}</button>`
        : html`<button type="button" onClick=${() => send("question.open")}>
            ${state_ === "closed" ? S.q_reopen : S.q_open}
          </button>`}
      <button type="button" class="secondary" aria-pressed=${question.revealed ? "true" : "false"}
        onClick=${() => send("question.reveal", { revealed: !question.revealed })}>
        ${question.revealed ? S.q_unreveal : S.q_reveal}
      </button>
      ${question.editable
        ? html`<button type="button" class="secondary" onClick=${() => setEditing(true)}>${S.q_edit}</button>`
        : null}
    </div>
    ${question.type === "open" ? html`<${AnswerLimit} question=${question} />` : null}
    <${Results} question=${question} counts=${counts} />
    <${Answers} question=${question} />
    <${Breakdown} question=${question} />
  </article>`;
}

/* How many answers each participant may give an open question (the agenda's start at 3). */
function AnswerLimit({ question }) {
  const [value, setValue] = useState(String(question.max_answers));
  const id = "q-limit-" + question.id;
  const changed = Number(value) !== question.max_answers;
  const save = (event) => {
    event.preventDefault();
    const most = Number(value);
    if (!Number.isInteger(most) || most < 1 || most > MAX_OPEN_ANSWERS) return;
    ctx.send("question.limit", { question: question.id, max_answers: most });
  };
  return html`<form class="qc-limit" onSubmit=${save}>
    <label for=${id}>${S.q_max_answers}</label>
    <input id=${id} type="number" min="1" max=${MAX_OPEN_ANSWERS} step="1" value=${value}
      onInput=${(e) => setValue(e.target.value)} />
    ${changed ? html`<button type="submit" class="secondary small">${S.q_save}</button>` : null}
  </form>`;
}

function Counts({ counts, id }) {
  const share = counts.share === null ? 0 : counts.share;
  return html`<div class="qc-counts">
    <p class="qc-count-text" data-answers=${counts.answers}>
      ${fill(S.q_counts, counts)}
    </p>
    <p class="qc-share">
      <span class="qc-share-value" id=${"q-share-" + id}>${fill(S.q_share, { share })}</span>
      <span class="visually-hidden">${S.q_share_label}</span>
      <span class="qc-meter" aria-hidden="true"><span class="qc-meter-fill" style=${{ width: share + "%" }}></span></span>
    </p>
  </div>`;
}

/* --- results ------------------------------------------------------------------------------- */

function Results({ question, counts }) {
  const results = counts.results;
  if (question.type === "words") return html`<${Words} question=${question} results=${results} />`;
  const shown = bars(question, results, pick);
  if (!shown) return null;
  if (!counts.answers) return html`<p class="muted qc-empty">${S.q_no_answers}</p>`;
  return html`<div class="qc-results">
    ${question.type === "rank" ? html`<p class="qc-results-note">${S.q_points_note}</p>` : null}
    <ol class="qc-bars">
      ${shown.map(
        (bar, i) => html`<li key=${i} class="qc-bar">
          <span class="qc-bar-label">${bar.label}</span>
          <span class="qc-bar-track" aria-hidden="true"><span class="qc-bar-fill" style=${{ width: barWidth(bar.value, shown) + "%" }}></span></span>
          <span class="qc-bar-value">${bar.value}</span>
        </li>`,
      )}
    </ol>
    ${question.type === "scale" && results && results.mean !== null
      ? html`<p class="qc-mean">${fill(S.q_mean, { mean: results.mean })}</p>`
      : null}
  </div>`;
}

function Words({ question, results }) {
  const rows = wordsOf(results, state.rules[question.id]);
  const counted = rows.filter((r) => r.count !== null);
  const [target, setTarget] = useState({});
  const send = (event, payload) => ctx.send(event, { question: question.id, ...payload });
  if (!rows.length) return html`<p class="muted qc-empty">${S.q_no_answers}</p>`;
  return html`<div class="qc-words">
    <h5 class="qc-subtitle">${S.q_words}</h5>
    <ul class="qc-word-list">
      ${rows.map((row) => {
        const others = counted.filter((r) => r.word !== row.word);
        const chosen = target[row.word] || (others[0] && others[0].word) || "";
        const selectId = `merge-${question.id}-${row.word}`;
        return html`<li key=${row.word} class=${"qc-word" + (row.hidden ? " is-hidden" : "")} data-word=${row.word}>
          <span class="qc-word-text">${row.label}</span>
          ${row.count !== null ? html`<span class="qc-word-count">${fill(S.q_word_count, { count: row.count })}</span>` : null}
          ${row.merged.length ? html`<span class="muted">${fill(S.q_word_merges, { words: row.merged.join(", ") })}</span>` : null}
          ${row.hidden ? html`<span class="qc-flag">${S.q_word_hidden}</span>` : null}
          ${row.into ? html`<span class="qc-flag">${fill(S.q_word_merged, { into: row.into })}</span>` : null}
          <span class="qc-row-actions">
            ${row.into
              ? html`<button type="button" class="secondary small" onClick=${() => send("word.merge", { word: row.word, into: null })}>${S.q_unmerge}</button>`
              : html`<button type="button" class="secondary small"
                  onClick=${() => send("word.hide", { word: row.word, hidden: !row.hidden })}>
                  ${row.hidden ? S.q_show : S.q_hide}
                </button>`}
            ${row.count !== null && others.length
              ? html`<label class="visually-hidden" for=${selectId}>${fill(S.q_merge_into, { word: row.label })}</label>
                  <select id=${selectId} class="small" value=${chosen}
                    onChange=${(e) => setTarget({ ...target, [row.word]: e.target.value })}>
                    ${others.map((o) => html`<option key=${o.word} value=${o.word}>${o.label}</option>`)}
                  </select>
                  <button type="button" class="secondary small" onClick=${() => send("word.merge", { word: row.word, into: chosen })}>
                    ${S.q_merge}
                  </button>`
              : null}
          </span>
        </li>`;
      })}
    </ul>
  </div>`;
}

function describe(question, value) {
  if (value === null || value === undefined) return "";
  const option = (i) => (question.options && question.options[i] ? pick(question.options[i]) : String(i));
  switch (question.type) {
    case "words":
      return (value || []).join(" · ");
    case "choice":
      return option(value);
    case "multi":
      return (value || []).map(option).join(" · ");
    case "rank":
      return (value || []).map((v, i) => `${i + 1}. ${option(v)}`).join("  ");
    default:
      return String(value);
  }
}

function Answers({ question }) {
  const [all, setAll] = useState(false);
  const answers = answersOf(state, question.id);
  if (!answers.length) return question.type === "open" ? html`<p class="muted qc-empty">${S.q_no_answers}</p>` : null;
  const shown = all ? answers : answers.slice(0, SHOWN_ANSWERS);
  const list = html`<ul class="qc-answers">
    ${shown.map((a) => html`<${AnswerRow} key=${a.id} question=${question} answer=${a} />`)}
  </ul>
  ${shown.length < answers.length
    ? html`<button type="button" class="secondary small" onClick=${() => setAll(true)}>
        ${fill(S.q_answers_one_by_one, { n: answers.length })}
      </button>`
    : null}`;
  return html`<details class="qc-answers-box" open=${question.type === "open"}>
    <summary>${fill(S.q_answers_one_by_one, { n: answers.length })}</summary>
    ${list}
  </details>`;
}

function AnswerRow({ question, answer }) {
  const name = answer.name || S.q_someone;
  const hidePerson = () => {
    if (!window.confirm(fill(S.q_confirm_hide_person, { name }))) return;
    ctx.send("moderation.hide_participant", { participant: answer.participant }).then((ack) => {
      if (ack && ack.ok) announce(fill(S.q_hidden_person, ack.data));
    });
  };
  const classes = ["qc-answer"];
  if (answer.hidden) classes.push("is-hidden");
  if (answer.highlighted) classes.push("is-highlighted");
  return html`<li class=${classes.join(" ")} data-answer=${answer.id}>
    <p class="qc-answer-text" lang=${answer.language || undefined}>${describe(question, answer.value)}</p>
    <p class="qc-answer-meta">
      ${name}${answer.language ? " · " + languageName(answer.language) : ""}
      ${answer.highlighted ? html` <span class="qc-flag">${S.q_highlighted}</span>` : null}
      ${answer.hidden ? html` <span class="qc-flag">${S.q_hidden}</span>` : null}
    </p>
    <span class="qc-row-actions">
      ${question.type === "open"
        ? html`<button type="button" class="secondary small" aria-pressed=${answer.highlighted ? "true" : "false"}
            onClick=${() => ctx.send("answer.highlight", { answer: answer.id, highlighted: !answer.highlighted })}>
            ${answer.highlighted ? S.q_unhighlight : S.q_highlight}
          </button>`
        : null}
      <button type="button" class="secondary small"
        onClick=${() => ctx.send("answer.hide", { answer: answer.id, hidden: !answer.hidden })}>
        ${answer.hidden ? S.q_show : S.q_hide}
      </button>
      <button type="button" class="secondary small" onClick=${hidePerson}>${fill(S.q_hide_person, { name })}</button>
    </span>
  </li>`;
}

/* --- breakdown ------------------------------------------------------------------------------- */

const groupNamer = () => {
  const country = countryNames(ctx.data.locale);
  const types = ctx.data.stakeholder_types || {};
  return (by) => (group) => {
    if (!group) return S.q_not_given;
    if (by === "language") return languageName(group);
    if (by === "country") return country(group);
    if (by === "stakeholder_type") return S["stakeholder_" + group] || group;
    return group;
  };
};

function Breakdown({ question }) {
  const [by, setBy] = useState("language");
  const [shown, setShown] = useState(null); // {by, groups} | "loading" | "failed"
  const selectId = "breakdown-" + question.id;
  const ask = () => {
    setShown("loading");
    const socket = ctx.client.socket;
    if (!socket || !socket.connected) {
      setShown("failed");
      return;
    }
    socket.timeout(BREAKDOWN_TIMEOUT_MS).emit("question.breakdown", { question: question.id, by }, (error, ack) => {
      setShown(!error && ack && ack.ok ? { by, groups: ack.data.groups } : "failed");
    });
  };
  let body = null;
  if (shown === "loading") body = html`<p class="muted" role="status">${S.q_breakdown_loading}</p>`;
  else if (shown === "failed") body = html`<p class="qc-error" role="alert">${S.q_breakdown_failed}</p>`;
  else if (shown && !shown.groups.length) body = html`<p class="muted">${S.q_breakdown_none}</p>`;
  else if (shown) {
    const name = groupNamer()(shown.by);
    const chart = breakdownChart(question, shown.groups, pick, name, S.q_answers);
    const label = fill(S.q_chart_label, { question: pick(question.text), by: S["q_by_" + shown.by] });
    body = html`<${BreakdownChart} chart=${chart} label=${label} />
      <table class="qc-breakdown-table">
        <caption class="visually-hidden">${label}</caption>
        <thead><tr><th scope="col">${S.q_group}</th><th scope="col">${S.q_answers}</th></tr></thead>
        <tbody>
          ${shown.groups.map(
            (g) => html`<tr key=${g.group}><th scope="row">${name(g.group)}</th><td>${g.results.answers}</td></tr>`,
          )}
        </tbody>
      </table>`;
  }
  return html`<details class="qc-breakdown">
    <summary>${S.q_breakdown}</summary>
    <div class="qc-breakdown-controls">
      <label for=${selectId}>${S.q_breakdown_by}</label>
      <select id=${selectId} value=${by} onChange=${(e) => setBy(e.target.value)}>
        ${DIMENSIONS.map((d) => html`<option key=${d} value=${d}>${S["q_by_" + d]}</option>`)}
      </select>
      <button type="button" class="secondary small" onClick=${ask}>${S.q_breakdown_show}</button>
    </div>
    <div class="qc-breakdown-body">${body}</div>
  </details>`;
}

/* --- writing a question ---------------------------------------------------------------------- */

function QuestionForm({ question, onDone }) {
  const langs = languages();
  const [draft, setDraft] = useState(() => (question ? draftOf(question, langs) : blankDraft(langs)));
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const prefix = question ? "qe-" + question.id : "qn";
  const set = (change) => setDraft({ ...draft, ...change });
  const setText = (field, language, value) => set({ [field]: { ...draft[field], [language]: value } });
  const setOption = (i, language, value) => {
    const options = draft.options.slice();
    options[i] = { ...options[i], [language]: value };
    set({ options });
  };
  const setScale = (change) => set({ scale: { ...draft.scale, ...change } });
  const submit = (event) => {
    event.preventDefault();
    const made = draftPayload(draft);
    if (made.error) {
      setError(ctx.data.errors[made.error] || made.error);
      return;
    }
    setError("");
    setBusy(true);
    const sent = question
      ? ctx.send("question.edit", { question: question.id, ...made.payload })
      : ctx.send("question.create", made.payload);
    sent.then((ack) => {
      setBusy(false);
      if (ack && ack.ok) onDone(true);
      else setError((ack && ack.error && ctx.data.errors[ack.error.code]) || "");
    });
  };
  const textFields = (field, labelKey, multiline) =>
    langs.map((language) => {
      const id = `${prefix}-${field}-${language}`;
      const value = draft[field][language] || "";
      const input = (e) => setText(field, language, e.target.value);
      return html`<div class="qc-field" key=${id}>
        <label for=${id}>${fill(S[labelKey], { language: languageName(language) })}</label>
        ${multiline
          ? html`<textarea id=${id} lang=${language} rows="2" maxlength=${MAX_TEXT} value=${value} onInput=${input}></textarea>`
          : html`<input id=${id} lang=${language} maxlength=${MAX_TEXT} value=${value} onInput=${input} />`}
      </div>`;
    });
  return html`<form class="qc-form" onSubmit=${submit} aria-labelledby=${prefix + "-legend"}>
    <h3 class="qc-form-title" id=${prefix + "-legend"}>${question ? S.q_editing : S.q_new}</h3>
    <div class="qc-field">
      <label for=${prefix + "-type"}>${S.q_type}</label>
      <select id=${prefix + "-type"} value=${draft.type} onChange=${(e) => set({ type: e.target.value })}>
        ${TYPES.map((t) => html`<option key=${t} value=${t}>${S["type_" + t]}</option>`)}
      </select>
    </div>
    <p class="muted qc-hint">${S.q_languages_hint}</p>
    <div class="qc-lang-grid">${textFields("text", "q_text_in", true)}</div>
    ${WITH_OPTIONS.has(draft.type)
      ? html`<fieldset class="qc-options">
          <legend>${S.q_options}</legend>
          ${draft.options.map(
            (option, i) => html`<div class="qc-option" key=${i}>
              ${langs.map((language) => {
                const id = `${prefix}-option-${i}-${language}`;
                return html`<div class="qc-field" key=${id}>
                  <label for=${id}>${fill(S.q_option_in, { n: i + 1, language: languageName(language) })}</label>
                  <input id=${id} lang=${language} maxlength=${MAX_TEXT} value=${option[language] || ""}
                    onInput=${(e) => setOption(i, language, e.target.value)} />
                </div>`;
              })}
              ${draft.options.length > 2
                ? html`<button type="button" class="secondary small"
                    onClick=${() => set({ options: draft.options.filter((_, j) => j !== i) })}>
                    ${fill(S.q_remove_option, { n: i + 1 })}
                  </button>`
                : null}
            </div>`,
          )}
          ${draft.options.length < MAX_OPTIONS
            ? html`<button type="button" class="secondary small"
                onClick=${() => set({ options: [...draft.options, Object.fromEntries(langs.map((l) => [l, ""]))] })}>
                ${S.q_add_option}
              </button>`
            : null}
        </fieldset>`
      : null}
    ${draft.type === "scale"
      ? html`<fieldset class="qc-scale">
          <legend>${S["type_scale"]}</legend>
          <div class="qc-scale-ends">
            <div class="qc-field">
              <label for=${prefix + "-min"}>${S.q_scale_min}</label>
              <input id=${prefix + "-min"} type="number" min="-1000" max="1000" step="1" value=${draft.scale.min}
                onInput=${(e) => setScale({ min: e.target.value })} />
            </div>
            <div class="qc-field">
              <label for=${prefix + "-max"}>${S.q_scale_max}</label>
              <input id=${prefix + "-max"} type="number" min="-1000" max="1000" step="1" value=${draft.scale.max}
                onInput=${(e) => setScale({ max: e.target.value })} />
            </div>
          </div>
          <div class="qc-lang-grid">
            ${langs.map((language) =>
              ["min_label", "max_label"].map((end) => {
                const id = `${prefix}-${end}-${language}`;
                return html`<div class="qc-field" key=${id}>
                  <label for=${id}>${fill(S[end === "min_label" ? "q_min_label_in" : "q_max_label_in"], { language: languageName(language) })}</label>
                  <input id=${id} lang=${language} maxlength=${MAX_TEXT} value=${draft.scale[end][language] || ""}
                    onInput=${(e) => setScale({ [end]: { ...draft.scale[end], [language]: e.target.value } })} />
                </div>`;
              }),
            )}
          </div>
        </fieldset>`
      : null}
    ${draft.type === "open"
      ? html`<div class="qc-field qc-narrow">
          <label for=${prefix + "-max-answers"}>${S.q_max_answers}</label>
          <input id=${prefix + "-max-answers"} type="number" min="1" max=${MAX_OPEN_ANSWERS} step="1"
            value=${draft.max_answers} onInput=${(e) => set({ max_answers: e.target.value })} />
        </div>`
      : null}
    <p class="qc-error" role="alert">${error}</p>
    <div class="qc-actions">
      <button type="submit" disabled=${busy}>${question ? S.q_save : S.q_create}</button>
      <button type="button" class="secondary" onClick=${() => onDone(false)}>${S.q_cancel}</button>
    </div>
  </form>`;
}

/* --- the panel's side of the console ------------------------------------------------------ */

export const questionsPanel = {
  events: EVENTS,
  start(context) {
    ctx = context;
    S = context.data.strings;
    render();
  },
  onSnapshot(snapshot) {
    workshop = snapshot.workshop || workshop;
    currentItem = snapshot.live ? snapshot.live.item : null;
    state = fromSnapshot(snapshot.questions);
    render();
  },
  onEvent(name, payload) {
    if (name === "live.state") {
      if (payload.live.item === currentItem) return;
      currentItem = payload.live.item;
    } else if (name === "program.changed") {
      workshop = payload.workshop;
      // A re-uploaded agenda may bring or take guiding questions and people: ask for the
      // console's part again (the snapshot adopts the new questions).
      if (ctx) ctx.client.sync();
    } else {
      const next = applyEvent(state, name, payload);
      if (next === state) return;
      state = next;
    }
    if (ctx) render();
  },
};

/* --- mounting on the console's client ------------------------------------------------------ */

/** Follows the panels' events on the console's client and hands every snapshot and event
 * to the panels too (the console's own handlers keep theirs: live.state, program.changed
 * and moderation.hidden matter to more than one). `send` is the console's (its outbox
 * count and its error line). */
export function mountQuestionsConsole({ client, data, send }) {
  const panels = [questionsPanel, qaPanel];
  const options = client.options;
  const pageSnapshot = options.onSnapshot;
  const pageEvent = options.onEvent;
  options.onSnapshot = (snapshot) => {
    if (pageSnapshot) pageSnapshot(snapshot);
    for (const panel of panels) panel.onSnapshot(snapshot);
  };
  options.onEvent = (name, payload) => {
    if (pageEvent) pageEvent(name, payload);
    for (const panel of panels) panel.onEvent(name, payload);
  };
  const wanted = [...new Set(panels.flatMap((panel) => panel.events))];
  const fresh = wanted.filter((name) => !(options.events || []).includes(name));
  options.events = [...(options.events || []), ...fresh];
  if (client.socket) {
    for (const name of fresh) client.socket.on(name, (payload) => client.receive(name, payload));
  }
  for (const panel of panels) panel.start({ data, client, send });
}
