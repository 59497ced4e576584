// A group's board, on a phone and on the console: one column per prompt of the block,
// cards as cards, everything by tap (select a card, then edit, delete, move to a column,
// merge into another card, vote); drafts live in component state, so an update from the
// group never loses half-typed text. Participant text is always rendered as text.
import { useEffect, useRef, useState } from "preact/hooks";

import { fill } from "../shared/text.js";
import { html } from "../shared/view.js";
import {
  boardColumns, canEditCard, conflictCurrent, counted, groupName, isMine, moveTargets, stackVotes, voteDots,
} from "./model.js";

export const CARD_MAX = 280;
export const SYNTHESIS_MAX = 5000;

/* The conflict dialog: both texts, the writer chooses. */
function Conflict({ S, conflict, onKeepMine, onKeepTheirs }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open && dialog.showModal) dialog.showModal();
  }, []);
  return html`<dialog ref=${ref} class="bo-dialog" aria-labelledby="bo-conflict-title"
      onCancel=${(event) => { event.preventDefault(); onKeepTheirs(); }}>
    <h3 id="bo-conflict-title">${S.conflict_title}</h3>
    <p class="bo-muted">${S.conflict_explain}</p>
    <div class="bo-conflict-texts">
      <figure class="bo-conflict-theirs">
        <figcaption>${fill(S.conflict_theirs, { name: conflict.current.author || S.someone })}</figcaption>
        <blockquote class="bo-conflict-text" data-which="theirs">${conflict.current.text}</blockquote>
      </figure>
      <figure class="bo-conflict-mine">
        <figcaption>${S.conflict_mine}</figcaption>
        <blockquote class="bo-conflict-text" data-which="mine">${conflict.mine}</blockquote>
      </figure>
    </div>
    <div class="bo-row">
      <button type="button" class="bo-primary" onClick=${onKeepMine}>${S.keep_mine}</button>
      <button type="button" onClick=${onKeepTheirs}>${S.keep_theirs}</button>
    </div>
  </dialog>`;
}

function Editor({ S, id, label, initial, onSave, onCancel, submitLabel }) {
  const [value, setValue] = useState(initial || "");
  const ref = useRef(null);
  useEffect(() => {
    if (ref.current && initial) ref.current.focus();
  }, []);
  const submit = (event) => {
    event.preventDefault();
    const trimmed = value.trim();
    if (!trimmed) return;
    onSave(trimmed);
    if (!initial) setValue("");
  };
  return html`<form class="bo-editor" onSubmit=${submit}>
    <label for=${id} class=${initial ? "visually-hidden" : "bo-editor-label"}>${label}</label>
    <textarea id=${id} ref=${ref} rows=${initial ? 3 : 2} maxlength=${CARD_MAX} value=${value}
      onInput=${(event) => setValue(event.currentTarget.value)}></textarea>
    <div class="bo-row">
      <span class="bo-muted bo-count" aria-hidden="true">${value.length} / ${CARD_MAX}</span>
      ${onCancel && html`<button type="button" onClick=${onCancel}>${S.cancel}</button>`}
      <button type="submit" class="bo-primary" disabled=${!value.trim()}>${submitLabel}</button>
    </div>
  </form>`;
}

function Card({ S, stack, ctx, columnNames }) {
  const { card, children } = stack;
  const { viewer, ui, actions, phase } = ctx;
  const selected = ui.selected === card.id;
  const editing = ui.editing !== null && ui.editing.card === card.id;
  const merging = ui.merging !== null;
  const voted = ctx.myVotes.includes(card.id);
  const votes = stackVotes(stack);
  const mine = isMine(card, viewer);
  const editable = canEditCard(card, viewer);
  const author = card.author ? fill(S.by, { name: card.author }) : mine ? S.by_you : "";
  const voting = phase === "vote" && viewer.member && !viewer.readOnly && !viewer.moderator;

  if (editing) {
    return html`<li class="bo-card bo-card-editing">
      <${Editor} S=${S} id=${"bo-edit-" + card.id} label=${S.edit_card} initial=${card.text}
        submitLabel=${S.save} onCancel=${() => ui.set({ editing: null })}
        onSave=${(text) => actions.edit(card, text, ui.editing.version)} />
    </li>`;
  }
  return html`<li class="bo-card" data-card=${card.id} data-selected=${selected ? "yes" : "no"}
      data-mine=${mine ? "yes" : "no"}>
    <button type="button" class="bo-card-main" aria-expanded=${selected ? "true" : "false"}
      disabled=${merging && ui.merging === card.id}
      onClick=${() => (merging ? actions.merge(ui.merging, card) : ui.set({ selected: selected ? null : card.id }))}>
      <span class="bo-card-text">${card.text}</span>
      ${(author || votes > 0) &&
      html`<span class="bo-card-meta">${author}${author && votes > 0 ? " · " : ""}${votes > 0
        ? counted(S, "votes", votes) : ""}</span>`}
      ${merging && ui.merging !== card.id && html`<span class="bo-merge-here">${S.merge_here}</span>`}
    </button>
    ${children.length > 0 &&
    html`<ul class="bo-merged" aria-label=${counted(S, "merged", children.length)}>
      ${children.map((child) => html`<li key=${child.id} data-card=${child.id}>
        <span class="bo-card-text">${child.text}</span>
        ${!viewer.readOnly && selected &&
        html`<button type="button" class="bo-small" onClick=${() => actions.unmerge(child)}>${S.unmerge}</button>`}
      </li>`)}
    </ul>`}
    ${voting &&
    html`<button type="button" class="bo-vote" aria-pressed=${voted ? "true" : "false"}
        onClick=${() => actions.vote(card, !voted)}>
      ${voted ? S.unvote : S.vote}</button>`}
    ${selected && !merging && !viewer.readOnly &&
    html`<div class="bo-actions">
      ${editable && html`<button type="button" onClick=${() => ui.set({ editing: { card: card.id, version: card.version }, selected: null })}>${S.edit}</button>`}
      ${editable && html`<button type="button" class="bo-danger" onClick=${() => actions.remove(card)}>${S.delete}</button>`}
      ${moveTargets(card, columnNames.length).map((index) => html`<button type="button" key=${"m" + index}
          onClick=${() => actions.move(card, index)}>${fill(S.move_to, { column: columnNames[index] })}</button>`)}
      <button type="button" onClick=${() => ui.set({ merging: card.id, selected: null })}>${S.merge}</button>
    </div>`}
  </li>`;
}

let pendingCount = 0;

function Column({ S, column, prompt, number, ctx, columnNames, block }) {
  const { viewer, actions } = ctx;
  const count = column.stacks.reduce((sum, stack) => sum + 1 + stack.children.length, 0);
  const waiting = ctx.pending.filter((p) => p.block === block.key && p.column === column.index);
  const headingId = `bo-col-${ctx.group.id}-${block.key}-${column.index}`;
  // A group, not a landmark: several boards (a gallery walk) ask the same questions.
  return html`<div class="bo-column" role="group" id=${headingId + "-box"} aria-labelledby=${headingId}>
    <h4 id=${headingId} class="bo-column-title"><span class="bo-column-number" aria-hidden="true">${number}</span>
      ${prompt}</h4>
    <p class="bo-muted bo-column-count">${fill(S.cards, { count })}</p>
    <ul class="bo-cards">
      ${column.stacks.map((stack) => html`<${Card} key=${stack.card.id} S=${S} stack=${stack} ctx=${ctx}
        columnNames=${columnNames} />`)}
      ${waiting.map((p) => html`<li key=${p.key} class="bo-card bo-pending">
        <div class="bo-card-main"><span class="bo-card-text">${p.text}</span>
          <span class="bo-card-meta">${S.pending}</span></div></li>`)}
    </ul>
    ${!viewer.readOnly &&
    html`<${Editor} S=${S} id=${headingId + "-new"} label=${S.add_card} submitLabel=${S.add}
      onSave=${(text) => actions.add(block.key, column.index, text)} />`}
  </div>`;
}

/* props: S, text (picks an agenda text), blocks ({key: {title, prompts, assessment}}),
 * group (normalised: id, blocks, phase, cards, my_votes), viewer {participant, member,
 * moderator, rapporteur, readOnly}, votesPerMember, votesLeft, send(event, payload). */
export function Board({ S, text, blocks, group, viewer, votesLeft, votesPerMember, send, onVoted }) {
  const [state, setState] = useState({ selected: null, editing: null, merging: null, block: null, conflict: null });
  // Cards added and not acknowledged yet (offline on the venue's Wi-Fi, they wait in the
  // outbox): shown where they will be, so that nobody writes them twice.
  const [pending, setPending] = useState([]);
  const ui = { ...state, set: (change) => setState((old) => ({ ...old, ...change })) };
  const keys = (group.blocks || []).filter((key) => blocks[key]);
  const blockKey = keys.includes(state.block) ? state.block : keys[0];
  const block = blockKey ? { key: blockKey, ...blocks[blockKey] } : null;

  const edit = (card, textValue, version) => {
    ui.set({ editing: null });
    send("breakouts.card.edit", { card: card.id, text: textValue, version: version ?? card.version }).then((ack) => {
      const code = ack && !ack.ok && ack.error ? ack.error.code : null;
      if (code !== "conflict") return;
      const current = conflictCurrent(ack) || card;
      ui.set({ conflict: { card, current, mine: textValue } });
    });
  };
  const actions = {
    add: (blockKeyValue, column, textValue) => {
      const key = "pending-" + ++pendingCount;
      setPending((old) => [...old, { key, block: blockKeyValue, column, text: textValue }]);
      return send("breakouts.card.add", { group: group.id, block: blockKeyValue, column, text: textValue }).then((ack) => {
        setPending((old) => old.filter((p) => p.key !== key));
        return ack;
      });
    },
    // The version the editing began from: an edit saved meanwhile is a conflict, not lost.
    edit: (card, textValue, version) => edit(card, textValue, version),
    remove: (card) => {
      if (!window.confirm(S.confirm_delete)) return;
      ui.set({ selected: null });
      send("breakouts.card.remove", { card: card.id });
    },
    move: (card, column) => {
      ui.set({ selected: null });
      send("breakouts.card.move", { card: card.id, column, block: card.block });
    },
    merge: (cardId, into) => {
      ui.set({ merging: null, selected: null });
      if (cardId !== into.id) send("breakouts.card.merge", { card: cardId, into: into.id });
    },
    unmerge: (card) => send("breakouts.card.unmerge", { card: card.id }),
    vote: (card, voted) =>
      send("breakouts.vote", { card: card.id, voted }).then((ack) => onVoted && onVoted(card.id, voted, ack)),
  };
  if (!block) return html`<p class="bo-muted">${S.no_blocks}</p>`;
  const prompts = (block.prompts || []).map((prompt) => text(prompt));
  const columnNames = prompts.length ? prompts.map((_, index) => fill(S.column_n, { n: index + 1 })) : [S.column_n.replace("{n}", "1")];
  const columns = boardColumns(group.cards || [], block.key, prompts.length);
  const ctx = { viewer, ui, actions, phase: group.phase, myVotes: group.my_votes || [], group, pending };
  const showVotes = group.phase === "vote" && viewer.member && !viewer.moderator && votesPerMember > 0;

  return html`<div class="bo-board" data-block=${block.key}>
    ${keys.length > 1 &&
    html`<div class="bo-tabs" role="group" aria-label=${S.blocks}>
      ${keys.map((key) => html`<button type="button" key=${key} aria-pressed=${key === block.key ? "true" : "false"}
        onClick=${() => ui.set({ block: key, selected: null, merging: null })}>${text(blocks[key].title)}</button>`)}
    </div>`}
    ${showVotes &&
    html`<p class="bo-votes-left" data-left=${votesLeft}>
      <span class="bo-dots" aria-hidden="true">${voteDots(votesPerMember, votesLeft).map((free, index) =>
        html`<span key=${index} class=${free ? "bo-dot bo-dot-free" : "bo-dot"}></span>`)}</span>
      ${counted(S, "votes_left", votesLeft)}</p>`}
    ${state.merging !== null &&
    html`<p class="bo-merging" role="status">${S.merge_pick}
      <button type="button" onClick=${() => ui.set({ merging: null })}>${S.cancel}</button></p>`}
    ${columns.length > 1 &&
    html`<nav class="bo-colnav" aria-label=${groupName(group, S.group_n) + " · " + S.columns}>
      ${columns.map((column) => html`<a key=${column.index}
        href=${`#bo-col-${group.id}-${block.key}-${column.index}-box`}
        onClick=${(event) => {
          event.preventDefault();
          const target = document.getElementById(`bo-col-${group.id}-${block.key}-${column.index}-box`);
          if (target) target.scrollIntoView({ behavior: "smooth", block: "nearest", inline: "start" });
        }}>${columnNames[column.index]}</a>`)}
    </nav>`}
    <div class="bo-columns">
      ${columns.map((column) => html`<${Column} key=${block.key + column.index} S=${S} column=${column}
        prompt=${prompts[column.index] || ""} number=${column.index + 1} ctx=${ctx} columnNames=${columnNames}
        block=${block} />`)}
    </div>
    ${state.conflict &&
    html`<${Conflict} S=${S} conflict=${state.conflict}
      onKeepMine=${() => {
        const { current, mine } = state.conflict;
        ui.set({ conflict: null });
        edit(current, mine, current.version);
      }}
      onKeepTheirs=${() => ui.set({ conflict: null })} />`}
  </div>`;
}

/* The group's synthesis: an editor for the rapporteur and the moderators, text for the others;
 * a conflict shows both texts like a card's. `Render` ({text}) shows a saved text (the
 * console passes its markdown renderer; the phone has none: the text as typed). */
export function Synthesis({ S, group, editable, send, Render }) {
  const synthesis = group.synthesis || { text: "", version: 0 };
  const [draft, setDraft] = useState(null);
  const [conflict, setConflict] = useState(null);
  const [saved, setSaved] = useState("");
  const value = draft === null ? synthesis.text || "" : draft;
  const save = (version) => {
    setSaved("");
    send("breakouts.synthesis", { group: group.id, text: value, version }).then((ack) => {
      if (ack && ack.ok) {
        setDraft(null);
        setSaved(S.saved);
      } else if (conflictCurrent(ack)) {
        setConflict(conflictCurrent(ack));
      }
    });
  };
  if (!editable) {
    return html`<section class="bo-panel" aria-labelledby="bo-synthesis-title">
      <h3 id="bo-synthesis-title">${S.synthesis}</h3>
      ${synthesis.text
        ? Render ? html`<${Render} text=${synthesis.text} />` : html`<p class="bo-synthesis-text">${synthesis.text}</p>`
        : html`<p class="bo-muted">${S.synthesis_none}</p>`}
    </section>`;
  }
  return html`<section class="bo-panel" aria-labelledby="bo-synthesis-title">
    <h3 id="bo-synthesis-title">${S.synthesis}</h3>
    <form class="bo-editor" onSubmit=${(event) => { event.preventDefault(); save(synthesis.version || 0); }}>
      <label for=${"bo-synthesis-" + group.id}>${S.synthesis_help}</label>
      <textarea id=${"bo-synthesis-" + group.id} rows="6" maxlength=${SYNTHESIS_MAX} value=${value}
        onInput=${(event) => { setDraft(event.currentTarget.value); setSaved(""); }}></textarea>
      <div class="bo-row">
        <span class="bo-muted bo-count" aria-hidden="true">${value.length} / ${SYNTHESIS_MAX}</span>
        <button type="submit" class="bo-primary" disabled=${draft === null}>${S.save}</button>
      </div>
      <p class="bo-muted" role="status">${saved}</p>
    </form>
    ${Render && value.trim() &&
    html`<div class="bo-md-preview"><p class="bo-label">${S.synthesis_preview}</p><${Render} text=${value} /></div>`}
    ${conflict &&
    html`<div class="bo-conflict" role="alert">
      <p>${S.conflict_title}</p>
      <p class="bo-label">${fill(S.conflict_theirs, { name: conflict.by || S.someone })}</p>
      <blockquote class="bo-conflict-text">${conflict.text}</blockquote>
      <div class="bo-row">
        <button type="button" class="bo-primary" onClick=${() => { setConflict(null); save(conflict.version); }}>${S.keep_mine}</button>
        <button type="button" onClick=${() => { setConflict(null); setDraft(null); }}>${S.keep_theirs}</button>
      </div>
    </div>`}
  </section>`;
}
