// The session (control plane URL, token, viewed tenant) and every call the GUI makes to the API.
// The token lives in sessionStorage only and travels in the Authorization header, or for WebSockets in the
// sub-protocol pair ["bearer", token]: never in a URL, so it is not in history, logs or Referer headers.
import { signal } from '@preact/signals';

const KEY = 'controlplane.session';

function restore() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY));
    return s && typeof s.token === 'string' ? s : null;
  } catch {
    return null;
  }
}

/** {base, token, tenant}: base '' means the origin that served the page. */
export const session = signal(restore());

export function saveSession(next) {
  session.value = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
}

/** An API answer that was not 2xx, carrying its RFC 9457 problem document. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export function apiUrl(path) {
  const base = (session.value?.base || '').replace(/\/+$/, '');
  return base + path;
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const s = session.value;
  if (s?.token) h.Authorization = 'Bearer ' + s.token;
  if (s?.tenant) h['X-Tenant-ID'] = s.tenant;
  return h;
}

/**
 * Calls the API. A plain object or array body is sent as JSON; a string or Blob as is, with the content type
 * the caller names. Answers JSON, text, or with raw: true the Response. Throws ApiError for non-2xx answers
 * and for unreachable servers (status 0).
 */
export async function api(path, { method = 'GET', body, contentType, raw = false, signal: abort } = {}) {
  const h = headers(contentType ? { 'Content-Type': contentType } : {});
  let payload = body;
  if (body !== undefined && body !== null && typeof body === 'object' && !(body instanceof Blob)) {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(apiUrl(path), { method, headers: h, body: payload, signal: abort });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Control plane unreachable', detail: `${apiUrl(path) || path}: ${e.message}` });
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let problem;
    try {
      problem = JSON.parse(text);
    } catch {
      problem = { title: res.statusText || `HTTP ${res.status}`, detail: text.slice(0, 500) };
    }
    throw new ApiError(res.status, { status: res.status, ...problem });
  }
  if (raw) return res;
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json() : res.text();
}

/** ws(s):// URL of a WebSocket endpoint; the viewed tenant goes as tenant_id (the header's query form). */
export function socketUrl(path, params = {}) {
  const url = new URL(apiUrl(path), location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  }
  if (session.value?.tenant) url.searchParams.set('tenant_id', session.value.tenant);
  return url.toString();
}

export function openSocket(path, params) {
  return new WebSocket(socketUrl(path, params), ['bearer', session.value?.token || '']);
}

/** Saves an API answer as a file (the token must go in a header, so a plain link cannot do it). */
export async function download(path, filename) {
  const res = await api(path, { raw: true });
  const blob = await res.blob();
  saveBlob(blob, filename);
}

export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Query string from an object, leaving out empty values; repeated keys for arrays. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.filter((x) => x !== '' && x != null).forEach((x) => q.append(k, x));
    else if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
