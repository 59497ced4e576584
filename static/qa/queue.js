// The console's audience Q&A: its picture from the snapshot and events, and the queue as
// the moderator sorts and filters it. Pure (tests/js/questions-console-qa.test.mjs).

/** The events a console follows for the Q&A (every one of its streams' events). */
export const EVENTS = ["qa.question", "qa.removed", "qa.staff", "qa.settings", "qa.link", "qa.votes"];

export const FILTERS = ["pending", "open", "answered", "hidden", "all"];

export function emptyQa() {
  return { settings: { moderated: false, names: "any" }, questions: {}, people: [] };
}

export function fromSnapshot(part) {
  const state = emptyQa();
  if (!part) return state;
  state.settings = { ...state.settings, ...(part.settings || {}) };
  for (const q of part.questions || []) state.questions[q.id] = q;
  state.people = (part.people || []).slice();
  return state;
}

function merge(questions, view) {
  // A public view (qa.question) has no staff fields: keep those the console holds.
  return { ...questions, [view.id]: { ...(questions[view.id] || { hidden: false, participant: null }), ...view } };
}

export function applyEvent(state, name, payload) {
  switch (name) {
    case "qa.staff":
    case "qa.question":
      return { ...state, questions: merge(state.questions, payload.question) };
    case "qa.settings":
      return { ...state, settings: { moderated: payload.moderated, names: payload.names } };
    case "qa.link":
      return {
        ...state,
        people: state.people.map((p) => (p.id === payload.speaker ? { ...p, link: payload.token } : p)),
      };
    case "qa.votes": {
      const questions = { ...state.questions };
      for (const [id, votes] of payload.votes || []) {
        if (questions[id] && questions[id].votes !== votes) questions[id] = { ...questions[id], votes };
      }
      return { ...state, questions };
    }
    case "moderation.hidden": {
      const questions = { ...state.questions };
      for (const id of payload.questions || []) {
        if (questions[id]) questions[id] = { ...questions[id], hidden: true, pinned: false };
      }
      return { ...state, questions };
    }
    default:
      return state; // qa.removed: the staff view that comes with it says it all
  }
}

/** Which filter a question is under (hidden before its status). */
export function bucketOf(q) {
  if (q.hidden) return "hidden";
  return q.status; // pending, open, answered
}

/** How many questions each filter holds. */
export function tallies(state) {
  const counts = { pending: 0, open: 0, answered: 0, hidden: 0, all: 0 };
  for (const q of Object.values(state.questions)) {
    counts[bucketOf(q)] += 1;
    counts.all += 1;
  }
  return counts;
}

/** The queue: the filter's questions in `language` (or every language), pinned first,
 * then by votes (older first on a tie) or by time (newest first). */
export function queue(state, { filter = "open", sort = "votes", language = "" } = {}) {
  const chosen = Object.values(state.questions).filter(
    (q) => (filter === "all" || bucketOf(q) === filter) && (!language || q.language === language),
  );
  const byTime = (a, b) => (b.at_ms || 0) - (a.at_ms || 0) || b.id - a.id;
  const byVotes = (a, b) => (b.votes || 0) - (a.votes || 0) || (a.at_ms || 0) - (b.at_ms || 0) || a.id - b.id;
  return chosen.sort((a, b) => Number(b.pinned) - Number(a.pinned) || (sort === "time" ? byTime(a, b) : byVotes(a, b)));
}

/** The languages questions were written in, for the language filter. */
export function languagesOf(state) {
  return [...new Set(Object.values(state.questions).map((q) => q.language))].sort();
}

/** The `qa.answer` payload for "answered by": a person of the agenda, or a name as typed. */
export function answerPayload(question, { by, name, text }) {
  const payload = { question, answered: true };
  if (by) payload.by_person = by;
  else if (name && name.trim()) payload.by_name = name.trim();
  if (text && text.trim()) payload.text = text.trim();
  return payload;
}

/** The `qa.add` payload of the "on someone's behalf" form, or `{error}`. */
export function addPayload({ text, name, language, speaker }) {
  const cleaned = String(text || "").trim();
  if (!cleaned) return { error: "text_missing" };
  const payload = { text: cleaned, language };
  if (name && name.trim()) payload.name = name.trim();
  if (speaker) payload.speaker = speaker;
  return { payload };
}

/** The speaker view's address for a link token. */
export function speakerUrl(origin, token) {
  return `${origin}/speaker/${encodeURIComponent(token)}`;
}
