// Breakouts on the participant's phone (mounted by static/participation/phone.js): the
// self-select list, my group (name, blocks, members, meeting link, rapporteur), its board,
// phase and deadline, the self-assessment, the synthesis, "call the moderator", the close
// countdown every phone shows, the gallery walk and the report-back. Protocol:
// docs/protocol.md, "Breakouts". Strings come translated in page-data (breakouts.strings).
import { formatClock } from "../shared/timer.js";
import { fill, pickText } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { attach, query } from "./attach.js";
import { Board, Synthesis } from "./board.js";
import {
  PHASES, counted, groupName, groupTimerEnds, leftMs, mergeMembers, needsPlacing, normalise, phaseDeadline, resyncDelay, roundStage, seatsOf,
  setVotes, upsertCard, withDistribution, withMine,
} from "./model.js";

export const PHONE_EVENTS = [
  "breakouts.changed",
  "breakouts.moved",
  "breakouts.group",
  "breakouts.card",
  "breakouts.votes",
  "breakouts.synthesis",
  "breakouts.assessment",
  "breakouts.message",
  "breakouts.report",
];
const TICK_MS = 500;

const safeUrl = (url) => (typeof url === "string" && /^https?:\/\//i.test(url) ? url : null);

function Countdown({ S, round, now }) {
  const left = leftMs(round.closes_at_ms, now);
  if (left === null || left <= 0 || round.state === "closed") return null;
  return html`<div class="bo-countdown" role="timer" aria-live="off">
    <span class="bo-countdown-label">${S.closing_in}</span>
    <span class="bo-countdown-clock">${formatClock(left)}</span>
  </div>`;
}

function Report({ S, text, blocks, report }) {
  const group = report && report.group;
  if (!group) return null;
  return html`<section class="bo-panel bo-report" aria-labelledby="bo-report-title">
    <p class="bo-label">${S.presenting}</p>
    <h2 id="bo-report-title" data-group=${group.id}>${groupName(group, S.group_n)}</h2>
    <p class="bo-muted">${(group.blocks || []).map((key) => (blocks[key] ? text(blocks[key].title) : key)).join(" · ")}</p>
    ${group.synthesis && html`<p class="bo-synthesis-text">${group.synthesis}</p>`}
    ${(group.top_cards || []).length > 0 &&
    html`<ol class="bo-top">${group.top_cards.map((card, index) => html`<li key=${index}>
      <span class="bo-card-text">${card.text}</span> <span class="bo-muted">${counted(S, "votes", card.votes)}</span></li>`)}</ol>`}
  </section>`;
}

function SelfSelect({ S, text, blocks, round, mine, choose }) {
  return html`<section class="bo-panel" aria-labelledby="bo-choose-title">
    <h2 id="bo-choose-title">${S.choose_group}</h2>
    <ul class="bo-choices">
      ${round.groups.map((group) => {
        const seats = seatsOf(group, round.max_size);
        const chosen = mine === group.id;
        return html`<li key=${group.id}>
          <button type="button" class="bo-choice" aria-pressed=${chosen ? "true" : "false"}
              disabled=${seats.full && !chosen} onClick=${() => choose(group.id)}>
            <span class="bo-choice-name">${groupName(group, S.group_n)}</span>
            <span class="bo-muted">${(group.blocks || []).map((key) => (blocks[key] ? text(blocks[key].title) : key)).join(" · ")}</span>
            <span class="bo-seats">${round.max_size ? fill(S.seats, { count: seats.members, max: round.max_size }) : counted(S, "members_count", seats.members)}${seats.full && !chosen ? " · " + S.full : ""}</span>
          </button>
        </li>`;
      })}
    </ul>
  </section>`;
}

function Assessment({ S, text, block, group, send }) {
  const scale = block.assessment;
  const shared = (group.assessment || {})[block.key] || {};
  const mine = shared.mine;
  const distribution = shared.distribution || {};
  const values = [];
  for (let value = scale.min ?? 1; value <= (scale.max ?? 5); value += 1) values.push(value);
  const most = Math.max(1, ...values.map((value) => distribution[value] || 0));
  const labelId = `bo-assess-${block.key}`;
  return html`<div class="bo-assess">
    <p id=${labelId} class="bo-assess-title">${fill(S.assess_question, { block: text(block.title) })}</p>
    <div class="bo-scale" role="group" aria-labelledby=${labelId}>
      ${values.map((value) => html`<button type="button" key=${value} aria-pressed=${mine === value ? "true" : "false"}
        onClick=${() => send("breakouts.assess", { block: block.key, value })}>${value}</button>`)}
    </div>
    <p class="bo-scale-ends bo-muted"><span>${text(scale.min_label)}</span><span>${text(scale.max_label)}</span></p>
    ${shared.count > 0 &&
    html`<div class="bo-distribution" role="img" aria-label=${fill(S.assess_summary, { count: shared.count, mean: Number(shared.mean || 0).toFixed(1) })}>
      ${values.map((value) => html`<span key=${value} class="bo-bar">
        <span class="bo-bar-fill" style=${{ height: ((distribution[value] || 0) / most) * 100 + "%" }}></span>
        <span class="bo-bar-label" aria-hidden="true">${value}</span></span>`)}
    </div>
    <p class="bo-muted" aria-hidden="true">${fill(S.assess_summary, { count: shared.count, mean: Number(shared.mean || 0).toFixed(1) })}</p>`}
  </div>`;
}

function PhaseBar({ S, group, round, now, canSet, send }) {
  const deadline = phaseDeadline(group, now);
  const timer = leftMs(groupTimerEnds(group, round), now);
  return html`<div class="bo-phase">
    <ol class="bo-phases" aria-label=${S.phases}>
      ${PHASES.map((phase) => html`<li key=${phase} aria-current=${phase === group.phase ? "step" : undefined}
        data-phase=${phase}>${S["phase_" + phase]}</li>`)}
    </ol>
    ${deadline &&
    html`<p class="bo-deadline" data-over=${deadline.over ? "yes" : "no"}>${deadline.over ? S.phase_over : fill(S.phase_until, { time: formatClock(deadline.left) })}</p>`}
    ${timer !== null &&
    html`<p class="bo-timer" role="timer" aria-live="off"><span class="bo-label">${S.time_left}</span>${" "}<span class="bo-timer-clock">${formatClock(timer)}</span></p>`}
    ${canSet &&
    html`<div class="bo-row bo-phase-set" role="group" aria-label=${S.set_phase}>
      ${PHASES.filter((phase) => phase !== group.phase).map((phase) => html`<button type="button" key=${phase}
        class="bo-small" onClick=${() => send("breakouts.phase", { phase, group: group.id })}>
        ${fill(S.go_to_phase, { phase: S["phase_" + phase] })}</button>`)}
    </div>`}
  </div>`;
}

function Group({ ctx }) {
  const { S, text, blocks, model, now, me, send } = ctx;
  const group = model.group;
  const round = model.round;
  const stage = roundStage(round, now);
  const readOnly = stage === "closed";
  const rapporteur = group.rapporteur !== null && group.rapporteur !== undefined && group.rapporteur === me;
  const rapporteurName = (group.members || []).find((m) => m.id === group.rapporteur);
  const meeting = safeUrl(group.meeting_url);
  // The round's number, which the moderator may change when the vote starts.
  const perMember = round.votes_per_member ?? group.votes_per_member ?? 3;
  const votesLeft = model.votesLeft ?? Math.max(0, perMember - (group.my_votes || []).length);
  const viewer = { me: group.me, member: true, moderator: false, rapporteur, readOnly };
  const assessed = (group.blocks || []).map((key) => blocks[key] && { key, ...blocks[key] }).filter((b) => b && b.assessment);
  return html`<section class="bo-panel bo-group" aria-labelledby="bo-group-name">
      <p class="bo-label">${S.your_group}</p>
      <h2 id="bo-group-name" data-group=${group.id}>${groupName(group, S.group_n)}</h2>
      ${(group.blocks || []).length === 1 &&
      html`<p class="bo-blocks">${blocks[group.blocks[0]] ? text(blocks[group.blocks[0]].title) : group.blocks[0]}</p>`}
      ${meeting && html`<p><a class="bo-button" href=${meeting} target="_blank" rel="noopener noreferrer">${S.meeting}</a></p>`}
      <details class="bo-members">
        <summary>${counted(S, "members_count", (group.members || []).length)}</summary>
        <ul>${(group.members || []).map((m) => html`<li key=${m.id}>${m.name || S.anonymous}${m.id === group.rapporteur ? " · " + S.rapporteur : ""}${m.id === me ? " · " + S.you : ""}</li>`)}</ul>
      </details>
      <p class="bo-rapporteur">${rapporteurName ? fill(S.rapporteur_is, { name: rapporteurName.id === me ? S.you : rapporteurName.name || S.anonymous }) : S.no_rapporteur}
        ${!readOnly && (group.rapporteur === null || group.rapporteur === undefined) &&
        html` <button type="button" class="bo-small" onClick=${() => send("breakouts.rapporteur", { group: group.id, participant: me })}>${S.be_rapporteur}</button>`}</p>
      <${PhaseBar} S=${S} group=${group} round=${round} now=${now} canSet=${rapporteur && !readOnly} send=${send} />
      ${readOnly && html`<p class="bo-notice">${S.closed_read_only}</p>`}
    </section>
    <section class="bo-panel bo-board-panel" aria-labelledby="bo-board-title">
      <h3 id="bo-board-title">${S.board}</h3>
      <${Board} S=${S} text=${text} blocks=${blocks} group=${group} viewer=${viewer} votesLeft=${votesLeft}
        votesPerMember=${perMember} send=${send} onVoted=${ctx.onVoted} />
    </section>
    ${assessed.length > 0 &&
    html`<section class="bo-panel" aria-labelledby="bo-assess-title">
      <h3 id="bo-assess-title">${S.assessment}</h3>
      ${assessed.map((block) => html`<${Assessment} key=${block.key} S=${S} text=${text} block=${block} group=${group}
        send=${readOnly ? () => Promise.resolve(null) : send} />`)}
    </section>`}
    <${Synthesis} S=${S} group=${group} editable=${rapporteur && !readOnly} send=${send} />
    ${!readOnly &&
    html`<section class="bo-panel bo-help">
      <button type="button" class="bo-help-button" onClick=${ctx.callHelp} disabled=${model.helpCalled}>${S.call_moderator}</button>
      ${model.helpCalled && html`<p role="status" class="bo-muted">${S.help_called}</p>`}
    </section>`}`;
}

function Gallery({ ctx }) {
  const { S, text, blocks, model, me } = ctx;
  const round = model.round;
  const viewing = model.gallery;
  return html`<section class="bo-panel bo-gallery" aria-labelledby="bo-gallery-title">
    <h2 id="bo-gallery-title">${S.gallery}</h2>
    <p class="bo-muted">${S.gallery_help}</p>
    <div class="bo-tabs" role="group" aria-label=${S.gallery}>
      ${round.groups.map((group) => html`<button type="button" key=${group.id}
        aria-pressed=${viewing && viewing.id === group.id ? "true" : "false"}
        onClick=${() => ctx.openGallery(group.id)}>${groupName(group, S.group_n)}</button>`)}
    </div>
    ${viewing &&
    html`<div class="bo-gallery-board">
      <h3>${groupName(viewing, S.group_n)}</h3>
      <${Board} S=${S} text=${text} blocks=${blocks} group=${viewing} votesLeft=${0} votesPerMember=${0}
        viewer=${{ me: null, member: false, moderator: false, rapporteur: false, readOnly: true }}
        send=${() => Promise.resolve(null)} />
      ${viewing.synthesis && viewing.synthesis.text &&
      html`<p class="bo-synthesis-text">${viewing.synthesis.text}</p>`}
    </div>`}
  </section>`;
}

function Breakouts({ ctx }) {
  const { S, model, now } = ctx;
  const round = model.round;
  if (!round) return null;
  const stage = roundStage(round, now);
  const mine = model.group ? model.group.id : null;
  const choosing = round.mode === "self" && (stage === "open" || stage === "preview") && (mine === null || model.changing);
  return html`
    <${Countdown} S=${S} round=${round} now=${now} />
    ${model.message && html`<p class="bo-message" role="status">${model.message}</p>`}
    <${Report} S=${S} text=${ctx.text} blocks=${ctx.blocks} report=${round.report_group ? model.report : null} />
    ${choosing && html`<${SelfSelect} S=${S} text=${ctx.text} blocks=${ctx.blocks} round=${round} mine=${mine} choose=${ctx.choose} />`}
    ${stage === "preview" && !choosing && html`<p class="bo-panel bo-muted">${S.forming}</p>`}
    ${model.group && stage !== "preview" && html`<${Group} ctx=${ctx} />`}
    ${model.group && round.mode === "self" && !choosing && stage === "open" &&
    html`<p><button type="button" class="bo-small" onClick=${() => ctx.setChanging(true)}>${S.change_group}</button></p>`}
    ${!model.group && stage !== "preview" && round.mode !== "self" && stage !== "closed" &&
    html`<p class="bo-panel bo-muted">${S.no_group}</p>`}
    ${round.gallery && html`<${Gallery} ctx=${ctx} />`}
  `;
}

/** Mounts the breakouts part of the phone into `root`, following `client`'s events. */
export function mountBreakoutsPhone({ client, data, root }) {
  const setup = data.breakouts;
  if (!root || !setup) return;
  const S = setup.strings;
  const E = setup.errors || {};
  const blocks = setup.blocks || {};
  const text = (value) => pickText(value, data.language, data.default_language);
  const model = { round: null, group: null, report: null, message: "", votesLeft: null, gallery: null, helpCalled: false, changing: false };
  const say = (ack) => {
    if (!ack || ack.ok) return;
    const code = ack.error && ack.error.code;
    if (code === "conflict") return; // the board shows both texts
    model.error = E[code] || fill(E.generic || "{code}", { code: code || "?" });
    render();
  };
  const send = (event, payload) =>
    client.send(event, payload).then((ack) => {
      say(ack);
      return ack;
    });

  const ctx = {
    S, text, blocks, model, me: data.participant, send,
    now: client.now(),
    choose: (group) => {
      model.changing = false;
      send("breakouts.choose", { group }).then(render);
    },
    setChanging: (value) => {
      model.changing = value;
      render();
    },
    callHelp: () => {
      model.helpCalled = true;
      render();
      send("breakouts.help", {}).then((ack) => {
        if (!ack || !ack.ok) model.helpCalled = false;
        render();
      });
    },
    onVoted: (cardId, voted, ack) => {
      if (!ack || !ack.ok || !model.group) return;
      const group = model.group;
      const mine = new Set(group.my_votes || []);
      if (voted) mine.add(cardId);
      else mine.delete(cardId);
      group.my_votes = [...mine];
      if (ack.data && typeof ack.data.votes_left === "number") model.votesLeft = ack.data.votes_left;
      else if (model.votesLeft !== null) model.votesLeft += voted ? -1 : 1;
      render();
    },
    openGallery: (groupId) => {
      query(client, "breakouts.board", { group: groupId }).then((ack) => {
        if (!ack || !ack.ok) return say(ack);
        const found = normalise({ group: ack.data.group, board: ack.data.board }).group;
        model.gallery = found;
        render();
      });
    },
  };

  function render() {
    ctx.now = client.now();
    const error = model.error;
    mount(root, html`${error && html`<p class="bo-error" role="alert">${error}
        <button type="button" class="bo-small" onClick=${() => { model.error = ""; render(); }}>${S.dismiss}</button></p>`}
      <${Breakouts} ctx=${ctx} />`);
    root.hidden = !model.round;
  }

  // A phone that joins (or comes back) after the groups opened asks for a place, once per
  // round: the server places it by the round's rule and a breakouts.moved follows.
  let askedToJoin = null;
  function placeIfNeeded() {
    if (!needsPlacing(model.round, model.group, Boolean(moving)) || askedToJoin === model.round.id) return;
    askedToJoin = model.round.id;
    send("breakouts.join", {});
  }

  // A move resyncs (the snapshot moves the socket to its group's room), spread over the
  // server's window when a whole round moved at once; meanwhile no place is asked for.
  let moving = null; // { timer, group, asked }: the resync a move asked for, until it is done
  function resyncAfterMove(payload) {
    if (moving) window.clearTimeout(moving.timer);
    const next = { group: payload.group ?? null, asked: false };
    next.timer = window.setTimeout(() => {
      next.asked = true;
      client.sync();
    }, resyncDelay(payload));
    moving = next;
  }

  function onSnapshot(snapshot) {
    const part = normalise(snapshot.breakouts);
    // The resync answered, or another snapshot (a reconnect) already shows the move.
    if (moving && (moving.asked || (part.group ? part.group.id : null) === moving.group)) {
      window.clearTimeout(moving.timer);
      moving = null;
    }
    model.round = part.round;
    model.group = part.group;
    model.report = part.report;
    model.votesLeft = part.group ? part.group.votes_left : null;
    if (!model.round || !model.round.gallery) model.gallery = null;
    render();
    placeIfNeeded();
  }

  function onEvent(name, payload) {
    const group = model.group;
    if (name === "breakouts.moved") {
      resyncAfterMove(payload);
      return;
    } else if (name === "breakouts.changed") {
      const before = model.round && model.round.votes_per_member;
      model.round = payload.round;
      // Another number of dots: what is left follows from the votes this phone has cast.
      if (payload.round && payload.round.votes_per_member !== before) model.votesLeft = null;
      if (!payload.round) model.group = null;
      if (!payload.round || !payload.round.gallery) model.gallery = null;
    } else if (name === "breakouts.group" && group && payload.id === group.id) {
      model.group = { ...group, ...payload, members: mergeMembers(payload.members, new Map((group.members || []).map((m) => [m.id, m]))) };
    } else if (name === "breakouts.card" && group) {
      group.cards = upsertCard(group.cards, payload.card);
    } else if (name === "breakouts.votes" && group) {
      group.cards = setVotes(group.cards, payload.card, payload.votes);
    } else if (name === "breakouts.synthesis" && group && payload.group === group.id) {
      group.synthesis = { text: payload.text, version: payload.version, by: payload.by };
    } else if (name === "breakouts.assessment" && group && payload.group === group.id) {
      group.assessment = withDistribution(group.assessment, payload);
    } else if (name === "breakouts.message") {
      model.message = payload.text || "";
    } else if (name === "breakouts.report") {
      model.report = payload.report;
    }
    render();
    if (name === "breakouts.changed") placeIfNeeded();
  }

  attach(client, { events: PHONE_EVENTS, onSnapshot, onEvent });
  // The assessment a member gives is theirs to see at once: the ack says it was kept.
  const assess = ctx.send;
  ctx.send = (event, payload) =>
    assess(event, payload).then((ack) => {
      if (event === "breakouts.assess" && ack && ack.ok && model.group) {
        model.group.assessment = withMine(model.group.assessment, payload.block, payload.value);
        render();
      }
      return ack;
    });
  window.setInterval(() => {
    if (model.round) render();
  }, TICK_MS);
  render();
}
