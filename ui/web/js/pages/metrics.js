// Scrape many Prometheus endpoints at once (POST /api/metrics/aggregate): a form of endpoints (URL, name,
// profile from GET /api/metrics/profiles) and expected families, kept in sessionStorage so a reload keeps it,
// then which expected family is present or missing where, each endpoint's status and reason, the largest
// families by series, and the naming lint and conformance findings.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, apiUrl } from '../api.js';
import { Badge, Busy, DataTable, Field, KeyValues, Problem, Section, Severity, fmtNumber, useApi } from '../ui.js';

const STORE = 'controlplane.metrics.form';

/** The control plane's own /metrics as the browser reaches it; loopback passes the SSRF guard's defaults. */
function ownMetricsUrl() {
  return new URL(apiUrl('/metrics'), location.href).href;
}

function defaultForm() {
  return { rows: [{ url: ownMetricsUrl(), name: 'control-plane', profile: '' }], expect: 'controlplane_http_requests_total', timeout: '' };
}

function loadForm() {
  try {
    const f = JSON.parse(sessionStorage.getItem(STORE));
    if (f && Array.isArray(f.rows) && f.rows.length) return { ...defaultForm(), ...f };
  } catch { /* a damaged entry falls back to the defaults */ }
  return defaultForm();
}

const familiesOf = (text) => [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];

/** The request body the form describes; empty names and profiles are left to the server's defaults. */
function bodyOf(form) {
  const body = {
    endpoints: form.rows.filter((r) => r.url.trim()).map((r) => ({
      url: r.url.trim(), ...(r.name.trim() ? { name: r.name.trim() } : {}), ...(r.profile ? { profile: r.profile } : {}),
    })),
    expect: familiesOf(form.expect),
  };
  if (form.timeout) body.timeout_ms = Number(form.timeout);
  return body;
}

function EndpointRow({ row, index, profiles, count, onChange, onRemove }) {
  const set = (key) => (e) => onChange({ ...row, [key]: e.currentTarget.value });
  return html`<fieldset class="obs-endpoint">
    <legend>Endpoint ${index + 1}</legend>
    <${Field} label="URL"><input type="url" required size="42" value=${row.url} onInput=${set('url')}
      placeholder="http://gateway.ml.svc:9090/metrics"/></${Field}>
    <${Field} label="Name"><input value=${row.name} size="16" onInput=${set('name')} placeholder="host:port"/></${Field}>
    <${Field} label="Profile"><select value=${row.profile} onChange=${set('profile')}>
      <option value="">(none)</option>
      ${profiles.map((p) => html`<option value=${p.name}>${p.name}</option>`)}
    </select></${Field}>
    <button type="button" onClick=${onRemove} disabled=${count === 1}>Remove</button>
  </fieldset>`;
}

function Profiles({ profiles }) {
  if (!profiles.length) return null;
  return html`<details class="obs-profiles"><summary>What each profile expects</summary>
    <dl class="kv">${profiles.map((p) => html`<dt><code>${p.name}</code></dt><dd>${p.families.map((f) => html`<code>${f}</code> `)}</dd>`)}</dl>
  </details>`;
}

function ScrapeForm({ form, setForm, profiles, onSubmit, busy }) {
  const setRow = (i, row) => setForm({ ...form, rows: form.rows.map((r, j) => (j === i ? row : r)) });
  const removeRow = (i) => setForm({ ...form, rows: form.rows.filter((_, j) => j !== i) });
  const addRow = () => setForm({ ...form, rows: [...form.rows, { url: '', name: '', profile: '' }] });
  return html`<form class="obs-form" onSubmit=${(e) => { e.preventDefault(); onSubmit(); }}>
    ${form.rows.map((row, i) => html`<${EndpointRow} key=${i} row=${row} index=${i} profiles=${profiles} count=${form.rows.length}
      onChange=${(r) => setRow(i, r)} onRemove=${() => removeRow(i)}/>`)}
    <div class="obs-actions"><button type="button" onClick=${addRow}>Add endpoint</button>
    <p class="hint obs-ssrf">The server scrapes from where it runs. Its guard against server-side request forgery allows
      loopback and in-cluster services (<code>*.svc</code>) by default; other targets need
      <code>plugins.metrics.ssrf.allow</code>, else they show as <code>refused</code>.</p></div>
    <div class="obs-form-grid">
      <${Field} label="Expected families" wide hint="One per line (or separated by commas); every endpoint must expose them, on top of its profile's.">
        <textarea rows="3" value=${form.expect} onInput=${(e) => setForm({ ...form, expect: e.currentTarget.value })}></textarea>
      </${Field}>
      <${Field} label="Timeout per endpoint (ms)" hint="Empty: the server's plugins.metrics.timeout-ms.">
        <input type="number" min="1" max="60000" size="8" value=${form.timeout} onInput=${(e) => setForm({ ...form, timeout: e.currentTarget.value })}/>
      </${Field}>
    </div>
    <div class="obs-actions">
      <button type="submit" class="primary" disabled=${busy}>Scrape</button>
      <button type="button" onClick=${() => setForm(defaultForm())}>Reset to defaults</button>
    </div>
  </form>`;
}

const STATUS_OK = { up: 'badge-ok', timeout: 'badge-warn', too_large: 'badge-warn' };
const StatusBadge = ({ status }) => html`<span class=${'badge ' + (STATUS_OK[status] || 'badge-bad')}>${status}</span>`;

/** Expected families × endpoints: each cell says present or missing in words, not only in colour. */
function Matrix({ data }) {
  const endpoints = data.endpoints || [];
  const expected = data.summary?.expected || [];
  if (!expected.length) return html`<p class="muted">No expected families: name some above or pick a profile.</p>`;
  const cell = (ep, family) => {
    if (ep.expected_present.includes(family)) return html`<span class="badge badge-ok">✓ present</span>`;
    if (!ep.expected_missing.includes(family)) return html`<span class="muted">not expected</span>`;
    return html`<span class="badge badge-bad">✗ missing</span>${ep.status !== 'up' ? html` <span class="muted">(${ep.status})</span>` : null}`;
  };
  return html`<div class="table-wrap"><table class="data obs-matrix">
    <caption>Each expected family on each endpoint: present or missing</caption>
    <thead><tr><th scope="col">Family</th><th scope="col">Present on</th>
      ${endpoints.map((ep) => html`<th scope="col" title=${ep.url}>${ep.name}</th>`)}</tr></thead>
    <tbody>${expected.map((x) => html`<tr data-family=${x.family}>
      <th scope="row"><code>${x.family}</code></th>
      <td class="num">${x.text}</td>
      ${endpoints.map((ep) => html`<td data-endpoint=${ep.name}>${cell(ep, x.family)}</td>`)}
    </tr>`)}</tbody>
  </table></div>`;
}

function Endpoints({ data }) {
  return html`<${DataTable} label="endpoints" rows=${data.endpoints} rowKey=${(e, i) => i} filter=${data.endpoints.length > 10}
    rowClass=${(e) => (e.status === 'up' ? '' : 'row-bad')} columns=${[
      { key: 'name', label: 'Endpoint', render: (e) => html`<strong>${e.name}</strong><br/><code class="obs-url">${e.url}</code>` },
      { key: 'profile', label: 'Profile', render: (e) => e.profile || html`<span class="muted">–</span>` },
      { key: 'status', label: 'Status', render: (e) => html`<${StatusBadge} status=${e.status}/>` },
      { key: 'error', label: 'Reason', render: (e) => (e.error ? html`<span class="reason">${e.error}</span>` : html`<span class="muted">–</span>`) },
      { key: 'http_status', label: 'HTTP', render: (e) => String(e.http_status ?? '–') },
      { key: 'duration_ms', label: 'Took (ms)', render: (e) => html`<span class="num">${fmtNumber(e.duration_ms, 0)}</span>` },
      { key: 'bytes', label: 'Bytes', render: (e) => html`<span class="num">${fmtNumber(e.bytes, 0)}</span>` },
      { key: 'format', label: 'Format', render: (e) => e.format || html`<span class="muted">–</span>` },
      { key: 'family_count', label: 'Families / samples', render: (e) => html`<span class="num">${e.family_count} / ${e.sample_count}</span>` },
      { key: 'missing', label: 'Missing', value: (e) => e.expected_missing.length,
        render: (e) => (e.expected_missing.length ? html`<${Badge} ok=${false} no=${e.expected_missing.length + ' missing'}/>` : html`<${Badge} ok yes="none"/>`) },
    ]}/>`;
}

function Cardinality({ card }) {
  return html`${card.warnings.length ? html`<ul class="obs-warnings">${card.warnings.map((w) => html`<li><${Severity} value="warning"/> ${w}</li>`)}</ul>` : null}
    <${DataTable} label="families by series" rows=${card.top} filter=${false} rowKey=${(t) => t.family}
      empty="No family was scraped." columns=${[
        { key: 'family', label: 'Family', render: (t) => html`<code>${t.family}</code>` },
        { key: 'series', label: 'Series (largest endpoint)', render: (t) => html`<span class=${'num' + (t.series > card.warn_series ? ' obs-over' : '')}>${fmtNumber(t.series, 0)}</span>` },
        { key: 'endpoint', label: 'On endpoint' },
        { key: 'total_series', label: 'Series on all endpoints', render: (t) => html`<span class="num">${fmtNumber(t.total_series, 0)}</span>` },
      ]}/>
    <p class="hint">Above ${fmtNumber(card.warn_series, 0)} series on one endpoint a family is flagged (<code>plugins.metrics.cardinality.warn-series</code>).</p>`;
}

/** Naming lint (per family shape) and exposition conformance (per endpoint) as one findings table. */
function Findings({ data }) {
  const rows = [
    ...(data.summary.lint || []).map((l) => ({ kind: 'naming lint', severity: l.severity, rule: l.rule, where: html`<code>${l.family}</code> on ${l.endpoints} endpoint${l.endpoints === 1 ? '' : 's'}`, whereText: l.family, message: l.message })),
    ...data.endpoints.flatMap((e) => (e.conformance || []).map((m) => ({ kind: 'conformance', severity: 'error', rule: 'exposition', where: e.name, whereText: e.name, message: m }))),
  ];
  return html`<${DataTable} label="findings" rows=${rows} filter=${rows.length > 10} empty="No naming lint or conformance finding."
    columns=${[
      { key: 'severity', label: 'Severity', render: (r) => html`<${Severity} value=${r.severity}/>` },
      { key: 'kind', label: 'Kind' },
      { key: 'rule', label: 'Rule', render: (r) => html`<code>${r.rule}</code>` },
      { key: 'where', label: 'Where', value: (r) => r.whereText, render: (r) => r.where },
      { key: 'message', label: 'Message' },
    ]}/>`;
}

function Results({ data }) {
  const s = data.summary;
  const statuses = Object.entries(s.by_status || {}).filter(([, n]) => n > 0);
  const top = useRef(null);
  // the form fills the screen: bring the answer into view when it arrives
  useEffect(() => top.current?.scrollIntoView({ block: 'start' }), [data]);
  return html`<div data-testid="metrics-results" ref=${top}>
    <${Section} title="Summary" id="m-summary">
      <${KeyValues} entries=${[
        ['Endpoints', String(s.endpoints)],
        ['Up / not up', `${s.up} / ${s.down}`],
        ['By status', statuses.map(([k, n]) => html`<${StatusBadge} status=${k}/> ${n} `)],
        ['Families on every scraped endpoint', String(s.families.on_all.length)],
        ['Expected families exposed nowhere', s.families.on_none.length ? s.families.on_none.map((f) => html`<code>${f}</code> `) : 'none'],
      ]}/>
    </${Section}>
    <${Section} title="Expected families" id="m-matrix"><${Matrix} data=${data}/></${Section}>
    <${Section} title="Endpoints" id="m-endpoints"><${Endpoints} data=${data}/></${Section}>
    <${Section} title="Cardinality: largest families" id="m-card"><${Cardinality} card=${s.cardinality}/></${Section}>
    <${Section} title="Lint and conformance" id="m-lint"><${Findings} data=${data}/></${Section}>
  </div>`;
}

export default function MetricsPage() {
  const [form, setFormState] = useState(loadForm);
  const [request, setRequest] = useState(null);
  const profiles = useApi(() => api('/api/metrics/profiles'), []);
  const result = useApi(() => request && api('/api/metrics/aggregate', { method: 'POST', body: request.body }), [request]);
  const setForm = (f) => { setFormState(f); sessionStorage.setItem(STORE, JSON.stringify(f)); };
  const busy = request && result.loading;
  return html`<div class="obs">
    <h1>Metrics</h1>
    <p class="muted">Scrape Prometheus and OpenMetrics endpoints at once and see which expected metric families are missing where.</p>
    <${Section} title="Endpoints and profiles" id="m-form">
      ${profiles.loading ? html`<${Busy} label="Loading profiles…"/>` : null}
      <${Problem} error=${profiles.error} onRetry=${profiles.reload}/>
      <${ScrapeForm} form=${form} setForm=${setForm} profiles=${profiles.data?.profiles || []} busy=${busy}
        onSubmit=${() => setRequest({ body: bodyOf(form) })}/>
      <${Profiles} profiles=${profiles.data?.profiles || []}/>
      ${profiles.data?.matching ? html`<p class="hint">Matching: ${profiles.data.matching}.</p>` : null}
    </${Section}>
    ${busy ? html`<${Busy} label=${`Scraping ${request.body.endpoints.length} endpoint${request.body.endpoints.length === 1 ? '' : 's'}…`}/>` : null}
    <${Problem} error=${request ? result.error : null}/>
    ${request && result.data && !result.loading ? html`<${Results} data=${result.data}/>` : null}
  </div>`;
}
