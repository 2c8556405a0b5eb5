// What the signed-in caller may see: /api/plugins answers the caller and every plugin with its routes' scopes,
// so navigation and "unavailable" marks come from the server, never from a list kept in the GUI.
import { signal, computed } from '@preact/signals';
import { api } from './api.js';
import { PAGES } from './pages.js';

export const caller = signal(null);
export const plugins = signal([]);

export async function loadPlugins() {
  const body = await api('/api/plugins');
  caller.value = body.caller || null;
  plugins.value = body.plugins || [];
  return body;
}

export function clearState() {
  caller.value = null;
  plugins.value = [];
}

/**
 * Availability of a page for the caller: {state: 'ok'|'absent'|'failed'|'forbidden', reason, scopes}.
 * A page names its plugin and the route it needs ("GET /api/testruns"); the route's scopes come from the server.
 */
export function availability(page, list = plugins.value, who = caller.value) {
  if (!page.plugin) return { state: 'ok', scopes: [] };
  const plugin = list.find((p) => p.id === page.plugin);
  if (!plugin || plugin.status === 'disabled') {
    return { state: 'absent', reason: `the ${page.plugin} plugin is not loaded on this server`, scopes: [] };
  }
  if (plugin.status !== 'active') {
    return { state: 'failed', reason: plugin.reason || `the ${page.plugin} plugin failed to load`, scopes: [] };
  }
  const [method, path] = page.route.split(' ');
  const route = (plugin.routes || []).find((r) => r.method === method && r.path === path)
    || (plugin.sockets || []).find((s) => s.path === path);
  if (!route) return { state: 'absent', reason: `${page.route} is not served by this ${page.plugin} plugin`, scopes: [] };
  const scopes = route.scopes || [];
  const held = new Set(who?.scopes || []);
  const missing = scopes.filter((s) => !held.has(s));
  if (missing.length) {
    return { state: 'forbidden', reason: `needs the scope ${missing.map((s) => `'${s}'`).join(' and ')}`, scopes: missing };
  }
  return { state: 'ok', scopes };
}

/** Pages for the navigation: absent (dropped or disabled) plugins' pages disappear. */
export const navPages = computed(() =>
  PAGES.filter((p) => p.nav !== false).map((p) => ({ page: p, avail: availability(p, plugins.value, caller.value) }))
    .filter((x) => x.avail.state !== 'absent'));

/** Scopes the caller holds, for pages that offer actions needing more than the page's read scope. */
export function holds(scope) {
  return (caller.value?.scopes || []).includes(scope);
}
