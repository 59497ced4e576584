// Breakouts on the projector (mounted by static/live/display.js): the close countdown,
// big, and the report-back: the group presented (name, block, members' count, synthesis,
// top-voted cards) beside the room's radar of the blocks (Chart.js). Read from the back of
// the room: big type, nothing to click. Protocol: docs/protocol.md, "Breakouts".
import { Chart, Filler, Legend, LineElement, PointElement, RadarController, RadialLinearScale, Tooltip } from "chart.js";
import { useEffect, useRef } from "preact/hooks";

import { formatClock } from "../shared/timer.js";
import { fill, pickText } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { attach } from "./attach.js";
import { Markdown } from "./markdown.js";
import { counted, groupName, groupTimerEnds, leftMs, normalise, radarDatasets, regionNamer, roundStage, wrapLabel } from "./model.js";

Chart.register(RadarController, RadialLinearScale, PointElement, LineElement, Filler, Tooltip, Legend);

export const DISPLAY_EVENTS = ["breakouts.changed", "breakouts.report"];
const TICK_MS = 250;

function Radar({ S, radar, text, language }) {
  const ref = useRef(null);
  const chart = useRef(null);
  const blocks = (radar && radar.blocks) || [];
  const labels = blocks.map((b) => wrapLabel(text(b.title), 20, 3));
  const datasets = radarDatasets(blocks, radar && radar.territories, regionNamer(language));
  datasets[0].label = S.whole_room;
  const max = blocks.reduce((m, b) => Math.max(m, b.max || 5), 1);
  const min = blocks.reduce((m, b) => Math.min(m, b.min ?? 1), max);
  useEffect(() => {
    if (!ref.current) return;
    if (!chart.current) {
      chart.current = new Chart(ref.current, {
        type: "radar",
        data: { labels, datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          layout: { padding: 8 },
          plugins: {
            legend: { display: datasets.length > 1, position: "bottom", labels: { color: "#f2f5f9", font: { size: 18 }, boxWidth: 24 } },
            tooltip: { enabled: false },
          },
          scales: {
            r: {
              min: Math.min(0, min), max,
              ticks: { stepSize: 1, font: { size: 16 }, color: "#c9d3e3", backdropColor: "transparent" },
              grid: { color: "rgba(255, 255, 255, .25)" }, angleLines: { color: "rgba(255, 255, 255, .25)" },
              pointLabels: { font: { size: 22 }, color: "#f2f5f9" },
            },
          },
        },
      });
    } else {
      chart.current.data.labels = labels;
      chart.current.data.datasets = datasets;
      chart.current.options.plugins.legend.display = datasets.length > 1;
      chart.current.options.scales.r.max = max;
      chart.current.update("none");
    }
  });
  useEffect(() => () => chart.current && chart.current.destroy(), []);
  if (!blocks.length) return null;
  const summary = blocks
    .filter((b) => b.count > 0)
    .map((b) => fill(S.radar_summary, { block: text(b.title), mean: Number(b.mean).toFixed(1) }));
  return html`<figure class="bo-radar" data-series=${datasets.length}>
    <figcaption>${S.radar}</figcaption>
    <div class="bo-radar-canvas"><canvas ref=${ref} role="img" aria-label=${S.radar + ": " + summary.join("; ")}></canvas></div>
  </figure>`;
}

function Report({ S, report, text, blocks, language }) {
  const group = report.group;
  return html`<section class="bo-screen-report" aria-labelledby="bo-screen-group">
    <div class="bo-screen-main">
      <p class="bo-screen-kicker">${S.report}</p>
      <h2 id="bo-screen-group" class="bo-screen-group" data-group=${group.id}>${groupName(group, S.group_n)}</h2>
      <p class="bo-screen-blocks">${(group.blocks || []).map((key) => (blocks[key] ? text(blocks[key].title) : key)).join(" · ")}
        <span class="bo-screen-members">${counted(S, "members_count", typeof group.members === "number" ? group.members : (group.members || []).length)}</span></p>
      ${group.synthesis
        ? html`<div class="bo-screen-synthesis"><h3>${S.synthesis}</h3><${Markdown} text=${group.synthesis} className="bo-md bo-screen-md" /></div>`
        : html`<p class="bo-screen-muted">${S.no_synthesis}</p>`}
      ${(group.top_cards || []).length > 0 &&
      html`<div class="bo-screen-top"><h3>${S.top_cards}</h3>
        <ol>${group.top_cards.map((card, index) => html`<li key=${index} class="bo-screen-card">
          <span class="bo-screen-card-text">${card.text}</span>
          <span class="bo-screen-votes">${counted(S, "votes", card.votes)}</span></li>`)}</ol></div>`}
    </div>
    <${Radar} S=${S} radar=${report.radar} text=${text} language=${language} />
  </section>`;
}

/* While the groups work: which groups there are (so that people in the room find theirs),
 * their phase and size, and the time left on the groups' shared timer, or each group's. */
function Working({ S, round, text, blocks, now }) {
  const shared = leftMs(round.timer_ends_at_ms, now);
  return html`<section class="bo-screen-working" aria-labelledby="bo-screen-working">
    <div class="bo-screen-working-head">
      <h2 id="bo-screen-working" class="bo-screen-kicker">${S.working}</h2>
      ${shared !== null &&
      html`<p class="bo-screen-shared" role="timer" aria-live="off">
        <span class="bo-screen-kicker">${S.time_left}</span>${" "}<span class="bo-screen-shared-clock">${formatClock(shared)}</span></p>`}
    </div>
    <ol class="bo-screen-groups" data-many=${round.groups.length > 30 ? "lots" : round.groups.length > 12 ? "yes" : "no"}>
      ${round.groups.map((group) => {
        const own = shared === null ? leftMs(groupTimerEnds(group, round), now) : null;
        return html`<li key=${group.id} class="bo-screen-tile" data-group=${group.id}>
          <span class="bo-screen-tile-name">${groupName(group, S.group_n)}</span>
          <span class="bo-screen-tile-blocks">${(group.blocks || []).map((key) => (blocks[key] ? text(blocks[key].title) : key)).join(" · ")}</span>
          <span class="bo-screen-tile-meta">${counted(S, "members_count", group.members || 0)} · ${S["phase_" + group.phase] || ""}${own !== null ? html` · <span class="bo-screen-tile-clock">${formatClock(own)}</span>` : null}</span>
        </li>`;
      })}
    </ol>
  </section>`;
}

/** Mounts the projector's breakouts view into `root`, following `client`'s events. */
export function mountBreakoutsDisplay({ client, data, root }) {
  const setup = data.breakouts;
  if (!root || !setup) return;
  const S = setup.strings;
  const blocks = setup.blocks || {};
  const text = (value) => pickText(value, data.language, data.default_language);
  const model = { round: null, report: null };
  let shown = "";

  function render() {
    const now = client.now();
    const round = model.round;
    const stage = roundStage(round, now);
    const report = round && round.report_group && model.report && model.report.group ? model.report : null;
    const left = round ? leftMs(round.closes_at_ms, now) : null;
    const countdown = stage === "closing" && left !== null && left > 0;
    const working = stage === "open" && round.groups.length > 0;
    const showing = report ? "report" : countdown ? "countdown" : "";
    if (showing !== shown) {
      shown = showing;
      if (showing) document.body.dataset.breakouts = showing;
      else delete document.body.dataset.breakouts;
    }
    // The groups at work share the screen (its clock, the join code) instead of taking it.
    const view = showing || (working ? "working" : "");
    if (working && !showing) document.body.dataset.groups = "working";
    else delete document.body.dataset.groups;
    root.hidden = !view;
    root.dataset.view = view;
    mount(root, html`
      ${view === "working" && html`<${Working} S=${S} round=${round} text=${text} blocks=${blocks} now=${now} />`}
      ${countdown &&
      html`<div class="bo-screen-countdown" role="timer" aria-live="off">
        <p class="bo-screen-kicker">${S.closing_in}</p>
        <p class="bo-screen-clock">${formatClock(left)}</p></div>`}
      ${report && html`<${Report} S=${S} report=${report} text=${text} blocks=${blocks} language=${data.language} />`}`);
  }

  function onSnapshot(snapshot) {
    const part = normalise(snapshot.breakouts);
    model.round = part.round;
    model.report = part.report;
    render();
  }

  function onEvent(name, payload) {
    if (name === "breakouts.changed") model.round = payload.round;
    else if (name === "breakouts.report") model.report = payload.report;
    render();
  }

  attach(client, { events: DISPLAY_EVENTS, onSnapshot, onEvent });
  window.setInterval(() => {
    const round = model.round;
    if (round && (round.closes_at_ms || round.timer_ends_at_ms || round.groups.some((g) => g.timer_ends_at_ms))) render();
  }, TICK_MS);
  render();
}
