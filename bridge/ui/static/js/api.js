// The bridge's HTTP API from the page: same-origin fetch, the token when there is one, errors as ApiError.

import { askForToken } from './token.js';

const TOKEN_KEY = 'ue-bridge-token';
// How often one request asks again after a refused token before it gives up with the 401.
const TOKEN_ATTEMPTS = 3;

/** A non-2xx reply of the bridge: `status`, `code` (its error_code), `detail`, and the parsed `body`. */
export class ApiError extends Error {
  constructor(status, code, message, detail = null, body = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.body = body;
  }
}

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || null;
  } catch {
    return null;
  }
}

/** Keep `token` for this tab (null forgets it); the page hears `ue-bridge-token` on window. */
export function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage refused (a locked-down profile): the token lasts until the page reloads.
  }
  window.dispatchEvent(new CustomEvent('ue-bridge-token', { detail: { stored: Boolean(token) } }));
}

export function authHeaders() {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function errorFrom(response) {
  let body = null;
  const text = await response.text().catch(() => '');
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  // The bridge's shape {success:false, error_code, error, detail} and the monitor's envelope
  // {success, data, error, timestamp, error_code, detail} both carry the message in `error`.
  const message = (body && typeof body.error === 'string' && body.error)
    || (body && typeof body.detail === 'string' && body.detail)
    || text || `${response.status} ${response.statusText}`;
  const code = (body && body.error_code) || null;
  const detail = body && body.detail !== undefined ? body.detail : null;
  return new ApiError(response.status, code, message, detail, body);
}

/**
 * fetch() with the token, asking for it on a 401 and trying again; any other non-2xx throws ApiError.
 * Returns the Response.
 */
export async function request(method, path, { body, signal, accept = 'application/json' } = {}) {
  for (let attempt = 0; ; attempt += 1) {
    const used = getToken();
    const headers = { Accept: accept, ...authHeaders() };
    const init = { method, headers, signal, credentials: 'omit', cache: 'no-store' };
    if (body !== undefined) {
      if (body instanceof FormData) {
        init.body = body;
      } else {
        headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
    }
    const response = await fetch(path, init);
    if (response.status === 401 && attempt < TOKEN_ATTEMPTS) {
      const now = getToken();
      if (now && now !== used) continue; // another request was given a new token meanwhile
      const entered = await askForToken({ rejected: Boolean(used) });
      if (entered) {
        setToken(entered);
        continue;
      }
      if (used) setToken(null); // refused and not replaced: do not send it again
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }
}

/** Call the API and return its parsed JSON (null for an empty reply). */
export async function api(method, path, body = undefined, { signal } = {}) {
  const response = await request(method, path, { body, signal });
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** A file from the API as a Blob (artifact previews and downloads need the token header too). */
export async function fetchBlob(path, { signal } = {}) {
  const response = await request('GET', path, { signal, accept: '*/*' });
  return response.blob();
}

/**
 * A WebSocket to `path` on this host. A browser WebSocket cannot send Authorization, so the token
 * goes as the subprotocols `bearer, <token>`, which the bridge accepts on /api/ws.
 */
export function openSocket(path) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}${path}`;
  const token = getToken();
  return token ? new WebSocket(url, ['bearer', token]) : new WebSocket(url);
}

function parseData(lines) {
  const text = lines.join('\n');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Server-Sent Events read with fetch (EventSource cannot send the token): yields {event, data}, `data`
 * parsed as JSON when it is JSON. Stops when the stream ends or `signal` aborts.
 */
export async function* sse(path, { signal, method = 'GET', body } = {}) {
  const response = await request(method, path, { body, signal, accept: 'text/event-stream' });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = 'message';
  let data = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone \r at the end may be the first half of \r\n: wait for the next chunk.
        if (!match || (match[0] === '\r' && match.index === buffer.length - 1)) break;
        const line = buffer.slice(0, match.index);
        buffer = buffer.slice(match.index + match[0].length);
        if (line === '') {
          if (data.length) yield { event, data: parseData(data) };
          event = 'message';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let text = colon < 0 ? '' : line.slice(colon + 1);
          if (text.startsWith(' ')) text = text.slice(1);
          if (field === 'event') event = text;
          else if (field === 'data') data.push(text);
        }
      }
    }
    if (data.length) yield { event, data: parseData(data) };
  } finally {
    reader.cancel().catch(() => {});
  }
}
