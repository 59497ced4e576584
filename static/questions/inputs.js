// How a phone asks each kind of question, as pure functions (tests/js/questions-inputs.test.mjs):
// what a blank draft is, the answer a draft makes (or why it makes none), the draft an
// answer given earlier makes, scale steps, moving an option in a ranking. The server checks
// everything again (facilitator/questions/types.py); these only spare a round trip and
// say what is wrong before the participant sends.

export const MAX_OPEN_LENGTH = 500; // questions/types.py MAX_OPEN_LENGTH
export const MAX_WORDS = 3; // questions/words.py MAX_WORDS
export const MAX_WORD_LENGTH = 32; // questions/words.py MAX_WORD_LENGTH
export const MAX_SCALE_BUTTONS = 11; // 0 to 10 as buttons; wider scales take a slider

/** The input a question asks with (the view's `input`, else the type's). */
export function inputOf(question) {
  if (question.input) return question.input;
  return (
    { open: "text", words: "words", choice: "single", multi: "multiple", scale: "scale", rank: "order" }[
      question.type
    ] || "text"
  );
}

function optionCount(question) {
  return Array.isArray(question.options) ? question.options.length : 0;
}

/** What the participant starts from, before they touch anything. */
export function emptyDraft(question) {
  switch (inputOf(question)) {
    case "words":
      return Array.from({ length: MAX_WORDS }, () => "");
    case "single":
    case "scale":
      return null;
    case "multiple":
      return [];
    case "order":
      return Array.from({ length: optionCount(question) }, (_, i) => i);
    default:
      return "";
  }
}

/** The draft an answer given earlier makes (to change it). */
export function draftFromValue(question, value) {
  if (value === null || value === undefined) return emptyDraft(question);
  switch (inputOf(question)) {
    case "words": {
      const words = Array.isArray(value) ? value.map(String).slice(0, MAX_WORDS) : [];
      while (words.length < MAX_WORDS) words.push("");
      return words;
    }
    case "single":
    case "scale":
      return typeof value === "number" ? value : null;
    case "multiple":
      return Array.isArray(value) ? [...value] : [];
    case "order": {
      const n = optionCount(question);
      const kept = Array.isArray(value) ? value.filter((i) => Number.isInteger(i) && i >= 0 && i < n) : [];
      const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !kept.includes(i));
      return [...new Set(kept), ...missing];
    }
    default:
      return typeof value === "string" ? value : "";
  }
}

/** Characters as people count them (a Korean syllable or an emoji is one). */
export function length(text) {
  return Array.from(String(text || "")).length;
}

/** Words as the server keeps them: trimmed, inner spaces collapsed, none blank. */
export function cleanWords(words) {
  return (Array.isArray(words) ? words : [])
    .map((word) => String(word || "").split(/\s+/).filter(Boolean).join(" "))
    .filter((word) => word !== "");
}

/** {value} to send, or {error: <the server's code for it>}. */
export function answerValue(question, draft) {
  switch (inputOf(question)) {
    case "text": {
      const text = String(draft || "").trim();
      if (!text) return { error: "answer_empty" };
      if (length(text) > MAX_OPEN_LENGTH) return { error: "answer_too_long" };
      return { value: text };
    }
    case "words": {
      const words = cleanWords(draft);
      if (words.length === 0) return { error: "answer_empty" };
      if (words.length > MAX_WORDS) return { error: "too_many_words" };
      if (words.some((word) => length(word) > MAX_WORD_LENGTH)) return { error: "word_too_long" };
      return { value: words };
    }
    case "single":
      if (!Number.isInteger(draft)) return { error: "answer_empty" };
      if (draft < 0 || draft >= optionCount(question)) return { error: "unknown_option" };
      return { value: draft };
    case "multiple": {
      const chosen = [...new Set(Array.isArray(draft) ? draft : [])].sort((a, b) => a - b);
      if (chosen.length === 0) return { error: "answer_empty" };
      return { value: chosen };
    }
    case "scale": {
      if (!Number.isInteger(draft)) return { error: "answer_empty" };
      const { min, max } = scaleRange(question);
      if (draft < min || draft > max) return { error: "out_of_scale" };
      return { value: draft };
    }
    case "order": {
      const order = Array.isArray(draft) ? draft : [];
      if (order.length !== optionCount(question) || new Set(order).size !== order.length) {
        return { error: "ranking_incomplete" };
      }
      return { value: [...order] };
    }
    default:
      return { error: "answer_type" };
  }
}

/** Whether two answers are the same (to know whether "Change" would change anything). */
export function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function scaleRange(question) {
  const scale = question.scale || {};
  const min = Number.isInteger(scale.min) ? scale.min : 1;
  const max = Number.isInteger(scale.max) ? scale.max : 5;
  return { min, max };
}

/** Every value of a short scale, one button each; null for a scale too wide for buttons. */
export function scaleSteps(question) {
  const { min, max } = scaleRange(question);
  if (max < min || max - min + 1 > MAX_SCALE_BUTTONS) return null;
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

/** The ranking with the option at `index` moved by `delta` places (up is -1). */
export function move(order, index, delta) {
  const to = index + delta;
  if (index < 0 || index >= order.length || to < 0 || to >= order.length) return order;
  const next = [...order];
  const [taken] = next.splice(index, 1);
  next.splice(to, 0, taken);
  return next;
}

/** A multiple choice with `option` ticked or not. */
export function toggle(chosen, option, on) {
  const rest = (chosen || []).filter((i) => i !== option);
  return on ? [...rest, option].sort((a, b) => a - b) : rest;
}

/** How many more answers the participant may give an open question (0 for other types
 * once answered: they change their one answer instead). */
export function answersLeft(question, mine) {
  const given = (mine || []).length;
  if (!question.many_answers) return given === 0 ? 1 : 0;
  return Math.max(0, (question.max_answers || 1) - given);
}

/** Each option's share of the answers, as whole percents, for bars. */
export function shares(counts, answers) {
  const total = answers > 0 ? answers : 0;
  return (counts || []).map((n) => (total ? Math.round((100 * n) / total) : 0));
}

const SAME_REFUSAL = { repeated_option: "unknown_option" };

/** The phone's message for a refusal `code`: strings["refused_<code>"] (`forbidden`: the
 * page's own `refused`), else a general one. */
export function refusal(strings, code) {
  const S = strings || {};
  const key = SAME_REFUSAL[code] || code;
  return S["refused_" + key] || (key === "forbidden" && S.refused) || S.refused_other || String(code || "");
}
