// Test runs: the list (#/testruns), the start form (#/testruns/new) and one run (#/testruns/<id>): live charts
// over the run's WebSocket stream while it runs, the report once it is over. The stream feeds a per-run model
// of signals; each part of the page reads only the signals it shows, and bursts of events are applied at most
// once per frame, so a second of statistics redraws the charts and two small tables, never the log.
import { batch, signal } from '@preact/signals';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, apiUrl, query as qs, saveBlob, session } from '../api.js';
import { holds } from '../state.js';
import { href, navigate } from '../router.js';
import { Busy, DataTable, DownloadButton, Field, KeyValues, Problem, Section, fmtNumber, fmtTime, useApi } from '../ui.js';
import { Markdown } from '../markdown.js';
import { COLOURS, FollowControl, LiveChart, createChartGroup, createSeries } from '../charts.js';
import { FINAL_STATES, openRunStream } from '../runstream.js';

const STATES = ['queued', 'running', 'passed', 'failed', 'error', 'cancelled', 'interrupted'];
const PAGE_SIZE = 20;
const POLL_MS = 2000;
const LOG_PAGE = 200;

// ---- shared with the compare page -------------------------------------------------------------------------

const BADGE = { passed: 'badge-ok', failed: 'badge-bad', error: 'badge-bad', interrupted: 'badge-bad',
  running: 'badge-warn', queued: 'badge-warn', cancelled: 'badge-neutral' };

export function StatusBadge({ status }) {
  return html`<span class=${'badge ' + (BADGE[status] || 'badge-neutral')} data-status=${status}>${status}</span>`;
}

export function runHref(id) {
  return href('/testruns/' + encodeURIComponent(id));
}

/** One line of a run for selects and captions: id, status, when, and its load figures if it had a load phase. */
export function runLabel(r) {
  const load = r.summary?.load;
  return `${r.id} · ${r.status} · ${fmtTime(r.created_at)}${load ? ` · ${fmtNumber(load.rps)} req/s` : ''}`;
}

/** A timeline entry (report.json) or stats event (stream) as the chart columns. */
export function pointOf(e) {
  return {
    rps: e.rps,
    // errors per second: the last interval is shorter than a second, and rps is already normalised
    errors: e.requests ? e.errors * (e.rps / e.requests) : 0,
    p50: e.p50_ms, p90: e.p90_ms, p95: e.p95_ms, p99: e.p99_ms, max: e.max_ms,
    users: e.active_users, inflight: e.in_flight,
  };
}

const THRESHOLD = /^\s*([a-z_]+|p\(?\d{1,2}(?:\.\d+)?\)?)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*(ms)?\s*$/;
const LATENCY = new Set(['avg', 'min', 'med', 'max']);

/** A k6-style threshold as the server reads it (Threshold.java): {expression, metric, percentile, op, limit}. */
export function parseThreshold(text) {
  const m = THRESHOLD.exec(String(text).toLowerCase());
  if (!m) return null;
  const p = /^p\(?(\d{1,2}(?:\.\d+)?)\)?$/.exec(m[1]);
  return { expression: String(text).trim(), metric: p ? 'p' + Number(p[1]) : m[1], percentile: p ? Number(p[1]) : null,
    op: m[2], limit: Number(m[3]), latency: !!p || LATENCY.has(m[1]) };
}

/** The value of a threshold's metric in statistics shaped as report.json's total/steps entries, or undefined. */
function metricValue(t, s) {
  if (!s) return undefined;
  const l = s.latency_ms || {};
  if (t.percentile !== null) return l['p' + t.percentile];
  return { avg: l.mean, min: l.min, med: l.p50, max: l.max, rps: s.rps, requests: s.requests, errors: s.errors,
    error_rate: s.requests ? s.errors / s.requests : 0 }[t.metric];
}

function holdsLimit(op, v, limit) {
  return { '<': v < limit, '<=': v <= limit, '>': v > limit, '>=': v >= limit, '==': v === limit, '!=': v !== limit }[op];
}

// ---- the list ----------------------------------------------------------------------------------------------

const RUN_COLUMNS = [
  { key: 'id', label: 'Run', render: (r) => html`<a href=${runHref(r.id)}>${r.id}</a>` },
  { key: 'status', label: 'Status', render: (r) => html`<${StatusBadge} status=${r.status}/>` },
  { key: 'created_at', label: 'Created', render: (r) => fmtTime(r.created_at) },
  { key: 'created_by', label: 'By' },
  { key: 'base_url', label: 'Target', value: (r) => r.args?.base_url, render: (r) => html`<code>${r.args?.base_url}</code>` },
  { key: 'load', label: 'Load', value: (r) => r.args?.load_duration,
    render: (r) => `${r.args?.load_duration ?? '–'} s × ${r.args?.concurrency ?? '–'}${r.args?.target_rate ? ` @ ${r.args.target_rate}/s` : ''}` },
  { key: 'rps', label: 'req/s', value: (r) => r.summary?.load?.rps, render: (r) => html`<span class="num">${fmtNumber(r.summary?.load?.rps)}</span>` },
  { key: 'p95', label: 'p95 ms', value: (r) => r.summary?.load?.p95_ms, render: (r) => html`<span class="num">${fmtNumber(r.summary?.load?.p95_ms, 2)}</span>` },
  { key: 'error_rate', label: 'Error rate', value: (r) => r.summary?.load?.error_rate,
    render: (r) => html`<span class="num">${r.summary?.load ? fmtNumber(100 * r.summary.load.error_rate, 2) + ' %' : '–'}</span>` },
];

function RunsTable({ rows, caption, label, empty }) {
  return html`<${DataTable} label=${label} caption=${caption} rows=${rows} rowKey=${(r) => r.id} columns=${RUN_COLUMNS}
    filter=${false} pageSize=${PAGE_SIZE * 5} empty=${empty}
    rowClass=${(r) => (['failed', 'error', 'interrupted'].includes(r.status) ? 'row-bad' : '')}/>`;
}

function StatusFilter({ selected, onChange }) {
  const toggle = (s) => onChange(selected.includes(s) ? selected.filter((x) => x !== s) : STATES.filter((x) => x === s || selected.includes(x)));
  return html`<fieldset class="tr-filter">
    <legend>Status</legend>
    ${STATES.map((s) => html`<label class="checkbox"><input type="checkbox" checked=${selected.includes(s)}
      onChange=${() => toggle(s)}/> ${s}</label>`)}
    ${selected.length ? html`<button type="button" onClick=${() => onChange([])}>All states</button>` : null}
  </fieldset>`;
}

function Pager({ total, limit, offset, onOffset }) {
  if (!(total > limit)) return null;
  return html`<nav class="tr-pager" aria-label="Pages of runs">
    <button type="button" disabled=${offset <= 0} onClick=${() => onOffset(Math.max(0, offset - limit))}>Newer</button>
    <span>Runs ${offset + 1}–${Math.min(total, offset + limit)} of ${total}</span>
    <button type="button" disabled=${offset + limit >= total} onClick=${() => onOffset(offset + limit)}>Older</button>
  </nav>`;
}

function RunList({ query }) {
  const statuses = (query.get('status') || '').split(',').filter((s) => STATES.includes(s));
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const [tick, setTick] = useState(0);
  const list = useApi(() => api('/api/testruns' + qs({ status: statuses.join(','), limit: PAGE_SIZE, offset })),
    [statuses.join(','), offset, tick]);
  const running = useApi(() => api('/api/testruns?status=queued,running&limit=50'), [tick]);
  const active = (running.data?.items?.length || 0) > 0 || (list.data?.items || []).some((r) => !FINAL_STATES.has(r.status));
  // poll only while something is queued or running: a finished list does not change by itself
  useEffect(() => {
    if (!active) return undefined;
    const t = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(t);
  }, [active, list.data, running.data]);
  const go = (params) => navigate('/testruns', { status: statuses.join(','), offset: offset || '', ...params }, { replace: true });
  return html`<h1>Test runs</h1>
    <p class="tr-lead">E2E and load runs against a service, executed by this control plane.
      ${holds('tests.run') ? html` <a class="tr-start" href=${href('/testruns/new')}>Start a run</a>`
        : html` <span class="muted">Starting a run needs the scope <code>tests.run</code>.</span>`}</p>
    <${Section} title="Running" id="tr-running">
      ${running.error ? html`<${Problem} error=${running.error}/>` : null}
      ${!running.data && running.loading ? html`<${Busy} label="Loading running runs…"/>` : null}
      ${running.data ? (running.data.items.length
        ? html`<${RunsTable} label="running runs" caption="Queued and running, newest first" rows=${running.data.items}/>`
        : html`<p class="muted">Nothing is queued or running.</p>`) : null}
    </${Section}>
    <${Section} title="All runs" id="tr-all" actions=${active ? html`<span class="muted" role="status">refreshing every 2 s</span>` : null}>
      <${StatusFilter} selected=${statuses} onChange=${(s) => go({ status: s.join(','), offset: '' })}/>
      ${list.error ? html`<${Problem} error=${list.error} onRetry=${list.reload}/>` : null}
      ${!list.data && list.loading ? html`<${Busy} label="Loading runs…"/>` : null}
      ${list.data ? html`
        <${RunsTable} label="runs" caption=${`Runs${statuses.length ? ' (' + statuses.join(', ') + ')' : ''}, newest first: ${list.data.total} in all`}
          rows=${list.data.items} empty=${statuses.length ? 'No run in these states.' : 'No runs yet.'}/>
        <${Pager} total=${list.data.total} limit=${list.data.limit} offset=${list.data.offset} onOffset=${(o) => go({ offset: o || '' })}/>` : null}
    </${Section}>`;
}

// ---- the start form ----------------------------------------------------------------------------------------

function StartForm() {
  const [v, setV] = useState({ base_url: session.value?.base || location.origin, load_duration: '60', concurrency: '10',
    target_rate: '', thresholds: '', scenario: '' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState(null);
  if (!holds('tests.run')) {
    return html`<h1>Start a test run</h1>
      <p class="unavailable" role="alert">Starting a run needs the scope <code>tests.run</code>, which your token does not carry.
        You can still <a href=${href('/testruns')}>read the runs</a>.</p>`;
  }
  const bad = problem?.problem?.field;
  const set = (k) => (e) => setV({ ...v, [k]: e.currentTarget.value });
  // an input the server named as the culprit is marked and described by the server's own words
  const mark = (k) => (bad === k ? { 'aria-invalid': 'true', 'aria-describedby': 'tr-field-error' } : {});
  const error = (k) => (bad === k ? html`<span class="tr-field-error" id="tr-field-error">${problem.problem.detail || problem.message}</span>` : null);
  async function submit(e) {
    e.preventDefault();
    // an empty field is left to the server's default (its own URL, 60 s, 10 users, the scenario's thresholds)
    const body = {};
    if (v.base_url.trim()) body.base_url = v.base_url.trim();
    if (v.load_duration !== '') body.load_duration = Number(v.load_duration);
    if (v.concurrency !== '') body.concurrency = Number(v.concurrency);
    if (v.target_rate !== '') body.target_rate = Number(v.target_rate);
    const thresholds = v.thresholds.split('\n').map((s) => s.trim()).filter(Boolean);
    if (thresholds.length) body.thresholds = thresholds;
    if (v.scenario.trim()) body.scenario = v.scenario.trim();
    setBusy(true);
    setProblem(null);
    try {
      const run = await api('/api/testruns', { method: 'POST', body });
      navigate('/testruns/' + encodeURIComponent(run.id));
    } catch (err) {
      setProblem(err);
      setBusy(false);
    }
  }
  return html`<h1>Start a test run</h1>
    <p>E2E steps of the scenario run once, then the load phase: <em>concurrency</em> virtual users for the load duration
      (closed model), or requests at the target rate (open model). <a href=${href('/testruns')}>Back to the runs</a></p>
    <div class="tr-start-layout">
      <form class="card tr-form" onSubmit=${submit} novalidate>
        <${Field} label="Base URL" hint="The service under test; loopback, localhost and *.svc hosts are allowed, plus the server's allowed-hosts." wide>
          <input type="url" name="base_url" value=${v.base_url} onInput=${set('base_url')} ...${mark('base_url')}/>${error('base_url')}</${Field}>
        <div class="tr-form-row">
          <${Field} label="Load duration (s)"><input type="number" name="load_duration" min="1" max="3600" value=${v.load_duration}
            onInput=${set('load_duration')} ...${mark('load_duration')}/>${error('load_duration')}</${Field}>
          <${Field} label="Concurrency (virtual users)"><input type="number" name="concurrency" min="1" max="2000" value=${v.concurrency}
            onInput=${set('concurrency')} ...${mark('concurrency')}/>${error('concurrency')}</${Field}>
          <${Field} label="Target rate (requests/s)" hint="Optional: the open model, latency from the intended send time.">
            <input type="number" name="target_rate" min="0" step="any" value=${v.target_rate} onInput=${set('target_rate')} ...${mark('target_rate')}/>${error('target_rate')}</${Field}>
        </div>
        <${Field} label="Thresholds" hint="One per line, k6 style: p95<500, p(99)<=800, avg<200, error_rate<0.01, rps>100. Empty: the scenario's own." wide>
          <textarea name="thresholds" rows="3" placeholder=${'p95<500\nerror_rate<0.01'} value=${v.thresholds} onInput=${set('thresholds')} ...${mark('thresholds')}></textarea>${error('thresholds')}</${Field}>
        <${Field} label="Scenario" hint="Optional workspace path, e.g. tests/e2e/scenarios/generic.yaml (the server's default when empty)." wide>
          <input name="scenario" value=${v.scenario} onInput=${set('scenario')} placeholder="tests/e2e/scenarios/generic.yaml" ...${mark('scenario')}/>${error('scenario')}</${Field}>
        <button type="submit" class="primary" disabled=${busy}>${busy ? 'Starting…' : 'Start run'}</button>
      </form>
      <div class="tr-form-problem"><${Problem} error=${problem}/></div>
    </div>`;
}

// ---- one run: the model fed by the stream ------------------------------------------------------------------

const SERIES_KEYS = ['rps', 'errors', 'p50', 'p90', 'p95', 'p99', 'max', 'users', 'inflight'];

/**
 * What the page knows of a run, as signals: the record, E2E steps, the latest stats event, the log (an array that
 * only grows, with a version signal) and the chart series. Events are staged and applied once per frame.
 */
function createRunModel() {
  const m = {
    record: signal(null), steps: signal([]), latest: signal(null), logVersion: signal(0), loadStart: signal(null),
    lines: [], series: createSeries(SERIES_KEYS), group: createChartGroup(), clockOffset: 0,
  };
  let staged = { steps: [], latest: null, log: false };
  let frame = 0;
  const flush = () => {
    frame = 0;
    const s = staged;
    staged = { steps: [], latest: null, log: false };
    batch(() => {
      if (s.steps.length) m.steps.value = [...m.steps.peek(), ...s.steps];
      if (s.latest) m.latest.value = s.latest;
      if (s.log) m.logVersion.value++;
    });
  };
  const later = () => { if (!frame) frame = requestAnimationFrame(flush); };
  const patch = (fields) => { m.record.value = { ...m.record.peek(), ...fields }; };

  m.onState = (run, msg) => {
    m.clockOffset = msg.ts * 1000 - Date.now();
    m.record.value = run;
  };
  m.onEvent = (e) => {
    switch (e.type) {
      case 'status': {
        const at = new Date(e.ts * 1000).toISOString();
        const r = m.record.peek() || {};
        patch({ status: e.status, exit_code: e.exit_code, error: e.error,
          ...(e.status === 'running' && !r.started_at ? { started_at: at } : {}),
          ...(FINAL_STATES.has(e.status) && !r.finished_at ? { finished_at: at } : {}) });
        break;
      }
      case 'step': staged.steps.push(e); later(); break;
      case 'stats':
        if (m.series.length === 0) m.loadStart.value = e.ts - e.second;
        m.series.push(e.second, pointOf(e));
        staged.latest = e;
        later();
        break;
      case 'log': m.lines.push(e); staged.log = true; later(); break;
      case 'summary': patch({ status: e.status, exit_code: e.exit_code, error: e.error, summary: e.summary }); break;
      default: break; // testrun.update repeats status for the seed's clients
    }
  };
  m.dispose = () => { if (frame) cancelAnimationFrame(frame); };
  return m;
}

/** The run's record first (an unknown run is a 404 to show, not a socket to retry), then its stream, once. */
function useRunStream(id, m) {
  const record = useApi(() => api('/api/testruns/' + encodeURIComponent(id)), [id]);
  const [stream, setStream] = useState(null);
  useEffect(() => {
    if (!record.data) return undefined;
    if (!m.record.peek()) m.record.value = record.data;
    const s = openRunStream(id, { onState: m.onState, onEvent: m.onEvent });
    setStream(s);
    return () => { s.stop(); m.dispose(); };
  }, [record.data ? id : null]);
  return { error: record.error, loading: record.loading && !record.data, stream };
}

function clock(seconds) {
  if (!(seconds >= 0)) return '–';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Elapsed against planned (E2E as long as it took or takes, plus the load duration); ticks by itself. */
function Progress({ m }) {
  const run = m.record.value;
  const [, setNow] = useState(0);
  const final = FINAL_STATES.has(run?.status);
  useEffect(() => {
    if (final) return undefined;
    const t = setInterval(() => setNow((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [final]);
  if (!run?.started_at) return html`<p class="tr-progress muted">Waiting in the queue…</p>`;
  const started = Date.parse(run.started_at) / 1000;
  const end = run.finished_at ? Date.parse(run.finished_at) / 1000 : (Date.now() + m.clockOffset) / 1000;
  const elapsed = Math.max(0, end - started);
  const loadStart = m.loadStart.value;
  const e2e = loadStart ? loadStart - started : elapsed;
  const planned = Math.max(elapsed, (run.args?.load_duration || 0) + e2e);
  return html`<div class="tr-progress">
    <progress value=${final ? planned : elapsed} max=${planned || 1} aria-label="Elapsed against planned"></progress>
    <span>${final ? 'took' : 'elapsed'} <strong data-testid="elapsed">${clock(elapsed)}</strong> of ~${clock(planned)} planned
      (${loadStart ? 'E2E ' + clock(e2e) + ' + ' : ''}load ${clock(run.args?.load_duration)})</span>
  </div>`;
}

function StreamState({ stream }) {
  if (!stream) return null;
  const st = stream.status.value;
  const text = { connecting: 'connecting…', live: 'live', reconnecting: `reconnecting (attempt ${stream.attempts.value})…`,
    done: 'complete', stopped: 'closed' }[st];
  return html`<span class=${'tr-stream tr-stream-' + st} role="status" data-testid="stream" data-status=${st}
    data-last-seq=${stream.lastSeq} data-delivered=${stream.delivered} data-dropped=${stream.dropped}>
    Stream: ${text} · ${stream.delivered} events</span>`;
}

function RunHeader({ id, m, stream }) {
  const run = m.record.value;
  const [problem, setProblem] = useState(null);
  const [cancelling, setCancelling] = useState(false);
  const live = run && !FINAL_STATES.has(run.status);
  async function cancel() {
    setCancelling(true);
    setProblem(null);
    try { await api(`/api/testruns/${encodeURIComponent(id)}/cancel`, { method: 'POST' }); } catch (e) { setProblem(e); setCancelling(false); }
  }
  return html`<div class="tr-head">
    <div class="tr-head-line">
      ${run ? html`<${StatusBadge} status=${run.status}/>` : null}
      <${Progress} m=${m}/>
      <${StreamState} stream=${stream}/>
      ${live && holds('tests.run') ? html`<button type="button" class="danger" disabled=${cancelling} onClick=${cancel}>${cancelling ? 'Cancelling…' : 'Cancel run'}</button>` : null}
    </div>
    <${Problem} error=${problem}/>
    ${run?.error ? html`<p class="tr-error" role="alert"><strong>Error:</strong> ${run.error}</p>` : null}
    ${run ? html`<${KeyValues} entries=${[
      ['Target', html`<code>${run.args?.base_url}</code>`],
      ['Load', `${run.args?.load_duration} s, ${run.args?.concurrency} users${run.args?.target_rate ? `, ${run.args.target_rate} requests/s (open model)` : ' (closed model)'}`],
      ['Scenario', run.args?.scenario],
      ['Thresholds', (run.args?.thresholds || []).join(', ') || "the scenario's"],
      ['Created', `${fmtTime(run.created_at)} by ${run.created_by}`],
    ]}/>` : null}
  </div>`;
}

// ---- one run: charts and tables ----------------------------------------------------------------------------

function RunCharts({ m, thresholds, live }) {
  const lines = thresholds.filter((t) => t.latency).map((t) => ({
    value: t.limit, label: `${t.metric} ${t.op} ${t.limit} ms`,
    colour: { p50: COLOURS.green, med: COLOURS.green, p95: COLOURS.orange, p99: COLOURS.purple }[t.metric] || COLOURS.red }));
  const { series, group } = m;
  return html`<${Section} title="Load over time" id="tr-charts" actions=${html`<${FollowControl} group=${group} live=${live}/>`}>
    <div class="tr-charts">
      <${LiveChart} id="rps" title="Requests and errors per second" unit="requests/s" unit2="errors/s" store=${series} group=${group}
        series=${[{ key: 'rps', label: 'requests/s', colour: COLOURS.blue }, { key: 'errors', label: 'errors/s', colour: COLOURS.red, scale: 'y2' }]}/>
      <${LiveChart} id="latency" title="Latency per second (ms)" unit="ms" store=${series} group=${group} thresholds=${lines}
        series=${[{ key: 'p50', label: 'p50', colour: COLOURS.green }, { key: 'p95', label: 'p95', colour: COLOURS.orange },
          { key: 'p99', label: 'p99', colour: COLOURS.purple }]}/>
      <${LiveChart} id="concurrency" title="Concurrency" unit="users / requests" store=${series} group=${group}
        series=${[{ key: 'users', label: 'active users', colour: COLOURS.teal }, { key: 'inflight', label: 'requests in flight (mean)', colour: COLOURS.grey, dash: [5, 3] }]}/>
    </div>
  </${Section}>`;
}

function ResultBadge({ passed }) {
  if (passed === null || passed === undefined) return html`<span class="badge badge-neutral">pending</span>`;
  return html`<span class=${'badge ' + (passed ? 'badge-ok' : 'badge-bad')}>${passed ? 'pass' : 'fail'}</span>`;
}

/** Thresholds: the report's verdicts once the run is over, else each of the run's computed on the totals so far. */
function ThresholdsTable({ m, report, thresholds, onlyFailed, onOnlyFailed }) {
  const final = report?.load;
  let rows;
  if (final) {
    rows = (final.thresholds || []).map((t) => ({ threshold: t.threshold, scope: t.scope, value: t.value, passed: t.passed }));
  } else {
    const total = m.latest.value?.cumulative?.total;
    rows = thresholds.map((t) => {
      const value = metricValue(t, total);
      return { threshold: t.expression, scope: 'total', value, passed: value === undefined ? null : holdsLimit(t.op, value, t.limit) };
    });
  }
  const shown = onlyFailed ? rows.filter((r) => r.passed === false) : rows;
  const source = final ? 'final, from the report' : 'live: the load phase so far';
  return html`<${Section} title="Thresholds" id="tr-thresholds" actions=${html`<label class="checkbox">
      <input type="checkbox" checked=${onlyFailed} onChange=${(e) => onOnlyFailed(e.currentTarget.checked)}/> only failed</label>`}>
    ${report && !final ? html`<p class="muted">This run has no load phase to judge.</p>` : null}
    ${!final && !thresholds.length ? html`<p class="muted">The scenario's own thresholds are judged when the run finishes.</p>` : null}
    <${DataTable} label="thresholds" caption=${`Thresholds (${source})`} rows=${shown} filter=${false}
      empty=${onlyFailed ? 'No failed thresholds.' : 'No thresholds.'} rowClass=${(r) => (r.passed === false ? 'row-bad' : '')}
      columns=${[
        { key: 'threshold', label: 'Threshold', render: (r) => html`<code>${r.threshold}</code>` },
        { key: 'scope', label: 'Scope' },
        { key: 'value', label: 'Value', render: (r) => html`<span class="num" data-value=${r.value}>${fmtNumber(r.value, 4)}</span>` },
        { key: 'passed', label: 'Result', value: (r) => String(r.passed), render: (r) => html`<${ResultBadge} passed=${r.passed}/>` },
      ]}/>
  </${Section}>`;
}

function StepsTable({ m }) {
  const steps = m.steps.value;
  return html`<${Section} title="E2E steps" id="tr-steps">
    <${DataTable} label="E2E steps" caption=${`E2E steps: ${steps.filter((s) => s.passed).length} of ${steps.length} passed`}
      rows=${steps} filter=${false} empty="No E2E step has run yet." rowClass=${(s) => (s.passed ? '' : 'row-bad')} columns=${[
        { key: 'name', label: 'Step' },
        { key: 'request', label: 'Request', value: (s) => `${s.method} ${s.path}`, render: (s) => html`<code>${s.method} ${s.path}</code>` },
        { key: 'status', label: 'HTTP status', render: (s) => html`<span class="num">${s.status ?? '–'}</span>` },
        { key: 'latency_ms', label: 'Duration ms', render: (s) => html`<span class="num">${fmtNumber(s.latency_ms, 1)}</span>` },
        { key: 'passed', label: 'Result', value: (s) => String(s.passed),
          render: (s) => html`<${ResultBadge} passed=${s.passed}/>${s.failures?.length ? html` <span class="tr-failures">${s.failures.join('; ')}</span>` : null}` },
      ]}/>
  </${Section}>`;
}

const PERCENTILES = ['p50', 'p90', 'p95', 'p99'];

/** Per load step: the report's figures once over, else the phase so far (the stream's cumulative totals). */
function EndpointsTable({ m, report, pct, onPct }) {
  const src = report?.load?.steps ? report.load : m.latest.value?.cumulative;
  const rows = src ? [...Object.entries(src.steps || {}).map(([name, s]) => ({ name, ...s })), { name: 'total', ...src.total }] : [];
  return html`<${Section} title="Per endpoint" id="tr-endpoints" actions=${html`<${Field} label="Percentile">
      <select value=${pct} onChange=${(e) => onPct(e.currentTarget.value)}>${PERCENTILES.map((p) => html`<option value=${p}>${p}</option>`)}</select></${Field}>`}>
    <${DataTable} label="endpoints" caption=${`Load steps (${report?.load ? 'final' : 'so far'}), latency ${pct}`} rows=${rows}
      rowKey=${(r) => r.name} filter=${false} empty=${report && !report.load?.steps ? 'This run had no load phase.' : 'No load statistics yet.'}
      rowClass=${(r) => (r.name === 'total' ? 'row-group' : '')} columns=${[
        { key: 'name', label: 'Step' },
        { key: 'requests', label: 'Requests', render: (r) => html`<span class="num">${fmtNumber(r.requests, 0)}</span>` },
        { key: 'errors', label: 'Errors', render: (r) => html`<span class="num">${fmtNumber(r.errors, 0)}</span>` },
        { key: 'error_rate', label: 'Error rate', value: (r) => (r.requests ? r.errors / r.requests : 0),
          render: (r) => html`<span class="num">${fmtNumber(r.requests ? (100 * r.errors) / r.requests : 0, 2)} %</span>` },
        { key: 'rps', label: 'req/s', render: (r) => html`<span class="num">${fmtNumber(r.rps)}</span>` },
        { key: 'pct', label: `${pct} ms`, value: (r) => r.latency_ms?.[pct],
          render: (r) => html`<span class="num" data-value=${r.latency_ms?.[pct]}>${fmtNumber(r.latency_ms?.[pct], 3)}</span>` },
        { key: 'max', label: 'max ms', value: (r) => r.latency_ms?.max, render: (r) => html`<span class="num">${fmtNumber(r.latency_ms?.max, 3)}</span>` },
      ]}/>
  </${Section}>`;
}

function severityOf(l) {
  if (l.stream === 'stderr' || /\bERROR\b/.test(l.line)) return 'error';
  if (/\bWARN(ING)?\b/.test(l.line)) return 'warn';
  return '';
}

function logText(lines) {
  return lines.map((l) => `${new Date(l.ts * 1000).toISOString()} [${l.stream}] ${l.line}`).join('\n') + '\n';
}

/** The log tail: last N lines (more on request), severity colours with words, a filter, full screen, download. */
function LogPanel({ id, m }) {
  m.logVersion.value; // redraw when lines arrive (at most once per frame)
  const [limit, setLimit] = useState(LOG_PAGE);
  const [text, setText] = useState('');
  const [fallbackFull, setFallbackFull] = useState(false);
  const [nativeFull, setNativeFull] = useState(false);
  const panel = useRef(null);
  const list = useRef(null);
  const stick = useRef(true);
  useEffect(() => {
    const onChange = () => setNativeFull(document.fullscreenElement === panel.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  // keep the newest line in view unless the person scrolled up to read
  useEffect(() => { if (stick.current && list.current) list.current.scrollTop = list.current.scrollHeight; });
  const t = text.trim().toLowerCase();
  const matching = t ? m.lines.filter((l) => (l.stream + ' ' + l.line).toLowerCase().includes(t)) : m.lines;
  const shown = matching.slice(-limit);
  const full = nativeFull || fallbackFull;
  async function toggleFull() {
    if (document.fullscreenElement) { await document.exitFullscreen().catch(() => {}); return; }
    if (fallbackFull) { setFallbackFull(false); return; }
    try { await panel.current.requestFullscreen(); } catch { setFallbackFull(true); }
  }
  return html`<section class=${'section tr-log' + (fallbackFull ? ' tr-log-full' : '')} ref=${panel} aria-labelledby="tr-log-h"
      onKeyDown=${(e) => { if (e.key === 'Escape' && fallbackFull) setFallbackFull(false); }}>
    <div class="section-head"><h2 id="tr-log-h">Log</h2>
      <div class="actions">
        <${Field} label="Filter log lines"><input type="search" value=${text} onInput=${(e) => setText(e.currentTarget.value)} placeholder="text to find"/></${Field}>
        <button type="button" onClick=${toggleFull} aria-pressed=${full}>${full ? 'Exit full screen' : 'Full screen'}</button>
        <button type="button" disabled=${!m.lines.length} onClick=${() => saveBlob(new Blob([logText(m.lines)], { type: 'text/plain' }), id + '.log')}>Download log</button>
      </div>
    </div>
    <p class="muted tr-log-count" data-lines=${m.lines.length}>${shown.length} of ${matching.length} ${t ? 'matching ' : ''}lines shown (${m.lines.length} in all)</p>
    ${matching.length > shown.length ? html`<button type="button" onClick=${() => setLimit(limit + LOG_PAGE)}>Load more (${matching.length - shown.length} earlier)</button>` : null}
    <ol class="tr-log-lines" ref=${list} tabindex="0" aria-label="Log lines"
      onScroll=${(e) => { const el = e.currentTarget; stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8; }}>
      ${shown.map((l) => {
        const sev = severityOf(l);
        return html`<li key=${l.seq} class=${sev ? 'tr-log-' + sev : undefined}><span class="tr-log-ts">${new Date(l.ts * 1000).toISOString().slice(11, 23)}</span>${' '}<span class="tr-log-stream">${l.stream}</span>${' '}${l.line}</li>`;
      })}
    </ol>
  </section>`;
}

// ---- one run: the report -----------------------------------------------------------------------------------

function shellQuote(s) {
  return "'" + String(s).replace(/'/g, "'\\''") + "'";
}

/** A curl command that starts the same run again; the token is left to the shell ($TOKEN), never written out. */
export function curlFor(run) {
  const body = {};
  const redacted = [];
  for (const [k, val] of Object.entries(run.args || {})) {
    if (val === '***') redacted.push(k);
    else body[k] = val;
  }
  const url = new URL(apiUrl('/api/testruns'), location.href).href;
  const cmd = [`curl -X POST ${shellQuote(url)}`, '-H "Authorization: Bearer $TOKEN"', "-H 'Content-Type: application/json'",
    `-d ${shellQuote(JSON.stringify(body))}`].join(' \\\n  ');
  return { cmd, redacted };
}

function CopyCurl({ run }) {
  const { cmd, redacted } = curlFor(run);
  const [note, setNote] = useState('');
  async function copy() {
    try { await navigator.clipboard.writeText(cmd); setNote('Copied to the clipboard.'); } catch { setNote('The clipboard is not available here: copy the command below.'); }
  }
  return html`<div class="tr-curl">
    <div class="tr-curl-head"><button type="button" onClick=${copy}>Copy as curl</button><span role="status" class="muted">${note}</span></div>
    <pre data-testid="curl" aria-label="curl command that starts this run again">${cmd}</pre>
    ${redacted.length ? html`<p class="hint">Left out, as the server keeps them secret: ${redacted.map((k) => html`<code>${k}</code> `)}</p>` : null}
  </div>`;
}

function ReportSection({ id, run, report, md, error }) {
  const base = `/api/testruns/${encodeURIComponent(id)}`;
  const [problem, setProblem] = useState(null);
  return html`<${Section} title="Report" id="tr-report" actions=${html`
      <${DownloadButton} path=${base + '/report.json'} filename=${id + '.json'} label="Download JSON" onError=${setProblem}/>
      <${DownloadButton} path=${base + '/report.md'} filename=${id + '.md'} label="Download Markdown" onError=${setProblem}/>`}>
    <${Problem} error=${problem || error}/>
    <${CopyCurl} run=${run}/>
    ${!report && !error ? html`<${Busy} label="Loading the report…"/>` : null}
    ${md ? html`<${Markdown} text=${md}/>` : null}
  </${Section}>`;
}

function useReport(id, final) {
  const [state, setState] = useState({ report: null, md: null, error: null });
  useEffect(() => {
    if (!final) return undefined;
    let stop = false;
    const base = `/api/testruns/${encodeURIComponent(id)}`;
    Promise.all([api(base + '/report.json'), api(base + '/report.md')]).then(
      ([report, md]) => !stop && setState({ report, md, error: null }),
      (error) => !stop && setState({ report: null, md: null, error }));
    return () => { stop = true; };
  }, [id, final]);
  return state;
}

function RunView({ id, query }) {
  const m = useMemo(() => createRunModel(), [id]);
  const { error, loading, stream } = useRunStream(id, m);
  const run = m.record.value;
  const final = FINAL_STATES.has(run?.status) && stream?.status.value === 'done';
  const { report, md, error: reportError } = useReport(id, final);
  // a report's timeline is the authority on the seconds; the stream has them too unless it lost the history
  useEffect(() => {
    const timeline = report?.load?.timeline;
    if (timeline && timeline.length > m.series.length) m.series.reset(timeline.map((e) => [e.second, pointOf(e)]));
  }, [report]);
  const thresholds = useMemo(() => (run?.args?.thresholds || report?.load?.declared_thresholds || []).map(parseThreshold).filter(Boolean),
    [run?.args?.thresholds, report]);
  const pct = PERCENTILES.includes(query.get('pct')) ? query.get('pct') : 'p95';
  const onlyFailed = query.get('failed') === '1';
  const setQuery = (k, v) => {
    const next = Object.fromEntries(query.entries());
    next[k] = v;
    navigate('/testruns/' + encodeURIComponent(id), next, { replace: true });
  };
  return html`<h1>Test run <code>${id}</code></h1>
    <p><a href=${href('/testruns')}>All runs</a>${run && FINAL_STATES.has(run.status) ? html` · <a href=${href('/compare', { run: id })}>Compare with another run</a>` : null}</p>
    ${error ? html`<${Problem} error=${error}/>` : null}
    ${loading ? html`<${Busy} label="Loading the run…"/>` : null}
    ${run ? html`
      <${RunHeader} id=${id} m=${m} stream=${stream}/>
      <${RunCharts} m=${m} thresholds=${thresholds} live=${!final}/>
      <div class="tr-tables">
        <${ThresholdsTable} m=${m} report=${final ? report : null} thresholds=${thresholds} onlyFailed=${onlyFailed}
          onOnlyFailed=${(on) => setQuery('failed', on ? '1' : '')}/>
        <${StepsTable} m=${m}/>
      </div>
      <${EndpointsTable} m=${m} report=${final ? report : null} pct=${pct} onPct=${(p) => setQuery('pct', p === 'p95' ? '' : p)}/>
      <${LogPanel} id=${id} m=${m}/>
      ${final ? html`<${ReportSection} id=${id} run=${run} report=${report} md=${md} error=${reportError}/>` : null}` : null}`;
}

export default function TestRunsPage({ rest, query }) {
  if (!rest) return html`<${RunList} query=${query}/>`;
  if (rest === 'new') return html`<${StartForm}/>`;
  return html`<${RunView} key=${rest} id=${rest} query=${query}/>`;
}
