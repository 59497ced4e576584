// The console's program: planned, actual and re-timed times of every item, the current
// one marked, items passed over by a jump marked "skipped". A keyed Preact list, so a
// re-render every tick keeps the focus where it was.
import { fill } from "../shared/text.js";
import { html } from "../shared/view.js";

/** When each item actually ran: the first start, and the end of its last run. */
export function actualTimes(runs) {
  const byItem = {};
  for (const run of runs) {
    const seen = byItem[run.item];
    if (!seen) byItem[run.item] = { started: run.started_ms, ended: run.ended_ms };
    else {
      seen.started = Math.min(seen.started, run.started_ms);
      seen.ended = run.ended_ms; // the last run says whether it is still going
    }
  }
  return byItem;
}

function ProgramItem({ ui, item, isCurrent, times, retimed, ended, skipped }) {
  const { S, time, text, kinds, goTo } = ui;
  const actual = [];
  if (times) {
    actual.push(fill(S.started_at, { time: time(times.started) }));
    if (times.ended) actual.push(fill(S.ended_at, { time: time(times.ended) }));
  }
  const classes = ["run-item"];
  if (isCurrent) classes.push("is-current");
  if (!isCurrent && times && times.ended) classes.push("is-done");
  if (retimed !== undefined) classes.push("is-retimed");
  if (skipped) classes.push("is-skipped");
  return html`<li class=${classes.join(" ")} data-item=${item.id}>
    <button type="button" class="run-go" data-item=${item.id} title=${S.go_to}
      aria-current=${isCurrent ? "step" : undefined} disabled=${ended} onClick=${() => goTo(item)}>
      <span class="run-when">
        <span class="run-planned">${time(item.start_ms)}–${time(item.end_ms)}</span>
        <span class="run-retimed">${retimed === undefined ? "" : fill(S.expected, { time: time(retimed) })}</span>
      </span>
      <span class="run-what">
        <span class="run-title">${text(item.title)}</span>
        ${skipped && html`<span class="run-skipped">${S.skipped}</span>`}
        ${item.kind && html`<span class="run-kind">${kinds[item.kind] || item.kind}</span>`}
        ${item.people && item.people.length > 0 &&
          html`<span class="run-people">${item.people.map((p) => p.name).join(", ")}</span>`}
        <span class="run-actual">${actual.length ? S.actual + ": " + actual.join(" · ") : ""}</span>
      </span>
    </button>
  </li>`;
}

/** `model`: the console's (workshop, live, runs, skipped); `ui`: strings and formatters. */
export function Program({ model, ui, projected }) {
  const { text, days: serverDays } = ui;
  const labels = {};
  for (const day of model.workshop.days || []) labels[day.day] = text(day.title) || day.date;
  for (const day of serverDays || []) labels[day.day] = day.label; // dated by the server
  const days = [];
  for (const item of model.workshop.items) {
    if (!days.length || days[days.length - 1].day !== item.day) days.push({ day: item.day, items: [] });
    days[days.length - 1].items.push(item);
  }
  const live = model.live || {};
  const actual = actualTimes(model.runs);
  const skipped = new Set(model.skipped || []);
  // Re-timed starts when the drift is a minute or more (seconds are noise), and always in a
  // rehearsal, whose times are not the planned clock times.
  const shifted =
    projected && (Math.round(Math.abs(projected.driftS) / 60) !== 0 || Boolean(live.schedule_shift_s));
  return days.map(
    ({ day, items: ofDay }) => html`
      <h3 class="run-day" id=${"run-day-" + day} key=${"h" + day}>${labels[day] || ""}</h3>
      <ol class="run-list" aria-labelledby=${"run-day-" + day} key=${"l" + day}>
        ${ofDay.map(
          (item) => html`<${ProgramItem} key=${item.id} ui=${ui} item=${item}
            isCurrent=${item.id === live.item} times=${actual[item.id]}
            retimed=${shifted ? projected.starts[item.id] : undefined}
            ended=${live.phase === "ended"} skipped=${skipped.has(item.id)} />`,
        )}
      </ol>`,
  );
}
