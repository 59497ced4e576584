// The pure half of the breakout screens (phone, console, projector): what a board shows
// in which order, clusters, votes left, countdowns, forming lists, report-back stepping.
// No DOM here: tests/js/breakouts.test.mjs covers it. Shapes: docs/protocol.md, "Breakouts".

export const PHASES = ["write", "cluster", "vote", "synthesise"];
export const MODES = ["random", "self", "language", "stakeholder", "manual"];

const byPosition = (a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id;

/** The snapshot's `breakouts` part in one shape whatever the sender nested: {round,
 * group (mine, board fields flattened in), groups (a moderator's), report}. */
export function normalise(part) {
  const source = part || {};
  const flat = (group, separateBoard) => {
    if (!group) return null;
    const board = separateBoard || group.board || {};
    return {
      ...group,
      cards: board.cards || group.cards || [],
      my_votes: board.my_votes || group.my_votes || [],
      votes_left: board.votes_left ?? group.votes_left ?? null,
      assessment: board.assessment || group.assessment || {},
      me: board.me ?? group.me ?? null,
      votes_per_member: board.votes_per_member ?? group.votes_per_member ?? null,
      synthesis: board.synthesis || group.synthesis || null,
    };
  };
  return {
    round: source.round || null,
    group: flat(source.group, source.board),
    groups: (source.groups || []).map((group) => flat(group)),
    report: source.report || null,
    forming: source.forming || null,
    help: source.help || null,
  };
}

/** A group's name: the one given, else "Group 2" in the screen's language. */
export function groupName(group, template) {
  if (group && group.name) return group.name;
  return String(template).replace("{n}", String((group && group.position) || 1));
}

/** A group's members with what else is known of each (connected, language), new values first. */
export function mergeMembers(members, known) {
  return (members || []).map((member) => {
    const other = known.get(member.id) || {};
    return { ...other, ...member, connected: member.connected ?? other.connected ?? false };
  });
}

/** Cards with this one added or replaced (a stale copy, lower version, is ignored). */
export function upsertCard(cards, card) {
  const index = cards.findIndex((c) => c.id === card.id);
  if (index < 0) return [...cards, card];
  const old = cards[index];
  if ((card.version ?? 0) < (old.version ?? 0)) return cards;
  const next = cards.slice();
  next[index] = { ...old, ...card };
  return next;
}

export function setVotes(cards, cardId, votes) {
  return cards.map((c) => (c.id === cardId ? { ...c, votes } : c));
}

/** Which card a cluster hangs under: the top of the chain of `cluster` links whose cards
 * are still shown (a merge into a removed card leaves the card on its own). */
export function clusterRoot(card, byId) {
  let current = card;
  const chain = [card];
  while (current.cluster !== null && current.cluster !== undefined) {
    const parent = byId.get(current.cluster);
    if (!parent || parent.removed) break;
    if (chain.includes(parent)) {
      // A loop (never made on purpose): its lowest id stands for all, the same from any card.
      return chain.slice(chain.indexOf(parent)).reduce((low, c) => (c.id < low.id ? c : low));
    }
    chain.push(parent);
    current = parent;
  }
  return current;
}

/** One block's board: a column per prompt, each a list of {card, children} where the
 * children are the cards merged into it. Removed cards are shown nowhere. */
export function boardColumns(cards, blockKey, promptCount) {
  const shown = cards.filter((c) => !c.removed && c.block === blockKey);
  const byId = new Map(shown.map((c) => [c.id, c]));
  const columns = Array.from({ length: Math.max(promptCount, 1) }, (_, index) => ({ index, stacks: [] }));
  const stacks = new Map();
  for (const card of [...shown].sort(byPosition)) {
    const root = clusterRoot(card, byId);
    if (root.id === card.id) {
      const stack = { card, children: [] };
      stacks.set(card.id, stack);
      const column = columns[Math.min(Math.max(card.column | 0, 0), columns.length - 1)];
      column.stacks.push(stack);
    }
  }
  for (const card of [...shown].sort(byPosition)) {
    const root = clusterRoot(card, byId);
    if (root.id !== card.id && stacks.has(root.id)) stacks.get(root.id).children.push(card);
  }
  return columns;
}

/** Votes of a stack: the card's own and its merged cards'. */
export function stackVotes(stack) {
  return stack.children.reduce((sum, c) => sum + (c.votes || 0), stack.card.votes || 0);
}

/** The dots of a member's votes: true for one still to give. */
export function voteDots(perMember, left) {
  const total = Math.max(0, perMember | 0);
  const remaining = Math.min(Math.max(0, left | 0), total);
  return Array.from({ length: total }, (_, index) => index < remaining);
}

/** The most voted cards (not removed, not merged away), then the older first. */
export function topCards(cards, count) {
  return cards
    .filter((c) => !c.removed && (c.cluster === null || c.cluster === undefined))
    .filter((c) => (c.votes || 0) > 0)
    .sort((a, b) => (b.votes || 0) - (a.votes || 0) || a.id - b.id)
    .slice(0, count);
}

/** Milliseconds left until `endsMs`, or null when there is no such time. */
export function leftMs(endsMs, nowMs) {
  if (endsMs === null || endsMs === undefined) return null;
  return endsMs - nowMs;
}

/** The round's state as a screen sees it now: "none", "preview", "open", "closing"
 * (a close countdown runs) or "closed" (boards read-only). */
export function roundStage(round, nowMs) {
  if (!round) return "none";
  if (round.state === "closed") return "closed";
  if (round.closes_at_ms !== null && round.closes_at_ms !== undefined) {
    return round.closes_at_ms <= nowMs ? "closed" : "closing";
  }
  return round.state === "preview" ? "preview" : "open";
}

/** The timer a group runs on: its own, else the round's shared one. */
export function groupTimerEnds(group, round) {
  if (group && group.timer_ends_at_ms) return group.timer_ends_at_ms;
  return round && round.timer_ends_at_ms ? round.timer_ends_at_ms : null;
}

/** Participants of the moderator's list in no group of the round. */
export function unplaced(participants, groups) {
  const placed = new Set();
  for (const group of groups) for (const member of group.members || []) placed.add(member.id);
  return participants.filter((person) => !placed.has(person.id));
}

/** The report-back's next group, one step forward (1) or back (-1), wrapping round. */
export function stepReport(groups, currentId, step) {
  if (!groups.length) return null;
  const index = groups.findIndex((g) => g.id === currentId);
  if (index < 0) return step < 0 ? groups[groups.length - 1].id : groups[0].id;
  return groups[(index + step + groups.length) % groups.length].id;
}

/** Whole minutes since `atMs` (0 under a minute), or null when never. */
export function minutesSince(atMs, nowMs) {
  if (!atMs) return null;
  return Math.max(0, Math.floor((nowMs - atMs) / 60000));
}

/** Where a card may go by tap: the other columns of its block. */
export function moveTargets(card, promptCount) {
  return Array.from({ length: promptCount }, (_, index) => index).filter((index) => index !== card.column);
}

/** May this viewer change the card's text or remove it? */
export function canEditCard(card, viewer) {
  if (!viewer || viewer.readOnly) return false;
  if (viewer.moderator || viewer.rapporteur) return true;
  return isMine(card, viewer);
}

/** Did this viewer write the card? Cards carry an opaque author key; the board says mine. */
export function isMine(card, viewer) {
  return Boolean(viewer && viewer.me && card.author_key && card.author_key === viewer.me);
}

/** The current card (or synthesis) a `conflict` refusal carries, or null. */
export function conflictCurrent(ack) {
  if (!ack || ack.ok || !ack.error || ack.error.code !== "conflict") return null;
  const error = ack.error;
  const details = error.details || error.data || {};
  return details.current || details.card || details.synthesis || error.current || null;
}

/** The stream's group id ("group:12" -> 12), or null. */
export function groupOfStream(stream) {
  const match = /^group:(\d+)$/.exec(stream || "");
  return match ? Number(match[1]) : null;
}

/** The assessments of a group with one block's new distribution (the viewer's own kept). */
export function withDistribution(assessment, payload) {
  const old = (assessment || {})[payload.block] || {};
  return {
    ...(assessment || {}),
    [payload.block]: { ...old, distribution: payload.distribution, count: payload.count, mean: payload.mean },
  };
}

/** ... and with the viewer's own value. */
export function withMine(assessment, block, value) {
  const old = (assessment || {})[block] || {};
  return { ...(assessment || {}), [block]: { ...old, mine: value } };
}

/** The counts a self-select list shows: "3 / 5", full when the limit is reached. */
export function seatsOf(group, maxSize) {
  const members = typeof group.members === "number" ? group.members : (group.members || []).length;
  return { members, full: Boolean(maxSize) && members >= maxSize };
}

/** A count in words: the "_one" form for one where the screen has it ("1 vote"). */
export function counted(S, key, count) {
  const template = count === 1 && S[key + "_one"] ? S[key + "_one"] : S[key];
  return String(template).replace("{count}", String(count));
}

/** A long label in lines of about `width` characters, at most `most` lines (the last one
 * cut with "…"): the radar's block titles around a circle. */
export function wrapLabel(label, width, most) {
  const lines = [];
  let line = "";
  for (const word of String(label).split(/\s+/).filter(Boolean)) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else line = line ? line + " " + word : word;
  }
  if (line) lines.push(line);
  if (lines.length <= most) return lines;
  const kept = lines.slice(0, most);
  kept[most - 1] = kept[most - 1].slice(0, Math.max(1, width - 1)) + "…";
  return kept;
}

// The modes in which the server places people itself (facilitator/breakouts/forming.py).
const PLACED_BY_RULE = new Set(["random", "language", "stakeholder"]);

/** True when this phone should ask to be placed: the groups are open, their rule
 * places people, and it is in none (it joined, or came back, after they opened). */
export function needsPlacing(round, group, moving = false) {
  // moving: a breakouts.moved said a placement is on its way (its resync is pending).
  return Boolean(round && round.state === "open" && PLACED_BY_RULE.has(round.mode) && !group && !moving);
}

/** The console's forming form as the round was formed (item, mode, number of groups or
 * people per group, self-select's limit), or its defaults before any round. */
export function formFromRound(round, items) {
  const first = (items[0] || {}).key || "";
  if (!round) return { item: first, mode: "random", by: "groups", number: 4, max: 0 };
  const rule = round.rule || {};
  const bySize = !rule.groups && Boolean(rule.size);
  const number = (bySize ? rule.size : rule.groups) || Math.max(1, (round.groups || []).length);
  return { item: round.item || "", mode: round.mode, by: bySize ? "size" : "groups", number, max: round.max_size || 0 };
}

/** The breakouts.preview payload of the forming form. */
export function previewPayload(form) {
  const payload = { mode: form.mode };
  if (form.item) payload.item = form.item;
  const number = Math.max(1, parseInt(form.number, 10) || 1);
  if (form.by === "size") payload.size = number;
  else payload.groups = number;
  const max = parseInt(form.max, 10) || 0;
  if (form.mode === "self" && max > 0) payload.max_size = max;
  return payload;
}

/** Whether a re-uploaded agenda brings breakout groups to a page drawn without them
 * (`setup`: the page's breakouts data, null for a workshop that had none): it reloads. */
export function bringsBreakouts(setup, items) {
  return !setup && (items || []).some((item) => item.kind === "breakout");
}

/** Whether the moderator may take someone out of every group while they work: not where
 * the round places phones by its rule (the phone would ask for, and get, a group again). */
export function canTakeOut(round) {
  return Boolean(round) && (round.state === "preview" || !PLACED_BY_RULE.has(round.mode));
}

// After breakouts.moved as after live.reset (shared/streams.js).
export { resyncDelay } from "../shared/streams.js";


/** A group's phase deadline as a screen shows it: null when none, else the time left
 * (never below 0) and whether it has passed. */
export function phaseDeadline(group, nowMs) {
  const left = leftMs(group && group.phase_deadline_ms, nowMs);
  if (left === null) return null;
  return { left: Math.max(0, left), over: left <= 0 };
}

/** The deadlines the console offers beside the phase buttons, in minutes (0: none). */
export const DEADLINE_MINUTES = [0, 3, 5, 10, 15, 20, 30];

/** `breakouts.phase`'s payload: the phase, the group (or every group) and the deadline. */
export function phasePayload(phase, groupId, minutes, votes) {
  const payload = { phase, deadline_s: minutes > 0 ? Math.round(minutes * 60) : null };
  if (groupId !== null && groupId !== undefined && groupId !== "") payload.group = Number(groupId);
  // The dots each member has: said when voting starts (the round's, for every group).
  const dots = parseInt(votes, 10);
  if (phase === "vote" && dots >= 1) payload.votes = Math.min(MAX_VOTES, dots);
  return payload;
}

export const MAX_VOTES = 20; // board_rules.MAX_VOTES

/** A group's blocks with one ticked (added last: the board's first tab, the one its
 * members see first, stays) or unticked; only keys the workshop has. */
export function toggleBlock(current, key, on, order) {
  const kept = (current || []).filter((k) => k !== key && order.includes(k));
  return on && order.includes(key) ? [...kept, key] : kept;
}

// Territories drawn beside the room (more would be a tangle), in colours the dark screen reads.
const TERRITORIES_SHOWN = 6;
const TERRITORY_COLOURS = ["#7cc4ff", "#8ce99a", "#ffa8a8", "#d0bfff", "#ffd8a8", "#99e9f2"];

/** A territory's name in the screen's language ("KR" → "Corée du Sud" in French). */
export function regionNamer(language) {
  try {
    const names = new Intl.DisplayNames([language], { type: "region" });
    return (code) => names.of(code) || code;
  } catch {
    return (code) => code;
  }
}

/* The room's polygon, and a thinner one per territory where participants gave one. */
export function radarDatasets(blocks, territories, regionName) {
  // A block nobody assessed has no point (a gap), not a zero.
  const point = (b) => (b && b.count > 0 && b.mean !== null && b.mean !== undefined ? b.mean : null);
  const room = { label: "", data: blocks.map(point), backgroundColor: "rgba(255, 210, 122, .3)", borderColor: "#ffd27a", borderWidth: 4, pointRadius: 7, pointBackgroundColor: "#ffd27a", spanGaps: true };
  const codes = Object.keys(territories || {}).sort().slice(0, TERRITORIES_SHOWN);
  return [room, ...codes.map((code, index) => {
    const byKey = new Map(territories[code].map((b) => [b.key, b]));
    const colour = TERRITORY_COLOURS[index % TERRITORY_COLOURS.length];
    return { label: regionName(code), data: blocks.map((b) => point(byKey.get(b.key))), fill: false, borderColor: colour, borderWidth: 2, pointRadius: 4, pointBackgroundColor: colour, spanGaps: true };
  })];
}
