// Karpenter node pools (GET /api/karpenter/nodepools): CPU and GPU pools as cards with their limits, taints,
// requirements and disruption settings, the chart's GPU workloads on the pool whose taint they tolerate (with
// what they need at their maximum replica count against the pool's limits), the node classes, findings and rules.
import { html } from '../html.js';
import { api } from '../api.js';
import { Badge, Busy, DataTable, KeyValues, Problem, Section, Severity, fmtNumber, useApi } from '../ui.js';
import { EngineNotice, FindingList, FindingsTable, Loc, RulesSection, fileLine, findingsOf, ruleHref } from '../findings.js';

const PATH = '/deployments/karpenter';
const dash = html`<span class="muted">–</span>`;

/** The API gives memory needs in bytes and limits as quantities: bytes are shown in Gi so the two compare. */
function quantity(resource, v) {
  if (resource === 'memory' && /^\d+$/.test(String(v))) return fmtNumber(Number(v) / 2 ** 30, 2) + 'Gi';
  return String(v ?? '–');
}

const taintText = (t) => `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}`;

function Requirements({ list }) {
  if (!list?.length) return dash;
  return html`<ul class="plain requirements">${list.map((r) => html`<li><code>${r.key}</code> ${r.operator}${' '}
    ${(r.values || []).length ? html`<code>${r.values.join(', ')}</code>` : null}${r.minValues ? html` <span class="muted">(min ${r.minValues})</span>` : null}</li>`)}</ul>`;
}

function Disruption({ d }) {
  if (!d) return dash;
  return html`<div>${d.consolidationPolicy || '–'}${d.consolidateAfter ? html` <span class="muted">after ${d.consolidateAfter}</span>` : null}</div>
    ${(d.budgets || []).length ? html`<ul class="plain">${d.budgets.map((b) => html`<li>budget ${b.nodes} node${b.nodes === '1' ? '' : 's'}${b.schedule ? html` <span class="muted">during <code>${b.schedule}</code> for ${b.duration}</span>` : null}${b.reasons ? html` <span class="muted">(${b.reasons.join(', ')})</span>` : null}</li>`)}</ul>` : null}`;
}

function Needs({ w }) {
  return html`<table class="data needs"><caption>At ${w.max_replicas ?? '–'} replicas <span class="muted">(${w.max_replicas_source || 'replicas'})</span></caption>
    <thead><tr><th scope="col">Resource</th><th scope="col">Needs</th><th scope="col">Pool limit</th></tr></thead>
    <tbody>${Object.entries(w.needs || {}).map(([r, n]) => html`<tr><th scope="row"><code>${r}</code></th>
      <td class="num">${quantity(r, n.need)}</td><td class="num">${n.limit ?? 'none'}</td></tr>`)}</tbody></table>`;
}

function Workload({ w }) {
  return html`<li class="workload" data-workload=${w.name}><strong>${w.kind}/${w.name}</strong> <span class="muted">${w.namespace}</span>${' '}
    <${Badge} ok=${w.fits} yes="fits the limits" no="exceeds the limits"/>
    <div class="muted">per pod: ${Object.entries(w.gpu_per_pod || {}).map(([k, v]) => `${v} ${k}`).join(', ')} · <${Loc} at=${w}/></div>
    <${Needs} w=${w}/></li>`;
}

function PoolCard({ pool, data, query }) {
  const gpu = pool.class === 'gpu';
  const landing = (data.gpu_workloads || []).filter((w) => w.pool === pool.name);
  return html`<li class=${'card pool-card pool-' + (pool.class || 'other')} data-pool=${pool.name}>
    <div class="app-head"><h3>${pool.name}</h3><span class="badge badge-kind">${(pool.class || 'other').toUpperCase()}</span>
      ${pool.deprecated_api ? html`<span class="badge badge-warn">deprecated ${pool.apiVersion}</span>` : null}</div>
    <${KeyValues} entries=${[
      ['Limits', Object.keys(pool.limits || {}).length ? html`<span class="chips">${Object.entries(pool.limits).map(([k, v]) => html`<code>${k}: ${v}</code> `)}</span>` : html`<span class="badge badge-warn">no limits</span>`],
      ['Taints', (pool.taints || []).length ? html`<span class="chips">${pool.taints.map((t) => html`<code>${taintText(t)}</code> `)}</span>` : 'none'],
      ['Requirements', html`<${Requirements} list=${pool.requirements}/>`],
      ['Labels', Object.keys(pool.labels || {}).length ? html`<span class="chips">${Object.entries(pool.labels).map(([k, v]) => html`<code>${k}=${v}</code> `)}</span>` : null],
      ['Disruption', html`<${Disruption} d=${pool.disruption}/>`],
      ['Weight', pool.weight != null ? String(pool.weight) : null],
      ['Node class', pool.nodeClassRef ? html`<code>${pool.nodeClassRef.kind}/${pool.nodeClassRef.name}</code> <${Badge} ok=${pool.node_class_resolves} yes="resolves" no="missing"/>` : dash],
      ['GPU instances', gpu ? null : html`<${Badge} ok=${pool.excludes_gpu_instances} yes="excluded" no="not excluded"/>`],
      ['Defined at', html`<${Loc} at=${pool}/>`],
    ]}/>
    <h4>Workloads that land here</h4>
    ${gpu ? (landing.length ? html`<ul class="plain workloads">${landing.map((w) => html`<${Workload} w=${w}/>`)}</ul>`
      : html`<p class="muted">No GPU workload of the chart tolerates this pool's taints.</p>`)
      : html`<p class="muted">Pods that request no GPU and tolerate no GPU taint; the answer lists GPU workloads only.</p>`}
    <h4>Findings</h4>
    <${FindingList} path=${PATH} query=${query} findings=${findingsOf(data.findings, pool.kind, pool.name)} ignored=${findingsOf(data.ignored, pool.kind, pool.name)}/>
  </li>`;
}

function Pools({ data, query, cls, title }) {
  const pools = data.nodepools.filter((p) => (cls ? p.class === cls : p.class !== 'cpu' && p.class !== 'gpu'));
  if (!cls && !pools.length) return null;
  return html`<${Section} title=${`${title} (${pools.length})`} id=${'pools-' + (cls || 'other')}>
    ${pools.length ? html`<ul class="cards pool-cards">${pools.map((p) => html`<${PoolCard} pool=${p} data=${data} query=${query}/>`)}</ul>`
      : html`<p class="notice-warn">No ${title.toLowerCase()} in <code>${data.path}</code>.</p>`}
  </${Section}>`;
}

function Unplaced({ data }) {
  const rows = (data.gpu_workloads || []).filter((w) => !w.pool);
  if (!rows.length) return null;
  return html`<${Section} title="GPU workloads without a pool" id="unplaced">
    <p class="muted">These tolerate the taints of no GPU pool, or of more than one.</p>
    <ul class="plain workloads">${rows.map((w) => html`<li><strong>${w.kind}/${w.name}</strong> <span class="muted">pools: ${(w.pools || []).join(', ') || 'none'}</span> <${Loc} at=${w}/></li>`)}</ul>
  </${Section}>`;
}

function NodeClasses({ rows, data, query }) {
  return html`<${Section} title=${`Node classes (${rows.length})`} id="node-classes">
    <${DataTable} label="node classes" rows=${rows} rowKey=${(c) => c.kind + c.name} filter=${rows.length > 5} empty="No node class."
      columns=${[
        { key: 'name', label: 'Name', render: (c) => html`<strong>${c.name}</strong><div class="muted">${(c.used_by || []).length ? 'used by ' + c.used_by.join(', ') : html`<span class="badge badge-warn">unused</span>`}</div>` },
        { key: 'kind', label: 'Kind', render: (c) => html`${c.kind}${c.deprecated_api ? html` <span class="badge badge-warn">deprecated ${c.apiVersion}</span>` : null}` },
        { key: 'role', label: 'Role / profile', render: (c) => c.role || c.instanceProfile || dash },
        { key: 'ami', label: 'AMI', sortable: false, render: (c) => html`${c.amiFamily ? html`<code>${c.amiFamily}</code> ` : null}${(c.amiSelectorTerms || []).map((t) => html`<code>${Object.entries(t).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')}</code> `)}` },
        { key: 'subnetSelectorTerms', label: 'Subnet / SG terms', render: (c) => `${c.subnetSelectorTerms ?? 0} / ${c.securityGroupSelectorTerms ?? 0}` },
        { key: 'file', label: 'File:line', value: fileLine, render: (c) => html`<${Loc} at=${c}/>` },
        { key: 'findings', label: 'Findings', sortable: false, value: (c) => findingsOf(data.findings, c.kind, c.name).map((f) => f.check).join(' '),
          render: (c) => {
            const list = findingsOf(data.findings, c.kind, c.name);
            return list.length ? html`${list.map((f) => html`<div><${Severity} value=${f.severity}/> <a href=${ruleHref(PATH, query, f.check)}>${f.check}</a></div>`)}`
              : html`<span class="badge badge-ok">no findings</span>`;
          } },
      ]}/>
  </${Section}>`;
}

export default function KarpenterPage({ query }) {
  const { data, error, loading } = useApi(() => api('/api/karpenter/nodepools'), []);
  const objects = data ? [...data.nodepools, ...data.node_classes].map((o) => ({ ...o, namespace: null })) : [];
  return html`<div class="deploy">
    <h1>Karpenter node pools</h1>
    <p class="muted">NodePools and node classes checked like Karpenter's CRD validation, split into CPU and GPU pools, with the chart's GPU workloads against the GPU pools' taints and limits.</p>
    ${loading ? html`<${Busy} label="Reading the node pools…"/>` : null}
    <${Problem} error=${error}/>
    ${data && !loading ? html`
      <${EngineNotice} summary=${data.summary} detail=${html`<code>${data.path}</code>${data.chart ? html`, workloads from chart <code>${data.chart.dir}</code>` : null}`}/>
      <div class="pool-columns">
        <${Pools} data=${data} query=${query} cls="cpu" title="CPU node pools"/>
        <${Pools} data=${data} query=${query} cls="gpu" title="GPU node pools"/>
      </div>
      <${Pools} data=${data} query=${query} title="Other node pools"/>
      <${Unplaced} data=${data}/>
      <${NodeClasses} rows=${data.node_classes} data=${data} query=${query}/>
      <${FindingsTable} path=${PATH} query=${query} answer=${data} objects=${objects}/>
      <${RulesSection} path=${PATH} query=${query} rules=${data.rules} findings=${data.findings}/>` : null}
  </div>`;
}
