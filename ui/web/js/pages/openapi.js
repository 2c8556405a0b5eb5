// The OpenAPI check (POST /api/compliance/openapi/check): the workspace spec (optionally another workspace file
// and another prefix, kept in the hash query) or a file picked on this machine, then the verdict, every path
// with whether it is served under the prefix and why not, the findings by rule and the ignored ones.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, query as qs } from '../api.js';
import { navigate } from '../router.js';
import { Badge, Busy, DataTable, Field, KeyValues, Problem, Section, Severity, SeverityCounts, severityRank, useApi } from '../ui.js';

const PATH = '/compliance/openapi';

/** The content type a spec file's name declares; anything else is sent as text for the server to sniff. */
function contentTypeOf(name) {
  if (/\.json$/i.test(name)) return 'application/json';
  if (/\.ya?ml$/i.test(name)) return 'application/yaml';
  return 'text/plain';
}

function CheckForm({ query, onWorkspace, onFile, busy }) {
  const [path, setPath] = useState(query.get('path') || '');
  const [prefix, setPrefix] = useState(query.get('prefix') || '');
  const [file, setFile] = useState(null);
  useEffect(() => { setPath(query.get('path') || ''); setPrefix(query.get('prefix') || ''); }, [query.toString()]);
  const workspace = (e) => {
    e.preventDefault();
    onWorkspace({ path: path.trim(), prefix: prefix.trim() });
  };
  return html`<form class="obs-form" onSubmit=${workspace}>
    <${Field} label="Prefix" hint="Every path must be served under it. Empty: the server's plugins.compliance.openapi.prefix.">
      <input value=${prefix} placeholder="/v1" size="10" onInput=${(e) => setPrefix(e.currentTarget.value)}/></${Field}>
    <div class="obs-two"><fieldset>
      <legend>Workspace spec</legend>
      <${Field} label="Workspace path" hint="Empty: the configured spec (plugins.compliance.openapi.path).">
        <input value=${path} placeholder="api/openapi/hypergraph-api.yaml" size="36" onInput=${(e) => setPath(e.currentTarget.value)}/></${Field}>
      <button type="submit" class="primary" disabled=${busy}>Check workspace spec</button>
    </fieldset>
    <fieldset>
      <legend>Uploaded spec</legend>
      <${Field} label="Spec file (YAML or JSON)" hint="Sent as application/yaml for .yaml/.yml, application/json for .json, else as text.">
        <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml" onChange=${(e) => setFile(e.currentTarget.files[0] || null)}/></${Field}>
      <button type="button" disabled=${busy || !file} onClick=${() => onFile(file, prefix.trim())}>Check uploaded file</button>
    </fieldset></div>
  </form>`;
}

function Verdict({ data }) {
  const s = data.summary;
  const pass = s.verdict === 'pass';
  return html`<div class=${'obs-verdict ' + (pass ? 'obs-pass' : 'obs-fail')} data-testid="verdict">
    <strong>${pass ? 'Pass' : 'Fail'}</strong>${`: ${s.paths_compliant} of ${s.paths} paths served under `}<code>${data.prefix}</code>${
      `, ${s.error} error${s.error === 1 ? '' : 's'}, ${s.warning} warning${s.warning === 1 ? '' : 's'}${s.partial ? ' (partial: the check was cut short)' : ''}.`}
  </div>`;
}

function Paths({ paths }) {
  return html`<${DataTable} label="paths" rows=${paths} rowKey=${(p) => p.path} filter=${paths.length > 10}
    rowClass=${(p) => (p.compliant ? '' : 'row-bad')} empty="The spec has no paths." columns=${[
      { key: 'path', label: 'Path', render: (p) => html`<code>${p.path}</code>` },
      { key: 'operations', label: 'Operations', value: (p) => p.operations.join(' '), render: (p) => p.operations.map((o) => o.toUpperCase()).join(', ') },
      { key: 'effective_paths', label: 'Served at', value: (p) => p.effective_paths.join(' '), render: (p) => html`<ul class="plain">${p.effective_paths.map((x) => html`<li><code>${x}</code></li>`)}</ul>` },
      { key: 'compliant', label: 'Compliant', value: (p) => (p.compliant ? 'compliant' : 'not compliant'), render: (p) => html`<${Badge} ok=${p.compliant} yes="✓ compliant" no="✗ not compliant"/>` },
      { key: 'reasons', label: 'Why', value: (p) => p.reasons.join(' '), render: (p) => (p.reasons.length ? html`<ul class="plain">${p.reasons.map((r) => html`<li class="reason">${r}</li>`)}</ul>` : html`<span class="muted">–</span>`) },
    ]}/>`;
}

const where = (f) => html`<code>${f.file}${f.line ? ':' + f.line : ''}</code>${f.pointer ? html`<br/><code class="muted">${f.pointer}</code>` : null}`;
const locationText = (f) => `${f.file}:${f.line} ${f.pointer || ''}`;

function Findings({ rows, ignored }) {
  return html`<${DataTable} label=${ignored ? 'ignored findings' : 'findings'} rows=${rows} filter=${rows.length > 10}
    initialSort=${ignored ? undefined : { key: 'severity', dir: 'asc' }}
    empty=${ignored ? 'No finding is ignored.' : 'No findings.'} columns=${[
      { key: 'check', label: 'Rule', render: (f) => html`<code>${f.check}</code>` },
      { key: 'severity', label: 'Severity', value: (f) => severityRank(f.severity), render: (f) => html`<${Severity} value=${f.severity}/>` },
      { key: 'location', label: 'Location', value: locationText, render: where },
      { key: 'message', label: 'Message', render: (f) => html`${f.message}${f.remediation ? html`<div class="hint">${f.remediation}</div>` : null}` },
      ...(ignored ? [{ key: 'ignored_reason', label: 'Why ignored' }] : []),
    ]}/>`;
}

function Results({ data }) {
  const spec = data.spec || {};
  return html`<div data-testid="openapi-results">
    <${Verdict} data=${data}/>
    <${KeyValues} entries=${[
      ['Spec', html`<code>${spec.file}</code> <span class="muted">(${spec.source === 'workspace' ? 'workspace' : 'uploaded'})</span>`],
      ['Title', spec.title],
      ['Version', spec.version ? `OpenAPI ${spec.version} (${spec.format})` : null],
      ['Files read', spec.files?.length > 1 ? spec.files.map((f) => html`<code>${f}</code> `) : null],
      ['Engine', `${data.summary.engine}, ${data.summary.duration_ms} ms${data.summary.degraded ? ' (degraded)' : ''}`],
    ]}/>
    <${SeverityCounts} summary=${data.summary}/>
    <${Section} title=${`Paths (${data.paths.length})`} id="o-paths"><${Paths} paths=${data.paths}/></${Section}>
    <${Section} title=${`Findings (${data.findings.length})`} id="o-findings"><${Findings} rows=${data.findings}/></${Section}>
    <${Section} title=${`Ignored (${data.ignored.length})`} id="o-ignored">
      <p class="hint">Findings an <code>x-controlplane-ignore-checks</code> annotation turned off, with its reason.</p>
      <${Findings} rows=${data.ignored} ignored/>
    </${Section}>
  </div>`;
}

export default function OpenApiPage({ query }) {
  // An upload cannot live in the URL; the workspace check can, so a link reproduces it.
  const [upload, setUpload] = useState(null);
  const [again, setAgain] = useState(0);
  const params = { path: query.get('path') || '', prefix: query.get('prefix') || '' };
  const check = useApi(() => (upload
    ? api('/api/compliance/openapi/check' + qs({ prefix: upload.prefix }), { method: 'POST', body: upload.file, contentType: contentTypeOf(upload.file.name) })
    : api('/api/compliance/openapi/check' + qs(params), { method: 'POST' })), [JSON.stringify(params), upload, again]);
  const onWorkspace = (next) => {
    setUpload(null);
    setAgain((n) => n + 1); // the same inputs again re-run the check
    navigate(PATH, next, { replace: true });
  };
  const onFile = (file, prefix) => setUpload({ file, prefix });
  return html`<div class="obs">
    <h1>OpenAPI check</h1>
    <p class="muted">Whether every path of an OpenAPI 3.0/3.1 or Swagger 2.0 spec is served under the prefix, and the Spectral rules teams rely on.</p>
    <${Section} title="What to check" id="o-form"><${CheckForm} query=${query} onWorkspace=${onWorkspace} onFile=${onFile} busy=${check.loading}/></${Section}>
    ${check.loading ? html`<${Busy} label=${upload ? `Checking ${upload.file.name}…` : 'Checking the workspace spec…'}/>` : null}
    <${Problem} error=${check.error}/>
    ${check.data && !check.loading ? html`<${Results} data=${check.data}/>` : null}
  </div>`;
}
