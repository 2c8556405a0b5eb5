// Every plugin the server found, with status, reason, source, routes and their scopes (GET /api/plugins).
import { html } from '../html.js';
import { plugins } from '../state.js';
import { DataTable, Section } from '../ui.js';

export default function PluginsPage() {
  const rows = plugins.value;
  return html`<h1>Plugins</h1>
    <p>What this server loaded from its plugin folders. A failed plugin shows why; the others serve.</p>
    <${Section} title="Loaded plugins">
      <${DataTable} label="plugins" rows=${rows} rowKey=${(p) => p.id} rowClass=${(p) => (p.status === 'failed' ? 'row-bad' : '')}
        initialSort=${{ key: 'id', dir: 'asc' }} columns=${[
          { key: 'id', label: 'Plugin', render: (p) => html`<strong>${p.id}</strong> <span class="muted">${p.version || ''}</span>` },
          { key: 'status', label: 'Status', render: (p) => html`<span class=${'badge ' + (p.status === 'active' ? 'badge-ok' : p.status === 'failed' ? 'badge-bad' : 'badge-warn')}>${p.status}</span>` },
          { key: 'reason', label: 'Reason', render: (p) => (p.reason ? html`<span class="reason">${p.reason}</span>` : html`<span class="muted">–</span>`) },
          { key: 'routes', label: 'Routes (scopes)', sortable: false,
            value: (p) => [...(p.routes || []).map((r) => r.method + ' ' + r.path), ...(p.sockets || []).map((s) => 'WS ' + s.path)].join(' '),
            render: (p) => html`<ul class="plain">${(p.routes || []).map((r) => html`<li><code>${r.method} ${r.path}</code> ${r.scopes.join(', ') || 'any caller'}</li>`)}
              ${(p.sockets || []).map((s) => html`<li><code>WS ${s.path}</code> ${s.scopes.join(', ')}</li>`)}</ul>` },
          { key: 'source', label: 'Source', render: (p) => html`<code>${p.source || ''}</code>` },
        ]}/>
    </${Section}>`;
}
