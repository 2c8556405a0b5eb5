// What every check page (helm, argocd, keda, karpenter) shows of a check answer: the severity strip, the engine
// that produced it, the findings table (filters, sort, grouping by object, ignored and passing rows) and the
// tool's rules. Every bit of view state lives in the hash query, so a filtered view is a link to share.
import { useEffect } from 'preact/hooks';
import { html } from './html.js';
import { href, navigate } from './router.js';
import { Field, Section, Severity, SeverityCounts, severityRank } from './ui.js';

/** Hash query keys of the findings view; a page's own keys must not reuse them. */
const FILTER_KEYS = ['severity', 'check', 'object', 'namespace', 'file'];
export const FINDING_KEYS = [...FILTER_KEYS, 'show', 'group', 'sort', 'dir', 'rule'];
const NO_NAMESPACE = '(none)';

export const objectLabel = (o) => (o ? `${o.kind}/${o.name}` : '–');
const objectKey = (o) => [o?.kind, o?.namespace || '', o?.name].join('/');
export const fileLine = (x) => (x?.file ? x.file + (x.line ? ':' + x.line : '') : '');

/** file:line as code that may break after a slash (long template paths would otherwise widen the table). */
export function Loc({ at }) {
  const parts = fileLine(at).split('/');
  return html`<code class="loc">${parts.map((p, i) => (i < parts.length - 1 ? html`${p}/<wbr/>` : p))}</code>`;
}

/** The hash query as an object with patch applied (empty, null and false values drop the key). */
export function withParams(query, patch = {}) {
  const p = Object.fromEntries(query);
  for (const [k, v] of Object.entries(patch)) {
    if (v === '' || v == null || v === false) delete p[k];
    else p[k] = String(v);
  }
  return p;
}

/** Changes view state without a history entry per keystroke. */
export function setParams(path, query, patch) {
  navigate(path, withParams(query, patch), { replace: true });
}

/** The link a finding's check id carries: this page, same filters, with the rule selected in the rules list. */
export const ruleHref = (path, query, id) => href(path, withParams(query, { rule: id }));

/** Which engine answered and how long it took; a degraded answer says so prominently. */
export function EngineNotice({ summary, detail, children }) {
  if (!summary) return null;
  return html`<div class="engine-notice">
    <p><span class="muted">Engine</span> <strong data-testid="engine">${summary.engine || '–'}</strong>
      ${summary.duration_ms !== undefined ? html` <span class="muted">· ${summary.duration_ms} ms</span>` : null}
      ${detail ? html` <span class="muted">· ${detail}</span>` : null}</p>
    ${summary.degraded ? html`<p class="notice-warn" role="note"><strong>Degraded:</strong> the chart was not rendered,
      its templates were read as text. Findings that depend on computed values may be missing.</p>` : null}
    ${children}
  </div>`;
}

function rowsOf({ findings = [], ignored = [], objects = [], showAll }) {
  const rows = findings.map((f) => ({ ...f, status: 'failing' }));
  if (!showAll) return rows;
  rows.push(...ignored.map((f) => ({ ...f, status: 'ignored' })));
  // An object without any finding passed every check that applies to it: that is the per-object pass data.
  const seen = new Set(rows.map((r) => objectKey(r.object)));
  for (const o of objects) {
    const key = objectKey(o);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ status: 'pass', severity: 'pass', check: '', object: o, file: o.file, line: o.line,
      message: 'Passes every check that applies to it.' });
  }
  return rows;
}

function optionsOf(values) {
  return [...new Set(values.filter((v) => v !== undefined))].sort((a, b) => String(a).localeCompare(String(b)));
}

const nsOf = (r) => r.object?.namespace || NO_NAMESPACE;

function matches(r, f) {
  if ((f.severity || f.check) && r.status === 'pass') return false;
  if (f.severity && r.severity !== f.severity) return false;
  if (f.check && r.check !== f.check) return false;
  if (f.object && !objectLabel(r.object).toLowerCase().includes(f.object.toLowerCase())) return false;
  if (f.namespace && nsOf(r) !== f.namespace) return false;
  if (f.file && r.file !== f.file) return false;
  return true;
}

const SORTS = {
  severity: (r) => severityRank(r.severity) + (r.status === 'pass' ? 10 : 0),
  check: (r) => r.check,
  object: (r) => objectLabel(r.object),
  namespace: nsOf,
  location: (r) => r.file || '',
  status: (r) => r.status,
};

function compare(key, dir) {
  const v = SORTS[key] || SORTS.severity;
  const sign = dir === 'desc' ? -1 : 1;
  return (a, b) => {
    const x = v(a), y = v(b);
    let c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    if (c === 0 && key === 'location') c = (a.line || 0) - (b.line || 0);
    if (c === 0) c = String(a.check).localeCompare(String(b.check)) || (a.line || 0) - (b.line || 0);
    return sign * c;
  };
}

/** Rows in sort order, grouped by object in the order their first row appears, so grouping keeps the sort. */
function groupsOf(rows) {
  const groups = new Map();
  for (const r of rows) {
    const key = objectKey(r.object);
    if (!groups.has(key)) groups.set(key, { key, object: r.object, rows: [] });
    groups.get(key).rows.push(r);
  }
  return [...groups.values()];
}

function Filters({ path, query, rows, extraFilters }) {
  const set = (patch) => setParams(path, query, { ...patch, rule: null });
  const select = (key, label, values, render = (v) => v) => html`<${Field} label=${label}>
    <select name=${key} value=${query.get(key) || ''} onChange=${(e) => set({ [key]: e.currentTarget.value })}>
      <option value="">All</option>
      ${values.map((v) => html`<option value=${v}>${render(v)}</option>`)}
    </select></${Field}>`;
  const active = FILTER_KEYS.some((k) => query.get(k));
  return html`<form class="inline findings-filters" role="search" aria-label="Filter findings"
      onSubmit=${(e) => e.preventDefault()}>
    ${select('severity', 'Severity', optionsOf(rows.filter((r) => r.status !== 'pass').map((r) => r.severity)))}
    ${select('check', 'Check', optionsOf(rows.map((r) => r.check).filter(Boolean)))}
    <${Field} label="Object"><input type="search" name="object" placeholder="Kind/name contains" size="16"
      value=${query.get('object') || ''} onInput=${(e) => set({ object: e.currentTarget.value })}/></${Field}>
    ${select('namespace', 'Namespace', optionsOf(rows.map(nsOf)))}
    ${select('file', 'Source file', optionsOf(rows.map((r) => r.file).filter(Boolean)))}
    ${extraFilters}
    <label class="checkbox"><input type="checkbox" name="show" checked=${query.get('show') === 'all'}
      onChange=${(e) => set({ show: e.currentTarget.checked ? 'all' : null })}/> Show passing / ignored</label>
    <label class="checkbox"><input type="checkbox" name="group" checked=${query.get('group') !== 'off'}
      onChange=${(e) => set({ group: e.currentTarget.checked ? null : 'off' })}/> Group by object</label>
    ${active ? html`<button type="button" onClick=${() => set(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))}>Clear filters</button>` : null}
  </form>`;
}

function StatusCell({ r }) {
  if (r.status === 'pass') return html`<span class="badge badge-ok">passing</span>`;
  if (r.status === 'ignored') {
    return html`<span class="badge badge-warn">ignored</span>
      <span class="ignored-reason"><span class="muted">Reason${r.ignored_source ? ` (${r.ignored_source})` : ''}:</span> ${r.ignored_reason || '–'}</span>`;
  }
  return html`<span class="badge badge-bad">failing</span>`;
}

function columnsOf({ path, query, grouped, extraColumns }) {
  const cols = [
    { key: 'severity', label: 'Severity', render: (r) => html`<${Severity} value=${r.severity}/>` },
    { key: 'check', label: 'Check', render: (r) => (r.check
      ? html`<a class="check-link" href=${ruleHref(path, query, r.check)}>${r.check}</a>` : html`<span class="muted">–</span>`) },
  ];
  if (!grouped) {
    cols.push({ key: 'object', label: 'Object', render: (r) => (r.object ? html`${r.object.kind}/<wbr/>${r.object.name}` : '–') },
      { key: 'namespace', label: 'Namespace', render: (r) => r.object?.namespace || html`<span class="muted">–</span>` });
  }
  cols.push(
    { key: 'location', label: 'File:line', render: (r) => (r.file ? html`<${Loc} at=${r}/>` : '–') },
    ...extraColumns,
    { key: 'message', label: 'Message and remediation', sortable: false, render: (r) => html`<div class="msg">${r.message}</div>
      ${r.container ? html`<div><span class="muted">Container:</span> <code>${r.container}</code></div>` : null}
      ${r.field ? html`<div class="finding-field"><span class="muted">Field:</span> <code>${r.field}</code></div>` : null}
      ${r.remediation ? html`<div class="remediation"><span class="muted">Remediation:</span> ${r.remediation}</div>` : null}` },
    { key: 'status', label: 'Status', render: (r) => html`<${StatusCell} r=${r}/>` });
  return cols;
}

function HeadCell({ c, path, query }) {
  const key = query.get('sort') || 'severity';
  const dir = query.get('dir') === 'desc' ? 'desc' : 'asc';
  if (c.sortable === false) return html`<th scope="col" class=${'col-' + c.key}>${c.label}</th>`;
  const state = key === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none';
  const next = key === c.key && dir === 'asc' ? 'desc' : null;
  return html`<th scope="col" class=${'col-' + c.key} aria-sort=${state}><button type="button" class="sort"
      onClick=${() => setParams(path, query, { sort: c.key === 'severity' ? null : c.key, dir: next, rule: null })}>
    ${c.label}<span aria-hidden="true">${state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : ''}</span></button></th>`;
}

function Row({ r, cols }) {
  return html`<tr class=${'finding finding-' + r.status} data-check=${r.check} data-object=${objectLabel(r.object)}>
    ${cols.map((c) => html`<td class=${'col-' + c.key}>${c.render(r)}</td>`)}</tr>`;
}

function GroupHead({ g, span }) {
  const n = (s) => g.rows.filter((r) => r.status === s).length;
  const o = g.object || {};
  return html`<tr class="row-group"><th scope="rowgroup" colspan=${span}>
    <span class="group-object">${objectLabel(o)}</span>
    ${o.namespace ? html` <span class="group-meta">namespace ${o.namespace}</span>` : null}
    ${o.apiVersion ? html` <span class="group-meta">${o.apiVersion}</span>` : null}
    <span class="group-meta">${[n('failing') && `${n('failing')} failing`, n('ignored') && `${n('ignored')} ignored`, n('pass') && 'passing'].filter(Boolean).join(' · ')}</span>
  </th></tr>`;
}

/**
 * The findings of a check answer. answer: {findings, ignored, summary}; objects: what was checked (for pass
 * rows); extraColumns: page-specific columns ({key, label, render, sortable: false}); path: the page's hash path.
 */
export function FindingsTable({ path, query, answer, objects = [], extraColumns = [], extraFilters, title = 'Findings' }) {
  const showAll = query.get('show') === 'all';
  const grouped = query.get('group') !== 'off';
  const all = rowsOf({ findings: answer.findings, ignored: answer.ignored, objects, showAll: true });
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) || '']));
  const rows = rowsOf({ findings: answer.findings, ignored: answer.ignored, objects, showAll })
    .filter((r) => matches(r, filters))
    .sort(compare(query.get('sort') || 'severity', query.get('dir')));
  const cols = columnsOf({ path, query, grouped, extraColumns });
  const failing = (answer.findings || []).length;
  const empty = failing === 0 && !showAll && !Object.values(filters).some(Boolean)
    ? 'No failing finding. Tick “Show passing / ignored” to see what passed and what is silenced.'
    : 'No finding matches the filters.';
  return html`<${Section} title=${title} id="findings">
    <${SeverityCounts} summary=${answer.summary}/>
    <${Filters} path=${path} query=${query} rows=${all} extraFilters=${extraFilters}/>
    <p class="muted findings-count" aria-live="polite">${rows.length} row${rows.length === 1 ? '' : 's'} shown
      (${failing} failing, ${(answer.ignored || []).length} ignored${showAll ? '' : ' hidden'})</p>
    <div class="table-wrap"><table class="data findings">
      <caption class="visually-hidden">${title}${grouped ? ', grouped by object' : ''}</caption>
      <thead><tr>${cols.map((c) => html`<${HeadCell} c=${c} path=${path} query=${query}/>`)}</tr></thead>
      ${rows.length === 0 ? html`<tbody><tr><td colspan=${cols.length} class="muted">${empty}</td></tr></tbody>`
        : grouped ? groupsOf(rows).map((g) => html`<tbody key=${g.key}>
            <${GroupHead} g=${g} span=${cols.length}/>
            ${g.rows.map((r) => html`<${Row} r=${r} cols=${cols}/>`)}</tbody>`)
        : html`<tbody>${rows.map((r) => html`<${Row} r=${r} cols=${cols}/>`)}</tbody>`}
    </table></div>
  </${Section}>`;
}

/** A compact list of one object's findings, for cards that show an object with what is wrong with it. */
export function FindingList({ path, query, findings = [], ignored = [] }) {
  if (!findings.length && !ignored.length) return html`<p class="finding-none"><span class="badge badge-ok">no findings</span></p>`;
  return html`<ul class="finding-list">
    ${findings.map((f) => html`<li><${Severity} value=${f.severity}/> <a href=${ruleHref(path, query, f.check)}>${f.check}</a>${' '}
      <span class="muted">line ${f.line ?? '–'}</span><div>${f.message}</div></li>`)}
    ${ignored.map((f) => html`<li class="finding-ignored"><span class="badge badge-warn">ignored</span> <a href=${ruleHref(path, query, f.check)}>${f.check}</a>${' '}
      <span class="muted">line ${f.line ?? '–'}</span><div><span class="muted">Reason:</span> ${f.ignored_reason}</div></li>`)}
  </ul>`;
}

/** Findings of one object (by kind and name; namespace too when the object has one). */
export function findingsOf(list = [], kind, name, namespace) {
  return list.filter((f) => f.object?.kind === kind && f.object?.name === name
    && (namespace === undefined || !f.object.namespace || f.object.namespace === namespace));
}

/** The rules the tool checks, each with its id anchor; the one the hash names (?rule=) is marked and scrolled to. */
export function RulesSection({ path, query, rules = [], findings = [] }) {
  const selected = query.get('rule');
  const rule = rules.find((r) => r.id === selected);
  useEffect(() => {
    if (!selected) return;
    const el = document.getElementById('rule-' + selected);
    el?.scrollIntoView({ block: 'center' });
    el?.focus({ preventScroll: true });
  }, [selected, rules.length]);
  const count = (id) => findings.filter((f) => f.check === id).length;
  return html`<${Section} title="Rules" id="rules">
    <p class="muted">Every rule this check applies, as the server reports it. A finding's check id links here.</p>
    ${selected && rule ? html`<div class="rule-focus" role="status"><strong>Selected rule</strong>
      <code>${rule.id}</code> <${Severity} value=${rule.severity}/> <span class="rule-description">${rule.description}</span>
      <a href=${href(path, withParams(query, { rule: null }))}>Clear selection</a></div>` : null}
    ${selected && !rule ? html`<p class="notice-warn" role="status">The rule <code>${selected}</code> is not in this answer's rule list.</p>` : null}
    ${rules.length === 0 ? html`<p class="muted">This answer lists no rules.</p>` : html`<div class="table-wrap"><table class="data rules">
      <caption class="visually-hidden">Rules</caption>
      <thead><tr><th scope="col">Rule</th><th scope="col">Default severity</th><th scope="col">What it holds to be right</th><th scope="col">Findings here</th></tr></thead>
      <tbody>${rules.map((r) => html`<tr id=${'rule-' + r.id} tabindex="-1" class=${r.id === selected ? 'rule-selected' : undefined}
          aria-current=${r.id === selected ? 'true' : undefined}>
        <th scope="row"><code>${r.id}</code></th><td><${Severity} value=${r.severity}/></td><td>${r.description}</td>
        <td>${count(r.id) ? html`<a href=${href(path, withParams(query, { check: r.id, rule: null, show: null }))}>${count(r.id)} failing</a>` : html`<span class="muted">none</span>`}</td>
      </tr>`)}</tbody></table></div>`}
  </${Section}>`;
}
