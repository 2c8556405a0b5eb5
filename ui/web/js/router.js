// Hash routes (#/testruns/<id>?tab=log): each page has its own URL, so it can be bookmarked and shared, and the
// GUI works from any static file server (no server-side route needed).
import { signal } from '@preact/signals';

function parse() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(qs) };
}

export const route = signal(parse());
window.addEventListener('hashchange', () => { route.value = parse(); });

/** Goes to a path; replace keeps the history entry (for filters typed into a page). */
export function navigate(path, params, { replace = false } = {}) {
  const qs = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString() : '';
  const hash = '#' + path + (qs ? '?' + qs : '');
  if (replace) {
    history.replaceState(null, '', hash);
    route.value = parse();
  } else if (location.hash !== hash) {
    location.hash = hash;
  }
}

export function href(path, params) {
  const qs = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString() : '';
  return '#' + path + (qs ? '?' + qs : '');
}
