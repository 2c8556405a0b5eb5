// What the signed-in caller may see: /api/plugins answers the caller and every plugin with its routes' scopes,
// so navigation and "unavailable" marks come from the server, never from a list kept in the GUI.
import { signal, computed } from '@preact/signals';
import { api } from './api.js';
import { PAGES } from './pages.js';

export const caller = signal(null);
export const plugins = signal([]);
/** The server's own routes (GET /api/checks, /api/plugins) with their scopes; null from a server that lists none. */
export const serverRoutes = signal(null);

export async function loadPlugins() {
  const body = await api('/api/plugins');
  caller.value = body.caller || null;
  plugins.value = body.plugins || [];
  serverRoutes.value = Array.isArray(body.routes) ? body.routes : null;
  return body;
}

export function clearState() {
  caller.value = null;
  plugins.value = [];
  serverRoutes.value = null;
}

function scopesHeld(route, who) {
  const held = new Set(who?.scopes || []);
  const missing = (route.scopes || []).filter((s) => !held.has(s));
  if (missing.length) {
    return { state: 'forbidden', reason: `needs the scope ${missing.map((s) => `'${s}'`).join(' and ')}`, scopes: missing };
  }
  return { state: 'ok', scopes: route.scopes || [] };
}

/**
 * Availability of a page for the caller: {state: 'ok'|'absent'|'failed'|'forbidden', reason, scopes}.
 * A page names its plugin and the route it needs ("GET /api/testruns"); the route's scopes come from the server.
 */
export function availability(page, list = plugins.value, who = caller.value, own = serverRoutes.value) {
  if (!page.plugin) {
    // a server route (the overview's GET /api/checks): authentication is all it asks of a caller
    if (!page.route || !own) return { state: 'ok', scopes: [] };
    const [method, path] = page.route.split(' ');
    const route = own.find((r) => r.method === method && r.path === path);
    return route ? scopesHeld(route, who) : { state: 'absent', reason: `${page.route} is not served by this server`, scopes: [] };
  }
  const plugin = list.find((p) => p.id === page.plugin);
  if (!plugin || plugin.status === 'disabled') {
    return { state: 'absent', reason: `the ${page.plugin} plugin is not loaded on this server`, scopes: [] };
  }
  if (plugin.status !== 'active') {
    return { state: 'failed', reason: plugin.reason || `the ${page.plugin} plugin failed to load`, scopes: [] };
  }
  if (!page.route) return { state: 'ok', scopes: [] };
  const [method, path] = page.route.split(' ');
  const route = (plugin.routes || []).find((r) => r.method === method && r.path === path)
    || (plugin.sockets || []).find((s) => s.path === path);
  if (!route) return { state: 'absent', reason: `${page.route} is not served by this ${page.plugin} plugin`, scopes: [] };
  return scopesHeld(route, who);
}

/**
 * A page for a plugin the GUI has no page of its own for (a site's plugin): its routes, callable, at
 * #/plugins/<id>. Its availability is that of its first GET route.
 */
export function pluginPage(plugin) {
  const get = (plugin.routes || []).find((r) => r.method === 'GET');
  return { id: 'plugin:' + plugin.id, path: '/plugins/' + plugin.id, title: plugin.id, group: 'Other plugins',
    plugin: plugin.id, route: get ? 'GET ' + get.path : null };
}

/** Pages for the navigation: absent (dropped or disabled) plugins' pages disappear; other plugins get one each. */
export const navPages = computed(() => {
  const known = new Set(PAGES.map((p) => p.plugin).filter(Boolean));
  const others = plugins.value.filter((p) => !known.has(p.id) && p.status !== 'disabled').map(pluginPage);
  return [...PAGES.filter((p) => p.nav !== false), ...others]
    .map((p) => ({ page: p, avail: availability(p, plugins.value, caller.value, serverRoutes.value) }))
    .filter((x) => x.avail.state !== 'absent');
});

/** Scopes the caller holds, for pages that offer actions needing more than the page's read scope. */
export function holds(scope) {
  return (caller.value?.scopes || []).includes(scope);
}
