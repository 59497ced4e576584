// The projector's polls and Q&A: the open question(s) and their results, read from the back
// of the room. A thin layer over libraries: Chart.js draws and animates the bars, d3-cloud
// lays out the word cloud (seeded: the same words keep the same places; a word that was
// shown glides to its new place, new ones fade in). Results stay hidden until revealed:
// then the question and how many answered, which the projector reads over HTTP
// (`/d/<token>/answers.json`, with ETag), as phones get no count while results are hidden.
// Mounted by static/live/display.js: `questionsScreen(data)` gives the events to follow and
// takes the snapshot and each event.
import { BarController, BarElement, CategoryScale, Chart, LinearScale } from "chart.js";
import cloud from "d3-cloud";
import { useEffect, useRef, useState } from "preact/hooks";

import { byId, pageData } from "../shared/page.js";
import { pickText, textLanguage } from "../shared/text.js";
import { html, mount } from "../shared/view.js";
import { createQa } from "../qa/display.js";
import {
  barRows,
  cloudDiff,
  cloudWords,
  fillBox,
  fitSizes,
  inLanguages,
  onScreen,
  rankRows,
  scaleRows,
  screenMode,
  seedOf,
  seededRandom,
  wallCards,
  wrapLabel,
} from "./layout.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale);

const EVENTS = ["question.changed", "question.open_list", "question.results"];
const COUNT_EVERY_MS = 2000;
const FONT = 'system-ui, "Noto Sans", "Noto Sans CJK KR", "Noto Sans KR", sans-serif';
const INK = "#ffffff";
const SOFT = "#c9d2e3";
const BAR = "#5b9cff";
const COLOURS = ["#ffffff", "#8fb8ff", "#ffd23f", "#7ee2a8", "#ffa8ba", "#c9b3ff", "#7fdcff"];

const vh = (n) => (window.innerHeight / 100) * n;

function colourOf(word) {
  let hash = 0;
  for (let i = 0; i < word.length; i += 1) hash = (hash * 31 + word.charCodeAt(i)) >>> 0;
  return COLOURS[hash % COLOURS.length];
}

/* Writes the value beside (or above) each bar: it moves with the bar as it animates. */
const valueLabels = {
  id: "valueLabels",
  afterDatasetsDraw(chart) {
    const options = chart.options.plugins.valueLabels || {};
    const texts = options.texts || [];
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = INK;
    ctx.font = `700 ${options.size || 24}px ${FONT}`;
    chart.getDatasetMeta(0).data.forEach((bar, i) => {
      if (!texts[i]) return;
      if (options.horizontal) {
        ctx.textAlign = "left";
        ctx.textBaseline = "middle";
        ctx.fillText(texts[i], bar.x + options.size * 0.4, bar.y);
      } else {
        ctx.textAlign = "center";
        ctx.textBaseline = "bottom";
        ctx.fillText(texts[i], bar.x, bar.y - options.size * 0.25);
      }
    });
    ctx.restore();
  },
};

/* A scale's mean: a dashed line where it falls between the first and the last value. */
const meanLine = {
  id: "meanLine",
  afterDatasetsDraw(chart) {
    const position = chart.options.plugins.meanLine && chart.options.plugins.meanLine.position;
    const bars = chart.getDatasetMeta(0).data;
    if (position === null || position === undefined || bars.length < 2) return;
    const x = bars[0].x + position * (bars[bars.length - 1].x - bars[0].x);
    const { top, bottom } = chart.chartArea;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = "#ffd23f";
    ctx.lineWidth = Math.max(3, vh(0.5));
    ctx.setLineDash([vh(1.2), vh(0.8)]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.restore();
  },
};

function chartConfig({ labels, values, texts, horizontal, position, size }) {
  const max = Math.max(1, ...values);
  // The value is written past the end of its bar: room for the widest of them (about
  // 0.62 em a character in this bold face), outside the bars' area, so a full bar's
  // "1 · 33%" is not cut off however narrow the chart.
  const widest = Math.max(1, ...texts.map((t) => String(t).length));
  const valueAxis = {
    display: false,
    beginAtZero: true,
    max: horizontal ? max : max * 1.22,
    grid: { display: false },
  };
  const labelAxis = {
    grid: { display: false },
    border: { display: false },
    ticks: { color: INK, font: { size, family: FONT, weight: "600" }, padding: size * 0.4 },
  };
  return {
    type: "bar",
    data: {
      labels,
      datasets: [{ data: values, backgroundColor: BAR, borderRadius: size * 0.25, maxBarThickness: size * 3.2 }],
    },
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: { duration: 700, easing: "easeOutCubic" },
      layout: {
        padding: { top: horizontal ? 0 : size * 1.4, right: horizontal ? size * (0.8 + 0.66 * widest) : size },
      },
      scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: { display: false },
        tooltip: { enabled: false },
        valueLabels: { texts, size: size * 1.05, horizontal },
        meanLine: { position },
      },
      events: [], // nothing to point at on a projector
    },
    plugins: [valueLabels, meanLine],
  };
}

/** Bars drawn by Chart.js; a new count animates the bars from where they were. */
function Bars({ labels, values, texts, horizontal, position = null, summary }) {
  const canvas = useRef(null);
  const chart = useRef(null);
  const size = Math.round(vh(horizontal ? 3.3 : 3.6));
  useEffect(() => {
    const config = chartConfig({ labels, values, texts, horizontal, position, size });
    if (!chart.current) {
      chart.current = new Chart(canvas.current, config);
      return;
    }
    const current = chart.current;
    current.data.labels = config.data.labels;
    current.data.datasets[0].data = values;
    current.options.scales = config.options.scales;
    current.options.plugins.valueLabels = config.options.plugins.valueLabels;
    current.options.plugins.meanLine = config.options.plugins.meanLine;
    current.update();
  }, [JSON.stringify([labels, values, texts, position, size])]);
  useEffect(
    () => () => {
      if (chart.current) chart.current.destroy();
      chart.current = null;
    },
    [],
  );
  return html`<div class="poll-chart"><canvas ref=${canvas} role="img" aria-label=${summary}></canvas></div>`;
}

function placeWords(words, width, height, seed, done, tries = 0) {
  cloud()
    .size([width, height])
    .words(words.map((w) => ({ ...w })))
    .padding(Math.max(2, Math.round(height / 110)))
    .rotate(0)
    .font(FONT)
    .fontWeight(700)
    .fontSize((w) => w.size)
    .random(seededRandom(seed))
    .timeInterval(Infinity)
    .on("end", (placed) => {
      if (placed.length < words.length && tries < 4) {
        const smaller = words.map((w) => ({ ...w, size: Math.max(12, Math.floor(w.size * 0.85)) }));
        placeWords(smaller, width, height, seed, done, tries + 1);
      } else done(placed);
    })
    .start();
}

/** The word cloud: sized by count, laid out by d3-cloud into an SVG. */
function Cloud({ words, summary }) {
  const box = useRef(null);
  const laidOut = useRef("");
  const [placed, setPlaced] = useState([]);
  useEffect(() => {
    const node = box.current;
    if (!node) return undefined;
    const width = node.clientWidth;
    const height = node.clientHeight;
    if (!width || !height) return undefined;
    const sized = fitSizes(cloudWords(words, { min: vh(3.4), max: vh(17) }), width, height, { fill: 0.42 });
    const seed = seedOf(sized);
    const key = `${seed}:${width}x${height}`;
    if (key === laidOut.current) return undefined; // the same sizes: the same places
    laidOut.current = key;
    let timer = null;
    placeWords(sized, width, height, seed, (out) => {
      setPlaced((before) => {
        const { exit } = cloudDiff(before.filter((w) => !w.leaving), out);
        const leaving = before.filter((w) => exit.includes(w.word)).map((w) => ({ ...w, leaving: true }));
        const filled = fillBox(out, width, height);
        return [...filled.map((w) => ({ word: w.word, text: w.text, size: w.size, x: w.x, y: w.y })), ...leaving];
      });
      timer = setTimeout(() => setPlaced((now) => now.filter((w) => !w.leaving)), 800);
    });
    return () => clearTimeout(timer);
  }, [JSON.stringify(words), window.innerWidth, window.innerHeight]);
  return html`<div class="poll-cloud" ref=${box}>
    <svg class="cloud-svg" role="img" aria-label=${summary}
      viewBox=${box.current ? `${-box.current.clientWidth / 2} ${-box.current.clientHeight / 2} ${box.current.clientWidth} ${box.current.clientHeight}` : "0 0 1 1"}>
      ${placed.map(
        (w) => html`<text key=${w.word} data-word=${w.word} class=${"cloud-word" + (w.leaving ? " is-leaving" : "")}
          text-anchor="middle" fill=${colourOf(w.word)}
          style=${{ fontSize: w.size + "px", transform: `translate(${w.x}px, ${w.y}px)`, fontFamily: FONT }}>${w.text}</text>`,
      )}
    </svg>
  </div>`;
}

function Wall({ wall }) {
  const cards = wallCards(wall, 12);
  return html`<ul class="poll-wall">
    ${cards.map(
      (card) => html`<li key=${card.id} class=${"wall-card" + (card.highlighted ? " is-highlighted" : "")}>
        <p>${card.text}</p>
      </li>`,
    )}
  </ul>`;
}

export function questionsScreen(display) {
  const own = pageData("questions-data") || { strings: {}, people: {} };
  const S = own.strings;
  const languages = display.languages || [display.language];
  const text = (value) => pickText(value, display.language, display.default_language);
  const lang = (value) => textLanguage(value, display.language, display.default_language);
  const qa = createQa({ strings: S, people: own.people || {}, locale: display.language });

  const questions = new Map();
  let results = new Map();
  let answered = new Map();
  let live = null;
  let items = [];
  let countTimer = null;
  let etag = null;

  function Title({ value }) {
    const seen = new Set();
    return languages.map((code, index) => {
      const shown = pickText(value, code, display.default_language);
      if (!shown || seen.has(shown)) return null;
      seen.add(shown);
      return html`<span key=${code} lang=${textLanguage(value, code, display.default_language)}
        class=${index === 0 ? "poll-first-language" : "poll-second-language"}>${shown}</span>`;
    });
  }

  function Results({ question, result }) {
    // A bilingual projector labels each option (and a scale's ends) in both languages.
    const both = (value) => inLanguages(value, languages, display.default_language);
    const labels = (question.options || []).map(both);
    const n = result.answers;
    if (question.chart === "cloud") {
      if (!result.words || !result.words.length) return html`<p class="poll-waiting">${S.waiting}</p>`;
      const summary = result.words.map((w) => `${w.label}: ${w.count}`).join(", ");
      return html`<${Cloud} words=${result.words} summary=${summary} />`;
    }
    if (question.chart === "wall") {
      if (!result.wall || !result.wall.length) return html`<p class="poll-waiting">${S.waiting}</p>`;
      return html`<${Wall} wall=${result.wall} />`;
    }
    if (question.chart === "distribution") {
      const { rows, mean, position } = scaleRows(result, question.scale);
      const ends = question.scale || {};
      const summary = rows.map((r) => `${r.value}: ${r.count}`).join(", ");
      return html`<div class="poll-scale">
        <p class="poll-mean"><span class="poll-mean-label">${S.mean}</span>
          <strong class="poll-mean-value">${mean === null ? "–" : mean.toLocaleString(display.language)}</strong></p>
        <${Bars} labels=${rows.map((r) => String(r.value))} values=${rows.map((r) => r.count)}
          texts=${rows.map((r) => (r.count ? String(r.count) : ""))} horizontal=${false}
          position=${position} summary=${`${S.mean}: ${mean ?? "–"}. ${summary}`} />
        <p class="poll-ends"><span>${both(ends.min_label)}</span><span>${both(ends.max_label)}</span></p>
      </div>`;
    }
    const points = question.chart === "points";
    const rows = points ? rankRows(result, labels) : barRows(result, labels);
    const texts = rows.map((r) => (points ? String(r.value) : n ? `${r.value} · ${r.percent}%` : "0"));
    const summary = (points ? `${S.points}: ` : "") + rows.map((r, i) => `${r.label}: ${texts[i]}`).join(", ");
    const bars = html`<${Bars} labels=${rows.map((r) => wrapLabel(r.label, 30, languages.length > 1 ? 3 : 2))} values=${rows.map((r) => r.value)}
      texts=${texts} horizontal=${true} summary=${summary} />`;
    return points ? html`<p class="poll-unit">${S.points}</p>${bars}` : bars;
  }

  /* Until revealed: the options (to read while answering) and how many answered, big. */
  function Hidden({ question, count }) {
    const options = (question.options || []).map(text);
    return html`<div class=${"poll-hidden" + (options.length ? " has-options" : "")}>
      ${options.length > 0 &&
      html`<ol class="poll-options">${options.map((o, i) => html`<li key=${i}>${o}</li>`)}</ol>`}
      <p class="poll-big-count">
        <strong class="poll-count-n">${count ?? "–"}</strong>
        <span class="poll-big-count-label">${S.answers}</span>
      </p>
      <p class="poll-hidden-note">${S.hidden}</p>
    </div>`;
  }

  function Poll({ question }) {
    const result = question.revealed ? results.get(question.id) : null;
    const count = result ? result.answers : answered.get(question.id);
    return html`<article class="poll-card" data-chart=${question.chart}>
      <header class="poll-head">
        <p class="poll-kicker">
          <span class="screen-label">${S.poll}</span>
          ${question.state === "closed" && html`<span class="poll-closed">${S.closed}</span>`}
          ${result && html`<span class="poll-count">${S.answers}: <strong class="poll-count-n">${count}</strong></span>`}
        </p>
        <h2 class="poll-question"><${Title} value=${question.text} /></h2>
      </header>
      ${result ? html`<${Results} question=${question} result=${result} />` : html`<${Hidden} question=${question} count=${count} />`}
      ${question.state === "open" && html`<p class="poll-phone">${S.answer_on_phone}</p>`}
    </article>`;
  }

  function shownPolls() {
    const list = [...questions.values()];
    return onScreen(list, live && live.item).slice(0, 4);
  }

  async function readCounts() {
    countTimer = null;
    const polls = shownPolls();
    if (!polls.some((q) => !q.revealed)) return;
    try {
      const headers = etag ? { "If-None-Match": etag } : {};
      const response = await fetch(`/d/${encodeURIComponent(display.token)}/answers.json`, {
        headers,
        cache: "no-store",
        credentials: "omit",
      });
      if (response.ok) {
        etag = response.headers.get("ETag");
        answered = new Map((await response.json()).answered);
        render();
      }
    } catch {
      // offline: the last count stays; the next try comes
    }
    if (!countTimer) countTimer = setTimeout(readCounts, COUNT_EVERY_MS);
  }

  function render() {
    if (!live) return;
    const polls = shownPolls();
    const item = items.find((i) => i.id === live.item);
    const mode = screenMode({ phase: live.phase, kind: item && item.kind, polls: polls.length, pinned: qa.pinned() });
    if (mode) document.body.dataset.show = mode;
    else delete document.body.dataset.show;
    byId("poll").hidden = mode !== "poll";
    byId("qa-board").hidden = mode !== "qa";
    const poll = byId("poll");
    poll.dataset.count = String(polls.length);
    mount(poll, mode === "poll" ? polls.map((q) => html`<${Poll} key=${q.id} question=${q} />`) : null);
    mount(byId("qa-board"), mode === "qa" ? qa.view() : null);
    if (mode === "poll" && polls.some((q) => !q.revealed) && !countTimer) {
      countTimer = setTimeout(readCounts, 0);
    }
  }

  // A resized window (a projector switching modes): the cloud is laid out for the new box.
  let resizing = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(render, 200);
  });

  function keep(list) {
    for (const q of list || []) questions.set(q.id, q);
  }

  return {
    events: [...EVENTS, ...qa.events], // live.state and program.changed come too, forwarded
    snapshot(snapshot) {
      live = snapshot.live;
      items = snapshot.workshop.items;
      questions.clear();
      const part = snapshot.questions || {};
      keep(part.list);
      results = new Map((part.results || []).map((r) => [r.question, r.results]));
      qa.snapshot(snapshot.qa);
      render();
    },
    event(name, payload) {
      if (name === "live.state") live = payload.live;
      else if (name === "program.changed") items = payload.workshop.items;
      else if (name === "question.changed") keep([payload.question]);
      else if (name === "question.open_list") {
        // Open now: these; any other question we hold that said "open" is not any more.
        const open = new Set(payload.questions.map((q) => q.id));
        for (const [id, q] of questions) {
          if (q.state === "open" && !open.has(id)) questions.set(id, { ...q, state: "closed" });
        }
        keep(payload.questions);
      } else if (name === "question.results") {
        results = new Map(payload.results.map((r) => [r.question, r.results]));
      } else if (!qa.event(name, payload)) return;
      render();
    },
  };
}
