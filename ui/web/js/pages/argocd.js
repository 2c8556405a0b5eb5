// The workspace's Argo CD objects (GET /api/argocd/apps): a filter pane like Argo CD's application list
// (project, sync, health, label selector; the server filters), the apps as cards with source, destination,
// sync policy and their findings, the AppProjects, then the findings table and the rules.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, query as qs } from '../api.js';
import { href } from '../router.js';
import { Busy, Field, KeyValues, Problem, Section, useApi } from '../ui.js';
import { EngineNotice, FindingList, FindingsTable, Loc, RulesSection, findingsOf, setParams } from '../findings.js';

const PATH = '/deployments/argocd';
// Argo CD's own status values; the server compares them case-insensitively with status.*.status of the manifest
const SYNC = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

const filtersOf = (query) => ({ project: query.get('project') || '', sync: query.get('sync') || '',
  health: query.get('health') || '', label: query.get('label') || '' });

function FilterPane({ query, data }) {
  const f = filtersOf(query);
  const [label, setLabel] = useState(f.label);
  useEffect(() => setLabel(f.label), [f.label]);
  const set = (patch) => setParams(PATH, query, { ...patch, rule: null });
  // 'default' is Argo CD's built-in project, so it is offered even without an AppProject of that name
  const projects = [...new Set(['default', ...(data?.projects || []).map((p) => p.name), ...(data?.apps || []).map((a) => a.project), f.project].filter(Boolean))].sort();
  const select = (key, label, values) => html`<${Field} label=${label}>
    <select name=${key} value=${f[key]} onChange=${(e) => set({ [key]: e.currentTarget.value })}>
      <option value="">All</option>${values.map((v) => html`<option value=${v}>${v}</option>`)}
    </select></${Field}>`;
  return html`<aside class="filter-pane" aria-label="Application filters">
    <h2>Filters</h2>
    <form role="search" aria-label="Filter applications" onSubmit=${(e) => { e.preventDefault(); set({ label: label.trim() }); }}>
      ${select('project', 'Project', projects)}
      ${select('sync', 'Sync status', SYNC)}
      ${select('health', 'Health status', HEALTH)}
      <${Field} label="Labels" hint="A selector: key=value, key!=value, key in (a,b), key, !key">
        <input name="label" value=${label} placeholder="team=ml-platform" onInput=${(e) => setLabel(e.currentTarget.value)}/></${Field}>
      <div class="pane-actions"><button type="submit">Apply labels</button>
        ${Object.values(f).some(Boolean) ? html`<button type="button" onClick=${() => set({ project: null, sync: null, health: null, label: null })}>Clear</button>` : null}</div>
    </form>
    <p class="muted">Sync and health come from each manifest's <code>status</code>; workspace files usually carry none.</p>
  </aside>`;
}

function Source({ s }) {
  const pin = { version: 'badge-ok', commit: 'badge-ok', sha: 'badge-ok' }[s.revision_pin] || 'badge-warn';
  return html`<li class="app-source"><code>${s.repoURL}</code>
    <div>${s.chart ? html`chart <code>${s.chart}</code>` : html`path <code>${s.path || '–'}</code>`}
      ${s.path && s.path_exists === false ? html` <span class="badge badge-bad">missing in workspace</span>` : null}
      ${' · '}revision <code>${s.targetRevision || '–'}</code> ${s.revision_pin ? html`<span class=${'badge ' + pin}>${s.revision_pin}</span>` : null}</div>
    ${s.helm ? html`<div class="muted">helm: release ${s.helm.releaseName || '(app name)'}${s.helm.valueFiles?.length ? ', values ' + s.helm.valueFiles.join(', ') : ''}${s.helm.inline_values ? ', inline values' : ''}${s.helm.parameters ? `, ${s.helm.parameters} parameters` : ''}</div>` : null}
  </li>`;
}

function Destination({ d }) {
  return html`${d?.server || d?.name ? html`<code>${d.server || d.name}</code>` : html`<span class="badge badge-bad">no cluster</span>`}
    ${' / '}${d?.namespace ? html`<code>${d.namespace}</code>` : html`<span class="badge badge-warn">no namespace</span>`}`;
}

function SyncPolicy({ p }) {
  if (!p?.automated) return html`<span class="badge badge-warn">manual</span>`;
  const flag = (on, name) => html`<span class=${'badge ' + (on ? 'badge-ok' : 'badge-warn')}>${name} ${on ? 'on' : 'off'}</span> `;
  return html`<span class="badge badge-ok">automated</span> ${flag(p.prune, 'prune')}${flag(p.selfHeal, 'self-heal')}
    ${p.syncOptions?.length ? html`<div class="muted">${p.syncOptions.join(', ')}</div>` : null}`;
}

function AppCard({ app, data, query }) {
  const findings = findingsOf(data.findings, app.kind, app.name);
  const ignored = findingsOf(data.ignored, app.kind, app.name);
  const helmSource = (app.sources || []).some((s) => s.helm || s.chart);
  return html`<li class="card app-card" data-app=${app.name}>
    <div class="app-head"><h3>${app.name}</h3><span class="badge badge-kind">${app.kind}</span>
      ${findings.length ? html`<span class="badge badge-bad">${findings.length} finding${findings.length > 1 ? 's' : ''}</span>` : html`<span class="badge badge-ok">no findings</span>`}</div>
    <${KeyValues} entries=${[
      ['Project', html`<code>${app.project}</code>`],
      ['Labels', Object.keys(app.labels || {}).length ? html`<span class="chips">${Object.entries(app.labels).map(([k, v]) => html`<code>${k}=${v}</code> `)}</span>` : null],
      ['Source', html`<ul class="plain">${(app.sources || []).map((s) => html`<${Source} s=${s}/>`)}</ul>`],
      ['Destination', html`<${Destination} d=${app.destination}/>`],
      ['Sync policy', html`<${SyncPolicy} p=${app.sync_policy}/>`],
      ['Sync wave', String(app.sync_wave ?? 0)],
      ['Status', app.status ? `${app.status.sync || '–'} / ${app.status.health || '–'}` : null],
      ['Template', app.template_name ? html`<code>${app.template_name}</code>` : null],
      ['Generators', app.generators ? html`<code>${JSON.stringify(app.generators)}</code>` : null],
      ['Defined at', html`<${Loc} at=${app}/>`],
    ]}/>
    <h4>Findings</h4>
    <${FindingList} path=${PATH} query=${query} findings=${findings} ignored=${ignored}/>
    ${helmSource && app.kind === 'Application' ? html`<a href=${href('/deployments/helm', { app: app.name })}>Render with Helm as this app</a>` : null}
  </li>`;
}

function Projects({ projects }) {
  return html`<${Section} title=${`AppProjects (${projects.length})`} id="projects">
    ${projects.length === 0 ? html`<p class="muted">No AppProject in the manifests.</p>` : html`<ul class="cards app-cards">
      ${projects.map((p) => html`<li class="card" data-project=${p.name}><h3>${p.name}</h3>
        ${p.description ? html`<p>${p.description}</p>` : null}
        <${KeyValues} entries=${[
          ['Source repos', html`<ul class="plain">${p.sourceRepos.map((r) => html`<li><code>${r}</code></li>`)}</ul>`],
          ['Destinations', html`<ul class="plain">${p.destinations.map((d) => html`<li><${Destination} d=${d}/></li>`)}</ul>`],
          ['Roles', p.roles.length ? p.roles.join(', ') : 'none'],
          ['Defined at', html`<${Loc} at=${p}/>`],
        ]}/></li>`)}
    </ul>`}
  </${Section}>`;
}

function Apps({ data, query, kind, title }) {
  const apps = (data.apps || []).filter((a) => a.kind === kind);
  if (kind === 'ApplicationSet' && apps.length === 0) return null;
  return html`<${Section} title=${`${title} (${apps.length})`} id=${kind.toLowerCase()}>
    ${apps.length === 0 ? html`<p class="muted">No ${title.toLowerCase()} match the filters.</p>`
      : html`<ul class="cards app-cards">${apps.map((a) => html`<${AppCard} app=${a} data=${data} query=${query}/>`)}</ul>`}
  </${Section}>`;
}

export default function ArgoCdPage({ query }) {
  const f = filtersOf(query);
  const key = JSON.stringify(f);
  const { data, error, loading } = useApi(() => api('/api/argocd/apps' + qs(f)), [key]);
  return html`<div class="deploy">
    <h1>Argo CD apps</h1>
    <p class="muted">Applications, ApplicationSets and AppProjects of the workspace's Argo CD manifests, with pinning, project, destination and sync-policy checks.</p>
    <div class="argo-layout">
      <${FilterPane} query=${query} data=${data}/>
      <div class="argo-main">
        ${loading ? html`<${Busy} label="Reading the Argo CD manifests…"/>` : null}
        <${Problem} error=${error}/>
        ${data && !loading ? html`
          <${EngineNotice} summary=${data.summary} detail=${html`<code>${data.path}</code>`}/>
          <p data-testid="listed">${data.listed} listed of ${data.applications} Application${data.applications === 1 ? '' : 's'} in the manifests</p>
          <${Apps} data=${data} query=${query} kind="Application" title="Applications"/>
          <${Apps} data=${data} query=${query} kind="ApplicationSet" title="ApplicationSets"/>
          <${Projects} projects=${data.projects || []}/>` : null}
      </div>
    </div>
    ${data && !loading ? html`
      <${FindingsTable} path=${PATH} query=${query} answer=${data}
        objects=${(data.apps || []).map((a) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: a.kind, namespace: a.namespace, name: a.name, file: a.file, line: a.line }))}/>
      <${RulesSection} path=${PATH} query=${query} rules=${data.rules} findings=${data.findings}/>` : null}
  </div>`;
}
