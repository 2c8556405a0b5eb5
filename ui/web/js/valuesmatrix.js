// One chart rendered with several values files, side by side: a row per distinct finding, a column per values
// file, each cell saying whether that file's render has the finding, silences it or is free of it. Rows that
// differ between the files come first; by default only they are shown, since they are what a values file changes.
import { html } from './html.js';
import { Loc, objectLabel, ruleHref, setParams } from './findings.js';
import { Section, Severity, SeverityCounts, severityRank } from './ui.js';

/** Hash query key of the "only differences" box (absent: on); the page's other keys must not reuse it. */
export const MATRIX_KEYS = ['diff'];

/** The container a finding is about: the API's own member when it has one, else the name its message quotes. */
export function containerOf(f) {
  const c = typeof f.container === 'string' ? f.container : f.container?.name;
  return c || /\bcontainer '([^']+)'/.exec(f.message || '')?.[1] || '';
}

/**
 * What stays of a message when the values change: quoted values and numbers vary per values file (an image
 * tag, a replica count), the sentence does not, so `max 4 replicas` and `max 8 replicas` are the same finding.
 */
const messageShape = (m) => String(m || '').replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"').replace(/\d+(\.\d+)*/g, '#');

/** A finding's identity across values files: check, object, container and message shape. */
export function findingKey(f) {
  const o = f.object || {};
  return [f.check, o.kind, o.namespace || '', o.name, containerOf(f), messageShape(f.message)].join('|');
}

/**
 * Each run's findings and ignored findings by identity; the n-th occurrence of an identity within one render
 * pairs with the n-th of the others (two same-shaped findings on one object stay two rows).
 */
function entriesOf(run) {
  const seen = new Map();
  const byKey = new Map();
  const add = (f, state) => {
    const base = findingKey(f);
    const n = (seen.get(base) || 0) + 1;
    seen.set(base, n);
    byKey.set(base + '#' + n, { ...f, state });
  };
  (run.findings || []).forEach((f) => add(f, 'present'));
  (run.ignored || []).forEach((f) => add(f, 'ignored'));
  return byKey;
}

const cellSignature = (e) => (e ? e.state + ':' + e.severity : 'absent');

/** The matrix rows: {key, finding (the first file's entry that has it), cells (one entry or null per run), differs}. */
export function matrixRows(runs) {
  const maps = runs.map(entriesOf);
  const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))];
  return keys.map((key) => {
    const cells = maps.map((m) => m.get(key) || null);
    const finding = cells.find(Boolean);
    return { key, finding, cells, differs: new Set(cells.map(cellSignature)).size > 1 };
  }).sort(compareRows);
}

/** Differing rows first, then the worst severity any file gives the finding, then check and object. */
function compareRows(a, b) {
  const worst = (r) => Math.min(...r.cells.filter(Boolean).map((c) => severityRank(c.severity) + (c.state === 'ignored' ? 5 : 0)));
  return (b.differs - a.differs) || worst(a) - worst(b)
    || String(a.finding.check).localeCompare(String(b.finding.check))
    || objectLabel(a.finding.object).localeCompare(objectLabel(b.finding.object)) || a.key.localeCompare(b.key);
}

function FindingHead({ path, query, row }) {
  const f = row.finding;
  const container = containerOf(f);
  return html`<th scope="row">
    <a class="check-link" href=${ruleHref(path, query, f.check)}>${f.check}</a>
    ${row.differs ? html` <span class="badge badge-warn">differs</span>` : null}
    <div class="matrix-object">${objectLabel(f.object)}${f.object?.namespace ? html` <span class="muted">namespace ${f.object.namespace}</span>` : null}
      ${container ? html` <span class="muted">container</span> <code>${container}</code>` : null}</div>
    <div class="msg">${f.message}</div>
    ${f.file ? html`<${Loc} at=${f}/>` : null}
  </th>`;
}

/** One file's state of one finding, in words; its own message when it reads differently from the row's. */
function Cell({ entry, row, file }) {
  const own = entry && entry.message !== row.finding.message ? html`<div class="muted matrix-own">${entry.message}</div>` : null;
  if (!entry) return html`<td class="matrix-cell state-absent" data-state="absent" data-values=${file}><span class="matrix-state">absent</span></td>`;
  if (entry.state === 'ignored') {
    return html`<td class="matrix-cell state-ignored" data-state="ignored" data-values=${file}>
      <span class="badge badge-warn">ignored</span> <${Severity} value=${entry.severity}/>
      <div class="ignored-reason"><span class="muted">Reason:</span> ${entry.ignored_reason || '–'}</div>${own}</td>`;
  }
  return html`<td class="matrix-cell state-present" data-state="present" data-values=${file}>
    <${Severity} value=${entry.severity}/> <span class="matrix-state">present</span>
    ${entry.line ? html` <span class="muted">line ${entry.line}</span>` : null}${own}</td>`;
}

/**
 * The values matrix. runs: one check answer per values file ({values, summary, findings, ignored}); path and
 * query: the page's hash route, for the rule links and the "only differences" box.
 */
export function ValuesMatrix({ path, query, runs }) {
  const all = matrixRows(runs);
  const onlyDiffs = query.get('diff') !== 'all';
  const rows = onlyDiffs ? all.filter((r) => r.differs) : all;
  const differing = all.filter((r) => r.differs).length;
  const files = runs.map((r) => r.values || '(chart values)');
  const empty = onlyDiffs && all.length
    ? 'No differences: every finding is the same under each values file. Untick “Only differences” to see them all.'
    : 'No finding under any values file.';
  return html`<${Section} title="Findings" id="findings">
    <form class="inline findings-filters" aria-label="Matrix view" onSubmit=${(e) => e.preventDefault()}>
      <label class="checkbox"><input type="checkbox" name="diff" checked=${onlyDiffs}
        onChange=${(e) => setParams(path, query, { diff: e.currentTarget.checked ? null : 'all', rule: null })}/> Only differences</label>
    </form>
    <p class="muted findings-count" aria-live="polite">${rows.length} of ${all.length} distinct finding${all.length === 1 ? '' : 's'} shown
      (${differing} differ${differing === 1 ? 's' : ''} between the values files)</p>
    <div class="table-wrap"><table class="data values-matrix">
      <caption class="visually-hidden">Findings per values file${onlyDiffs ? ', only those that differ' : ''}</caption>
      <thead>
        <tr><th scope="col" class="matrix-finding">Finding</th>${files.map((f) => html`<th scope="col" class="matrix-file"><${Loc} at=${{ file: f }}/></th>`)}</tr>
        <tr class="matrix-summary"><th scope="row">Counts</th>${runs.map((r) => html`<td><${SeverityCounts} summary=${r.summary}/></td>`)}</tr>
      </thead>
      <tbody>
        ${rows.length === 0 ? html`<tr><td colspan=${files.length + 1} class="muted matrix-empty">${empty}</td></tr>` : null}
        ${rows.map((row) => html`<tr key=${row.key} class=${'matrix-row' + (row.differs ? ' matrix-differs' : '')} data-check=${row.finding.check}>
          <${FindingHead} path=${path} query=${query} row=${row}/>
          ${row.cells.map((c, i) => html`<${Cell} entry=${c} row=${row} file=${files[i]}/>`)}</tr>`)}
      </tbody>
    </table></div>
  </${Section}>`;
}
