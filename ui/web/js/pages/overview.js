// The workspace overview, the landing page (GET /api/checks): every plugin's check over one render of the
// workspace, with the overall score and counts, a row per plugin linking into its page, the plugins the caller's
// token leaves out, the KEDA triggers tried against real metrics, and the objects worst first. The render inputs
// (values files, Kubernetes version, Argo CD app) live in the hash, so a checked configuration is a link.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, query as qs } from '../api.js';
import { href, navigate } from '../router.js';
import { availability } from '../state.js';
import { PAGES } from '../pages.js';
import { Busy, DataTable, Field, KeyValues, Problem, Section, SeverityCounts, fmtNumber, useApi } from '../ui.js';
import { Loc, objectLabel } from '../findings.js';
import { splitValues, ValuesFiles } from '../renderinputs.js';

const PATH = '/';
const SEVERITIES = ['error', 'warning', 'info'];
const dash = html`<span class="muted">–</span>`;

function paramsOf(query) {
  return { values: splitValues(query.get('values')), kubeVersion: query.get('kubeVersion') || '', app: query.get('app') || '' };
}

/** The page that shows a plugin's results to this caller, or null (no page, or one the token may not open). */
function pageOf(plugin) {
  return PAGES.find((p) => p.plugin === plugin && availability(p).state === 'ok') || null;
}

/**
 * A link into a plugin's page: with the render inputs the page takes (so it shows the same render) and, on a
 * page with a findings table, the findings filters of patch (severity, object, show).
 */
function pageHref(page, params, patch = {}) {
  const q = {};
  for (const k of page.params || []) {
    const v = params[k];
    if (Array.isArray(v) ? v.length : v) q[k] = Array.isArray(v) ? v.join(',') : v;
  }
  return href(page.path, { ...q, ...(page.findings ? patch : {}) });
}

const band = (score) => (score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor');

/** A 0..100 score as Polaris gives it; the band colour repeats what the number says. */
function Score({ value }) {
  if (value === undefined || value === null) return dash;
  return html`<span class=${'score score-' + band(value)}>${Math.round(value)}</span>`;
}

function RenderForm({ params }) {
  const [values, setValues] = useState(params.values.length ? params.values : ['']);
  const [kube, setKube] = useState(params.kubeVersion);
  const [app, setApp] = useState(params.app);
  const key = JSON.stringify(params);
  useEffect(() => { // a link or Back changed the inputs: the form shows what was checked
    setValues(params.values.length ? params.values : ['']); setKube(params.kubeVersion); setApp(params.app);
  }, [key]);
  const submit = (e) => {
    e.preventDefault();
    navigate(PATH, { values: values.map((v) => v.trim()).filter(Boolean).join(','), kubeVersion: kube.trim(), app: app.trim() });
  };
  const set = params.values.length || params.kubeVersion || params.app;
  // folded while the defaults are checked: the landing page opens on the results, not on a form
  return html`<details class="check-inputs" open=${set ? true : undefined}>
    <summary>Check inputs <span class="muted">${set ? describe(params) : 'the chart\'s own values, the server\'s default Kubernetes version'}</span></summary>
    <form class="inline render-form" onSubmit=${submit} aria-label="Check inputs">
    <${Field} label="Kubernetes version" hint="e.g. 1.31.0; empty: the server's default.">
      <input name="kubeVersion" value=${kube} size="10" placeholder="1.31.0" onInput=${(e) => setKube(e.currentTarget.value)}/></${Field}>
    <${Field} label="Argo CD app" hint="Render with the values that Application passes.">
      <input name="app" value=${app} size="18" onInput=${(e) => setApp(e.currentTarget.value)}/></${Field}>
    <${ValuesFiles} values=${values} onChange=${setValues}
      hint="A file beside the chart or a workspace path; empty: the chart's own values.yaml."/>
    <div class="form-actions"><button type="submit" class="primary">Check the workspace</button>
    <a href=${href(PATH)}>Defaults</a></div>
  </form></details>`;
}

function describe(params) {
  return [params.values.length ? 'values ' + params.values.join(', ') : '', params.kubeVersion ? 'Kubernetes ' + params.kubeVersion : '',
    params.app ? 'app ' + params.app : ''].filter(Boolean).join(' · ');
}

function Summary({ data }) {
  const s = data.summary || {};
  const p = data.parameters || {};
  return html`<${Section} title="Workspace" id="workspace">
    <div class="overview-head">
      <p class="overview-score" data-testid="overall-score"><${Score} value=${s.score}/> <span class="muted">of 100</span></p>
      <${SeverityCounts} summary=${s}/>
    </div>
    <${KeyValues} entries=${[
      ['Objects checked', s.objects],
      ['Plugins', `${(data.plugins || []).length} checked${(data.left_out || []).length ? `, ${data.left_out.length} left out` : ''}`],
      ['Values files', (p.values || []).length ? p.values.join(', ') : 'the chart\'s own values.yaml'],
      ['Kubernetes version', p.kubeVersion || 'the server\'s default'],
      ['Argo CD app', p.app],
      ['Took', s.duration_ms !== undefined ? `${s.duration_ms} ms` : null],
    ]}/>
  </${Section}>`;
}

/** A count, linking to the plugin's findings of that severity when its page can filter them. */
function CountCell({ n, severity, page, params, plugin }) {
  if (!n || !page?.findings) return html`${n ?? 0}`;
  return html`<a class="count-link" href=${pageHref(page, params, { severity })}>${n}<span class="visually-hidden"> ${plugin} ${severity} findings</span></a>`;
}

/** A left-out plugin's reason, when it says more than the scopes already named. */
const extraReason = (l) => (l.reason && !(l.scopes || []).every((sc) => l.reason.includes(sc)) ? l.reason : '');

function Plugins({ data, params }) {
  const rows = (data.plugins || []).map((pl) => ({ ...pl, page: pageOf(pl.id) }));
  const left = data.left_out || [];
  const columns = [
    { key: 'id', label: 'Plugin', render: (pl) => html`${pl.page ? html`<a href=${pageHref(pl.page, params)}><strong>${pl.id}</strong></a>`
      : html`<strong>${pl.id}</strong>`} <span class="muted">${pl.version || ''}</span>${pl.page ? html`<div class="muted">${pl.page.title}</div>` : null}
      ${pl.problem ? html`<div class="plugin-problem"><span class="badge badge-bad">check failed</span> ${pl.problem}</div>` : null}` },
    { key: 'score', label: 'Score', render: (pl) => html`<${Score} value=${pl.score}/>` },
    ...SEVERITIES.map((k) => ({ key: k, label: k[0].toUpperCase() + k.slice(1) + 's', value: (pl) => pl.summary?.[k] ?? 0,
      render: (pl) => html`<${CountCell} n=${pl.summary?.[k]} severity=${k} page=${pl.page} params=${params} plugin=${pl.id}/>` })),
    { key: 'ignored', label: 'Ignored', value: (pl) => pl.summary?.ignored ?? 0 },
    { key: 'engine', label: 'Engine', value: (pl) => pl.engine ?? pl.summary?.engine, render: (pl) => html`<code>${pl.engine ?? pl.summary?.engine ?? '–'}</code>` },
    { key: 'degraded', label: 'Degraded', value: (pl) => (pl.degraded ? 1 : 0),
      render: (pl) => (pl.degraded ? html`<span class="badge badge-warn">degraded</span>` : html`<span class="muted">no</span>`) },
    { key: 'duration', label: 'Took', value: (pl) => pl.summary?.duration_ms ?? 0,
      render: (pl) => (pl.summary?.duration_ms !== undefined ? `${pl.summary.duration_ms} ms` : dash) },
  ];
  return html`<${Section} title="Plugins" id="plugins">
    <${DataTable} label="plugins" caption="Each plugin's check: score, findings by severity, engine" filter=${false}
      rows=${rows} rowKey=${(pl) => pl.id} columns=${columns} empty="No plugin's check ran for this token."
      rowClass=${(pl) => 'plugin-row' + (pl.degraded ? ' row-degraded' : '')}/>
    ${left.length ? html`<div class="left-out">
      <h3 id="left-out-h">Left out for your token</h3>
      <ul class="plain" aria-labelledby="left-out-h">${left.map((l) => html`<li data-plugin=${l.id}>
        <strong>${l.id}</strong> <span class="badge badge-warn">unavailable</span>
        ${(l.scopes || []).length ? html` needs the scope ${l.scopes.map((s, i) => html`${i ? ' and ' : ''}<code>${s}</code>`)}` : null}
        ${extraReason(l) ? html` <span class="muted">(${l.reason})</span>` : null}
      </li>`)}</ul>
    </div>` : null}
  </${Section}>`;
}

const STATUS_CLASS = { ok: 'badge-ok', no_data: 'badge-bad', error: 'badge-bad', missing: 'badge-bad', skipped: 'badge-neutral' };
const Status = ({ value }) => html`<span class=${'badge ' + (STATUS_CLASS[value] || 'badge-neutral')}>${String(value || 'unknown').replace('_', ' ')}</span>`;

/** A metrics source: a workspace file as file:line code, a URL as code. */
const Source = ({ at }) => (!at ? null : /^[a-z]+:\/\//.test(at) ? html`<code>${at}</code>` : html`<${Loc} at=${{ file: at }}/>`);

const names = (list) => list.map((n, i) => html`${i ? ', ' : ''}<code>${n}</code>`);

/** Every query metric the workload does not export or Prometheus has no series of, with the closest names known. */
function missingOf(t) {
  const items = [];
  const wm = t.workload_metrics;
  for (const m of wm?.missing || []) items.push({ name: m.name, where: `not exported by ${wm.workload || 'the workload'}`, similar: m.similar || [] });
  for (const [name, similar] of Object.entries(t.dry_run?.similar_metrics || {})) {
    items.push({ name, where: 'no series in Prometheus', similar: similar || [] });
  }
  return items;
}

function Missing({ items }) {
  return html`<ul class="plain missing-metrics">${items.map((m) => html`<li data-metric=${m.name}>
    <code class="metric-missing">${m.name}</code> <span class="muted">${m.where}</span>${m.similar.length
      ? html`; similar: <span class="similar">${names(m.similar)}</span>` : html`; <span class="muted">no similar name</span>`}
  </li>`)}</ul>`;
}

function ValueCell({ d }) {
  if (!d || d.value === undefined || d.value === null) return d?.threshold !== undefined ? html`no value <span class="muted">against threshold ${fmtNumber(d.threshold, 3)}</span>` : dash;
  return html`<strong>${fmtNumber(d.value, 3)}</strong> <span class="muted">against threshold</span> <strong>${fmtNumber(d.threshold, 3)}</strong>
    ${d.activation_threshold ? html` <span class="muted">(activation ${fmtNumber(d.activation_threshold, 3)})</span>` : null}
    <span class="muted">${d.metric_type ? ' · ' + d.metric_type : ''}${d.series !== undefined ? ` · ${d.series} series` : ''}</span>`;
}

function Replicas({ r }) {
  if (!r || r.desired === undefined || r.desired === null) return dash;
  const edge = r.desired <= r.min ? ' (at min)' : r.desired >= r.max ? ' (at max)' : '';
  return html`<strong data-testid="desired-replicas">${r.desired}</strong> <span class="muted">within ${r.min ?? '–'}..${r.max ?? '–'}${edge}</span>
    ${r.basis ? html`<div class="muted">${r.basis}</div>` : null}`;
}

function TriggerCard({ so, t, i }) {
  const d = t.dry_run;
  const wm = t.workload_metrics;
  const label = t.name || `${t.type} #${i + 1}`;
  const missing = missingOf(t);
  return html`<li class="card trigger-card" data-trigger=${so.name + '/' + label}>
    <h3>${so.kind} <strong>${so.name}</strong> <span class="muted">trigger</span> ${label}</h3>
    <${KeyValues} entries=${[
      ['Scales', so.target ? html`<code>${so.target.kind}/${so.target.name}</code>${so.namespace ? html` <span class="muted">${so.namespace}</span>` : null}` : null],
      ['Query metrics', (t.query_metrics || []).length ? names(t.query_metrics) : null],
      ['Dry-run', d ? html`<${Status} value=${d.status}/>${d.prometheus ? html` <span class="muted">asked</span> <code>${d.prometheus}</code>` : null}
        ${d.reason ? html`<div class="dry-run-reason">${d.reason}</div>` : null}` : html`<span class="muted">${t.type === 'prometheus' ? 'not run' : `none for ${t.type} triggers`}</span>`],
      ['Value', d && d.status !== 'skipped' ? html`<${ValueCell} d=${d}/>` : null],
      ['Would-be replicas', d?.replicas ? html`<${Replicas} r=${d.replicas}/>` : null],
      ['Workload metrics', wm ? html`<${Status} value=${wm.status}/> <${Source} at=${wm.source}/>
        ${wm.reason ? html`<div class="muted">${wm.reason}</div>` : null}` : null],
      ['Missing metrics', missing.length ? html`<${Missing} items=${missing}/>` : null],
    ]}/>
  </li>`;
}

function Keda({ data, params }) {
  const keda = (data.plugins || []).find((p) => p.id === 'keda');
  const left = (data.left_out || []).find((p) => p.id === 'keda');
  if (!keda && !left) return null;
  const page = pageOf('keda');
  const scalers = keda ? [...(keda.details?.scaled_objects || []), ...(keda.details?.scaled_jobs || [])] : [];
  const triggers = scalers.flatMap((so) => (so.triggers || []).map((t, i) => ({ so, t, i })));
  return html`<${Section} title="KEDA triggers against real metrics" id="keda-dry-run"
      actions=${page ? html`<a href=${pageHref(page, params)}>All KEDA scalers</a>` : null}>
    ${left ? html`<p class="notice-warn">Not checked: ${(left.scopes || []).length
        ? html`your token lacks ${left.scopes.map((sc, i) => html`${i ? ' and ' : ''}<code>${sc}</code>`)}` : left.reason}${extraReason(left) ? ` (${left.reason})` : ''}.</p>`
      : triggers.length ? html`<p class="muted">Each trigger's query run against Prometheus, and its metrics looked up in what the scaled workload exports.</p>
        <ul class="cards trigger-cards">${triggers.map(({ so, t, i }) => html`<${TriggerCard} key=${so.kind + so.name + i} so=${so} t=${t} i=${i}/>`)}</ul>`
      : html`<p class="muted">The workspace has no KEDA trigger.</p>`}
  </${Section}>`;
}

/** The plugin page to open an object in: the one with most of its findings, or (none failing) its first. */
function objectPage(o, findings) {
  const byPlugin = new Map();
  for (const f of findings) {
    if (f.object?.kind === o.kind && f.object?.name === o.name && (f.object?.namespace || '') === (o.namespace || '')) {
      byPlugin.set(f.plugin, (byPlugin.get(f.plugin) || 0) + 1);
    }
  }
  const ranked = [...(o.plugins || [])].sort((a, b) => (byPlugin.get(b) || 0) - (byPlugin.get(a) || 0));
  for (const id of ranked) {
    const page = pageOf(id);
    if (page?.findings) return { page, failing: byPlugin.get(id) || 0 };
  }
  return null;
}

function Objects({ data, params }) {
  const findings = data.findings || [];
  const rows = [...(data.objects || [])].sort((a, b) => (a.score ?? 100) - (b.score ?? 100)
    || (b.error ?? 0) - (a.error ?? 0) || (b.warning ?? 0) - (a.warning ?? 0) || objectLabel(a).localeCompare(objectLabel(b)));
  const columns = [
    { key: 'score', label: 'Score', value: (o) => o.score ?? 100, render: (o) => html`<${Score} value=${o.score}/>` },
    { key: 'object', label: 'Object', value: objectLabel, render: (o) => {
      const target = objectPage(o, findings);
      const text = html`${o.kind}/<wbr/>${o.name}`;
      return target ? html`<a href=${pageHref(target.page, params, { object: objectLabel(o), show: target.failing ? null : 'all' })}>${text}</a>` : text;
    } },
    { key: 'namespace', label: 'Namespace', render: (o) => o.namespace || dash },
    ...SEVERITIES.map((k) => ({ key: k, label: k[0].toUpperCase() + k.slice(1) + 's', value: (o) => o[k] ?? 0 })),
    { key: 'plugins', label: 'Checked by', value: (o) => (o.plugins || []).join(', ') },
    { key: 'file', label: 'File', render: (o) => (o.file ? html`<${Loc} at=${o}/>` : dash) },
  ];
  return html`<${Section} title=${`Objects (${rows.length})`} id="objects">
    <${DataTable} label="objects" caption="Objects, worst score first" rows=${rows} columns=${columns} pageSize=${15}
      rowKey=${(o) => [o.kind, o.namespace || '', o.name, o.file || ''].join('/')} initialSort=${{ key: 'score', dir: 'asc' }}
      empty="No object was checked."/>
  </${Section}>`;
}

export default function OverviewPage({ query }) {
  const params = paramsOf(query);
  const key = JSON.stringify(params);
  const { data, error, loading, reload } = useApi(() => api('/api/checks' + qs(params)), [key]);
  return html`<div class="deploy overview">
    <h1>Overview</h1>
    <p class="muted">Every plugin's check over one render of the workspace: scores as Polaris computes them, findings by plugin and severity, and the KEDA triggers tried against real metrics.</p>
    <${RenderForm} params=${params}/>
    ${loading ? html`<${Busy} label="Checking the workspace with every plugin…"/>` : null}
    <${Problem} error=${error} onRetry=${reload}/>
    ${data && !loading ? html`
      <${Summary} data=${data}/>
      <${Plugins} data=${data} params=${params}/>
      <${Keda} data=${data} params=${params}/>
      <${Objects} data=${data} params=${params}/>` : null}
  </div>`;
}
