// The console's shell: sign-in, header (caller, tenant, health), navigation from /api/plugins, and the page
// outlet. Pages are modules loaded when first opened; each gets {rest, query} from its hash route. The landing
// page #/ is the workspace overview, a page of the registry like the others.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { html } from './html.js';
import { api, saveSession, session } from './api.js';
import { availability, caller, clearState, loadPlugins, navPages } from './state.js';
import { match } from './pages.js';
import { href, navigate, route } from './router.js';
import { Busy, Field, Problem } from './ui.js';

// The outcome of a sign-in lives in the shell, not here: this form is replaced by a progress line while the
// attempt runs, and the refusal must survive that.
function SignIn({ error, onResult }) {
  const base = useSignal(session.value?.base || '');
  const token = useSignal('');
  async function submit(e) {
    e.preventDefault();
    saveSession({ base: base.value.trim(), token: token.value.trim(), tenant: '' });
    try {
      await loadPlugins();
      onResult(null);
    } catch (err) {
      saveSession(null);
      onResult(err);
    }
  }
  return html`<main id="main" class="signin">
    <h1>Async Sidecar Control Plane</h1>
    <p>Sign in with a bearer token. It is kept in this tab's session storage only.</p>
    <form onSubmit=${submit} class="card">
      <${Field} label="Bearer token"><input type="password" name="token" autocomplete="off" required
        value=${token.value} onInput=${(e) => (token.value = e.currentTarget.value)}/></${Field}>
      <${Field} label="Control plane URL" hint="Empty: the server that served this page. Another server must list this page's origin in cors.allowed-origins.">
        <input type="url" name="base" placeholder=${location.origin} value=${base.value}
          onInput=${(e) => (base.value = e.currentTarget.value)}/></${Field}>
      <button type="submit" class="primary">Sign in</button>
    </form>
    <${Problem} error=${error}/>
  </main>`;
}

function Health() {
  const [state, setState] = useState('checking');
  useEffect(() => {
    let stop = false;
    async function poll() {
      try {
        const body = await api('/healthz');
        if (!stop) setState(body.ok ? 'up' : 'down');
      } catch {
        if (!stop) setState('unreachable');
      }
    }
    poll();
    const t = setInterval(poll, 10000);
    return () => { stop = true; clearInterval(t); };
  }, []);
  return html`<span class=${'health health-' + state} role="status">Server ${state}</span>`;
}

function TenantPicker({ onChange }) {
  const who = caller.value;
  const [value, setValue] = useState(session.value?.tenant || '');
  if (!who?.tenants_admin) return null;
  return html`<form class="tenant" onSubmit=${(e) => { e.preventDefault(); onChange(value.trim()); }}>
    <${Field} label="View tenant"><input value=${value} placeholder=${who.home_tenant} size="8"
      onInput=${(e) => setValue(e.currentTarget.value)}/></${Field}>
    <button type="submit">Apply</button>
  </form>`;
}

function Header({ onSignOut, onTenant }) {
  const who = caller.value;
  return html`<header class="top">
    <a class="brand" href="#/">Control plane</a>
    <${Health}/>
    ${who ? html`<div class="who" aria-label="Signed in as">
      <span><span class="muted">subject</span> <strong data-testid="subject">${who.subject}</strong></span>
      <span><span class="muted">tenant</span> <strong data-testid="tenant">${who.tenant_id}</strong>${who.tenant_id !== who.home_tenant ? html` <span class="muted">(home ${who.home_tenant})</span>` : null}</span>
      <details class="scopes"><summary>${who.scopes.length} scopes</summary><ul>${who.scopes.map((s) => html`<li><code>${s}</code></li>`)}</ul></details>
    </div>` : null}
    <${TenantPicker} onChange=${onTenant}/>
    <button type="button" onClick=${onSignOut}>Sign out</button>
  </header>`;
}

function Nav({ current }) {
  const groups = [];
  for (const item of navPages.value) {
    let g = groups.find((x) => x.name === item.page.group);
    if (!g) groups.push((g = { name: item.page.group, items: [] }));
    g.items.push(item);
  }
  return html`<nav class="side" aria-label="Capabilities">
    ${groups.map((g) => html`<div class="nav-group"><h2>${g.name}</h2><ul>
      ${g.items.map(({ page, avail }) => html`<li class=${'nav-' + avail.state}>
        <a href=${href(page.path)} aria-current=${current === page.id ? 'page' : undefined}>${page.title}</a>
        ${avail.state !== 'ok' ? html`<span class="nav-reason">${avail.state === 'forbidden' ? 'unavailable: ' : 'failed: '}${avail.reason}</span>` : null}
      </li>`)}
    </ul></div>`)}
  </nav>`;
}

function Unavailable({ page, avail }) {
  return html`<div class="unavailable" role="alert">
    <h1>${page.title}</h1>
    ${avail.state === 'forbidden' ? html`<p>This page is unavailable to your token: it ${avail.reason}.
      Ask for a token that carries ${avail.scopes.map((s, i) => html`${i ? ' and ' : ''}<code>${s}</code>`)}.</p>`
      : avail.state === 'failed' ? html`<p>The <code>${page.plugin}</code> plugin failed to load: <span class="reason">${avail.reason}</span></p>`
      : html`<p>Not available: ${avail.reason}.</p>`}
  </div>`;
}

const loaded = new Map();
function PageOutlet({ page, rest, query }) {
  const [mod, setMod] = useState(loaded.get(page.id) || null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (loaded.has(page.id)) { setMod(loaded.get(page.id)); return; }
    setMod(null);
    page.load().then((m) => { loaded.set(page.id, m); setMod(m); }, setError);
  }, [page.id]);
  if (error) return html`<${Problem} error=${error}/>`;
  if (!mod) return html`<${Busy} label=${'Loading ' + page.title + '…'}/>`;
  const Page = mod.default;
  return html`<${Page} rest=${rest} query=${query} page=${page}/>`;
}

function Shell() {
  const [signedIn, setSignedIn] = useState(false);
  const [bootError, setBootError] = useState(null);
  const mainRef = useRef(null);
  useEffect(() => {
    if (!session.value) return;
    loadPlugins().then(() => setSignedIn(true), (e) => {
      saveSession(null);
      setBootError(e);
    });
  }, []);
  const r = route.value;
  useEffect(() => { mainRef.current?.focus({ preventScroll: true }); }, [r.path]);
  if (!session.value) {
    return html`<${SignIn} error=${bootError} onResult=${(err) => { setBootError(err); setSignedIn(!err); }}/>`;
  }
  if (!signedIn) return html`<main id="main"><${Busy} label="Signing in…"/></main>`;
  const m = match(r.path);
  const avail = m ? availability(m.page) : null;
  const signOut = () => { saveSession(null); clearState(); setSignedIn(false); navigate('/'); };
  const tenant = async (t) => {
    saveSession({ ...session.value, tenant: t });
    try { await loadPlugins(); } catch (e) { saveSession({ ...session.value, tenant: '' }); await loadPlugins(); alert(e.message); }
    route.value = { ...route.value };
  };
  return html`<div class="layout">
    <a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); mainRef.current?.focus(); }}>Skip to content</a>
    <${Header} onSignOut=${signOut} onTenant=${tenant}/>
    <${Nav} current=${m?.page.id === 'plugins' && m.rest ? 'plugin:' + m.rest : m?.page.id}/>
    <main id="main" tabindex="-1" ref=${mainRef} key=${(session.value?.tenant || '') + '|' + (m?.page.id || 'none')}>
      ${!m ? html`<h1>Not found</h1><p>No page at <code>${r.path}</code>. <a href="#/">Overview</a></p>`
        : avail.state !== 'ok' ? html`<${Unavailable} page=${m.page} avail=${avail}/>`
        : html`<${PageOutlet} page=${m.page} rest=${m.rest} query=${r.query}/>`}
    </main>
  </div>`;
}

const root = document.getElementById('app');
root.replaceChildren(); // Preact 11 renders beside what is there, and the boot message must go
render(html`<${Shell}/>`, root);
