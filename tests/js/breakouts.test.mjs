// The pure half of the breakout screens: board order and clusters, votes left, the round's
// stage, forming lists, report-back stepping, conflicts (static/breakouts/model.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  needsPlacing, resyncDelay, canTakeOut, formFromRound, previewPayload, radarDatasets, regionNamer, bringsBreakouts,
  boardColumns, canEditCard, conflictCurrent, groupName, groupOfStream, groupTimerEnds, isMine, mergeMembers, minutesSince, moveTargets,
  normalise, roundStage, seatsOf, setVotes, stackVotes, stepReport, topCards, unplaced, upsertCard, voteDots,
  withDistribution, withMine, counted, wrapLabel,
} from "../../static/breakouts/model.js";

const card = (id, extra = {}) => ({
  id, block: "legal", column: 0, position: id, text: "c" + id, version: 1, cluster: null, votes: 0, removed: false,
  author_key: null, ...extra,
});

test("a board has one column per prompt, cards in position order, removed ones nowhere", () => {
  const cards = [
    card(3, { column: 1, position: 1 }),
    card(1, { position: 2 }),
    card(2, { position: 1 }),
    card(4, { removed: true }),
    card(5, { block: "other" }),
  ];
  const columns = boardColumns(cards, "legal", 3);
  assert.equal(columns.length, 3);
  assert.deepEqual(columns[0].stacks.map((s) => s.card.id), [2, 1]);
  assert.deepEqual(columns[1].stacks.map((s) => s.card.id), [3]);
  assert.deepEqual(columns[2].stacks, []);
});

test("merged cards hang under the top of their cluster, and come back when it is removed", () => {
  const cards = [card(1), card(2, { cluster: 1, votes: 2 }), card(3, { cluster: 2, votes: 1 }), card(4, { column: 2 })];
  const [first] = boardColumns(cards, "legal", 3);
  assert.deepEqual(first.stacks.map((s) => s.card.id), [1]);
  assert.deepEqual(first.stacks[0].children.map((c) => c.id), [2, 3]);
  assert.equal(stackVotes(first.stacks[0]), 3);
  const removedTop = boardColumns(cards.map((c) => (c.id === 1 ? { ...c, removed: true } : c)), "legal", 3);
  assert.deepEqual(removedTop[0].stacks.map((s) => s.card.id), [2]);
  assert.deepEqual(removedTop[0].stacks[0].children.map((c) => c.id), [3]);
});

test("a merge loop does not hang the board", () => {
  const columns = boardColumns([card(1, { cluster: 2 }), card(2, { cluster: 1 })], "legal", 1);
  const shown = columns[0].stacks.flatMap((s) => [s.card.id, ...s.children.map((c) => c.id)]);
  assert.deepEqual(shown.sort(), [1, 2]);
});

test("a column out of range lands in the last column, not lost", () => {
  const columns = boardColumns([card(1, { column: 9 })], "legal", 2);
  assert.deepEqual(columns[1].stacks.map((s) => s.card.id), [1]);
});

test("upsert replaces by id and ignores a stale version", () => {
  const cards = [card(1, { text: "new", version: 3 })];
  assert.equal(upsertCard(cards, card(1, { text: "old", version: 2 }))[0].text, "new");
  assert.equal(upsertCard(cards, card(1, { text: "newer", version: 4 }))[0].text, "newer");
  assert.equal(upsertCard(cards, card(2)).length, 2);
  assert.equal(setVotes(cards, 1, 5)[0].votes, 5);
});

test("votes left as dots, the top cards by votes", () => {
  assert.deepEqual(voteDots(3, 1), [true, false, false]);
  assert.deepEqual(voteDots(3, 7), [true, true, true]);
  assert.deepEqual(voteDots(0, 2), []);
  const cards = [card(1, { votes: 1 }), card(2, { votes: 3 }), card(3, { votes: 3, removed: true }), card(4), card(5, { votes: 1 })];
  assert.deepEqual(topCards(cards, 2).map((c) => c.id), [2, 1]);
});

test("the round's stage: a close countdown runs, then the boards are read-only", () => {
  assert.equal(roundStage(null, 0), "none");
  assert.equal(roundStage({ state: "preview" }, 0), "preview");
  assert.equal(roundStage({ state: "open", closes_at_ms: null }, 0), "open");
  assert.equal(roundStage({ state: "open", closes_at_ms: 1000 }, 500), "closing");
  assert.equal(roundStage({ state: "open", closes_at_ms: 1000 }, 1000), "closed");
  assert.equal(roundStage({ state: "closed" }, 0), "closed");
});

test("a group's own timer overrides the round's", () => {
  assert.equal(groupTimerEnds({ timer_ends_at_ms: 5 }, { timer_ends_at_ms: 9 }), 5);
  assert.equal(groupTimerEnds({ timer_ends_at_ms: null }, { timer_ends_at_ms: 9 }), 9);
  assert.equal(groupTimerEnds({}, {}), null);
});

test("who may edit a card: its author (by key), the rapporteur, a moderator; nobody when closed", () => {
  const mine = card(1, { author_key: "abc" });
  assert.ok(isMine(mine, { me: "abc" }));
  assert.ok(!isMine(card(2), { me: null }));
  assert.ok(canEditCard(mine, { me: "abc" }));
  assert.ok(!canEditCard(mine, { me: "xyz" }));
  assert.ok(canEditCard(mine, { me: "xyz", rapporteur: true }));
  assert.ok(canEditCard(mine, { moderator: true }));
  assert.ok(!canEditCard(mine, { me: "abc", readOnly: true }));
});

test("forming: who is in no group, the self-select seats, the report-back steps round", () => {
  const people = [{ id: 1 }, { id: 2 }, { id: 3 }];
  assert.deepEqual(unplaced(people, [{ members: [{ id: 2 }] }]).map((p) => p.id), [1, 3]);
  assert.deepEqual(seatsOf({ members: 4 }, 4), { members: 4, full: true });
  assert.deepEqual(seatsOf({ members: [{ id: 1 }] }, null), { members: 1, full: false });
  const groups = [{ id: 7 }, { id: 8 }, { id: 9 }];
  assert.equal(stepReport(groups, null, 1), 7);
  assert.equal(stepReport(groups, null, -1), 9);
  assert.equal(stepReport(groups, 9, 1), 7);
  assert.equal(stepReport(groups, 7, -1), 9);
  assert.equal(stepReport([], 7, 1), null);
  assert.deepEqual(moveTargets(card(1, { column: 1 }), 3), [0, 2]);
});

test("the snapshot part in one shape, board fields flattened", () => {
  const part = normalise({
    round: { id: 1 },
    group: { id: 4, name: "A", board: { cards: [card(1)], my_votes: [1], votes_left: 2, me: "k", assessment: {} } },
  });
  assert.equal(part.group.cards.length, 1);
  assert.deepEqual(part.group.my_votes, [1]);
  assert.equal(part.group.votes_left, 2);
  assert.equal(part.group.me, "k");
  assert.deepEqual(normalise(null), { round: null, group: null, groups: [], report: null, forming: null, help: null });
  // The phone's snapshot sends the board beside the group's detail.
  const phone = normalise({ group: { id: 4 }, board: { cards: [card(2)], me: "m", votes_left: 3 } });
  assert.deepEqual(phone.group.cards.map((c) => c.id), [2]);
  assert.equal(phone.group.me, "m");
});

test("a group without a name is called by its position; members keep what is known of them", () => {
  assert.equal(groupName({ name: "", position: 2 }, "Group {n}"), "Group 2"); // positions count from 1
  assert.equal(groupName({ name: "Rivers", position: 1 }, "Group {n}"), "Rivers");
  const known = new Map([[1, { id: 1, connected: true, language: "fr" }]]);
  const merged = mergeMembers([{ id: 1, name: "Ana" }, { id: 2, name: "Bo" }], known);
  assert.deepEqual(merged[0], { id: 1, name: "Ana", connected: true, language: "fr" });
  assert.equal(merged[1].connected, false);
});

test("a conflict refusal carries the current card; streams name their group", () => {
  const current = { id: 1, text: "theirs", version: 3 };
  assert.deepEqual(conflictCurrent({ ok: false, error: { code: "conflict", details: { card: current } } }), current);
  assert.deepEqual(conflictCurrent({ ok: false, error: { code: "conflict", details: { current } } }), current);
  assert.equal(conflictCurrent({ ok: false, error: { code: "closed" } }), null);
  assert.equal(conflictCurrent({ ok: true }), null);
  assert.equal(groupOfStream("group:12"), 12);
  assert.equal(groupOfStream("workshop"), null);
});

test("assessments: a new distribution keeps my own value", () => {
  let assessment = withMine({}, "legal", 4);
  assessment = withDistribution(assessment, { block: "legal", distribution: { 4: 2 }, count: 2, mean: 4 });
  assert.equal(assessment.legal.mine, 4);
  assert.equal(assessment.legal.count, 2);
  assert.equal(minutesSince(null, 5), null);
  assert.equal(minutesSince(0 + 1, 125000), 2);
});

test("counts in words, one is singular; long labels wrap in a few lines", () => {
  const S = { votes: "{count} votes", votes_one: "1 vote", cards: "{count} cards" };
  assert.equal(counted(S, "votes", 1), "1 vote");
  assert.equal(counted(S, "votes", 2), "2 votes");
  assert.equal(counted(S, "cards", 1), "1 cards"); // no singular given: the template as is
  assert.deepEqual(wrapLabel("Access to markets", 22, 3), ["Access to markets"]);
  assert.deepEqual(wrapLabel("Integration of SSE into strategic planning mechanisms", 22, 2), [
    "Integration of SSE",
    "into strategic…",
  ]);
});

test("a phone asks for a place only when the open groups' rule places people and it has none", () => {
  const open = (mode) => ({ id: 1, state: "open", mode });
  assert.equal(needsPlacing(open("language"), null), true); // joined after the groups opened
  assert.equal(needsPlacing(open("random"), { id: 4 }), false); // placed already
  assert.equal(needsPlacing(open("self"), null), false); // it chooses on the phone
  assert.equal(needsPlacing(open("manual"), null), false); // the moderator places it
  assert.equal(needsPlacing({ id: 1, state: "preview", mode: "random" }, null), false);
  assert.equal(needsPlacing(null, null), false);
  assert.equal(needsPlacing(open("random"), null, true), false); // told it was moved: on its way
});

test("a phone moved with a whole round resyncs within the server's window, one moved alone at once", () => {
  assert.equal(resyncDelay({ group: 3, sync_within_ms: 5000 }, () => 0.5), 2500);
  assert.equal(resyncDelay({ group: 3, sync_within_ms: 5000 }, () => 0), 0);
  assert.equal(resyncDelay({ group: 3, sync_within_ms: 0 }, () => 0.9), 0);
  assert.equal(resyncDelay({ group: null }, () => 0.9), 0); // an older server: at once
  assert.equal(resyncDelay({ group: 3, sync_within_ms: 1e9 }, () => 0.5), 15000); // bounded
  assert.equal(resyncDelay({ group: 3, sync_within_ms: -5 }, () => 0.5), 0);
});


test("a phase deadline counts down to zero, then says it is over; none without one", async () => {
  const { phaseDeadline } = await import("../../static/breakouts/model.js");
  assert.equal(phaseDeadline({ phase_deadline_ms: null }, 1000), null);
  assert.equal(phaseDeadline(null, 1000), null);
  assert.deepEqual(phaseDeadline({ phase_deadline_ms: 301000 }, 1000), { left: 300000, over: false });
  assert.deepEqual(phaseDeadline({ phase_deadline_ms: 1000 }, 5000), { left: 0, over: true });
});

test("the console's phase buttons send the deadline chosen, for every group or one", async () => {
  const { phasePayload, DEADLINE_MINUTES } = await import("../../static/breakouts/model.js");
  assert.deepEqual(phasePayload("vote", "", 5), { phase: "vote", deadline_s: 300 });
  assert.deepEqual(phasePayload("write", "12", 10), { phase: "write", deadline_s: 600, group: 12 });
  // The dots a member has go with the vote, never with another phase; at most 20.
  assert.deepEqual(phasePayload("vote", "", 0, "4"), { phase: "vote", deadline_s: null, votes: 4 });
  assert.deepEqual(phasePayload("write", "", 0, 4), { phase: "write", deadline_s: null });
  assert.equal(phasePayload("vote", "", 0, 99).votes, 20);
  assert.equal(phasePayload("vote", "", 0, "").votes, undefined);
  // "No deadline" clears one set before (the server keeps none when deadline_s is null).
  assert.deepEqual(phasePayload("cluster", null, 0), { phase: "cluster", deadline_s: null });
  assert.ok(DEADLINE_MINUTES.includes(0) && DEADLINE_MINUTES.includes(5) && DEADLINE_MINUTES.includes(10));
  assert.ok(DEADLINE_MINUTES.every((m) => m * 60 <= 14400)); // the server's MAX_DEADLINE_S
});

test("a block ticked comes after the group's own (its first tab stays); unticked, it goes", async () => {
  const { toggleBlock } = await import("../../static/breakouts/model.js");
  const order = ["legal", "finance", "data", "capacity"];
  assert.deepEqual(toggleBlock(["data"], "legal", true, order), ["data", "legal"]);
  assert.deepEqual(toggleBlock(["data", "legal"], "data", false, order), ["legal"]);
  assert.deepEqual(toggleBlock(["legal"], "legal", true, order), ["legal"]);
  assert.deepEqual(toggleBlock(["legal"], "gone", true, order), ["legal"]);
});

test("the moderator takes someone out of the groups only where no rule places them again", () => {
  const open = (mode) => ({ id: 1, state: "open", mode });
  assert.equal(canTakeOut(open("self")), true); // they choose again on the phone
  assert.equal(canTakeOut(open("manual")), true); // they wait for the moderator
  for (const mode of ["random", "language", "stakeholder"]) {
    assert.equal(canTakeOut(open(mode)), false, mode); // the phone would be placed again at once
  }
  assert.equal(canTakeOut({ id: 1, state: "preview", mode: "random" }), true); // nobody follows yet
  assert.equal(canTakeOut(null), false);
});

test("the forming form starts from the round as it was formed, so forming again keeps its rule", () => {
  const items = [{ key: "breakout" }, { key: "second" }];
  assert.deepEqual(formFromRound(null, items), { item: "breakout", mode: "random", by: "groups", number: 4, max: 0 });
  const byLanguage = { id: 3, item: "second", mode: "language", max_size: null, rule: { groups: 2, size: null }, groups: [{}, {}, {}] };
  const form = formFromRound(byLanguage, items);
  assert.deepEqual(form, { item: "second", mode: "language", by: "groups", number: 2, max: 0 });
  assert.deepEqual(previewPayload(form), { mode: "language", item: "second", groups: 2 });
  const chosen = { id: 4, item: null, mode: "self", max_size: 6, rule: { groups: null, size: 6 }, groups: [] };
  assert.deepEqual(previewPayload(formFromRound(chosen, items)), { mode: "self", size: 6, max_size: 6 }); // any item
  // A round from before the rule was sent: as many groups as it has.
  assert.equal(formFromRound({ id: 5, mode: "random", groups: [{}, {}, {}] }, items).number, 3);
});

test("the preview's payload asks for groups or a size, and a limit only in self-select", () => {
  assert.deepEqual(previewPayload({ item: "", mode: "random", by: "size", number: "5", max: "3" }), { mode: "random", size: 5 });
  assert.deepEqual(previewPayload({ item: "b", mode: "self", by: "groups", number: "0", max: "" }), { mode: "self", item: "b", groups: 1 });
});

test("the projector's radar draws the room and each territory, a gap where a block was not assessed", () => {
  const blocks = [
    { key: "legal", mean: 3, count: 2 },
    { key: "funding", mean: null, count: 0 },
    { key: "markets", mean: 4, count: 1 },
  ];
  const territories = {
    KR: [{ key: "legal", mean: 2, count: 1 }],
    BR: [{ key: "legal", mean: 4, count: 1 }, { key: "markets", mean: 4, count: 1 }],
  };
  const sets = radarDatasets(blocks, territories, regionNamer("fr"));
  assert.deepEqual(sets[0].data, [3, null, 4]); // the room; nobody assessed funding
  assert.deepEqual(sets.slice(1).map((s) => [s.label, s.data]), [
    ["Brésil", [4, null, 4]],
    ["Corée du Sud", [2, null, null]],
  ]);
  assert.equal(radarDatasets(blocks, {}, regionNamer("en")).length, 1); // no territory given
  const many = Object.fromEntries("ABCDEFGH".split("").map((c) => [`A${c}`, [{ key: "legal", mean: 1, count: 1 }]]));
  assert.equal(radarDatasets(blocks, many, (c) => c).length, 7); // the room and six territories
});

test("a page drawn without breakouts reloads only for an agenda that brings breakout groups", () => {
  const items = [{ key: "talk", kind: "presentation" }, { key: "groups", kind: "breakout" }];
  assert.equal(bringsBreakouts(null, items), true);
  assert.equal(bringsBreakouts(null, [items[0]]), false);
  assert.equal(bringsBreakouts({ strings: {} }, items), false); // it has them already
  assert.equal(bringsBreakouts(null, undefined), false);
});
