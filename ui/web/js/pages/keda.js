// KEDA scalers (GET /api/keda/scalers): the ScaledObjects, ScaledJobs and TriggerAuthentications of the rendered
// chart and raw manifests as KEDA's admission webhook would check them, the chart's KEDA values and the scalers
// template they feed, then the findings and the rules.
import { html } from '../html.js';
import { api } from '../api.js';
import { Badge, Busy, DataTable, KeyValues, Problem, Section, useApi } from '../ui.js';
import { EngineNotice, FindingList, FindingsTable, Loc, RulesSection, fileLine, findingsOf } from '../findings.js';

const PATH = '/deployments/keda';

const loc = (x) => html`<${Loc} at=${x}/>`;
const dash = html`<span class="muted">–</span>`;
const name = (x) => html`<strong>${x.name}</strong>${x.namespace ? html` <span class="muted">${x.namespace}</span>` : null}`;

function Trigger({ t }) {
  const meta = Object.entries(t.metadata || {});
  return html`<li><code>${t.type}</code>${t.name ? html` <strong>${t.name}</strong>` : null}${t.metricType ? html` <span class="muted">${t.metricType}</span>` : null}
    ${meta.length ? html`<dl class="kv trigger-meta">${meta.map(([k, v]) => html`<dt>${k}</dt><dd><code>${String(v)}</code></dd>`)}</dl>` : null}
    ${t.authenticationRef ? html`<div>auth <code>${t.authenticationRef.kind}/${t.authenticationRef.name}</code> <${Badge} ok=${t.authenticationRef.exists} yes="exists" no="missing"/></div>` : null}
  </li>`;
}

const replicas = (s) => `${s.idleReplicaCount ?? '–'} / ${s.minReplicaCount ?? '–'} / ${s.maxReplicaCount ?? '–'}`;

/** A ScaledObject or ScaledJob: what it scales, between which bounds, on which triggers. */
function ScalerCard({ s, data, query }) {
  const job = s.kind === 'ScaledJob';
  return html`<li class="card scaler-card" data-scaler=${s.name}>
    <div class="app-head"><h3>${s.name}</h3><span class="badge badge-kind">${s.kind}</span>
      ${s.deprecated_api ? html`<span class="badge badge-warn">deprecated ${s.apiVersion}</span>` : null}</div>
    <${KeyValues} entries=${[
      ['Namespace', s.namespace],
      [job ? 'Job containers' : 'Scale target', job
        ? html`<span class="chips">${(s.job_containers || []).map((c) => html`<code>${typeof c === 'string' ? c : c.name}</code> `)}</span>`
        : s.target ? html`<code>${s.target.kind}/${s.target.name}</code> <${Badge} ok=${s.target.exists} yes="found" no="missing"/>` : dash],
      ['Replicas', html`${replicas(s)} <span class="muted">(idle / min / max)</span>`],
      ['Polling / cooldown', `${s.pollingInterval ?? '–'} s / ${s.cooldownPeriod ?? '–'} s`],
      ['Fallback', s.fallback ? `after ${s.fallback.failureThreshold ?? '–'} failures: ${s.fallback.replicas ?? '–'} replicas` : null],
      ['Triggers', html`<ul class="plain triggers">${(s.triggers || []).map((t) => html`<${Trigger} t=${t}/>`)}</ul>`],
      ['Origin', s.origin],
      ['Defined at', loc(s)],
    ]}/>
    <h4>Findings</h4>
    <${FindingList} path=${PATH} query=${query} findings=${findingsOf(data.findings, s.kind, s.name)} ignored=${findingsOf(data.ignored, s.kind, s.name)}/>
  </li>`;
}

function Scalers({ rows, title, id, data, query }) {
  return html`<${Section} title=${`${title} (${rows.length})`} id=${id}>
    ${rows.length ? html`<ul class="cards scaler-cards">${rows.map((s) => html`<${ScalerCard} s=${s} data=${data} query=${query}/>`)}</ul>`
      : html`<p class="muted">No ${title}.</p>`}
  </${Section}>`;
}

function TriggerAuths({ rows }) {
  return html`<${Section} title=${`TriggerAuthentications (${rows.length})`} id="trigger-auths">
    <${DataTable} label="TriggerAuthentications" rows=${rows} rowKey=${(s) => s.kind + s.namespace + '/' + s.name} filter=${rows.length > 5}
      empty="No TriggerAuthentication." columns=${[
        { key: 'name', label: 'Name', render: name },
        { key: 'kind', label: 'Kind' },
        { key: 'sources', label: 'Sources', render: (a) => (a.sources || []).join(', ') || dash },
        { key: 'podIdentity', label: 'Pod identity', render: (a) => (a.podIdentity ? html`<code>${typeof a.podIdentity === 'string' ? a.podIdentity : JSON.stringify(a.podIdentity)}</code>` : dash) },
        { key: 'secrets_referenced', label: 'Secrets referenced', sortable: false, render: (a) => html`<ul class="plain">${(a.secrets_referenced || []).map((s) => html`<li><code>${s}</code></li>`)}</ul>` },
        { key: 'origin', label: 'Origin' },
        { key: 'file', label: 'File:line', value: fileLine, render: loc },
      ]}/>
  </${Section}>`;
}

/** Nested values as dotted keys (prometheus.query), the way a --set flag names them. */
function flatten(obj, prefix = '') {
  return Object.entries(obj || {}).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v)
    ? flatten(v, prefix + k + '.') : [[prefix + k, html`<code>${JSON.stringify(v)}</code>`]]));
}

function Values({ data }) {
  if (!data.values_path && !data.values_problem) return null;
  return html`<${Section} title="Values" id="values">
    <p>From <code>${data.values_path}</code>${data.values_problem ? html` <span class="badge badge-warn">${data.values_problem}</span>` : null}</p>
    <div class="values-grid">
      <div><h3>Scaled workload</h3><${KeyValues} entries=${flatten(data.values)}/></div>
      <div><h3>KEDA values</h3><${KeyValues} entries=${flatten(data.keda_values)}/></div>
    </div>
  </${Section}>`;
}

function Template({ data }) {
  if (data.keda_template_excerpt === undefined) return null;
  const t = data.keda_template || {};
  return html`<${Section} title="Template excerpt" id="template">
    <p class="muted"><code>${t.file}</code>, lines ${t.first_line}–${t.last_line}${t.truncated ? ' (truncated)' : ''}</p>
    ${data.keda_template_excerpt ? html`<pre class="template-excerpt" tabindex="0" aria-label="KEDA scalers template excerpt">${data.keda_template_excerpt}</pre>`
      : html`<p class="muted">The chart has no KEDA scalers template.</p>`}
  </${Section}>`;
}

export default function KedaPage({ query }) {
  const { data, error, loading } = useApi(() => api('/api/keda/scalers'), []);
  const objects = data ? [...data.scaled_objects, ...data.scaled_jobs, ...data.trigger_authentications] : [];
  return html`<div class="deploy">
    <h1>KEDA scalers</h1>
    <p class="muted">ScaledObjects, ScaledJobs and TriggerAuthentications of the rendered chart and raw manifests, checked like KEDA's admission webhook.</p>
    ${loading ? html`<${Busy} label="Reading the KEDA scalers…"/>` : null}
    <${Problem} error=${error}/>
    ${data && !loading ? html`
      <${EngineNotice} summary=${data.summary} detail=${data.chart ? html`chart <code>${data.chart.dir}</code>, ${data.chart.objects} objects${(data.manifests || []).length ? ', manifests ' + data.manifests.join(', ') : ''}` : 'no chart'}>
        ${(data.chart?.problems || []).length ? html`<ul class="notice-warn">${data.chart.problems.map((p) => html`<li>${typeof p === 'string' ? p : JSON.stringify(p)}</li>`)}</ul>` : null}
      </${EngineNotice}>
      <${Scalers} rows=${data.scaled_objects} title="ScaledObjects" id="scaled-objects" data=${data} query=${query}/>
      <${Scalers} rows=${data.scaled_jobs} title="ScaledJobs" id="scaled-jobs" data=${data} query=${query}/>
      <${TriggerAuths} rows=${data.trigger_authentications}/>
      <${FindingsTable} path=${PATH} query=${query} answer=${data} objects=${objects}/>
      <${Values} data=${data}/>
      <${Template} data=${data}/>
      <${RulesSection} path=${PATH} query=${query} rules=${data.rules} findings=${data.findings}/>` : null}
  </div>`;
}
