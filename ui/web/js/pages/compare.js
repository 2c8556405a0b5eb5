// Compare two finished runs (#/compare?base=<id>&run=<id>): their load timelines overlaid second by second, and
// the totals side by side with the change, marked as a regression or an improvement when beyond 5 %.
import { useEffect, useMemo } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { navigate } from '../router.js';
import { Busy, DataTable, Field, Problem, Section, fmtNumber, useApi } from '../ui.js';
import { COLOURS, FollowControl, LiveChart, createChartGroup, createSeries } from '../charts.js';
import { StatusBadge, runHref, runLabel } from './testruns.js';

const FINISHED = 'passed,failed,cancelled,error,interrupted';
const TOLERANCE = 0.05;

// what each row of the delta table measures, and which way is better
const METRICS = [
  { key: 'rps', label: 'Requests/s', value: (t) => t.rps, higherIsBetter: true, digits: 1 },
  { key: 'p50', label: 'p50 ms', value: (t) => t.latency_ms?.p50, digits: 3 },
  { key: 'p90', label: 'p90 ms', value: (t) => t.latency_ms?.p90, digits: 3 },
  { key: 'p95', label: 'p95 ms', value: (t) => t.latency_ms?.p95, digits: 3 },
  { key: 'p99', label: 'p99 ms', value: (t) => t.latency_ms?.p99, digits: 3 },
  { key: 'max', label: 'max ms', value: (t) => t.latency_ms?.max, digits: 3 },
  { key: 'error_rate', label: 'Error rate %', value: (t) => (t.requests ? (100 * t.errors) / t.requests : 0), digits: 3 },
];

/** The change from base to run and whether it is a regression, an improvement, or within the tolerance. */
export function judge(base, run, higherIsBetter = false) {
  if (base == null || run == null) return { change: null, kind: 'none', text: 'not comparable' };
  if (base === run) return { change: 0, kind: 'same', text: 'no change' };
  const change = base === 0 ? (run > 0 ? Infinity : -Infinity) : (run - base) / Math.abs(base);
  const better = higherIsBetter ? change > TOLERANCE : change < -TOLERANCE;
  const worse = higherIsBetter ? change < -TOLERANCE : change > TOLERANCE;
  if (worse) return { change, kind: 'regression', text: 'regression' };
  if (better) return { change, kind: 'improvement', text: 'improvement' };
  return { change, kind: 'same', text: 'within 5 %' };
}

function fmtChange(c) {
  if (c === null) return '–';
  if (!Number.isFinite(c)) return c > 0 ? 'new (was 0)' : 'gone';
  return (c > 0 ? '+' : '') + fmtNumber(100 * c, 1) + ' %';
}

/** Both timelines on one x axis (the second of the load phase); a second only one run had is a gap in the other. */
function overlay(a, b) {
  const series = createSeries(['rps_a', 'rps_b', 'p95_a', 'p95_b', 'p99_a', 'p99_b']);
  const bySecond = (t) => new Map((t || []).map((e) => [e.second, e]));
  const ma = bySecond(a);
  const mb = bySecond(b);
  const last = Math.max(0, ...ma.keys(), ...mb.keys());
  const points = [];
  for (let s = 1; s <= last; s++) {
    const x = ma.get(s);
    const y = mb.get(s);
    points.push([s, { rps_a: x?.rps, rps_b: y?.rps, p95_a: x?.p95_ms, p95_b: y?.p95_ms, p99_a: x?.p99_ms, p99_b: y?.p99_ms }]);
  }
  series.reset(points);
  return series;
}

function RunPicker({ label, value, runs, onChange }) {
  const known = runs.some((r) => r.id === value);
  return html`<${Field} label=${label}>
    <select value=${value} onChange=${(e) => onChange(e.currentTarget.value)}>
      <option value="">choose a run</option>
      ${!known && value ? html`<option value=${value}>${value}</option>` : null}
      ${runs.map((r) => html`<option value=${r.id}>${runLabel(r)}</option>`)}
    </select></${Field}>`;
}

function DeltaTable({ a, b }) {
  const rows = METRICS.map((m) => {
    const base = m.value(a);
    const run = m.value(b);
    return { ...m, base, run, verdict: judge(base, run, m.higherIsBetter) };
  });
  return html`<${DataTable} label="deltas" caption="Totals of the load phase: run against baseline (beyond 5 % counts)" rows=${rows}
    rowKey=${(r) => r.key} filter=${false} rowClass=${(r) => 'tr-delta-' + r.verdict.kind} columns=${[
      { key: 'label', label: 'Metric', render: (r) => html`<span data-metric=${r.key}>${r.label}</span>` },
      { key: 'base', label: 'Baseline', render: (r) => html`<span class="num" data-value=${r.base}>${fmtNumber(r.base, r.digits)}</span>` },
      { key: 'run', label: 'Run', render: (r) => html`<span class="num" data-value=${r.run}>${fmtNumber(r.run, r.digits)}</span>` },
      { key: 'change', label: 'Change', value: (r) => r.verdict.change, render: (r) => html`<span class="num">${fmtChange(r.verdict.change)}</span>` },
      { key: 'verdict', label: 'Verdict', value: (r) => r.verdict.text,
        render: (r) => html`<span class=${'tr-verdict tr-' + r.verdict.kind}>${{ regression: '▼ ', improvement: '▲ ' }[r.verdict.kind] || ''}${r.verdict.text}</span>` },
    ]}/>`;
}

function Comparison({ base, run }) {
  const reports = useApi(() => Promise.all([base, run].map((id) => api(`/api/testruns/${encodeURIComponent(id)}/report.json`))), [base, run]);
  const [a, b] = reports.data || [];
  const series = useMemo(() => (a && b ? overlay(a.load?.timeline, b.load?.timeline) : null), [a, b]);
  const group = useMemo(() => createChartGroup(), [base, run]);
  if (reports.error) return html`<${Problem} error=${reports.error} onRetry=${reports.reload}/>`;
  if (!reports.data) return html`<${Busy} label="Loading both reports…"/>`;
  const missing = [[a, 'baseline'], [b, 'run']].filter(([r]) => !r.load?.total).map(([r, which]) => `the ${which} ${r.run.id} has no load phase${r.load?.skipped ? ' (' + r.load.skipped + ')' : ''}`);
  if (missing.length) return html`<p class="unavailable" role="alert">Nothing to compare: ${missing.join('; ')}.</p>`;
  const pair = (key, label) => [
    { key: key + '_a', label: `${label} baseline`, colour: COLOURS.grey, dash: [6, 4] },
    { key: key + '_b', label: `${label} run`, colour: COLOURS.blue },
  ];
  return html`
    <${Section} title="Deltas" id="cmp-deltas">
      <p class="cmp-runs"><span>Baseline <a href=${runHref(a.run.id)}>${a.run.id}</a> <${StatusBadge} status=${a.run.status}/></span>
        <span>Run <a href=${runHref(b.run.id)}>${b.run.id}</a> <${StatusBadge} status=${b.run.status}/></span></p>
      <${DeltaTable} a=${a.load.total} b=${b.load.total}/>
    </${Section}>
    <${Section} title="Timelines, second by second" id="cmp-charts" actions=${html`<${FollowControl} group=${group} live=${false}/>`}>
      <div class="tr-charts">
        <${LiveChart} id="cmp-rps" title="Requests per second" unit="requests/s" store=${series} group=${group} series=${pair('rps', 'req/s')}/>
        <${LiveChart} id="cmp-p95" title="p95 latency (ms)" unit="ms" store=${series} group=${group} series=${pair('p95', 'p95')}/>
        <${LiveChart} id="cmp-p99" title="p99 latency (ms)" unit="ms" store=${series} group=${group} series=${pair('p99', 'p99')}/>
      </div>
    </${Section}>`;
}

export default function ComparePage({ query }) {
  const base = query.get('base') || '';
  const run = query.get('run') || '';
  const runs = useApi(() => api(`/api/testruns?status=${FINISHED}&limit=100`), []);
  const items = runs.data?.items || [];
  const pick = (next) => navigate('/compare', { base, run, ...next }, { replace: true });
  // nothing chosen yet: the newest finished run against the one before it
  useEffect(() => {
    if (!runs.data || (base && run) || items.length < 2) return;
    const r = run || items[0].id;
    pick({ run: r, base: base || items.find((x) => x.id !== r).id });
  }, [runs.data]);
  return html`<h1>Compare runs</h1>
    <p>Two finished runs side by side: the baseline is what the run is measured against.</p>
    ${runs.error ? html`<${Problem} error=${runs.error} onRetry=${runs.reload}/>` : null}
    ${!runs.data && runs.loading ? html`<${Busy} label="Loading finished runs…"/>` : null}
    ${runs.data ? html`<form class="inline cmp-pick" onSubmit=${(e) => e.preventDefault()}>
        <${RunPicker} label="Baseline run" value=${base} runs=${items} onChange=${(v) => pick({ base: v })}/>
        <${RunPicker} label="Run" value=${run} runs=${items} onChange=${(v) => pick({ run: v })}/>
        <button type="button" disabled=${!base || !run} onClick=${() => pick({ base: run, run: base })}>Swap</button>
      </form>
      ${items.length < 2 && !(base && run) ? html`<p class="muted">Compare needs two finished runs; this tenant has ${items.length}.</p>` : null}
      ${base && run ? html`<${Comparison} key=${base + '|' + run} base=${base} run=${run}/>` : null}` : null}`;
}
