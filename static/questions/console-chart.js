// A breakdown's small bar chart on the console: a thin layer over Chart.js (one chart per
// canvas, updated in place when the data changes, destroyed with the component). The
// numbers are also in a table beside it, for screen readers and for reading them exactly.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { useEffect, useRef } from "preact/hooks";

import { html } from "../shared/view.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

// Distinct on white and for the common colour-vision deficiencies (Okabe–Ito).
const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

function coloured(chart) {
  return {
    labels: chart.labels,
    datasets: chart.datasets.map((set, i) => ({
      ...set,
      backgroundColor: COLOURS[i % COLOURS.length],
      borderWidth: 0,
    })),
  };
}

export function BreakdownChart({ chart, label }) {
  const canvas = useRef(null);
  const made = useRef(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    made.current = new Chart(canvas.current, {
      type: "bar",
      data: coloured(chart),
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: { duration: 200 },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: chart.datasets.length > 1, position: "bottom" } },
      },
    });
    return () => {
      made.current.destroy();
      made.current = null;
    };
  }, []);
  useEffect(() => {
    if (!made.current) return;
    made.current.data = coloured(chart);
    made.current.update();
  }, [chart]);
  return html`<div class="qc-chart"><canvas ref=${canvas} role="img" aria-label=${label}></canvas></div>`;
}
