// The latest completed test run's consolidated report (GET /api/reports/export?format=json|md), or a named
// run's (run in the hash query): downloads of both formats, the key figures of the JSON and the Markdown
// rendered. A tenant without a completed run gets the server's 404 detail, which says how to start one.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, query as qs } from '../api.js';
import { href, navigate } from '../router.js';
import { Badge, Busy, DownloadButton, Field, KeyValues, Problem, Section, fmtNumber, fmtTime, useApi } from '../ui.js';
import { Markdown } from '../markdown.js';

const PATH = '/reports';
const exportPath = (format, run) => '/api/reports/export' + qs({ format, run });

function RunForm({ run }) {
  const [value, setValue] = useState(run);
  useEffect(() => setValue(run), [run]);
  return html`<form class="inline" onSubmit=${(e) => { e.preventDefault(); navigate(PATH, { run: value.trim() }, { replace: true }); }}>
    <${Field} label="Run" hint="Empty: the latest completed (passed or failed) run of your tenant.">
      <input value=${value} placeholder="tr-…" size="28" onInput=${(e) => setValue(e.currentTarget.value)}/></${Field}>
    <button type="submit">Show</button>
  </form>`;
}

const pct = (x) => (x === null || x === undefined ? '–' : fmtNumber(x * 100, 2) + ' %');
const ms = (x) => (x === null || x === undefined ? '–' : fmtNumber(x, 2) + ' ms');

/** What a reader looks for first: verdict, E2E steps, load figures and thresholds. */
function KeyFigures({ doc }) {
  const r = doc.report || {};
  const run = r.run || doc.run || {};
  const total = r.load?.total;
  const thresholds = r.thresholds || r.load?.thresholds || [];
  const failed = thresholds.filter((t) => !t.passed).length;
  return html`<ul class="cards obs-figures" aria-label="Key figures">
    <li class="card"><span class="muted">Status</span><strong><${Badge} ok=${run.status === 'passed'} yes=${run.status} no=${run.status || 'unknown'}/></strong></li>
    ${r.e2e ? html`<li class="card"><span class="muted">E2E steps passed</span><strong>${r.e2e.passed} of ${r.e2e.total}</strong></li>` : null}
    ${total ? html`
      <li class="card"><span class="muted">Requests</span><strong>${fmtNumber(total.requests, 0)}</strong><span class="muted">${fmtNumber(total.rps, 1)} req/s</span></li>
      <li class="card"><span class="muted">Error rate</span><strong>${pct(total.error_rate)}</strong><span class="muted">${fmtNumber(total.errors, 0)} errors</span></li>
      <li class="card"><span class="muted">Latency p95 / p99</span><strong>${ms(total.latency_ms?.p95)} / ${ms(total.latency_ms?.p99)}</strong></li>` : null}
    ${thresholds.length ? html`<li class="card"><span class="muted">Thresholds</span><strong>${thresholds.length - failed} of ${thresholds.length} passed</strong></li>` : null}
  </ul>
  <${KeyValues} entries=${[
    ['Run', html`<a href=${href('/testruns/' + run.id)}><code>${run.id}</code></a>`],
    ['Tenant', doc.tenant_id],
    ['Created by', run.created_by],
    ['Scenario', r.scenario ? `${r.scenario.name} (${r.scenario.file})` : null],
    ['Target', r.parameters?.base_url],
    ['Finished', fmtTime(r.timings?.finished_at)],
    ['Duration', r.timings?.duration_s !== undefined ? fmtNumber(r.timings.duration_s, 2) + ' s' : null],
    ['Report generated', fmtTime(doc.generated_at)],
  ]}/>`;
}

export default function ReportsPage({ query }) {
  const run = query.get('run') || '';
  const json = useApi(() => api(exportPath('json', run)), [run]);
  const md = useApi(() => (json.data ? api(exportPath('md', run)) : null), [run, json.data]);
  const [downloadError, setDownloadError] = useState(null);
  const id = json.data?.run?.id;
  const base = id ? `testrun-${id}` : 'report';
  const refresh = () => { setDownloadError(null); json.reload(); };
  const noRun = json.error?.status === 404;
  return html`<div class="obs">
    <h1>Reports</h1>
    <p class="muted">The consolidated report of a completed test run: E2E steps, load figures and thresholds.</p>
    <${Section} title="Which report" id="r-form" actions=${html`<button type="button" onClick=${refresh} disabled=${json.loading}>Refresh</button>`}>
      <${RunForm} run=${run}/>
    </${Section}>
    ${json.loading || md.loading ? html`<${Busy} label="Loading the report…"/>` : null}
    ${noRun ? html`<div class="obs-empty" data-testid="no-report">
        <p><strong>No report yet.</strong> ${run ? 'This run has not completed, or is not one of your tenant\'s.' : 'Your tenant has no completed test run.'}${' '}
          Start one on the <a href=${href('/testruns')}>Test runs</a> page, then refresh.</p>
        <${Problem} error=${json.error}/>
      </div>` : html`<${Problem} error=${json.error} onRetry=${refresh}/>`}
    ${json.data && !json.loading ? html`
      <${Section} title="Download" id="r-download" actions=${html`
          <${DownloadButton} path=${exportPath('json', run)} filename=${base + '.json'} label="Download JSON" onError=${setDownloadError}/>
          <${DownloadButton} path=${exportPath('md', run)} filename=${base + '.md'} label="Download Markdown" onError=${setDownloadError}/>`}>
        <${Problem} error=${downloadError}/>
        <${KeyFigures} doc=${json.data}/>
      </${Section}>
      <${Section} title="Preview" id="r-preview">
        <${Problem} error=${md.error} onRetry=${md.reload}/>
        ${md.data && !md.loading ? html`<div data-testid="report-preview"><${Markdown} text=${md.data}/></div>` : null}
      </${Section}>` : null}
  </div>`;
}
