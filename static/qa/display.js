// The audience Q&A on the projector: the pinned (or most voted) question big, the next open
// ones below it, each with the language it was written in. Kept from the display's snapshot
// (`qa.pinned`, `qa.top`) and the workshop's events; drawn by static/questions/display.js.
import { fill } from "../shared/text.js";
import { html } from "../shared/view.js";
import { languageNames, qaBoard, upsert, withVotes } from "../questions/layout.js";

export const QA_EVENTS = ["qa.question", "qa.removed", "qa.votes", "qa.settings"];
const TOP = 5; // below the big one: what the back of the room can still read

export function createQa({ strings, people, locale }) {
  const S = strings;
  const languageName = languageNames(locale);
  let questions = [];

  function Meta({ question, big }) {
    const speaker = question.speaker && people[question.speaker];
    return html`<p class=${big ? "qa-meta qa-meta-big" : "qa-meta"}>
      <span class="qa-language" lang=${question.language}>${languageName(question.language)}</span>
      <span class="qa-asker">${question.name || S.anonymous}</span>
      ${speaker && html`<span class="qa-speaker">${fill(S.for_speaker, { name: speaker })}</span>`}
    </p>`;
  }

  function Votes({ n }) {
    // An arrow, not a word: "1 votes" would read wrong, and the arrow needs no plural.
    return html`<p class="qa-votes"><span class="qa-votes-arrow" aria-hidden="true">▲</span>
      <span class="qa-votes-n">${n}</span><span class="q-hidden"> ${S.votes}</span></p>`;
  }

  function Board() {
    const { big, rest } = qaBoard(questions, TOP);
    if (!big) {
      return html`<div class="qa-empty">
        <h2 class="qa-heading">${S.qa}</h2>
        <p class="qa-empty-text">${S.ask_on_phone}</p>
      </div>`;
    }
    return html`<h2 class="qa-heading">${S.qa}</h2>
      <article class=${"qa-big" + (big.pinned ? " is-pinned" : "")} key=${"big" + big.id}>
        <${Votes} n=${big.votes} />
        <div class="qa-big-body">
          ${big.pinned && html`<p class="qa-pinned">${S.pinned}</p>`}
          <p class="qa-big-text" lang=${big.language}>${big.text}</p>
          <${Meta} question=${big} big=${true} />
        </div>
      </article>
      ${rest.length > 0 &&
      html`<h3 class="qa-next-heading">${S.more_questions}</h3>
        <ol class="qa-list">
          ${rest.map(
            (q) => html`<li class="qa-item" key=${q.id}>
              <${Votes} n=${q.votes} />
              <div class="qa-item-body">
                <p class="qa-item-text" lang=${q.language}>${q.text}</p>
                <${Meta} question=${q} />
              </div>
            </li>`,
          )}
        </ol>`}
      <p class="qa-ask">${S.ask_on_phone}</p>`;
  }

  return {
    events: QA_EVENTS,
    snapshot(part) {
      const seen = new Map();
      for (const q of [...((part && part.pinned) || []), ...((part && part.top) || [])]) seen.set(q.id, q);
      questions = [...seen.values()];
    },
    /** Applies an event; true when the board changed. */
    event(name, payload) {
      if (name === "qa.question") questions = upsert(questions, payload.question);
      else if (name === "qa.removed") questions = upsert(questions, null, payload.question);
      else if (name === "qa.votes") questions = withVotes(questions, payload.votes);
      else return false;
      return true;
    },
    pinned: () => questions.some((q) => q.pinned),
    view: () => html`<${Board} />`,
  };
}
