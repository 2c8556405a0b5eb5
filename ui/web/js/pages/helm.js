// The workspace chart rendered and checked (GET /api/helm/checks): a form for the render inputs (chart, values
// files, kubeVersion, Argo CD app), the engine that rendered it, the schema and policy results, the findings, the
// rendered objects and the rules.
// With several values files the findings show side by side (a values matrix) or in one table.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, query as qs } from '../api.js';
import { href, navigate } from '../router.js';
import { availability } from '../state.js';
import { PAGES } from '../pages.js';
import { Busy, DataTable, Field, KeyValues, Problem, Section, Tabs, useApi } from '../ui.js';
import { EngineNotice, FindingsTable, Loc, RulesSection, setParams, withParams } from '../findings.js';
import { ValuesMatrix } from '../valuesmatrix.js';
import { SchemaPolicies } from '../schemapolicies.js';
import { splitValues, ValuesFiles } from '../renderinputs.js';

const PATH = '/deployments/helm';

function renderParams(query) {
  return { chart: query.get('chart') || '', values: splitValues(query.get('values')),
    kubeVersion: query.get('kubeVersion') || '', app: query.get('app') || '' };
}

function loadChecks(params) {
  return api('/api/helm/checks' + qs(params));
}

/** One answer per values file (the API combines several under `results`); each keeps its file on its rows. */
function runsOf(data) {
  return (data.results || [data]).map((r) => {
    const tag = (list) => (list || []).map((x) => ({ ...x, values: r.values || '(chart values)' }));
    return { ...r, findings: tag(r.findings), ignored: tag(r.ignored), objects: tag(r.objects) };
  });
}

/** Argo CD app names for the form's suggestions; only a hint, so a failure leaves the field free text. */
function useAppNames() {
  const [names, setNames] = useState([]);
  useEffect(() => {
    const argocd = PAGES.find((p) => p.id === 'argocd');
    if (availability(argocd).state !== 'ok') return;
    api('/api/argocd/apps').then((d) => setNames((d.apps || []).map((a) => a.name)), () => setNames([]));
  }, []);
  return names;
}

function RenderForm({ params, query }) {
  const [chart, setChart] = useState(params.chart);
  const [values, setValues] = useState(params.values.length ? params.values : ['']);
  const [kube, setKube] = useState(params.kubeVersion);
  const [app, setApp] = useState(params.app);
  const apps = useAppNames();
  const key = JSON.stringify(params);
  useEffect(() => { // a link or Back changed the inputs: the form shows what is rendered
    setChart(params.chart); setValues(params.values.length ? params.values : ['']); setKube(params.kubeVersion); setApp(params.app);
  }, [key]);
  const submit = (e) => {
    e.preventDefault();
    navigate(PATH, withParams(query, { chart: chart.trim(), values: values.map((v) => v.trim()).filter(Boolean).join(','),
      kubeVersion: kube.trim(), app: app.trim(), rule: null }));
  };
  return html`<form class="inline render-form" onSubmit=${submit} aria-label="Render inputs">
    <${Field} label="Chart folder" hint="Workspace path; empty: the configured chart.">
      <input name="chart" value=${chart} placeholder="manifests/helm/hypergraph" onInput=${(e) => setChart(e.currentTarget.value)}/></${Field}>
    <${Field} label="Kubernetes version" hint="e.g. 1.31.0; empty: the server's default.">
      <input name="kubeVersion" value=${kube} size="10" placeholder="1.31.0" onInput=${(e) => setKube(e.currentTarget.value)}/></${Field}>
    <${Field} label="Argo CD app" hint="Render with the values that Application passes.">
      <input name="app" value=${app} list="helm-app-names" size="18" onInput=${(e) => setApp(e.currentTarget.value)}/>
      <datalist id="helm-app-names">${apps.map((n) => html`<option value=${n}/>`)}</datalist></${Field}>
    <${ValuesFiles} values=${values} onChange=${setValues}
      hint="A file beside the chart or a workspace path. Each file is rendered on its own."/>
    <div class="form-actions"><button type="submit" class="primary">Render and check</button>
    <a href=${href(PATH)}>Defaults</a></div>
  </form>`;
}

function Engines({ runs }) {
  const attempts = runs.flatMap((r) => (r.engines || []).map((a) => ({ ...a, values: r.values || '(chart values)' })));
  if (!attempts.length) return null;
  return html`<details class="engine-attempts"><summary>Engines tried (${attempts.length})</summary>
    <ul class="plain">${attempts.map((a) => html`<li><code>${a.engine}</code> <span class=${'badge ' + (a.outcome === 'rendered' ? 'badge-ok' : 'badge-warn')}>${a.outcome}</span>
      ${a.reason ? html` <span class="muted">${a.reason}</span>` : null} <span class="muted">${a.duration_ms} ms${runs.length > 1 ? ' · ' + a.values : ''}</span></li>`)}</ul>
  </details>`;
}

function ChartInfo({ data, runs }) {
  const first = runs[0];
  const c = first.chart || {};
  const app = first.app;
  return html`<${KeyValues} entries=${[
    ['Chart', c.name ? html`<strong>${c.name}</strong> ${c.version} <span class="muted">(app ${c.appVersion}, kubeVersion ${c.kubeVersion || 'any'})</span>` : null],
    ['Chart folder', html`<code>${data.chart_dir}</code>`],
    ['Release', first.release ? `${first.release.namespace}/${first.release.name}` : null],
    ['Kubernetes version', first.kube_version],
    ['Values files', runs.map((r) => r.values).filter(Boolean).join(', ') || 'the chart\'s own values.yaml'],
    ['Argo CD app', app ? html`<strong>${app.name}</strong> <span class="muted">(${app.manifest}, release ${app.release}${app.value_files?.length ? ', values ' + app.value_files.join(', ') : ''})</span>` : null],
  ]}/>`;
}

function Objects({ runs }) {
  const rows = runs.flatMap((r) => r.objects);
  const cols = [
    { key: 'kind', label: 'Kind' },
    { key: 'name', label: 'Name' },
    { key: 'namespace', label: 'Namespace' },
    { key: 'apiVersion', label: 'API version' },
    { key: 'file', label: 'Template', render: (o) => html`<code>${o.file}</code>` },
  ];
  if (runs.length > 1) cols.push({ key: 'values', label: 'Values file' });
  return html`<${Section} title=${`Rendered objects (${rows.length})`} id="objects">
    <${DataTable} label="objects" rows=${rows} columns=${cols} rowKey=${(o, i) => o.values + o.kind + o.name + i}
      initialSort=${{ key: 'kind', dir: 'asc' }} empty="The chart rendered no objects."/>
  </${Section}>`;
}

const VIEWS = [{ id: 'matrix', label: 'Side by side' }, { id: 'table', label: 'One table' }];
const viewOf = (query) => (query.get('view') === 'table' ? 'table' : 'matrix');

/** Several values files: the matrix (the default) or the one table, chosen by tabs kept in the hash (?view=). */
function Findings({ query, runs, answer }) {
  if (runs.length < 2) {
    return html`<${FindingsTable} path=${PATH} query=${query} answer=${answer} objects=${runs.flatMap((r) => r.objects)}/>`;
  }
  const view = viewOf(query);
  const valuesColumn = [{ key: 'values', label: 'Values file', sortable: false, render: (r) => html`<${Loc} at=${{ file: r.values }}/>` }];
  return html`<${Tabs} label="Findings view" current=${'values-' + view}
      tabs=${VIEWS.map((v) => ({ id: 'values-' + v.id, label: v.label }))}
      onChange=${(id) => setParams(PATH, query, { view: id.replace('values-', ''), rule: null })}/>
    <div role="tabpanel" aria-labelledby=${'tab-values-' + view}>
      ${view === 'matrix' ? html`<${ValuesMatrix} path=${PATH} query=${query} runs=${runs}/>`
        : html`<${FindingsTable} path=${PATH} query=${query} answer=${answer} objects=${runs.flatMap((r) => r.objects)} extraColumns=${valuesColumn}/>`}
    </div>`;
}

export default function HelmPage({ query }) {
  const params = renderParams(query);
  const key = JSON.stringify(params);
  const { data, error, loading } = useApi(() => loadChecks(params), [key]);
  const runs = data ? runsOf(data) : [];
  const answer = data && { summary: data.summary, findings: runs.flatMap((r) => r.findings), ignored: runs.flatMap((r) => r.ignored) };
  return html`<div class="deploy">
    <h1>Helm chart</h1>
    <p class="muted">The workspace chart rendered by a helm binary, the embedded Helm engine or, failing both, read as text; every workload checked.</p>
    <${RenderForm} params=${params} query=${query}/>
    ${loading ? html`<${Busy} label="Rendering and checking the chart…"/>` : null}
    <${Problem} error=${error}/>
    ${data && !loading ? html`
      <${EngineNotice} summary=${data.summary} detail=${data.rendered === false ? 'not rendered' : 'rendered'}><${Engines} runs=${runs}/></${EngineNotice}>
      <${ChartInfo} data=${data} runs=${runs}/>
      <${SchemaPolicies} path=${PATH} query=${query} findings=${answer.findings} rules=${data.rules} several=${runs.length > 1}/>
      <${Findings} query=${query} runs=${runs} answer=${answer}/>
      <${Objects} runs=${runs}/>
      <${RulesSection} path=${PATH} query=${query} rules=${data.rules} findings=${answer.findings}/>` : null}
  </div>`;
}
