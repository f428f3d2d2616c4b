// The practice app's API from the learner pages: same-origin fetch with the access token from log-in,
// kept in sessionStorage so it lasts as long as the tab. Errors are the seed's {error, code, status}.

const TOKEN_KEY = 'practice-token';
const USER_KEY = 'practice-user';

/** A non-2xx reply: `status`, `code` (e.g. NOT_FOUND) and the server's message. */
export class PracticeError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'PracticeError';
    this.status = status;
    this.code = code;
  }
}

function stored(key) {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

export function getToken() {
  return stored(TOKEN_KEY);
}

/** The signed-in user as log-in returned it ({id, email, username?}), or null. */
export function getUser() {
  const text = stored(USER_KEY);
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** Keep the session of a sign-up or log-in reply; null forgets it. The page hears `practice-session`. */
export function keepSession(reply) {
  try {
    if (reply) {
      sessionStorage.setItem(TOKEN_KEY, reply.session.access_token);
      sessionStorage.setItem(USER_KEY, JSON.stringify(reply.user));
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(USER_KEY);
    }
  } catch {
    // Storage refused (a locked-down profile): the user signs in again after a reload.
  }
  window.dispatchEvent(new CustomEvent('practice-session'));
}

async function failure(response) {
  const text = await response.text().catch(() => '');
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const message = (body && body.error) || text || `${response.status} ${response.statusText}`;
  return new PracticeError(response.status, (body && body.code) || null, message);
}

async function send(method, path, body, accept = 'json') {
  const headers = {};
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit',
  });
  if (!response.ok) {
    const error = await failure(response);
    // A token the server no longer takes (expired, revoked) ends the session: the shell shows sign-in.
    if (response.status === 401 && token) keepSession(null);
    throw error;
  }
  return accept === 'blob' ? response : response.json();
}

export const api = {
  get: (path) => send('GET', path),
  post: (path, body = {}) => send('POST', path, body),
  put: (path, body) => send('PUT', path, body),
  delete: (path) => send('DELETE', path),
  /** A POST whose reply is a file: the Response, for its blob and Content-Disposition. */
  download: (path, body) => send('POST', path, body, 'blob'),
};

/** Whole query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
