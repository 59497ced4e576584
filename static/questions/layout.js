// The projector's results as data a library draws: no DOM here, so tests/js/ covers it.
// Word sizes for d3-cloud, bars for Chart.js, a scale's distribution and mean, rank points,
// the answer wall, which questions are on screen, and the Q&A's big question and top list.

import { pickText } from "../shared/text.js";

/** A text in each of the projector's languages, each once: "Housing / Logement". */
export function inLanguages(value, languages, fallback) {
  const shown = [];
  for (const code of languages) {
    const one = pickText(value, code, fallback);
    if (one && !shown.includes(one)) shown.push(one);
  }
  return shown.join(" / ");
}

/** A seeded random number generator (mulberry32): the same words give the same cloud. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from the words shown: the layout changes only when they do. */
export function seedOf(words) {
  let hash = 2166136261;
  for (const word of words) {
    const text = word.word + ":" + word.size;
    for (let i = 0; i < text.length; i += 1) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 16777619);
    }
  }
  return hash >>> 0;
}

export const SIZE_STEPS = 8; // a count that changes a word's size by less keeps its layout

/** The cloud's words with a font size each: by the square root of the count (the area
 * grows with it), from `min` to `max` px, in SIZE_STEPS steps; the `limit` most counted. */
export function cloudWords(words, { min = 24, max = 120, limit = 60 } = {}) {
  const shown = (words || []).filter((w) => w && w.count > 0).slice(0, limit);
  if (!shown.length) return [];
  const counts = shown.map((w) => w.count);
  const top = Math.sqrt(Math.max(...counts));
  const bottom = Math.sqrt(Math.min(...counts));
  return shown.map((w) => {
    const share = top === bottom ? 1 : (Math.sqrt(w.count) - bottom) / (top - bottom);
    const step = Math.round(share * SIZE_STEPS) / SIZE_STEPS;
    return { word: w.word, text: w.label || w.word, count: w.count, size: Math.round(min + step * (max - min)) };
  });
}

/** Font sizes that fit the box: the sizes scaled so that the words' total area takes at
 * most `fill` of it (d3-cloud drops a word it cannot place; this keeps it rare). */
export function fitSizes(words, width, height, { fill = 0.3, charWidth = 0.62 } = {}) {
  const area = words.reduce((sum, w) => sum + w.size * w.size * charWidth * Math.max(1, w.text.length), 0);
  const room = width * height * fill;
  const factor = area > room ? Math.sqrt(room / area) : 1;
  const cap = height / 3; // one word never taller than a third of the box
  return words.map((w) => ({ ...w, size: Math.max(12, Math.min(cap, Math.floor(w.size * factor))) }));
}

/** What changed between two placed clouds, by word: `enter` (new: fade in), `move`
 * (was shown: glides from its old place), `exit` (gone: fades out). */
export function cloudDiff(before, after) {
  const old = new Map((before || []).map((w) => [w.word, w]));
  const now = new Set((after || []).map((w) => w.word));
  return {
    enter: (after || []).filter((w) => !old.has(w.word)).map((w) => w.word),
    move: (after || []).filter((w) => old.has(w.word)).map((w) => w.word),
    exit: (before || []).filter((w) => !now.has(w.word)).map((w) => w.word),
  };
}

/** Wraps a label into lines of at most `width` characters (Chart.js draws an array of
 * strings as lines); a longer word is cut with an ellipsis; at most `lines` lines. */
export function wrapLabel(text, width = 28, lines = 3) {
  const out = [];
  let line = "";
  for (const word of String(text || "").split(/\s+/).filter(Boolean)) {
    const piece = word.length > width ? word.slice(0, width - 1) + "…" : word;
    if (!line) line = piece;
    else if ((line + " " + piece).length <= width) line += " " + piece;
    else {
      out.push(line);
      line = piece;
    }
  }
  if (line) out.push(line);
  if (out.length > lines) {
    const kept = out.slice(0, lines);
    kept[lines - 1] = kept[lines - 1].replace(/.?$/, "…");
    return kept;
  }
  return out.length ? out : [""];
}

const percent = (count, total) => (total > 0 ? Math.round((100 * count) / total) : 0);

/** Choice and multi: one bar per option, in the agenda's order; `percent` of the answers
 * (for multi, of those who answered: the shares may add up to more than 100). */
export function barRows(results, labels) {
  const counts = (results && results.options) || [];
  const total = (results && results.answers) || 0;
  return labels.map((label, i) => ({ label, value: counts[i] || 0, percent: percent(counts[i] || 0, total) }));
}

/** Rank: the options by points, most first (the server's order). */
export function rankRows(results, labels) {
  const points = (results && results.points) || [];
  const order = (results && results.order) || labels.map((_, i) => i);
  return order
    .filter((i) => i >= 0 && i < labels.length)
    .map((i, place) => ({ label: labels[i], value: points[i] || 0, place: place + 1 }));
}

/** Scale: a bar per value (every value of the scale), the ends' labels, and where the mean
 * falls between the first and the last bar (0 to 1), or null with no answers. */
export function scaleRows(results, scale) {
  const distribution = (results && results.distribution) || [];
  const total = distribution.reduce((sum, [, n]) => sum + n, 0);
  const rows = distribution.map(([value, count]) => ({ value, count, percent: percent(count, total) }));
  const mean = results && typeof results.mean === "number" ? results.mean : null;
  const lo = scale ? scale.min : rows.length ? rows[0].value : 0;
  const hi = scale ? scale.max : rows.length ? rows[rows.length - 1].value : 0;
  const position = mean === null || hi === lo ? null : (mean - lo) / (hi - lo);
  return { rows, mean, position };
}

/** The answer wall: highlighted first, then the newest; `limit` of them. */
export function wallCards(wall, limit = 12) {
  const cards = [...(wall || [])];
  cards.sort((a, b) => Number(b.highlighted) - Number(a.highlighted) || b.at_ms - a.at_ms || b.id - a.id);
  return cards.slice(0, limit);
}

/** The questions the projector shows: the open ones; with none open, the current item's
 * questions that were closed with their results revealed (the room still discusses them). */
export function onScreen(list, currentItem) {
  const open = (list || []).filter((q) => q.state === "open");
  if (open.length) return open;
  return (list || []).filter(
    (q) => q.state === "closed" && q.revealed && currentItem && (q.items || []).includes(currentItem),
  );
}

/** Q&A: the questions shown, by votes then the older first; `big` is the first pinned one,
 * else the most voted; `rest` the next open ones (answered and pending ones never). */
export function qaBoard(questions, limit = 5) {
  const shown = (questions || []).filter((q) => q.status === "open" || q.pinned);
  const ranked = [...shown].sort((a, b) => b.votes - a.votes || a.at_ms - b.at_ms || a.id - b.id);
  const pinned = ranked.filter((q) => q.pinned);
  const big = pinned[0] || ranked.find((q) => q.status === "open") || null;
  const rest = ranked.filter((q) => q !== big && q.status === "open").slice(0, limit);
  return { big, rest };
}

/** The Q&A list with `qa.votes` applied ([[id, votes], …]). */
export function withVotes(questions, votes) {
  const counted = new Map(votes || []);
  return (questions || []).map((q) => (counted.has(q.id) ? { ...q, votes: counted.get(q.id) } : q));
}

/** The Q&A list with one question added or replaced (`qa.question`), or removed (null). */
export function upsert(questions, question, removedId = null) {
  const id = question ? question.id : removedId;
  const rest = (questions || []).filter((q) => q.id !== id);
  return question ? [...rest, question] : rest;
}

/** A function code -> the language's name in `locale` ("fr" -> "French"), else the code. */
export function languageNames(locale) {
  let names = null;
  try {
    names = new Intl.DisplayNames([locale], { type: "language" });
  } catch {
    names = null;
  }
  return (code) => {
    if (!code) return "";
    try {
      return (names && names.of(code)) || code;
    } catch {
      return code;
    }
  };
}

/** The speaker's tablet: the open questions by votes (the server's order), then the
 * answered ones, most recently answered first. */
export function speakerLists(questions) {
  const all = questions || [];
  const open = all.filter((q) => q.status !== "answered");
  const answered = all
    .filter((q) => q.status === "answered")
    .sort((a, b) => ((b.answer && b.answer.at_ms) || 0) - ((a.answer && a.answer.at_ms) || 0));
  return { open, answered };
}

/** What the projector's main area shows: the polls on screen; else, while the session
 * runs, the Q&A during a Q&A item or while a question is pinned; else the program item. */
export function screenMode({ phase, kind, polls, pinned }) {
  if (phase === "ended") return "";
  if (polls > 0) return "poll";
  if (phase === "running" && (kind === "qa" || pinned)) return "qa";
  return "";
}

/** The placed cloud grown (or shrunk) to fill its box and centred in it: d3-cloud leaves
 * room around the words, and the back of the room wants them as big as they can be.
 * Positions and sizes scale together, so CSS transitions carry the words to their places. */
export function fillBox(placed, width, height, { margin = 0.9, most = 2.2 } = {}) {
  if (!placed.length) return [];
  // d3-cloud gives each word its box around (x, y): x0..x1, y0..y1.
  const left = Math.min(...placed.map((w) => w.x + w.x0));
  const right = Math.max(...placed.map((w) => w.x + w.x1));
  const top = Math.min(...placed.map((w) => w.y + w.y0));
  const bottom = Math.max(...placed.map((w) => w.y + w.y1));
  const k = Math.min(most, (margin * width) / Math.max(1, right - left), (margin * height) / Math.max(1, bottom - top));
  const cx = (left + right) / 2;
  const cy = (top + bottom) / 2;
  return placed.map((w) => ({ ...w, x: (w.x - cx) * k, y: (w.y - cy) * k, size: w.size * k }));
}
