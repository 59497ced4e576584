// Breakouts on the moderator's console (mounted by static/live/console.js), on a laptop
// and on a tablet: forming (mode, numbers, preview, move people by tap or by drag, open),
// every group live (members and who is connected, cards per column, votes, phase, last
// activity, the synthesis as written, help requests until answered), any board opened and
// written in, messages, timers, the close countdown, the gallery walk and report-back.
// Protocol: docs/protocol.md, "Breakouts". Strings come from page-data (breakouts.strings).
import Sortable from "sortablejs";
import { useEffect, useRef, useState } from "preact/hooks";

import { formatClock } from "../shared/timer.js";
import { fill, pickText } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { attach, query } from "./attach.js";
import { Board, Synthesis } from "./board.js";
import { Markdown } from "./markdown.js";
import {
  DEADLINE_MINUTES, MAX_VOTES, MODES, PHASES, canTakeOut, counted, formFromRound, previewPayload, phaseDeadline, phasePayload, toggleBlock, groupName, groupOfStream, leftMs, mergeMembers, minutesSince, normalise, roundStage,
  setVotes, stepReport, unplaced, upsertCard, withDistribution,
} from "./model.js";

export const CONSOLE_EVENTS = [
  "breakouts.changed",
  "breakouts.group",
  "breakouts.card",
  "breakouts.votes",
  "breakouts.synthesis",
  "breakouts.assessment",
  "breakouts.message",
  "breakouts.help",
  "breakouts.overview",
  "breakouts.report",
  "breakouts.forming",
];
const TICK_MS = 500;
const CYCLE_MS = 30000;

/* --- forming ----------------------------------------------------------------------------- */

function FormingForm({ ctx }) {
  const { S, setup, text, model } = ctx;
  const round = model.round;
  // Starts from the round's own rule: the panel is drawn anew when the round changes stage.
  const [form, setForm] = useState(() => formFromRound(round, setup.items));
  const roundId = round ? round.id : null;
  useEffect(() => {
    if (round) setForm(formFromRound(round, setup.items));
  }, [roundId]);
  const set = (change) => setForm((old) => ({ ...old, ...change }));
  const submit = (event) => {
    event.preventDefault();
    ctx.send("breakouts.preview", previewPayload(form));
  };
  return html`<form class="bo-forming" onSubmit=${submit}>
    ${setup.items.length > 0 &&
    html`<div class="bo-field"><label for="bo-item">${S.item}</label>
      <select id="bo-item" value=${form.item} onChange=${(e) => set({ item: e.currentTarget.value })}>
        ${setup.items.map((item) => html`<option key=${item.key} value=${item.key}>${text(item.title)}</option>`)}
        <option value="">${S.any_item}</option>
      </select></div>`}
    <div class="bo-field"><label for="bo-mode">${S.mode}</label>
      <select id="bo-mode" value=${form.mode} onChange=${(e) => set({ mode: e.currentTarget.value })}>
        ${MODES.map((mode) => html`<option key=${mode} value=${mode}>${S["mode_" + mode]}</option>`)}
      </select></div>
    <fieldset class="bo-field bo-by"><legend>${S.number_of}</legend>
      <label><input type="radio" name="bo-by" value="groups" checked=${form.by === "groups"}
        onChange=${() => set({ by: "groups" })} /> ${S.by_groups}</label>
      <label><input type="radio" name="bo-by" value="size" checked=${form.by === "size"}
        onChange=${() => set({ by: "size" })} /> ${S.by_size}</label>
      <label class="visually-hidden" for="bo-number">${form.by === "groups" ? S.by_groups : S.by_size}</label>
      <input id="bo-number" type="number" min="1" max="200" value=${form.number}
        onInput=${(e) => set({ number: e.currentTarget.value })} />
    </fieldset>
    ${form.mode === "self" &&
    html`<div class="bo-field"><label for="bo-max">${S.max_size}</label>
      <input id="bo-max" type="number" min="0" max="500" value=${form.max}
        onInput=${(e) => set({ max: e.currentTarget.value })} /></div>`}
    <button type="submit">${round && round.state === "preview" ? S.rebuild : S.preview}</button>
  </form>`;
}

/* A list of people that SortableJS lets the moderator drag to another list; the DOM move
 * is undone at once and the server's answer redraws (Preact owns the DOM). */
function PeopleList({ ctx, groupId, people, label }) {
  const ref = useRef(null);
  useEffect(() => {
    if (!ref.current) return undefined;
    const sortable = Sortable.create(ref.current, {
      group: "bo-people",
      sort: false,
      forceFallback: true, // pointer events, the same on a laptop's mouse and a tablet's finger
      fallbackTolerance: 4,
      delay: 150,
      delayOnTouchOnly: true,
      filter: "button",
      preventOnFilter: false,
      // No redraw while a hand drags: Preact would put back what SortableJS moves.
      onStart: () => ctx.dragging(true),
      onEnd: (event) => {
        ctx.dragging(false);
        if (event.from === event.to) return;
        const person = Number(event.item.dataset.participant);
        event.from.insertBefore(event.item, event.from.children[event.oldIndex] || null);
        const target = event.to.dataset.group ? Number(event.to.dataset.group) : null;
        ctx.move(person, target);
      },
    });
    return () => sortable.destroy();
  }, []);
  const { S } = ctx;
  return html`<ul class="bo-people" ref=${ref} data-group=${groupId === null ? "" : groupId} aria-label=${label}>
    ${people.map((person) => {
      const name = person.name || S.anonymous;
      const moving = ctx.model.moving === person.id;
      return html`<li key=${person.id} class="bo-person" data-participant=${person.id}
          data-connected=${person.connected ? "yes" : "no"} data-moving=${moving ? "yes" : "no"}>
        <span class="bo-person-dot" aria-hidden="true"></span>
        <span class="bo-person-name">${name}</span>
        ${person.language && html`<span class="bo-tag">${person.language}</span>`}
        <span class="visually-hidden">${person.connected ? S.connected : S.not_connected}</span>
        <button type="button" class="bo-small" aria-pressed=${moving ? "true" : "false"}
          aria-label=${fill(S.move_named, { name })} onClick=${() => ctx.pick(moving ? null : person.id)}>${S.move}</button>
      </li>`;
    })}
  </ul>`;
}

function FormingGroup({ ctx, group }) {
  const { S, text, blocks } = ctx;
  const [name, setName] = useState(group.name || "");
  useEffect(() => setName(group.name || ""), [group.name]);
  const shown = groupName(group, S.group_n);
  const rename = (event) => {
    event.preventDefault();
    const value = name.trim();
    if (value && value !== group.name) ctx.send("breakouts.group.edit", { group: group.id, name: value });
  };
  const moving = ctx.model.moving;
  return html`<li class="bo-form-group" data-group=${group.id}>
    <form class="bo-rename" onSubmit=${rename}>
      <label class="visually-hidden" for=${"bo-name-" + group.id}>${fill(S.group_name, { name: shown })}</label>
      <input id=${"bo-name-" + group.id} value=${name} placeholder=${shown} maxlength="80"
        onInput=${(e) => setName(e.currentTarget.value)}
        onBlur=${rename} />
    </form>
    <p class="bo-muted bo-blocks">${(group.blocks || []).map((key) => (blocks[key] ? text(blocks[key].title) : key)).join(" · ")}</p>
    <p class="bo-muted">${counted(S, "members_count", (group.members || []).length)}</p>
    ${moving !== null &&
    html`<button type="button" class="bo-move-here" onClick=${() => ctx.move(moving, group.id)}>${S.move_here}</button>`}
    <${PeopleList} ctx=${ctx} groupId=${group.id} people=${ctx.people(group.members || [])} label=${shown} />
    <button type="button" class="bo-small bo-danger" onClick=${() => {
      if (window.confirm(fill(S.confirm_remove_group, { name: shown }))) ctx.send("breakouts.group.remove", { group: group.id });
    }}>${S.remove_group}</button>
  </li>`;
}

function Forming({ ctx }) {
  const { S, model } = ctx;
  const round = model.round;
  const preview = round && round.state === "preview";
  const forming = model.forming && round && model.forming.round === round.id ? model.forming : null;
  const groups = forming ? forming.groups : model.groups;
  const loose = forming ? forming.unplaced : unplaced(model.participants, model.groups);
  return html`<div class="bo-forming-box">
    <${FormingForm} ctx=${ctx} />
    ${preview &&
    html`<p class="bo-muted">${S.drag_hint}</p>
    ${model.moving !== null &&
    html`<p class="bo-notice" role="status">${fill(S.moving, { name: ctx.nameOf(model.moving) })}
      <button type="button" class="bo-small" onClick=${() => ctx.pick(null)}>${S.cancel}</button></p>`}
    <ul class="bo-form-groups">
      ${groups.map((group) => html`<${FormingGroup} key=${group.id} ctx=${ctx} group=${group} />`)}
      <li class="bo-form-group bo-unplaced">
        <h3 class="bo-unplaced-title">${S.unplaced}</h3>
        ${model.moving !== null &&
        html`<button type="button" class="bo-move-here" onClick=${() => ctx.move(model.moving, null)}>${S.out_of_groups}</button>`}
        <${PeopleList} ctx=${ctx} groupId=${null} people=${loose} label=${S.unplaced} />
        ${loose.length === 0 && html`<p class="bo-muted">${S.nobody}</p>`}
      </li>
    </ul>
    <div class="bo-row">
      <button type="button" class="secondary" onClick=${() => ctx.send("breakouts.group.add", {})}>${S.add_group}</button>
      <button type="button" class="bo-open" onClick=${() => ctx.send("breakouts.open", {})}>${S.open}</button>
    </div>`}
  </div>`;
}

/* --- running ----------------------------------------------------------------------------- */

function Controls({ ctx }) {
  const { S, model, now } = ctx;
  const round = model.round;
  const stage = roundStage(round, now);
  const [message, setMessage] = useState("");
  const [target, setTarget] = useState("");
  const [minutes, setMinutes] = useState(10);
  const [seconds, setSeconds] = useState(60);
  const [deadline, setDeadline] = useState(0);
  const [votes, setVotes] = useState(round.votes_per_member || 3);
  useEffect(() => setVotes(round.votes_per_member || 3), [round.votes_per_member]);
  const group = target ? { group: Number(target) } : {};
  const timerEnds = target
    ? (model.groups.find((g) => g.id === Number(target)) || {}).timer_ends_at_ms
    : round.timer_ends_at_ms;
  const timerLeft = leftMs(timerEnds, now);
  const closing = leftMs(round.closes_at_ms, now);
  const reportGroup = model.groups.find((g) => g.id === round.report_group);
  const reportName = reportGroup ? groupName(reportGroup, S.group_n) : "";
  return html`<div class="bo-controls">
    <div class="bo-control">
      <label for="bo-target">${S.to}</label>
      <select id="bo-target" value=${target} onChange=${(e) => setTarget(e.currentTarget.value)}>
        <option value="">${S.all_groups}</option>
        ${model.groups.map((g) => html`<option key=${g.id} value=${g.id}>${groupName(g, S.group_n)}</option>`)}
      </select>
    </div>
    <form class="bo-control" onSubmit=${(e) => {
      e.preventDefault();
      if (message.trim()) ctx.send("breakouts.message", { text: message.trim(), ...group }).then((ack) => ack && ack.ok && setMessage(""));
    }}>
      <label for="bo-message">${S.broadcast}</label>
      <div class="bo-row">
        <input id="bo-message" type="text" maxlength="500" value=${message} onInput=${(e) => setMessage(e.currentTarget.value)} />
        <button type="submit">${S.send}</button>
      </div>
    </form>
    <form class="bo-control" onSubmit=${(e) => {
      e.preventDefault();
      ctx.send("breakouts.timer", { seconds: Math.round((parseFloat(minutes) || 0) * 60), ...group });
    }}>
      <label for="bo-minutes">${S.timer_minutes}</label>
      <div class="bo-row">
        <input id="bo-minutes" type="number" min="0" max="240" value=${minutes} onInput=${(e) => setMinutes(e.currentTarget.value)} />
        <button type="submit">${S.set_timer}</button>
        <button type="button" class="secondary" onClick=${() => ctx.send("breakouts.time.add", { seconds: 60, ...group })}>${S.add_minute}</button>
        <button type="button" class="secondary" onClick=${() => ctx.send("breakouts.time.add", { seconds: 300, ...group })}>${S.add_five}</button>
        <button type="button" class="secondary" onClick=${() => ctx.send("breakouts.timer", { seconds: 0, ...group })}>${S.clear_timer}</button>
      </div>
      ${timerLeft !== null && html`<p class="bo-clock" role="timer" aria-live="off">${S.time_left} ${formatClock(timerLeft)}</p>`}
    </form>
    <div class="bo-control">
      <span class="bo-control-label" id="bo-phase-label">${target ? S.phase : S.all_phase}</span>
      <div class="bo-row" role="group" aria-labelledby="bo-phase-label">
        ${PHASES.map((phase) => html`<button type="button" key=${phase} class="secondary"
          onClick=${() => ctx.send("breakouts.phase", phasePayload(phase, target, deadline, votes))}>${S["phase_" + phase]}</button>`)}
      </div>
      <div class="bo-row">
        <label for="bo-deadline">${S.deadline}</label>
        <select id="bo-deadline" value=${deadline} onChange=${(e) => setDeadline(Number(e.currentTarget.value))}>
          ${DEADLINE_MINUTES.map((m) => html`<option key=${m} value=${m}>${m ? fill(S.deadline_minutes, { count: m }) : S.deadline_none}</option>`)}
        </select>
      </div>
      <div class="bo-row">
        <label for="bo-votes">${S.votes_per_member}</label>
        <input id="bo-votes" type="number" min="1" max=${MAX_VOTES} value=${votes} onInput=${(e) => setVotes(e.currentTarget.value)} />
        <span class="bo-muted">${S.votes_per_member_hint}</span>
      </div>
    </div>
    <form class="bo-control" onSubmit=${(e) => {
      e.preventDefault();
      ctx.send("breakouts.close", { seconds: Math.max(0, parseInt(seconds, 10) || 0) });
    }}>
      <label for="bo-close-seconds">${S.close_seconds}</label>
      <div class="bo-row">
        <input id="bo-close-seconds" type="number" min="0" max="600" value=${seconds} onInput=${(e) => setSeconds(e.currentTarget.value)} />
        <button type="submit" class="bo-close" disabled=${stage !== "open"}>${S.close}</button>
        <button type="button" class="danger" disabled=${stage === "closed"} onClick=${() => ctx.send("breakouts.close", { seconds: 0 })}>${S.close_now}</button>
        <button type="button" class="secondary" disabled=${stage === "open"} onClick=${() => ctx.send("breakouts.reopen", {})}>${S.reopen}</button>
      </div>
      ${stage === "closing" && html`<p class="bo-clock" role="timer" aria-live="off">${fill(S.closing_in, { time: formatClock(closing) })}</p>`}
    </form>
    <div class="bo-control">
      <span class="bo-control-label" id="bo-report-label">${S.report}</span>
      <div class="bo-row" role="group" aria-labelledby="bo-report-label">
        <button type="button" class="secondary" aria-pressed=${round.gallery ? "true" : "false"}
          onClick=${() => ctx.send("breakouts.gallery", { open: !round.gallery })}>${round.gallery ? S.gallery_close : S.gallery_open}</button>
        <button type="button" class="secondary" onClick=${() => ctx.report(-1)}>${S.report_previous}</button>
        <button type="button" class="bo-report-next" onClick=${() => ctx.report(1)}>${S.report_next}</button>
        <button type="button" class="secondary" aria-pressed=${model.cycling ? "true" : "false"} onClick=${ctx.cycle}>${S.report_cycle}</button>
        <button type="button" class="secondary" disabled=${!round.report_group} onClick=${() => ctx.stopReport()}>${S.report_stop}</button>
      </div>
      <p class="bo-muted" role="status">${reportGroup ? fill(S.report_showing, { name: reportName }) : S.report_none}</p>
    </div>
    <div class="bo-control">
      <button type="button" class="danger" onClick=${() => window.confirm(S.confirm_end) && ctx.send("breakouts.end", {})}>${S.end}</button>
    </div>
  </div>`;
}

function Help({ ctx }) {
  const { S, model } = ctx;
  const open = model.help.filter((request) => !request.answered);
  return html`<section class="bo-help-list" aria-labelledby="bo-help-title">
    <h3 id="bo-help-title">${S.help} ${open.length > 0 && html`<span class="bo-badge">${open.length}</span>`}</h3>
    <div aria-live="polite">
    ${open.length === 0 ? html`<p class="bo-muted">${S.help_none}</p>` : html`<ul>
      ${open.map((request) => {
        const group = model.groups.find((g) => g.id === request.group);
        return html`<li key=${request.id} class="bo-help-request">
          <span>${fill(S.help_from, { name: request.name || S.anonymous, group: group ? groupName(group, S.group_n) : "?" })}</span>
          <button type="button" class="bo-small" onClick=${() => ctx.board(request.group)}>${S.open_board}</button>
          <button type="button" class="bo-small" onClick=${() => ctx.answer(request.id)}>${S.answered}</button>
        </li>`;
      })}
    </ul>`}
    </div>
  </section>`;
}

function columnsCount(group, blocks, key, cards) {
  const prompts = (blocks[key] && blocks[key].prompts) || [];
  const counts = prompts.map(() => 0);
  for (const card of cards) {
    if (!card.removed && card.block === key && counts[card.column] !== undefined) counts[card.column] += 1;
  }
  return counts;
}

/* The people of a tile, compact: a tap on a name picks that person to move, and every
 * other group then offers "Move here" (the phone follows at once). */
function MemberChips({ ctx, people, label }) {
  const { S } = ctx;
  return html`<ul class="bo-chips" aria-label=${label}>
    ${people.map((m) => {
      const moving = ctx.model.moving === m.id;
      return html`<li key=${m.id} data-participant=${m.id}>
        <button type="button" class="bo-chip" data-connected=${m.connected ? "yes" : "no"} aria-pressed=${moving ? "true" : "false"}
          onClick=${() => ctx.pick(moving ? null : m.id)}>
          <span class="bo-person-dot" aria-hidden="true"></span><span class="visually-hidden">${S.move}: </span>${m.name || S.anonymous}
          <span class="visually-hidden">${" "}(${m.connected ? S.connected : S.not_connected})</span></button></li>`;
    })}
  </ul>`;
}

/* Who is in no group while the groups work (self-select, or taken out): tap, then a group. */
function UnplacedTile({ ctx }) {
  const { S, model } = ctx;
  const loose = ctx.people(unplaced(model.participants, model.groups));
  const picked = model.moving !== null && !loose.some((m) => m.id === model.moving);
  if (!loose.length && !(picked && canTakeOut(model.round))) return null;
  return html`<li class="bo-tile bo-unplaced" data-group="">
    <div class="bo-tile-head"><h4>${S.unplaced}</h4></div>
    <p class="bo-muted">${counted(S, "members_count", loose.length)}</p>
    <${MemberChips} ctx=${ctx} people=${loose} label=${S.unplaced} />
    ${picked && canTakeOut(model.round) &&
    html`<button type="button" class="bo-move-here" onClick=${() => ctx.move(model.moving, null)}>${S.out_of_groups}</button>`}
  </li>`;
}

function GroupTile({ ctx, group }) {
  const { S, model, now, blocks, text } = ctx;
  const tally = model.overview[group.id] || {};
  const members = ctx.people(group.members || []);
  const connected = tally.connected ?? members.filter((m) => m.connected).length;
  const cards = group.cards || [];
  const votes = tally.votes ?? cards.reduce((sum, c) => sum + (c.removed ? 0 : c.votes || 0), 0);
  const last = minutesSince(tally.last_activity_ms ?? group.last_activity_ms, now);
  const help = model.help.filter((r) => !r.answered && r.group === group.id).length;
  const synthesis = (group.synthesis && group.synthesis.text) || "";
  const rapporteur = members.find((m) => m.id === group.rapporteur);
  return html`<li class="bo-tile" data-group=${group.id} data-help=${help > 0 ? "yes" : "no"}>
    <div class="bo-tile-head">
      <h4>${groupName(group, S.group_n)}</h4>
      <span class="bo-phase-badge" data-phase=${tally.phase || group.phase}>${S["phase_" + (tally.phase || group.phase)] || ""}</span>
    </div>
    <${DeadlineChip} S=${S} group=${group} now=${now} />
    <p class="bo-muted bo-blocks">${(group.blocks || []).map((key) => (blocks[key] ? text(blocks[key].title) : key)).join(" · ")}</p>
    <p class="bo-tile-people">
      <span>${counted(S, "members_count", members.length)} · ${fill(S.connected_count, { count: connected })}</span>
    </p>
    <${MemberChips} ctx=${ctx} people=${members} label=${counted(S, "members_count", members.length)} />
    ${ctx.model.moving !== null && !members.some((m) => m.id === ctx.model.moving) &&
    html`<button type="button" class="bo-move-here" onClick=${() => ctx.move(ctx.model.moving, group.id)}>${S.move_here}</button>`}
    <p class="bo-muted">${rapporteur ? fill(S.rapporteur_is, { name: rapporteur.name || S.anonymous }) : S.no_rapporteur}</p>
    ${(group.blocks || []).map((key) => {
      const counts = tally.cards_by_column && tally.cards_by_column[key] ? tally.cards_by_column[key] : columnsCount(group, blocks, key, cards);
      const total = counts.reduce((sum, n) => sum + n, 0);
      if (!total) return null;
      const title = blocks[key] ? text(blocks[key].title) : key;
      return html`<p key=${key} class="bo-columns-count">
        <span class="bo-count-block">${title}</span>
        ${counts.map((count, index) => html`<span key=${index} class="bo-count-chip">
          ${fill(S.column_n, { n: index + 1 })}: <strong>${count}</strong></span>`)}</p>`;
    })}
    <p class="bo-muted">${counted(S, "votes_total", votes)} · ${last === null ? S.no_activity : fill(S.last_activity, { minutes: last })}</p>
    ${synthesis && html`<${Markdown} text=${synthesis} className="bo-md bo-tile-synthesis" />`}
    ${help > 0 && html`<p class="bo-help-flag">${S.help} (${help})</p>`}
    <button type="button" class="bo-open-board" onClick=${() => ctx.board(group.id)}>${S.open_board}</button>
  </li>`;
}

/* The phase's deadline, counting down (the same as the members' phones show). */
function DeadlineChip({ S, group, now }) {
  const deadline = phaseDeadline(group, now);
  if (!deadline) return null;
  return html`<p class="bo-tile-deadline" data-over=${deadline.over ? "yes" : "no"}>
    ${deadline.over ? S.phase_over : fill(S.phase_ends_in, { time: formatClock(deadline.left) })}</p>`;
}

/* The group's name and blocks, changed while it works (its members' boards follow). */
function GroupSettings({ ctx, group }) {
  const { S, text, blocks } = ctx;
  const order = Object.keys(blocks);
  const [name, setName] = useState(group.name || "");
  const [chosen, setChosen] = useState(group.blocks || []);
  const [saved, setSaved] = useState("");
  const current = (group.blocks || []).join(" ");
  useEffect(() => setName(group.name || ""), [group.name]);
  useEffect(() => setChosen(group.blocks || []), [current]);
  const shown = groupName(group, S.group_n);
  const save = (event) => {
    event.preventDefault();
    const payload = { group: group.id, blocks: chosen };
    const value = name.trim();
    if (value && value !== group.name) payload.name = value;
    setSaved("");
    ctx.send("breakouts.group.edit", payload).then((ack) => ack && ack.ok && setSaved(S.saved));
  };
  return html`<details class="bo-settings">
    <summary>${S.group_settings}</summary>
    <form class="bo-settings-form" onSubmit=${save}>
      <div class="bo-field"><label for="bo-open-name">${S.group_name_label}</label>
        <input id="bo-open-name" value=${name} placeholder=${shown} maxlength="80"
          onInput=${(e) => setName(e.currentTarget.value)} /></div>
      <fieldset class="bo-block-choice"><legend>${S.group_blocks}</legend>
        ${order.map((key) => html`<label key=${key}><input type="checkbox" value=${key} checked=${chosen.includes(key)}
          onChange=${(e) => setChosen(toggleBlock(chosen, key, e.currentTarget.checked, order))} /> ${text(blocks[key].title)}</label>`)}
      </fieldset>
      <div class="bo-row">
        <button type="submit" class="secondary" disabled=${chosen.length === 0}>${S.save}</button>
        <span class="bo-muted" role="status">${chosen.length === 0 ? S.blocks_pick_one : saved}</span>
      </div>
    </form>
  </details>`;
}

/* The group's video call (online sessions), shown to its members only. */
function MeetingLink({ ctx, group }) {
  const { S } = ctx;
  const [url, setUrl] = useState(group.meeting_url || "");
  useEffect(() => setUrl(group.meeting_url || ""), [group.meeting_url]);
  const save = (event) => {
    event.preventDefault();
    ctx.send("breakouts.group.edit", { group: group.id, meeting_url: url.trim() || null });
  };
  return html`<form class="bo-row bo-meeting" onSubmit=${save}>
    <label for="bo-meeting">${S.meeting_url}</label>
    <input id="bo-meeting" type="url" inputmode="url" maxlength="2048" placeholder="https://" value=${url}
      onInput=${(e) => setUrl(e.currentTarget.value)} />
    <button type="submit" class="secondary">${S.save}</button>
  </form>`;
}

function OpenBoard({ ctx, group }) {
  const { S, text, blocks, now } = ctx;
  const readOnly = roundStage(ctx.model.round, now) === "closed";
  const members = ctx.people(group.members || []);
  return html`<section class="bo-open-board-panel" aria-labelledby="bo-open-title">
    <div class="bo-row">
      <button type="button" class="secondary" onClick=${() => ctx.board(null)}>${S.close_board}</button>
      <h3 id="bo-open-title">${groupName(group, S.group_n)}</h3>
      <span class="bo-phase-badge" data-phase=${group.phase}>${S["phase_" + group.phase] || ""}</span>
      <${DeadlineChip} S=${S} group=${group} now=${now} />
    </div>
    <p class="bo-muted">${S.write_as_moderator}</p>
    <div class="bo-row">
      <label for="bo-rapporteur">${S.make_rapporteur}</label>
      <select id="bo-rapporteur" value=${group.rapporteur ?? ""}
        onChange=${(e) => ctx.send("breakouts.rapporteur", { group: group.id, participant: e.currentTarget.value ? Number(e.currentTarget.value) : null })}>
        <option value="">${S.no_rapporteur}</option>
        ${members.map((m) => html`<option key=${m.id} value=${m.id}>${m.name || S.anonymous}</option>`)}
      </select>
    </div>
    <${GroupSettings} ctx=${ctx} group=${group} />
    <${MeetingLink} ctx=${ctx} group=${group} />
    <${Board} S=${S} text=${text} blocks=${blocks} group=${group} votesLeft=${0} votesPerMember=${0}
      viewer=${{ me: "staff", member: false, moderator: true, rapporteur: false, readOnly }} send=${ctx.send} />
    <${Synthesis} S=${S} group=${group} editable=${!readOnly} send=${ctx.send} Render=${Markdown} />
  </section>`;
}

function Running({ ctx }) {
  const { S, model } = ctx;
  const open = model.groups.find((g) => g.id === model.boardOpen);
  return html`<div class="bo-running">
    <${Controls} ctx=${ctx} />
    <${Help} ctx=${ctx} />
    ${open
      ? html`<${OpenBoard} ctx=${ctx} group=${open} />`
      : html`<section aria-labelledby="bo-overview-title">
          <h3 id="bo-overview-title">${S.overview}</h3>
          ${model.moving !== null
            ? html`<p class="bo-notice" role="status">${fill(S.moving, { name: ctx.nameOf(model.moving) })}
                <button type="button" class="bo-small" onClick=${() => ctx.pick(null)}>${S.cancel}</button></p>`
            : html`<p class="bo-muted">${S.tap_hint}</p>`}
          <ul class="bo-tiles">${model.groups.map((group) => html`<${GroupTile} key=${group.id} ctx=${ctx} group=${group} />`)}
            <${UnplacedTile} ctx=${ctx} /></ul>
        </section>`}
  </div>`;
}

function Panel({ ctx }) {
  const { S, model, now, setup } = ctx;
  const round = model.round;
  const stage = roundStage(round, now);
  const closing = round ? leftMs(round.closes_at_ms, now) : null;
  const head = html`<h2 id="bo-heading">${S.breakouts}</h2>
    <span class="bo-state" data-stage=${stage}>
      ${stage === "none" ? S.no_round : stage === "closing" ? fill(S.closing_in, { time: formatClock(closing) }) : S["state_" + stage]}
    </span>`;
  if (stage === "none") {
    // No round: the forming folds away unless a breakout item is on (or it was opened).
    return html`<details class="bo-console" open=${model.expanded}
        onToggle=${(event) => { model.expanded = event.currentTarget.open; }}>
      <summary class="bo-console-head">${head}</summary>
      ${model.error && html`<p class="bo-error" role="alert">${model.error}</p>`}
      <${Forming} ctx=${ctx} />
    </details>`;
  }
  return html`<div class="bo-console">
    <div class="bo-console-head">${head}</div>
    ${model.error && html`<p class="bo-error" role="alert">${model.error}
      <button type="button" class="bo-small" onClick=${() => ctx.clearError()}>${S.dismiss}</button></p>`}
    ${(stage === "none" || stage === "preview") && html`<${Forming} ctx=${ctx} />`}
    ${stage !== "none" && stage !== "preview" && html`<${Running} ctx=${ctx} />`}
    ${stage === "closed" && html`<div class="bo-row"><button type="button" class="secondary"
      onClick=${() => ctx.send("breakouts.preview", previewPayload(formFromRound(round, setup.items)))}>${S.rebuild}</button></div>`}
  </div>`;
}

/** Mounts the breakouts part of the console into `root`, following `client`'s events. */
export function mountBreakoutsConsole({ client, data, root }) {
  const setup = data.breakouts;
  if (!root || !setup) return;
  const S = setup.strings;
  const E = setup.errors || {};
  const blocks = setup.blocks || {};
  const text = (value) => pickText(value, data.language, data.default_language);
  const model = {
    round: null, groups: [], participants: [], overview: {}, help: [], moving: null, boardOpen: null, forming: null,
    error: "", cycling: false, expanded: false,
  };
  let cycleTimer = null;
  const byId = () => new Map(model.participants.map((p) => [p.id, p]));

  const send = (event, payload) =>
    client.send(event, payload).then((ack) => {
      if (ack && !ack.ok && !(ack.error && ack.error.code === "conflict")) {
        const code = ack.error && ack.error.code;
        model.error = E[code] || fill(E.generic || "{code}", { code: code || "?" });
        render();
      }
      return ack;
    });

  const ctx = {
    S, E, setup, blocks, text, model, send, now: client.now(),
    // Who is connected: the participants' list follows presence (the console asks for it
    // again when counts move); a group's detail says it only when it was read.
    people: (members) => {
      const known = byId();
      return mergeMembers(members, known).map((m) => (known.has(m.id) ? { ...m, connected: Boolean(known.get(m.id).connected) } : m));
    },
    nameOf: (id) => {
      const person = byId().get(id);
      return (person && person.name) || S.anonymous;
    },
    dragging: (on) => {
      model.dragging = on;
    },
    pick: (id) => {
      model.moving = id;
      render();
    },
    move: (participant, group) => {
      model.moving = null;
      // Shown at once; the server's breakouts.group events confirm (or a refusal resyncs).
      const lists = [...model.groups, ...(model.forming ? model.forming.groups : [])];
      let person = byId().get(participant) || { id: participant };
      for (const g of lists) {
        person = (g.members || []).find((m) => m.id === participant) || person;
        g.members = (g.members || []).filter((m) => m.id !== participant);
      }
      if (model.forming) {
        person = model.forming.unplaced.find((m) => m.id === participant) || person;
        model.forming.unplaced = model.forming.unplaced.filter((m) => m.id !== participant);
        if (group === null) model.forming.unplaced.push(person);
      }
      for (const g of lists) if (g.id === group) g.members = [...g.members, person];
      render();
      send("breakouts.move", { participant, group }).then((ack) => {
        if (!ack || !ack.ok) client.sync();
      });
    },
    board: (groupId) => {
      model.boardOpen = groupId;
      if (groupId !== null) loadBoard(groupId);
      render();
    },
    answer: (request) => {
      for (const r of model.help) if (r.id === request) r.answered = true;
      render();
      send("breakouts.help.answer", { request });
    },
    report: (step) => {
      const next = stepReport(model.groups, model.round ? model.round.report_group : null, step);
      if (next !== null) send("breakouts.report", { group: next, cycle: model.cycling });
    },
    stopReport: () => {
      stopCycle();
      send("breakouts.report", { group: null });
    },
    cycle: () => {
      if (model.cycling) {
        stopCycle();
        render();
        return;
      }
      model.cycling = true;
      ctx.report(1);
      cycleTimer = window.setInterval(() => ctx.report(1), CYCLE_MS);
      render();
    },
    clearError: () => {
      model.error = "";
      render();
    },
  };
  function stopCycle() {
    model.cycling = false;
    if (cycleTimer !== null) window.clearInterval(cycleTimer);
    cycleTimer = null;
  }

  function render() {
    if (model.dragging) return;
    ctx.now = client.now();
    mount(root, html`<${Panel} ctx=${ctx} />`);
  }

  function findGroup(id) {
    return model.groups.find((g) => g.id === id);
  }

  /* A board comes by query (the snapshot has every group's detail, not its cards); the
   * group's events keep it current after that. */
  const loading = new Set();
  function loadBoard(groupId) {
    if (loading.has(groupId)) return;
    loading.add(groupId);
    query(client, "breakouts.board", { group: groupId }).then((ack) => {
      loading.delete(groupId);
      const group = findGroup(groupId);
      if (!ack || !ack.ok || !group) return;
      const loaded = normalise({ group: ack.data.group, board: ack.data.board }).group;
      Object.assign(group, loaded, { members: mergeMembers(loaded.members, new Map((group.members || []).map((m) => [m.id, m]))), loaded: true });
      render();
    });
  }

  function onSnapshot(snapshot) {
    const part = normalise(snapshot.breakouts);
    model.round = part.round;
    const old = new Map(model.groups.map((g) => [g.id, g]));
    model.groups = part.groups.map((group) => {
      const before = old.get(group.id);
      if (!before || !before.loaded) return group;
      const { cards, my_votes, synthesis, assessment, loaded } = before;
      return { ...group, cards, my_votes, synthesis, assessment, loaded };
    });
    if (part.forming) model.forming = part.forming;
    for (const group of model.groups) if (!group.loaded) loadBoard(group.id);
    if (model.boardOpen !== null) loadBoard(model.boardOpen);
    model.participants = snapshot.participants || model.participants;
    const live = snapshot.live || {};
    if (live.phase === "running" && setup.items.some((item) => item.key === live.item)) model.expanded = true;
    if (part.help) model.help = part.help;
    render();
  }

  function onEvent(name, payload) {
    if (name === "breakouts.changed") {
      model.round = payload.round;
      if (!payload.round) model.groups = [];
      else {
        // Groups added or removed come with their detail next; drop the gone ones now.
        const ids = new Set(payload.round.groups.map((g) => g.id));
        model.groups = model.groups.filter((g) => ids.has(g.id));
        if (payload.round.groups.some((g) => !findGroup(g.id))) client.sync();
      }
    } else if (name === "breakouts.group") {
      const group = findGroup(payload.id);
      if (group) {
        const members = mergeMembers(payload.members, new Map((group.members || []).map((m) => [m.id, m])));
        Object.assign(group, payload, { members });
      } else client.sync();
    } else if (name === "breakouts.card") {
      const card = payload.card;
      const group = findGroup(card.group ?? groupOfStream(payload.stream)) ||
        model.groups.find((g) => (g.cards || []).some((c) => c.id === card.id));
      if (group) group.cards = upsertCard(group.cards || [], card);
    } else if (name === "breakouts.votes") {
      const group = findGroup(groupOfStream(payload.stream)) ||
        model.groups.find((g) => (g.cards || []).some((c) => c.id === payload.card));
      if (group) group.cards = setVotes(group.cards, payload.card, payload.votes);
    } else if (name === "breakouts.synthesis") {
      const group = findGroup(payload.group);
      if (group) group.synthesis = { text: payload.text, version: payload.version, by: payload.by };
    } else if (name === "breakouts.assessment") {
      const group = findGroup(payload.group);
      if (group) group.assessment = withDistribution(group.assessment, payload);
    } else if (name === "breakouts.help") {
      const request = payload.request;
      const others = model.help.filter((r) => r.id !== request.id);
      model.help = [...others, request];
    } else if (name === "breakouts.overview") {
      for (const tally of payload.groups || []) model.overview[tally.id] = tally;
    } else if (name === "breakouts.report") {
      model.report = payload.report;
    } else if (name === "breakouts.forming") {
      model.forming = payload;
    }
    render();
  }

  attach(client, { events: CONSOLE_EVENTS, onSnapshot, onEvent });
  window.setInterval(() => {
    if (model.round) render();
  }, TICK_MS);
  render();
}
