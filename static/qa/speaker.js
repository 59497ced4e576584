// The speaker's tablet: the questions addressed to one speaker, most votes first, read at
// arm's length. It asks the JSON again every few seconds with If-None-Match (an unchanged
// list is a 304, a few bytes), keeps the last list when the network drops, and never
// needs a tap. Everything a participant wrote is rendered as text.
import { byId, pageData, setText, whenReady } from "../shared/page.js";
import { fill } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { languageNames, speakerLists } from "../questions/layout.js";

const data = pageData();
const S = data.strings;
const languageName = languageNames(document.documentElement.lang || "en");

function Meta({ question }) {
  return html`<p class="speaker-meta">
    ${question.pinned && html`<span class="speaker-pinned">${S.pinned}</span>`}
    <span class="speaker-asker">${question.name || S.anonymous}</span>
    <span class="speaker-language">${languageName(question.language)}</span>
  </p>`;
}

function Question({ question }) {
  return html`<li class=${"speaker-question" + (question.pinned ? " is-pinned" : "")}>
    <p class="speaker-votes"><span class="speaker-votes-arrow" aria-hidden="true">▲</span>
      <span class="speaker-votes-n">${question.votes}</span><span class="q-hidden"> ${S.votes}</span></p>
    <div class="speaker-body">
      <p class="speaker-text" lang=${question.language}>${question.text}</p>
      <${Meta} question=${question} />
    </div>
  </li>`;
}

function Answered({ question }) {
  return html`<li class="speaker-question is-answered">
    <div class="speaker-body">
      <p class="speaker-text" lang=${question.language}>${question.text}</p>
      ${question.answer && question.answer.text && html`<p class="speaker-answer">${question.answer.text}</p>`}
    </div>
  </li>`;
}

function render(body) {
  const { open, answered } = speakerLists(body.questions);
  mount(byId("speaker-questions"), open.map((q) => html`<${Question} key=${q.id} question=${q} />`));
  mount(byId("speaker-answered-list"), answered.map((q) => html`<${Answered} key=${q.id} question=${q} />`));
  byId("speaker-none").hidden = open.length > 0;
  byId("speaker-answered").hidden = answered.length === 0;
  setText(byId("speaker-count"), open.length ? fill(S.count, { n: open.length }) : "");
}

function setStatus(status) {
  byId("speaker-status").dataset.status = status;
  setText(byId("speaker-status-text"), S[status] || status);
}

let etag = null;

async function refresh() {
  const headers = { Accept: "application/json" };
  if (etag) headers["If-None-Match"] = etag;
  try {
    const response = await fetch(data.json_url, { headers, cache: "no-store", credentials: "omit" });
    if (response.status === 304) {
      setStatus("online");
    } else if (response.status === 404) {
      setStatus("gone");
      return false; // the link was replaced: stop asking
    } else if (response.ok) {
      const body = await response.json();
      etag = response.headers.get("ETag");
      render(body);
      setStatus("online");
    } else {
      setStatus("offline");
    }
  } catch {
    setStatus("offline"); // keep the last list on screen
  }
  return true;
}

whenReady(() => {
  render(data.initial);
  const again = async () => {
    if (await refresh()) setTimeout(again, data.refresh_ms);
  };
  setTimeout(again, data.refresh_ms);
});
