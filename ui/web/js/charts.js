// Time-series charts on uPlot for test runs. A run's numbers live in a Series: plain arrays that only grow, which
// every chart reads by reference, so a new second costs one push per column and, at most once per frame, one
// setData per chart: no plot is re-created and no component re-renders. Charts of a ChartGroup share the cursor
// (uPlot's sync) and the zoom: dragging across one zooms all of them and pauses following the live end until
// "Resume live"; double-click (or the button) shows everything again.
import uPlot from 'uplot';
import { effect, signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { html } from './html.js';

/** Colours that keep 4.5:1 on white, so lines and their legend text are readable. */
export const COLOURS = {
  blue: '#1f4fa8', red: '#b3261e', green: '#137333', orange: '#a04f00', purple: '#6a3d9a', grey: '#535b6b',
  teal: '#00696b',
};

/**
 * Columns of numbers that only grow: x (the second of the load phase) and one array per key. push() appends a
 * point, reset() replaces all (a report loaded after the fact); version says that something changed.
 */
export function createSeries(keys) {
  const x = [];
  const cols = Object.fromEntries(keys.map((k) => [k, []]));
  const version = signal(0);
  return {
    x, cols, version,
    get length() { return x.length; },
    push(xValue, values) {
      x.push(xValue);
      for (const k of keys) cols[k].push(values[k] ?? null);
      version.value++;
    },
    reset(points) {
      x.length = 0;
      for (const k of keys) cols[k].length = 0;
      for (const [xValue, values] of points) {
        x.push(xValue);
        for (const k of keys) cols[k].push(values[k] ?? null);
      }
      version.value++;
    },
  };
}

// x ticks fall on whole seconds (a run's seconds are integers), then minutes
const SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

let groups = 0;

/** Charts that share cursor and zoom; paused is true while the person looks at a zoomed range. */
export function createChartGroup() {
  const charts = new Set();
  const paused = signal(false);
  return {
    key: 'charts-' + ++groups,
    paused,
    charts,
    zoomed(source, min, max) {
      paused.value = true;
      for (const c of charts) if (c !== source) c.showRange(min, max);
    },
    resume() {
      paused.value = false;
      for (const c of charts) c.showAll();
    },
  };
}

/** The group's control: a "Resume live" (or "Show all") button while zoomed, else what the charts do. */
export function FollowControl({ group, live = true }) {
  const paused = group.paused.value;
  return html`<div class="chart-follow" role="status">
    ${paused
      ? html`<span>Zoomed in${live ? ': not following the live end' : ''}.</span>
        <button type="button" onClick=${() => group.resume()}>${live ? 'Resume live' : 'Show all'}</button>`
      : html`<span class="muted">${live ? 'Following live. ' : ''}Drag across a chart to zoom; double-click to show all.</span>`}
  </div>`;
}

// Horizontal lines for thresholds ("p95 < 500 ms"). The scale stretches to a threshold near the data (up to
// three times its maximum), so the line shows where it matters; one far above would flatten the curves and is
// named under the chart instead.
function thresholdRange(thresholds) {
  return (u, min, max) => {
    const near = thresholds.current.filter((t) => t.value <= Math.max(max, 1e-9) * 3).map((t) => t.value);
    const top = Math.max(max ?? 0, ...near);
    return [0, top > 0 ? top * 1.08 : 1];
  };
}

function drawThresholds(u, thresholds, note) {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  const above = [];
  ctx.save();
  ctx.font = `${12 * uPlot.pxRatio}px system-ui, sans-serif`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  for (const t of thresholds) {
    const y = Math.round(u.valToPos(t.value, 'y', true));
    if (y < top || y > top + height) { above.push(t.label); continue; }
    ctx.strokeStyle = t.colour || COLOURS.red;
    ctx.fillStyle = t.colour || COLOURS.red;
    ctx.lineWidth = uPlot.pxRatio;
    ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.fillText(t.label, left + width - 4 * uPlot.pxRatio, y - 2 * uPlot.pxRatio);
  }
  ctx.restore();
  const text = !above.length ? '' : above.length === thresholds.length ? ' (above this scale)' : ` (above this scale: ${above.join(', ')})`;
  if (note && note.textContent !== text) note.textContent = text;
}

/**
 * One chart. series: [{key, label, colour, dash?, scale?: 'y' | 'y2'}] read from store.cols[key];
 * thresholds: [{value, label, colour?}] drawn as horizontal lines on the left scale. The container carries
 * data-points (how many x values it draws) for tests and for anyone inspecting the page.
 */
export function LiveChart({ id, title, unit, unit2, series, store, group, thresholds = [], height = 200 }) {
  const box = useRef(null);
  const plotRef = useRef(null);
  const noteRef = useRef(null);
  const uRef = useRef(null);
  const limits = useRef(thresholds);
  limits.current = thresholds;
  const limitKey = thresholds.map((t) => t.label + '=' + t.value).join('|');
  // thresholds may be known only later (a finished run's report): draw them with the data already there
  useEffect(() => { uRef.current?.setData(uRef.current.data, !group.paused.peek()); }, [limitKey]);

  useEffect(() => {
    const el = plotRef.current;
    const data = [store.x, ...series.map((s) => store.cols[s.key])];
    const hasY2 = series.some((s) => s.scale === 'y2');
    let internal = false; // true while the code, not the person, sets the x scale
    let frame = 0;
    const chart = {
      showRange(min, max) { internal = true; u.setScale('x', { min, max }); internal = false; },
      showAll() { internal = true; u.setData(data, true); internal = false; },
    };
    const opts = {
      width: Math.max(240, el.clientWidth),
      height,
      scales: { x: { time: false }, y: { range: thresholdRange(limits) }, ...(hasY2 ? { y2: { range: (u, min, max) => [0, max > 0 ? max * 1.08 : 1] } } : {}) },
      series: [
        { label: 'second' },
        ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 1.5, dash: s.dash, scale: s.scale || 'y', spanGaps: false, points: { show: false } })),
      ],
      axes: [
        { label: 'second of load', stroke: '#1d2330', grid: { stroke: '#e6e9ef' }, incrs: SECOND_STEPS, values: (u, splits) => splits.map(String) },
        { label: unit, stroke: '#1d2330', grid: { stroke: '#e6e9ef' }, size: 60 },
        ...(hasY2 ? [{ label: unit2, scale: 'y2', side: 1, stroke: '#1d2330', grid: { show: false }, size: 60 }] : []),
      ],
      cursor: { sync: { key: group.key }, drag: { x: true, y: false } },
      legend: { live: true },
      hooks: {
        draw: [(u) => drawThresholds(u, limits.current, noteRef.current)],
        setScale: [(u, key) => {
          if (key !== 'x' || internal) return;
          const { min, max } = u.scales.x;
          const all = store.x.length === 0 || (min <= store.x[0] && max >= store.x[store.x.length - 1]);
          if (all) { if (group.paused.peek()) group.resume(); } else group.zoomed(chart, min, max);
        }],
      },
    };
    const u = new uPlot(opts, data, el);
    uRef.current = u;
    box.current.dataset.points = String(store.x.length);
    group.charts.add(chart);
    const redraw = () => {
      frame = 0;
      internal = true;
      u.setData(data, !group.paused.peek());
      internal = false;
      box.current.dataset.points = String(store.x.length);
    };
    // at most one redraw per frame, however many seconds arrive at once (a finished run replays them all)
    const stopData = effect(() => {
      store.version.value;
      if (!frame) frame = requestAnimationFrame(redraw);
    });
    const resize = new ResizeObserver(() => {
      const w = Math.max(240, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height });
    });
    resize.observe(el);
    return () => {
      stopData();
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
      group.charts.delete(chart);
      uRef.current = null;
      u.destroy();
    };
  }, [store, group]);

  return html`<figure class="chart" ref=${box} data-chart=${id}>
    <figcaption>${title}</figcaption>
    <div class="chart-plot" ref=${plotRef}></div>
    ${thresholds.length ? html`<p class="chart-limits">Threshold lines: ${thresholds.map((t) => t.label).join(', ')}<span ref=${noteRef}></span></p>` : null}
  </figure>`;
}
