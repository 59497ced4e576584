// The review of the compiled record: the draft with its figures; edit any text, hide any
// entry, reorder within a section, redact names; then publish a version, download every
// format (headings in the language chosen), and share a public read-only link.
import { clockFormat } from "../shared/format.js";
import { byId, pageData, setText, show, whenReady } from "../shared/page.js";
import { fill } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { moved, ordered } from "./queue.js";
import { HttpSender, post } from "./sender.js";

const SAVE_PAUSE_MS = 800;
const data = pageData();
const S = data.strings;
let record = null; // as compiled, before the review's edits
let edits = { texts: {}, hidden: [], order: {}, redact: [] };
let versions = [];
let publicToken = null;
let saveTimer = null;

const sender = new HttpSender({
  storageKey: data.storage_key,
  csrf: data.csrf_token,
  chainVersion: () => 0,
  onAnswer: (message, statusCode, body) => {
    if (statusCode !== 200) setText(byId("feedback"), refusal(body));
    dirtyState();
  },
  onStatus: (online, pending) => {
    const node = byId("connection");
    node.dataset.status = online ? "online" : "offline";
    setText(node, online ? S.online : S.offline);
    setText(byId("pending"), pending ? fill(S.pending, { count: pending }) : "");
    show(byId("pending"), pending > 0);
    dirtyState();
  },
});

function refusal(body) {
  const code = body && body.error && body.error.code;
  return (code && S[code]) || fill(S.generic, { code: code || "?" });
}

function dirtyState() {
  setText(byId("dirty"), saveTimer || sender.pending ? S.unsaved : S.saved_review);
}

function changed() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, SAVE_PAUSE_MS);
  dirtyState();
  render();
}

function save() {
  clearTimeout(saveTimer);
  saveTimer = null;
  sender.send(data.urls.edit, { ...edits }, "draft");
  dirtyState();
}

// --- edits ----------------------------------------------------------------------------

const isHidden = (id) => edits.hidden.includes(id);

function setHidden(id, hidden) {
  edits.hidden = hidden ? [...new Set([...edits.hidden, id])] : edits.hidden.filter((h) => h !== id);
  changed();
}

function setText_(id, original, value) {
  if (value === original) delete edits.texts[id];
  else edits.texts[id] = value;
  changed();
}

function move(section, entries, id, step) {
  edits.order[section] = moved(entries, id, step);
  changed();
}

// --- the view ---------------------------------------------------------------------------

function Controls({ section, entries, entry, index, label }) {
  const hidden = isHidden(entry.id);
  const hideId = "hide-" + entry.id.replace(/[^a-z0-9-]/gi, "-");
  return html`<div class="entry-controls">
    <span class="check">
      <input type="checkbox" id=${hideId} checked=${hidden} onChange=${(e) => setHidden(entry.id, e.currentTarget.checked)} />
      <label for=${hideId}>${S.hide} <span class="visually-hidden">${label}</span></label>
    </span>
    <button type="button" class="secondary small" disabled=${index === 0}
      aria-label=${S.move_up + ": " + label}
      onClick=${() => move(section, entries, entry.id, -1)}>↑</button>
    <button type="button" class="secondary small" disabled=${index === entries.length - 1}
      aria-label=${S.move_down + ": " + label}
      onClick=${() => move(section, entries, entry.id, 1)}>↓</button>
  </div>`;
}

function TextField({ id, original, label, language }) {
  const fieldId = "text-" + id.replace(/[^a-z0-9-]/gi, "-");
  const value = Object.prototype.hasOwnProperty.call(edits.texts, id) ? edits.texts[id] : original || "";
  return html`<div class="entry-text">
    <label for=${fieldId} class="visually-hidden">${fill(S.text_of, { what: label })}</label>
    <textarea id=${fieldId} rows="3" lang=${language || undefined} value=${value}
      onInput=${(e) => setText_(id, original || "", e.currentTarget.value)}></textarea>
  </div>`;
}

function Entries({ section, entries }) {
  const list = ordered(entries, edits.order[section]);
  if (!list.length) return html`<p class="muted">${S.none}</p>`;
  return html`<ol class="entries">
    ${list.map((entry, index) => {
      const label = entry.about || entry.author || entry.id;
      return html`<li key=${entry.id} class=${"entry" + (isHidden(entry.id) ? " is-hidden" : "")}>
        <div class="entry-head">
          <strong>${label}</strong>
          ${isHidden(entry.id) ? html` <span class="tag">${S.hidden}</span>` : null}
          <${Controls} section=${section} entries=${list} entry=${entry} index=${index} label=${label} />
        </div>
        ${entry.detail || null}
        <${TextField} id=${entry.id} original=${entry.text} label=${label} language=${entry.language} />
      </li>`;
    })}
  </ol>`;
}

// --- breakout groups: each group's output with its figures, then the room's assessment ---

const mean = (value) => (value === null || value === undefined ? "–" : Number(value).toFixed(1));

/** "Round 1 · Group 2: Legal frameworks, Funding", as the exports title a group. */
function groupTitle(group, h) {
  const blocks = group.blocks.join(", ");
  return `${h.round} ${group.round} · ${group.name}` + (blocks ? `: ${blocks}` : "");
}

/* A block's mean on its scale, as a bar (a block nobody assessed shows no bar). */
function AssessmentRows({ rows, h }) {
  return html`<tbody>
    ${rows.map(
      (row) => html`<tr key=${row.block}>
        <th scope="row">${row.block}</th>
        <td class="count">${mean(row.mean)}</td>
        <td class="count muted">${row.count}</td>
        <td class="bar">${row.mean === null || row.mean === undefined
          ? null
          : html`<meter min=${row.min ?? 0} max=${row.max ?? 5} value=${row.mean} aria-label=${h.mean + ": " + row.block}></meter>`}</td>
      </tr>`,
    )}
  </tbody>`;
}

function AssessmentTable({ caption, rows, h }) {
  return html`<table class="results">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${h.blocks}</th><th scope="col" class="count">${h.mean}</th><th scope="col" class="count">${h.count}</th><td></td></tr></thead>
    <${AssessmentRows} rows=${rows} h=${h} />
  </table>`;
}

function GroupOutput({ group, h }) {
  const assessed = group.assessment.filter((row) => row.count > 0); // the room's table shows the gaps
  return html`<div class="group-output">
    <p class="muted">${h.members}: ${group.members}</p>
    ${assessed.length ? html`<${AssessmentTable} caption=${h.assessment} rows=${assessed} h=${h} />` : null}
    ${group.top_cards.length
      ? html`<p class="field-name">${h.top_cards}</p>
          <ol class="top-cards">${group.top_cards.map(
            (card, index) => html`<li key=${index}>${card.text} <span class="muted">(${h.votes}: ${card.votes})</span>
              ${card.merged.length ? html`<ul>${card.merged.map((text, i) => html`<li key=${i}>${text}</li>`)}</ul>` : null}</li>`,
          )}</ol>`
      : null}
    <p class="field-name">${h.synthesis}${group.synthesis_by ? html` <span class="muted">(${group.synthesis_by})</span>` : null}</p>
  </div>`;
}

function Breakouts(h) {
  return html`<${Entries} section="breakouts" entries=${record.breakouts.map((group) => ({
      id: group.id,
      text: group.synthesis || "",
      about: groupTitle(group, h),
      detail: html`<${GroupOutput} group=${group} h=${h} />`,
    }))} />
    ${record.radar.length ? html`<${AssessmentTable} caption=${h.radar} rows=${record.radar} h=${h} />` : null}
    ${(record.radar_territories || []).length ? html`<${TerritoryTable} h=${h} />` : null}`;
}

/* The blocks' means by territory beside the whole room's, as the exports' table. */
function TerritoryTable({ h }) {
  const territories = record.radar_territories;
  const cell = (rows, block) => {
    const row = rows.find((r) => r.block === block);
    return row && row.count > 0 ? `${mean(row.mean)} (${row.count})` : "–";
  };
  return html`<table class="results territories">
    <caption>${h.radar_territories}</caption>
    <thead><tr><th scope="col">${h.blocks}</th><th scope="col">${h.whole_room}</th>
      ${territories.map((t) => html`<th scope="col" key=${t.code}>${t.territory}</th>`)}</tr></thead>
    <tbody>${record.radar.map((r) => html`<tr key=${r.block}><th scope="row">${r.block}</th>
      <td>${cell(record.radar, r.block)}</td>
      ${territories.map((t) => html`<td key=${t.code}>${cell(t.rows, r.block)}</td>`)}</tr>`)}</tbody>
  </table>`;
}

function Qa() {
  const list = ordered(record.audience_qa, edits.order.audience_qa);
  if (!list.length) return html`<p class="muted">${S.none}</p>`;
  return html`<ol class="entries">
    ${list.map((qa, index) => {
      const asker = qa.asker || S.anonymous;
      const label = fill(S.asked_by, { name: asker });
      return html`<li key=${qa.id} class=${"entry" + (isHidden(qa.id) ? " is-hidden" : "")}>
        <div class="entry-head">
          <strong>${label}</strong>
          ${qa.answered_by ? html` <span class="muted">${fill(S.answered_by, { name: qa.answered_by })}</span>` : null}
          ${isHidden(qa.id) ? html` <span class="tag">${S.hidden}</span>` : null}
          <${Controls} section="audience_qa" entries=${list} entry=${qa} index=${index} label=${label} />
        </div>
        <p class="field-name">${S.question_text}</p>
        <${TextField} id=${qa.id + ":question"} original=${qa.question} label=${S.question_text + " " + (index + 1)} language=${qa.language} />
        <p class="field-name">${S.answer_text}</p>
        <${TextField} id=${qa.id + ":answer"} original=${qa.answer} label=${S.answer_text + " " + (index + 1)} />
      </li>`;
    })}
  </ol>`;
}

function Questions(h) {
  return record.guiding_questions.map((q) => {
    const max = Math.max(1, ...q.rows.map((row) => row.count));
    return html`<div class="question-block" key=${q.key}>
      <h3>${q.text}</h3>
      ${q.rows.length
        ? html`<table class="results">
            <caption>${fill(S.responses, { n: q.responses })}</caption>
            <tbody>
              ${q.rows.map(
                (row) => html`<tr>
                  <th scope="row">${row.label}</th>
                  <td class="count">${row.count}</td>
                  <td class="bar"><meter min="0" max=${max} value=${row.count} aria-label=${row.label}></meter></td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : null}
      <${Entries} section=${q.key} entries=${q.answers} />
    </div>`;
  });
}

function Images() {
  const list = ordered(record.images, edits.order.images);
  if (!list.length) return html`<p class="muted">${S.none}</p>`;
  return html`<ol class="entries images">
    ${list.map(
      (image, index) => html`<li key=${image.id} class=${"entry" + (isHidden(image.id) ? " is-hidden" : "")}>
        <div class="entry-head">
          <img src=${"data:" + image.mime + ";base64," + image.data_base64} alt=${image.caption} width=${image.width} height=${image.height} />
          <${Controls} section="images" entries=${list} entry=${image} index=${index} label=${image.caption || image.id} />
        </div>
        <${TextField} id=${image.id} original=${image.caption} label=${S.caption + " " + (index + 1)} />
      </li>`,
    )}
  </ol>`;
}

function Figures() {
  const p = record.participants;
  return html`<dl class="facts figures">
    <dt>${S.joined}</dt><dd>${p.joined}</dd>
    <dt>${S.peak}</dt><dd>${p.peak_connected === null ? "–" : p.peak_connected}</dd>
    ${p.online_count !== null
      ? html`<dt>${p.online_label || S.online_count}</dt><dd>${p.online_count}</dd>`
      : null}
    ${["by_language", "by_country", "by_stakeholder_type"]
      .filter((key) => Object.keys(p[key]).length)
      .map(
        (key) => html`<dt>${data.headings[key]}</dt>
          <dd>${Object.entries(p[key]).map(([code, n]) => `${code || "–"}: ${n}`).join(", ")}</dd>`,
      )}
  </dl>`;
}

function Program(h) {
  return html`<table class="program-table">
    <thead><tr><th scope="col">${h.item}</th><th scope="col">${S.planned}</th><th scope="col">${S.actual}</th></tr></thead>
    <tbody>
      ${record.program.map(
        (row) => html`<tr key=${row.key}>
          <td>${row.title}</td>
          <td class="time">${time(row.planned_start)}–${time(row.planned_end)}</td>
          <td class="time">${row.skipped
            ? S.skipped
            : row.actual_start
              ? `${time(row.actual_start)}–${row.actual_end ? time(row.actual_end) : ""}`
              : "–"}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function time(iso) {
  // 24-hour, as every screen and the exports: "9:00 PM" is ambiguous across continents.
  return clockFormat(data.language, record.session.timezone)(Date.parse(iso));
}

function Section({ id, title, children }) {
  return html`<section class="review-section" aria-labelledby=${"h-" + id}>
    <h2 id=${"h-" + id}>${title}</h2>
    ${children}
  </section>`;
}

function render() {
  if (!record) return;
  const h = data.headings;
  mount(
    byId("draft"),
    html`
      <${Section} id="participants" title=${h.participants}><${Figures} /><//>
      <${Section} id="program" title=${h.program}>${Program(h)}<//>
      <${Section} id="item_notes" title=${h.item_notes}><${Entries} section="item_notes" entries=${record.item_notes} /><//>
      <${Section} id="summaries" title=${h.summaries}><${Entries} section="summaries" entries=${record.summaries} /><//>
      <${Section} id="guiding_questions" title=${h.guiding_questions}>${Questions(h)}<//>
      <${Section} id="audience_qa" title=${h.audience_qa}><${Qa} /><//>
      ${record.breakouts.length || record.radar.length
        ? html`<${Section} id="breakouts" title=${h.breakouts}>${Breakouts(h)}<//>`
        : null}
      <${Section} id="conclusions" title=${h.conclusions}><${Entries} section="conclusions" entries=${record.conclusions} /><//>
      <${Section} id="images" title=${h.images}><${Images} /><//>
    `,
  );
  mount(
    byId("redacted"),
    html`${edits.redact.map(
      (name) => html`<li key=${name}>${name}
        <button type="button" class="link" onClick=${() => {
          edits.redact = edits.redact.filter((n) => n !== name);
          changed();
        }}>${fill(S.redact_remove, { name })}</button></li>`,
    )}`,
  );
  renderDownloads();
}

function exportUrl(fmt, version) {
  const language = byId("export-language").value;
  const url = data.urls.export.replace("FMT", fmt) + "?language=" + encodeURIComponent(language);
  return version ? url + "&version=" + version : url;
}

function renderDownloads() {
  mount(
    byId("draft-downloads"),
    html`${data.formats.map(
      (fmt) => html`<li key=${fmt}><a href=${exportUrl(fmt)} download>${fmt.toUpperCase()} <span class="visually-hidden">(${S.draft})</span></a></li>`,
    )}`,
  );
  mount(
    byId("versions"),
    versions.length
      ? html`${versions
          .slice()
          .reverse()
          .map(
            (n) => html`<li key=${n}>
              <strong>${fill(S.version_n, { n })}</strong>
              <span class="formats">${data.formats.map(
                (fmt) => html` <a href=${exportUrl(fmt, n)} download>${fmt.toUpperCase()}<span class="visually-hidden"> (${fill(S.version_n, { n })})</span></a>`,
              )}</span>
            </li>`,
          )}`
      : html`<li class="muted">${S.no_versions}</li>`,
  );
  const link = byId("public-link");
  if (publicToken) {
    const url = location.origin + "/r/" + publicToken;
    link.href = url;
    setText(link, url);
  }
  show(link, Boolean(publicToken));
  setText(byId("share-state"), publicToken ? S.public_link : S.not_shared);
  setText(byId("btn-share"), publicToken ? S.unshare : S.share);
  byId("btn-share").disabled = !versions.length;
}

async function load() {
  const url = data.urls.draft + "?review=0&language=" + encodeURIComponent(data.language);
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) {
    setText(byId("feedback"), fill(S.generic, { code: response.status }));
    return;
  }
  const body = await response.json();
  record = body.record;
  const saved = body.edits || {};
  if (!sender.pending) {
    edits = {
      texts: saved.texts || {},
      hidden: saved.hidden || [],
      order: saved.order || {},
      redact: saved.redact || [],
    };
  } else {
    const waiting = sender.outbox.messages.filter((m) => m.group === "draft").pop();
    if (waiting) edits = { texts: {}, hidden: [], order: {}, redact: [], ...waiting.payload };
  }
  versions = body.versions;
  publicToken = body.public_token;
  render();
  dirtyState();
}

async function publish() {
  if (!window.confirm(S.confirm_publish)) return;
  if (saveTimer) save();
  await sender.idle();
  const answer = await post(data.urls.publish, data.csrf_token, {});
  if (answer.status === 201) {
    versions = [...versions, answer.body.version];
    setText(byId("feedback"), fill(S.published, { n: answer.body.version }));
    renderDownloads();
  } else {
    setText(byId("feedback"), answer.status === 0 ? S.offline : refusal(answer.body));
  }
}

async function share() {
  const answer = await post(data.urls.share, data.csrf_token, {
    cid: crypto.randomUUID ? crypto.randomUUID() : String(Date.now()),
    shared: !publicToken,
  });
  if (answer.status === 200) {
    publicToken = answer.body.public_token;
    renderDownloads();
  } else {
    setText(byId("feedback"), answer.status === 0 ? S.offline : refusal(answer.body));
  }
}

whenReady(() => {
  byId("btn-save").addEventListener("click", save);
  byId("btn-publish").addEventListener("click", publish);
  byId("btn-share").addEventListener("click", share);
  byId("export-language").value = data.export_languages[data.language] ? data.language : "en";
  byId("export-language").addEventListener("change", renderDownloads);
  byId("redact-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = byId("redact-name");
    const name = input.value.trim();
    if (name && !edits.redact.includes(name)) {
      edits.redact = [...edits.redact, name];
      changed();
    }
    input.value = "";
  });
  sender.pump();
  load();
});
