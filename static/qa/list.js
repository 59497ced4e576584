// What the phone's Q&A decides, as pure functions (tests/js/questions-qa.test.mjs): how the
// participant may ask (by the workshop's `names` setting and whether they gave a name),
// whom they may address, and which questions show in which order.

export const MAX_QUESTION_LENGTH = 500; // qa/models.py MAX_QUESTION_LENGTH

/** {allowed: ["named" | "anonymous", …] (the first is the default), reason}: `reason` is
 * "no_name" when only the name is missing, "setting" when the workshop decided. */
export function askModes(settings, name) {
  const names = (settings && settings.names) || "any";
  const hasName = Boolean(name && String(name).trim());
  if (names === "anonymous") return { allowed: ["anonymous"], reason: "setting" };
  if (names === "named") return hasName ? { allowed: ["named"], reason: "setting" } : { allowed: [], reason: "no_name" };
  return hasName ? { allowed: ["named", "anonymous"], reason: null } : { allowed: ["anonymous"], reason: "no_name" };
}

/** The people a question may be addressed to: those of the current item first, then the
 * others of the programme by name, each once. `speakers` is the page's
 * {people: [{key, name}], items: {<item id>: [<person key>, …]}}. */
export function speakerChoices(speakers, currentItem) {
  const people = (speakers && speakers.people) || [];
  const items = (speakers && speakers.items) || {};
  const nowKeys = new Set((currentItem && items[currentItem]) || []);
  const now = people.filter((p) => nowKeys.has(p.key));
  const other = people
    .filter((p) => !nowKeys.has(p.key))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return { now, other, total: people.length };
}

function baseLanguage(code) {
  return String(code || "").split("-")[0].toLowerCase();
}

/** The questions to list: pinned first; then by votes (most first, the older first on a
 * tie) or by time (the newest first). With `language`, only those written in it (and
 * the participant's own). */
export function shownQuestions(questions, { sort = "votes", language = null } = {}) {
  const kept = (questions || []).filter(
    (q) => !language || q.mine || baseLanguage(q.language) === baseLanguage(language),
  );
  const byTime = (a, b) => (b.at_ms || 0) - (a.at_ms || 0) || b.id - a.id;
  const byVotes = (a, b) => (b.votes || 0) - (a.votes || 0) || (a.at_ms || 0) - (b.at_ms || 0) || a.id - b.id;
  return [...kept].sort((a, b) => {
    if (Boolean(a.pinned) !== Boolean(b.pinned)) return a.pinned ? -1 : 1;
    return sort === "time" ? byTime(a, b) : byVotes(a, b);
  });
}
