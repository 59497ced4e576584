// The console's picture of the questions and polls: built from the moderator's snapshot
// part and kept up to date by the events after it (docs/protocol.md, "Questions, polls
// and the audience Q&A"). Pure: no DOM, no socket, so Node tests it
// (tests/js/questions-console-model.test.mjs).

export const TYPES = ["open", "words", "choice", "multi", "scale", "rank"];
export const WITH_OPTIONS = new Set(["choice", "multi", "rank"]);
export const MAX_OPTIONS = 12;
export const MAX_OPEN_ANSWERS = 10;
export const MAX_TEXT = 500;

/** The events a console follows for questions (every one of its streams' events). */
export const EVENTS = [
  "question.changed",
  "question.settings",
  "question.counts",
  "answer.changed",
  "answer.removed",
  "word.rules",
  "moderation.hidden",
];

export function emptyQuestions() {
  return { list: [], answers: {}, rules: {}, settings: { auto_open: false }, counts: { connected: 0, byQuestion: {} } };
}

function countsFrom(tally) {
  const byQuestion = {};
  for (const row of (tally && tally.questions) || []) byQuestion[row.question] = row;
  return { connected: (tally && tally.connected) || 0, byQuestion };
}

/** The snapshot's `questions` part (a moderator's) as the console's state. */
export function fromSnapshot(part) {
  const state = emptyQuestions();
  if (!part) return state;
  state.list = (part.list || []).slice();
  for (const answer of part.answers || []) state.answers[answer.id] = answer;
  for (const entry of part.words || []) state.rules[entry.question] = entry.rules;
  state.settings = { ...state.settings, ...(part.settings || {}) };
  state.counts = countsFrom(part.counts);
  return state;
}

function upsertQuestion(list, view) {
  const index = list.findIndex((q) => q.id === view.id);
  if (index < 0) return [...list, view];
  // The public view (workshop stream) lacks the staff fields: keep the ones we have.
  const merged = { ...list[index], ...view };
  const copy = list.slice();
  copy[index] = merged;
  return copy;
}

/** The state after one server event; the state itself when the event is not ours. */
export function applyEvent(state, name, payload) {
  switch (name) {
    case "question.changed":
      return { ...state, list: upsertQuestion(state.list, payload.question) };
    case "question.settings":
      return { ...state, settings: { ...state.settings, auto_open: payload.auto_open } };
    case "question.counts":
      return { ...state, counts: countsFrom(payload) };
    case "answer.changed":
      return { ...state, answers: { ...state.answers, [payload.answer.id]: payload.answer } };
    case "answer.removed": {
      const answers = { ...state.answers };
      delete answers[payload.answer];
      return { ...state, answers };
    }
    case "word.rules":
      return { ...state, rules: { ...state.rules, [payload.question]: payload.rules } };
    case "moderation.hidden": {
      const answers = { ...state.answers };
      for (const id of payload.answers || []) {
        if (answers[id]) answers[id] = { ...answers[id], hidden: true };
      }
      return { ...state, answers };
    }
    default:
      return state;
  }
}

/** Answers, the share of connected participants who answered, and the results. */
export function countsOf(state, questionId) {
  const row = state.counts.byQuestion[questionId];
  const connected = state.counts.connected;
  // Visible answers, as the results count them (hidden ones stay out, as on the projector).
  const visible = row && row.results && typeof row.results.answers === "number" ? row.results.answers : null;
  const answers = row ? (visible === null ? row.answers : visible) : 0;
  const participants = row ? row.participants : 0;
  return {
    answers,
    participants,
    connected,
    share: shareOf(participants, connected),
    results: row ? row.results : null,
  };
}

/** Whole percent of `part` in `whole`, capped at 100 (someone answered, then left); null
 * when nobody is connected. */
export function shareOf(part, whole) {
  if (!whole) return null;
  return Math.min(100, Math.round((100 * part) / whole));
}

/** The questions in sections: each program item with the questions it lists (in program
 * order, the current one marked), then those written live, then any other. A question
 * listed by several items is shown under the first. */
export function sections(list, items, currentItem) {
  const placed = new Set();
  const found = [];
  for (const item of items || []) {
    const mine = list.filter((q) => !placed.has(q.id) && (q.items || []).includes(item.id));
    if (!mine.length) continue;
    for (const q of mine) placed.add(q.id);
    found.push({ kind: "item", item, current: item.id === currentItem, questions: mine });
  }
  const live = list.filter((q) => !placed.has(q.id) && q.key === null);
  for (const q of live) placed.add(q.id);
  const rest = list.filter((q) => !placed.has(q.id));
  if (live.length) found.push({ kind: "live", questions: live });
  if (rest.length) found.push({ kind: "other", questions: rest });
  return found;
}

/** The answers to one question, for the console's list: highlighted first, then the
 * newest; hidden ones stay (marked) so they can be shown again. */
export function answersOf(state, questionId) {
  return Object.values(state.answers)
    .filter((a) => a.question === questionId)
    .sort(
      (a, b) =>
        Number(b.highlighted) - Number(a.highlighted) || (b.at_ms || 0) - (a.at_ms || 0) || b.id - a.id,
    );
}

/** A words question's cloud as a list: counted words (merged ones counted into their
 * target), then words hidden by a rule, with what each rule says. */
export function wordsOf(results, rules) {
  const byWord = {};
  for (const rule of rules || []) byWord[rule.word] = rule;
  const rows = ((results && results.words) || []).map((w) => ({
    word: w.word,
    label: w.label || w.word,
    count: w.count,
    hidden: false,
    into: null,
    merged: (rules || []).filter((r) => r.into === w.word).map((r) => r.word),
  }));
  for (const rule of rules || []) {
    if (rule.hidden) rows.push({ word: rule.word, label: rule.word, count: null, hidden: true, into: null, merged: [] });
    else if (rule.into) rows.push({ word: rule.word, label: rule.word, count: null, hidden: false, into: rule.into, merged: [] });
  }
  return rows;
}

/** Bars for the console's results of a chart type: [{label, value}], or null for a wall
 * or a cloud. `pick` turns a text object into the viewer's text. */
export function bars(question, results, pick) {
  if (!results) return null;
  const options = (question.options || []).map((o) => pick(o));
  if (question.type === "choice" || question.type === "multi") {
    return options.map((label, i) => ({ label, value: (results.options || [])[i] || 0 }));
  }
  if (question.type === "rank") {
    return options.map((label, i) => ({ label, value: (results.points || [])[i] || 0 }));
  }
  if (question.type === "scale") {
    // The ends carry their labels ("1 · Not at all"), where the question has them.
    const scale = question.scale || {};
    const ends = { [scale.min]: scale.min_label, [scale.max]: scale.max_label };
    return (results.distribution || []).map(([value, count]) => {
      const label = ends[value] ? pick(ends[value]) : "";
      return { label: label ? `${value} · ${label}` : String(value), value: count };
    });
  }
  return null;
}

/** A number for a bar's width: percent of the largest value (0 when all are 0). */
export function barWidth(value, all) {
  const top = Math.max(0, ...all.map((b) => b.value));
  return top ? Math.round((100 * value) / top) : 0;
}

/* --- writing a question live --------------------------------------------------------------- */

/** An empty form: a text per language, two options, a 1-5 scale. */
export function blankDraft(languages) {
  const texts = () => Object.fromEntries(languages.map((l) => [l, ""]));
  return {
    type: "choice",
    text: texts(),
    options: [texts(), texts()],
    scale: { min: 1, max: 5, min_label: texts(), max_label: texts() },
    max_answers: 1,
  };
}

/** The form of an existing live question, to rewrite it before it opens. */
export function draftOf(question, languages) {
  const blank = blankDraft(languages);
  const filled = (text) => ({ ...blank.text, ...(text || {}) });
  return {
    type: question.type,
    text: filled(question.text),
    options: question.options ? question.options.map(filled) : blank.options,
    scale: question.scale
      ? {
          min: question.scale.min,
          max: question.scale.max,
          min_label: filled(question.scale.min_label),
          max_label: filled(question.scale.max_label),
        }
      : blank.scale,
    max_answers: question.max_answers || 1,
  };
}

function cleanText(text) {
  const out = {};
  for (const [language, value] of Object.entries(text || {})) {
    const trimmed = String(value || "").trim();
    if (trimmed) out[language] = trimmed;
  }
  return out;
}

const empty = (text) => Object.keys(text).length === 0;
const tooLong = (text) => Object.values(text).some((v) => v.length > MAX_TEXT);

/** The `question.create` payload of a form, or `{error}` with the code the server would
 * give: blank languages are left out, blank options dropped. */
export function draftPayload(draft) {
  const type = draft.type;
  if (!TYPES.includes(type)) return { error: "unknown_type" };
  const text = cleanText(draft.text);
  if (empty(text)) return { error: "text_missing" };
  const payload = { type, text };
  const texts = [text];
  if (WITH_OPTIONS.has(type)) {
    const options = (draft.options || []).map(cleanText).filter((o) => !empty(o));
    if (options.length < 2 || options.length > MAX_OPTIONS) return { error: "options_do_not_fit" };
    payload.options = options;
    texts.push(...options);
  }
  if (type === "scale") {
    const min = Number(draft.scale.min);
    const max = Number(draft.scale.max);
    if (!Number.isInteger(min) || !Number.isInteger(max) || min >= max || min < -1000 || max > 1000) {
      return { error: "scale_does_not_fit" };
    }
    payload.scale = { min, max };
    for (const end of ["min_label", "max_label"]) {
      const label = cleanText(draft.scale[end]);
      if (!empty(label)) {
        payload.scale[end] = label;
        texts.push(label);
      }
    }
  }
  if (type === "open") {
    const most = Number(draft.max_answers);
    if (!Number.isInteger(most) || most < 1 || most > MAX_OPEN_ANSWERS) return { error: "max_answers_does_not_fit" };
    payload.max_answers = most;
  }
  if (texts.some(tooLong)) return { error: "text_too_long" };
  return { payload };
}

/* --- breakdown ---------------------------------------------------------------------------- */

/** A breakdown answer as a chart: one dataset per group, one label per option (choice,
 * multi, rank, scale) or per word (the ten most counted overall), or answers per group
 * (open, labelled `answersLabel`). `groupName` names a group ("" is "not given"). */
export function breakdownChart(question, groups, pick, groupName, answersLabel = "") {
  const list = groups || [];
  let labels;
  let valuesOf;
  if (WITH_OPTIONS.has(question.type)) {
    labels = (question.options || []).map((o) => pick(o));
    const key = question.type === "rank" ? "points" : "options";
    valuesOf = (results) => labels.map((_, i) => (results[key] || [])[i] || 0);
  } else if (question.type === "scale") {
    const first = list.length ? list[0].results.distribution || [] : [];
    labels = first.map(([value]) => String(value));
    valuesOf = (results) => (results.distribution || []).map(([, count]) => count);
  } else if (question.type === "words") {
    const totals = {};
    for (const group of list) {
      for (const w of group.results.words || []) totals[w.word] = (totals[w.word] || 0) + w.count;
    }
    labels = Object.keys(totals)
      .sort((a, b) => totals[b] - totals[a] || a.localeCompare(b))
      .slice(0, 10);
    valuesOf = (results) => {
      const counts = Object.fromEntries((results.words || []).map((w) => [w.word, w.count]));
      return labels.map((word) => counts[word] || 0);
    };
  } else {
    return {
      labels: list.map((g) => groupName(g.group)),
      datasets: [{ label: answersLabel, data: list.map((g) => g.results.answers || 0) }],
    };
  }
  return {
    labels,
    datasets: list.map((g) => ({ label: groupName(g.group), data: valuesOf(g.results) })),
  };
}
