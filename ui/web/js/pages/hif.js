// HIF validation (POST /api/compliance/hif/validate): a document pasted or read from a file, checked in full
// (JSON Schema 2020-12 of the shipped or a named schema) or minimally; then valid or not, the message, every
// error by JSON pointer with its keyword, the closest shape, and the warnings a schema cannot express.
// Mode and schema live in the hash query; the document itself may be megabytes, so it stays in the page.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, query as qs } from '../api.js';
import { navigate } from '../router.js';
import { Badge, Busy, DataTable, Field, KeyValues, Problem, Section, fmtNumber, useApi } from '../ui.js';

const PATH = '/compliance/hif';

function DocumentForm({ query, text, setText, onValidate, busy }) {
  const [schema, setSchema] = useState(query.get('schema') || '');
  const [fileError, setFileError] = useState(null);
  const mode = query.get('mode') || 'full';
  const readFile = async (e) => {
    const file = e.currentTarget.files[0];
    setFileError(null);
    if (!file) return;
    try { setText(await file.text()); } catch (err) { setFileError(err); }
  };
  const submit = (e) => {
    e.preventDefault();
    navigate(PATH, { mode: mode === 'full' ? '' : mode, schema: schema.trim() }, { replace: true });
    onValidate({ mode, schema: schema.trim() });
  };
  return html`<form class="obs-form" onSubmit=${submit}>
    <${Field} label="HIF document (JSON)" wide hint=${'A bare document, or {"payload": …} as the gateway posts it.'}>
      <textarea rows="8" spellcheck="false" value=${text} onInput=${(e) => setText(e.currentTarget.value)}
        placeholder=${'{"nodes": [...], "hyperedges": [...]}'}></textarea>
    </${Field}>
    <div class="obs-row">
      <${Field} label="Or load a JSON file"><input type="file" accept=".json,application/json" onChange=${readFile}/></${Field}>
      <${Field} label="Mode" hint="minimal: only meta.version, no schema.">
        <select value=${mode} onChange=${(e) => navigate(PATH, { mode: e.currentTarget.value === 'full' ? '' : e.currentTarget.value, schema: schema.trim() }, { replace: true })}>
          <option value="full">full</option><option value="minimal">minimal</option>
        </select></${Field}>
      <${Field} label="Schema name" hint="Empty: the shipped hif; others from plugins.compliance.hif.schema-dir.">
        <input value=${schema} placeholder="hif" size="14" onInput=${(e) => setSchema(e.currentTarget.value)}/></${Field}>
    </div>
    <${Problem} error=${fileError}/>
    <button type="submit" class="primary" disabled=${busy || !text.trim()}>Validate</button>
  </form>`;
}

function Errors({ data }) {
  const rows = data.errors || [];
  return html`<${DataTable} label="errors" rows=${rows} filter=${rows.length > 10} rowKey=${(e, i) => i}
    caption=${rows.length < data.error_count ? `${rows.length} of ${data.error_count} errors listed` : undefined}
    columns=${[
      { key: 'pointer', label: 'JSON pointer', render: (e) => html`<code>${e.pointer || '(document)'}</code>` },
      { key: 'keyword', label: 'Keyword', render: (e) => html`<code>${e.keyword}</code>${e.property ? html` <span class="muted">(${e.property})</span>` : null}` },
      { key: 'message', label: 'Message' },
      { key: 'shape', label: 'Closest shape', value: () => data.closest_shape, render: () => data.closest_shape || html`<span class="muted">–</span>` },
      { key: 'schema_location', label: 'Schema location', render: (e) => html`<code>${e.schema_location}</code>` },
    ]}/>`;
}

function Warnings({ data }) {
  const rows = data.warnings || [];
  return html`<${DataTable} label="warnings" rows=${rows} filter=${rows.length > 10} rowKey=${(w, i) => i} empty="No warnings."
    caption=${rows.length < data.warning_count ? `${rows.length} of ${data.warning_count} warnings listed` : undefined}
    columns=${[
      { key: 'pointer', label: 'JSON pointer', render: (w) => html`<code>${w.pointer}</code>` },
      { key: 'code', label: 'Code', render: (w) => html`<code>${w.code}</code>` },
      { key: 'message', label: 'Message' },
    ]}/>`;
}

function Results({ data }) {
  return html`<div data-testid="hif-results">
    <div class=${'obs-verdict ' + (data.valid ? 'obs-pass' : 'obs-fail')} data-testid="hif-verdict">
      <${Badge} ok=${data.valid} yes="✓ valid" no="✗ invalid"/>
      ${data.message ? html` <span>${data.message}</span>` : data.valid ? html` <span>The document is a valid ${data.shape || 'HIF document'}.</span>` : null}
    </div>
    <${KeyValues} entries=${[
      ['Mode', data.mode],
      ['Schema', data.schema],
      [data.valid ? 'Shape' : 'Closest shape', data.shape || data.closest_shape],
      ['Errors', data.error_count !== undefined ? String(data.error_count) : null],
      ['Warnings', data.warning_count !== undefined ? String(data.warning_count) : null],
      ['Size', `${fmtNumber(data.bytes, 0)} bytes, ${fmtNumber(data.took_ms, 2)} ms`],
      ['Note', data.note],
    ]}/>
    ${data.errors ? html`<${Section} title=${`Errors (${data.error_count})`} id="h-errors">
      ${data.errors.length ? html`<${Errors} data=${data}/>` : html`<p class="muted">No schema error.</p>`}
    </${Section}>` : null}
    ${data.warnings ? html`<${Section} title=${`Warnings (${data.warning_count})`} id="h-warnings"><${Warnings} data=${data}/></${Section}>` : null}
  </div>`;
}

export default function HifPage({ query }) {
  const [text, setText] = useState('');
  const [request, setRequest] = useState(null);
  const result = useApi(() => request && api('/api/compliance/hif/validate' + qs({ mode: request.mode === 'full' ? '' : request.mode, schema: request.schema }),
    { method: 'POST', body: request.text, contentType: 'application/json' }), [request]);
  const busy = request && result.loading;
  return html`<div class="obs">
    <h1>HIF validation</h1>
    <p class="muted">Validate a hypergraph interchange document (Hypergraph v2, ExplanationResponse, ExplanationPending or the legacy v1 graph).</p>
    <${Section} title="Document" id="h-form">
      <${DocumentForm} query=${query} text=${text} setText=${setText} busy=${busy}
        onValidate=${(opts) => setRequest({ ...opts, text })}/>
    </${Section}>
    ${busy ? html`<${Busy} label="Validating…"/>` : null}
    <${Problem} error=${request ? result.error : null}/>
    ${request && result.data && !result.loading ? html`<${Results} data=${result.data}/>` : null}
  </div>`;
}
