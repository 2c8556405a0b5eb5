// Every plugin the server found, with status, reason, source, routes and their scopes (GET /api/plugins); and at
// #/plugins/<id> one plugin's own view, for plugins the GUI has no page of its own for (a site's plugin): its routes
// with the scopes they need, and each parameterless GET route callable, its answer shown as it came.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { caller, plugins } from '../state.js';
import { Busy, DataTable, KeyValues, Problem, Section } from '../ui.js';

export default function PluginsPage({ rest }) {
  if (rest) return html`<${PluginView} id=${rest}/>`;
  const rows = plugins.value;
  return html`<h1>Plugins</h1>
    <p>What this server loaded from its plugin folders. A failed plugin shows why; the others serve.</p>
    <${Section} title="Loaded plugins">
      <${DataTable} label="plugins" rows=${rows} rowKey=${(p) => p.id} rowClass=${(p) => (p.status === 'failed' ? 'row-bad' : '')}
        initialSort=${{ key: 'id', dir: 'asc' }} columns=${[
          { key: 'id', label: 'Plugin', render: (p) => html`<a href=${'#/plugins/' + encodeURIComponent(p.id)}><strong>${p.id}</strong></a> <span class="muted">${p.version || ''}</span>` },
          { key: 'status', label: 'Status', render: (p) => html`<${StatusBadge} status=${p.status}/>` },
          { key: 'reason', label: 'Reason', render: (p) => (p.reason ? html`<span class="reason">${p.reason}</span>` : html`<span class="muted">–</span>`) },
          { key: 'routes', label: 'Routes (scopes)', sortable: false,
            value: (p) => [...(p.routes || []).map((r) => r.method + ' ' + r.path), ...(p.sockets || []).map((s) => 'WS ' + s.path)].join(' '),
            render: (p) => html`<ul class="plain">${(p.routes || []).map((r) => html`<li><code>${r.method} ${r.path}</code> ${r.scopes.join(', ') || 'any caller'}</li>`)}
              ${(p.sockets || []).map((s) => html`<li><code>WS ${s.path}</code> ${s.scopes.join(', ')}</li>`)}</ul>` },
          { key: 'source', label: 'Source', render: (p) => html`<code>${p.source || ''}</code>` },
        ]}/>
    </${Section}>`;
}

function StatusBadge({ status }) {
  const cls = status === 'active' ? 'badge-ok' : status === 'failed' ? 'badge-bad' : 'badge-warn';
  return html`<span class=${'badge ' + cls}>${status}</span>`;
}

function missingScopes(route) {
  const held = new Set(caller.value?.scopes || []);
  return (route.scopes || []).filter((s) => !held.has(s));
}

function PluginView({ id }) {
  const plugin = plugins.value.find((p) => p.id === id);
  if (!plugin) {
    return html`<h1>Plugin ${id}</h1><p>No plugin <code>${id}</code> is loaded on this server. <a href="#/plugins">All plugins</a></p>`;
  }
  return html`<h1>Plugin ${plugin.id}</h1>
    <${KeyValues} entries=${[
      ['Status', html`<${StatusBadge} status=${plugin.status}/>`],
      ['Version', plugin.version || '–'],
      ['Built for SPI', plugin.spi_version || 'not recorded'],
      ['Source', html`<code>${plugin.source || ''}</code>`],
      ...(plugin.reason ? [['Reason', html`<span class="reason">${plugin.reason}</span>`]] : []),
    ]}/>
    <${Section} title="Routes">
      ${(plugin.routes || []).length === 0 ? html`<p class="muted">This plugin serves no HTTP route.</p>`
        : html`<ul class="plain plugin-routes">${plugin.routes.map((r) => html`<li><${RouteCall} route=${r} active=${plugin.status === 'active'}/></li>`)}</ul>`}
    </${Section}>
    ${(plugin.sockets || []).length ? html`<${Section} title="WebSockets">
      <ul class="plain">${plugin.sockets.map((s) => html`<li><code>WS ${s.path}</code> ${s.scopes.join(', ')}</li>`)}</ul>
    </${Section}>` : null}`;
}

/** One route: its scopes, and for a GET without path parameters a button that calls it and shows the answer. */
function RouteCall({ route, active }) {
  const [state, setState] = useState({ busy: false, data: undefined, error: null });
  const missing = missingScopes(route);
  const callable = active && route.method === 'GET' && !route.path.includes('{') && missing.length === 0;
  const call = async () => {
    setState({ busy: true, data: undefined, error: null });
    try {
      setState({ busy: false, data: await api(route.path), error: null });
    } catch (error) {
      setState({ busy: false, data: undefined, error });
    }
  };
  return html`<div class="route-call">
    <code>${route.method} ${route.path}</code>
    <span class="muted"> ${route.scopes.length ? 'needs ' + route.scopes.join(', ') : 'any caller'}</span>
    ${missing.length ? html` <span class="nav-reason">unavailable: needs the scope ${missing.map((s) => `'${s}'`).join(' and ')}</span>` : null}
    ${callable ? html` <button type="button" onClick=${call} aria-label=${'Call ' + route.method + ' ' + route.path}>Call</button>` : null}
    ${state.busy ? html`<${Busy} label=${'Calling ' + route.path + '…'}/>` : null}
    <${Problem} error=${state.error}/>
    ${state.data !== undefined ? html`<pre class="route-answer" tabindex="0" aria-label=${'Answer of ' + route.path}>${typeof state.data === 'string' ? state.data : JSON.stringify(state.data, null, 2)}</pre>` : null}
  </div>`;
}
