// Building blocks every page uses: problem details, progress, labelled fields, sortable tables, severity marks,
// and a hook that runs one API call with loading and error state.
import { cloneElement, isValidElement } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { download } from './api.js';

/** An API error as the person should read it: title, status and detail, plus the fields that name the culprit. */
export function Problem({ error, onRetry }) {
  if (!error) return null;
  const p = error.problem || { detail: String(error.message || error) };
  const extra = ['field', 'parameter', 'plugin', 'required_scope', 'error_id', 'instance'].filter((k) => p[k] !== undefined && p[k] !== null);
  return html`<div class="problem" role="alert">
    <strong>${p.title || 'Error'}${error.status ? ` (${error.status})` : ''}</strong>
    ${p.detail ? html`<p class="problem-detail">${p.detail}</p>` : null}
    ${extra.length ? html`<dl class="problem-extra">${extra.map((k) => html`<dt>${k}</dt><dd><code>${String(p[k])}</code></dd>`)}</dl>` : null}
    ${onRetry ? html`<button type="button" onClick=${onRetry}>Try again</button>` : null}
  </div>`;
}

/** Shown while a call takes more than a moment; a value/max pair draws a progress bar. */
export function Busy({ label = 'Working…', value, max }) {
  return html`<div class="busy" role="status" aria-live="polite">
    ${value !== undefined ? html`<progress value=${value} max=${max ?? 1} aria-label=${label}></progress>` : html`<span class="spinner" aria-hidden="true"></span>`}
    <span>${label}</span>
  </div>`;
}

let fieldIds = 0;

/**
 * A labelled control. The label points at the control with for/id rather than wrapping it, so a select's
 * accessible name is the label alone (not the label plus its options); the hint is its description.
 */
export function Field({ label, hint, children, wide = false }) {
  const id = useMemo(() => 'f' + ++fieldIds, []);
  const cls = 'field' + (wide ? ' wide' : '');
  const hintNode = hint ? html`<span class="hint" id=${id + '-hint'}>${hint}</span>` : null;
  if (Array.isArray(children) || !isValidElement(children)) {
    // several controls: the label wraps them, as before
    return html`<label class=${cls}><span class="field-label">${label}</span>${children}${hintNode}</label>`;
  }
  const controlId = children.props.id || id;
  const control = cloneElement(children, { id: controlId, 'aria-describedby': hint ? id + '-hint' : undefined });
  return html`<div class=${cls}><label class="field-label" for=${controlId}>${label}</label>${control}${hintNode}</div>`;
}

export function Section({ title, actions, children, id }) {
  return html`<section class="section" aria-labelledby=${id ? id + '-h' : undefined}>
    <div class="section-head"><h2 id=${id ? id + '-h' : undefined}>${title}</h2>${actions ? html`<div class="actions">${actions}</div>` : null}</div>
    ${children}
  </section>`;
}

const SEVERITY_ORDER = { error: 0, critical: 0, high: 0, warning: 1, medium: 1, info: 2, low: 2, note: 2 };
export function severityRank(s) {
  return SEVERITY_ORDER[String(s || '').toLowerCase()] ?? 3;
}

export function Severity({ value }) {
  const v = String(value || 'none').toLowerCase();
  return html`<span class=${'sev sev-' + v}>${v}</span>`;
}

/** Counts per severity as a summary strip ({error: 2, warning: 5, info: 0}). */
export function SeverityCounts({ summary, keys = ['error', 'warning', 'info'] }) {
  if (!summary) return null;
  return html`<ul class="counts" aria-label="Findings by severity">
    ${keys.map((k) => html`<li class=${'count sev-' + k}><span class="count-n">${summary[k] ?? 0}</span> ${k}</li>`)}
    ${summary.ignored !== undefined ? html`<li class="count"><span class="count-n">${summary.ignored}</span> ignored</li>` : null}
  </ul>`;
}

export function Badge({ ok, yes = 'yes', no = 'no' }) {
  return html`<span class=${'badge ' + (ok ? 'badge-ok' : 'badge-bad')}>${ok ? yes : no}</span>`;
}

/**
 * A sortable, filterable table. columns: [{key, label, value?: row => sortable value, render?: row => vnode,
 * sortable?: true}]. The text filter matches any column's value; pageSize rows are drawn, "Show more" adds more.
 */
export function DataTable({ columns, rows, rowKey = (r, i) => i, caption, initialSort, filter = true,
  pageSize = 100, empty = 'Nothing to show.', rowClass, label }) {
  const [sort, setSort] = useState(initialSort || null);
  const [text, setText] = useState('');
  const [limit, setLimit] = useState(pageSize);
  const valueOf = (c, r) => (c.value ? c.value(r) : r[c.key]);
  const shown = useMemo(() => {
    let list = rows || [];
    const t = text.trim().toLowerCase();
    if (t) list = list.filter((r) => columns.some((c) => String(valueOf(c, r) ?? '').toLowerCase().includes(t)));
    if (sort) {
      const c = columns.find((x) => x.key === sort.key);
      if (c) {
        list = [...list].sort((a, b) => {
          const x = valueOf(c, a), y = valueOf(c, b);
          const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''), undefined, { numeric: true });
          return sort.dir === 'desc' ? -cmp : cmp;
        });
      }
    }
    return list;
  }, [rows, text, sort, columns]);
  const toggle = (key) => setSort((s) => (s && s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }));
  return html`<div class="table-wrap">
    ${filter ? html`<div class="table-tools"><${Field} label=${'Filter ' + (label || 'rows')}>
      <input type="search" value=${text} onInput=${(e) => setText(e.currentTarget.value)} placeholder="type to filter"/>
    </${Field}><span class="muted">${shown.length} of ${(rows || []).length}</span></div>` : null}
    <table class="data">
      ${caption ? html`<caption>${caption}</caption>` : null}
      <thead><tr>${columns.map((c) => {
        const dir = sort && sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
        return html`<th scope="col" aria-sort=${c.sortable === false ? undefined : dir}>
          ${c.sortable === false ? c.label : html`<button type="button" class="sort" onClick=${() => toggle(c.key)}>${c.label}<span aria-hidden="true">${dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ''}</span></button>`}
        </th>`;
      })}</tr></thead>
      <tbody>
        ${shown.length === 0 ? html`<tr><td colspan=${columns.length} class="muted">${empty}</td></tr>` : null}
        ${shown.slice(0, limit).map((r, i) => html`<tr key=${rowKey(r, i)} class=${rowClass ? rowClass(r) : undefined}>
          ${columns.map((c) => html`<td>${c.render ? c.render(r) : String(valueOf(c, r) ?? '')}</td>`)}
        </tr>`)}
      </tbody>
    </table>
    ${shown.length > limit ? html`<button type="button" onClick=${() => setLimit(limit + pageSize)}>Show more (${shown.length - limit} left)</button>` : null}
  </div>`;
}

/**
 * Runs an API call when its inputs change: {data, error, loading, reload}. A newer call wins over one still in
 * flight, so a slow answer never overwrites a fresh one.
 */
export function useApi(fn, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true, deps: null });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null, deps }));
    Promise.resolve().then(fn).then(
      (data) => mine === generation.current && setState({ data, error: null, loading: false, deps }),
      (error) => mine === generation.current && setState({ data: null, error, loading: false, deps }));
  }, deps);
  useEffect(() => { run(); }, [run]);
  // New inputs render once before the effect starts their call: that render is already loading, not the old answer.
  const stale = !sameDeps(state.deps, deps);
  return { data: state.data, error: stale ? null : state.error, loading: state.loading || stale, reload: run };
}

function sameDeps(a, b) {
  return !!a && !!b && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/** A button that downloads an API answer with the session's token. */
export function DownloadButton({ path, filename, label, onError }) {
  const [busy, setBusy] = useState(false);
  return html`<button type="button" disabled=${busy} onClick=${async () => {
    setBusy(true);
    try { await download(path, filename); } catch (e) { onError ? onError(e) : alert(e.message); } finally { setBusy(false); }
  }}>${busy ? 'Downloading…' : label}</button>`;
}

export function Tabs({ tabs, current, onChange, label }) {
  return html`<div class="tabs" role="tablist" aria-label=${label}>
    ${tabs.map((t) => html`<button type="button" role="tab" aria-selected=${t.id === current} id=${'tab-' + t.id}
      onClick=${() => onChange(t.id)}>${t.label}</button>`)}
  </div>`;
}

export function KeyValues({ entries }) {
  return html`<dl class="kv">${entries.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

export function fmtNumber(n, digits = 1) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function fmtTime(ts) {
  if (!ts) return '–';
  const d = typeof ts === 'number' ? new Date(ts * 1000) : new Date(ts);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
