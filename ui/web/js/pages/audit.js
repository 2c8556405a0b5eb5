// The audit log of the caller's tenant (GET /api/audit/search): the API's filters in the hash query, pages
// newest first (Next follows next_cursor, Previous pops a stack of the cursors that led here), the counts of
// lines scanned, matched and malformed, and a live tail (WS /ws/audit/tail, same filters) whose new entries
// are put on top of their own table while it is connected.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, openSocket, query as qs } from '../api.js';
import { navigate } from '../router.js';
import { Busy, DataTable, DownloadButton, Field, KeyValues, Problem, Section, fmtNumber, fmtTime, useApi } from '../ui.js';

const PATH = '/audit';
const TEXT_FILTERS = ['q', 'subject', 'action', 'resource'];
const TIME_FILTERS = ['since', 'until'];
const KEPT_LIVE = 500; // live entries kept on the page; older ones are in the search

const filtersOf = (query) => Object.fromEntries([...TEXT_FILTERS, ...TIME_FILTERS, 'limit'].map((k) => [k, query.get(k) || '']));
/** The tail takes the search's filters but not its paging. */
const tailParams = (f) => Object.fromEntries([...TEXT_FILTERS, ...TIME_FILTERS].map((k) => [k, f[k]]));

/** ISO instant → the value a datetime-local input shows (local time, to the minute or second). */
function toLocalInput(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString();
  return local.slice(0, d.getSeconds() ? 19 : 16);
}

/** A datetime-local value (local time) → an RFC 3339 instant in UTC, as the API takes it. */
function fromLocalInput(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace('.000Z', 'Z');
}

// The fields the plugin reads each role from (plugins.audit.fields defaults); the first present wins.
const ROLES = { time: ['ts', 'timestamp', 'time'], subject: ['subject', 'actor', 'user'], action: ['action', 'event'],
  resource: ['resource', 'target'], tenant: ['tenant_id', 'tenant'] };
const role = (entry, name) => ROLES[name].map((k) => entry[k]).find((v) => v !== undefined && v !== null);

function timeOf(entry) {
  const v = role(entry, 'time');
  if (v === undefined) return '–';
  try {
    return fmtTime(typeof v === 'number' && v >= 1e11 ? v / 1000 : v);
  } catch {
    return String(v); // a time the browser cannot read is shown as written
  }
}

function Outcome({ value }) {
  if (!value) return html`<span class="muted">–</span>`;
  const cls = /^(allowed|ok|success|succeeded)$/i.test(value) ? 'badge-ok' : /^(denied|failed|failure|error)$/i.test(value) ? 'badge-bad' : 'badge-warn';
  return html`<span class=${'badge ' + cls}>${value}</span>`;
}

const COLUMNS = [
  { key: 'time', label: 'Time', value: timeOf, render: (e) => html`<span class="obs-time">${timeOf(e)}</span>` },
  { key: 'subject', label: 'Subject', value: (e) => role(e, 'subject'), render: (e) => html`<code>${role(e, 'subject') ?? '–'}</code>` },
  { key: 'action', label: 'Action', value: (e) => role(e, 'action'), render: (e) => html`<code>${role(e, 'action') ?? '–'}</code>` },
  { key: 'resource', label: 'Resource', value: (e) => role(e, 'resource'), render: (e) => String(role(e, 'resource') ?? '–') },
  { key: 'outcome', label: 'Outcome', render: (e) => html`<${Outcome} value=${e.outcome}/>` },
  { key: 'entry', label: 'Entry', sortable: false, value: (e) => JSON.stringify(e),
    render: (e) => html`<details class="obs-entry"><summary>${Object.keys(e).length} fields</summary><pre>${JSON.stringify(e, null, 2)}</pre></details>` },
];

function SearchForm({ filters, onSearch }) {
  const [draft, setDraft] = useState(filters);
  const key = JSON.stringify(filters);
  useEffect(() => setDraft(filters), [key]);
  const set = (k) => (e) => setDraft({ ...draft, [k]: e.currentTarget.value });
  const setTime = (k) => (e) => setDraft({ ...draft, [k]: fromLocalInput(e.currentTarget.value) });
  const text = (k, label, hint, placeholder) => html`<${Field} label=${label} hint=${hint}>
    <input name=${k} value=${draft[k]} placeholder=${placeholder} size="16" onInput=${set(k)}/></${Field}>`;
  const time = (k, label, hint) => html`<${Field} label=${label} hint=${hint}>
    <input type="datetime-local" name=${k} step="1" value=${toLocalInput(draft[k])} onInput=${setTime(k)}/></${Field}>`;
  const submit = (e) => {
    e.preventDefault();
    navigate(PATH, Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, String(v).trim()])), { replace: true });
    onSearch();
  };
  return html`<form class="inline obs-form" role="search" aria-label="Search the audit log" onSubmit=${submit}>
    ${text('q', 'Text', 'In any field name or value', 'denied')}
    ${text('subject', 'Subject', 'Exact; a trailing * makes a prefix', 'alice')}
    ${text('action', 'Action', 'Exact; a trailing * makes a prefix', 'testruns.*')}
    ${text('resource', 'Resource', 'Exact; a trailing * makes a prefix', 'run/*')}
    ${time('since', 'Since', 'Local time, inclusive; sent as UTC')}
    ${time('until', 'Until', 'Local time, exclusive; sent as UTC')}
    <${Field} label="Per page"><input type="number" name="limit" min="1" max="1000" placeholder="100" size="5" value=${draft.limit} onInput=${set('limit')}/></${Field}>
    <div class="obs-actions">
      <button type="submit" class="primary">Search</button>
      <button type="button" onClick=${() => navigate(PATH, {}, { replace: true })}>Clear</button>
    </div>
  </form>`;
}

/** The problem that made a tail upgrade fail: a browser is told nothing, so the same filters are searched. */
async function whyRefused(filters) {
  try {
    await api('/api/audit/search' + qs({ ...tailParams(filters), limit: 1 }));
    return null;
  } catch (e) {
    return e;
  }
}

/**
 * WS /ws/audit/tail while `on`: {state, entries, problem}. The socket is closed when it goes off, when the
 * filters change (and reopened with the new ones) and when the page is left.
 */
function useTail(on, filters, onDropped) {
  const [state, setState] = useState('off');
  const [entries, setEntries] = useState([]);
  const [problem, setProblem] = useState(null);
  const key = JSON.stringify(tailParams(filters));
  useEffect(() => {
    if (!on) {
      setState((s) => (s.startsWith('disconnected') ? s : 'off'));
      return undefined;
    }
    let tailing = false, ours = false;
    setProblem(null);
    setState('connecting');
    const ws = openSocket('/ws/audit/tail', tailParams(filters));
    ws.onmessage = (m) => {
      let msg;
      try { msg = JSON.parse(m.data); } catch { return; }
      if (msg.type === 'tailing') { tailing = true; setState('connected'); }
      else if (msg.type === 'entry') setEntries((list) => [msg.entry, ...list].slice(0, KEPT_LIVE));
      else if (msg.type === 'rotated') setState(`connected (the log rotated: ${msg.how})`);
    };
    ws.onclose = async (e) => {
      if (ours) return;
      setState(`disconnected${e.code && e.code !== 1006 ? ` (${e.code}${e.reason ? ': ' + e.reason : ''})` : ''}`);
      if (!tailing) setProblem(await whyRefused(filters));
      onDropped();
    };
    return () => {
      ours = true;
      // closing a socket still connecting makes the browser log an error; it is closed once open instead
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000);
      else ws.close(1000);
    };
  }, [on, key]);
  return { state, entries, problem, clear: () => setEntries([]) };
}

function LiveTail({ filters }) {
  const [on, setOn] = useState(false);
  const tail = useTail(on, filters, () => setOn(false));
  return html`<${Section} title="Live tail" id="a-live" actions=${html`
      <button type="button" aria-pressed=${on ? 'true' : 'false'} onClick=${() => setOn(!on)}>${on ? html`<span aria-hidden="true" class="obs-on">● </span>` : null}Live tail</button>
      ${tail.entries.length ? html`<button type="button" onClick=${tail.clear}>Clear live entries</button>` : null}`}>
    <p role="status" data-testid="tail-state" class=${'obs-tail obs-tail-' + tail.state.split(/[ (]/)[0]}>
      Live tail: <strong>${tail.state}</strong>${tail.entries.length ? ` · ${tail.entries.length} new entr${tail.entries.length === 1 ? 'y' : 'ies'}` : ''}
    </p>
    <${Problem} error=${tail.problem}/>
    ${on || tail.entries.length ? html`<p class="hint">Entries appended to the log after connecting, with the filters above, newest first.</p>
      <${DataTable} label="live entries" rows=${tail.entries} filter=${false} rowKey=${(e, i) => tail.entries.length - i}
        empty="Nothing appended yet." columns=${COLUMNS}/>` : null}
  </${Section}>`;
}

function Counts({ data, page }) {
  return html`<${KeyValues} entries=${[
    ['Page', `${page} · ${data.count} entr${data.count === 1 ? 'y' : 'ies'}${data.complete ? ' (the oldest line was reached)' : ''}`],
    ['Lines scanned', fmtNumber(data.scanned, 0)],
    ['Matched', fmtNumber(data.matched, 0)],
    ['Malformed', fmtNumber(data.malformed, 0)],
    ['Scrubbed', data.scrubbed ? `${data.scrubbed} entr${data.scrubbed === 1 ? 'y' : 'ies'} with secrets replaced` : null],
    ['Files', (data.files || []).map((f) => html`<code>${f}</code> `)],
    ['Took', `${data.took_ms} ms`],
  ]}/>
  ${(data.problems || []).length ? html`<ul class="obs-warnings">${data.problems.map((p) => html`<li><code>${p.file}</code>: ${p.detail}</li>`)}</ul>` : null}`;
}

export default function AuditPage({ query }) {
  const filters = filtersOf(query);
  const [again, setAgain] = useState(0); // Search with unchanged filters searches again, from page 1
  const key = JSON.stringify(filters) + '#' + again;
  // Paging belongs to one set of filters: a cursor is bound to its query, so new filters start at page 1.
  const [paging, setPaging] = useState({ key, stack: [], cursor: '' });
  const { stack, cursor } = paging.key === key ? paging : { stack: [], cursor: '' };
  const search = useApi(() => api('/api/audit/search' + qs({ ...filters, cursor })), [key, cursor]);
  const data = search.data;
  const next = () => setPaging({ key, stack: [...stack, cursor], cursor: data.next_cursor });
  const previous = () => setPaging({ key, stack: stack.slice(0, -1), cursor: stack[stack.length - 1] });
  const pager = html`<div class="obs-pager">
    <button type="button" disabled=${!stack.length || search.loading} onClick=${previous}>Previous page</button>
    <button type="button" disabled=${!data?.next_cursor || search.loading} onClick=${next}>Next page</button>
  </div>`;
  return html`<div class="obs">
    <h1>Audit log</h1>
    <p class="muted">Entries of your tenant, newest first, scrubbed of secrets.</p>
    <${Section} title="Filters" id="a-form"><${SearchForm} filters=${filters} onSearch=${() => setAgain((n) => n + 1)}/></${Section}>
    <${LiveTail} filters=${filters}/>
    <${Section} title="Search results" id="a-results" actions=${html`<${DownloadButton}
        path=${'/api/audit/search' + qs({ ...tailParams(filters), format: 'ndjson' })} filename="audit.ndjson" label="Export every match (NDJSON)"/>`}>
      ${search.loading ? html`<${Busy} label="Searching the audit log…"/>` : null}
      <${Problem} error=${search.error} onRetry=${search.reload}/>
      ${data && !search.loading ? html`
        <${Counts} data=${data} page=${stack.length + 1}/>
        ${pager}
        <${DataTable} label="entries" rows=${data.items} filter=${false} rowKey=${(e, i) => i} empty="No entry matches." columns=${COLUMNS}/>
        ${data.items.length > 10 ? pager : null}` : null}
    </${Section}>
  </div>`;
}
