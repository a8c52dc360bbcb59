// The dispatcher's REST API (/api/v1/): the operator requests by their
// OperatorRequest field name, answered with the whole OperatorResponse as
// protobuf JSON; the session (cookie set by the server, CSRF token kept in
// memory and sent with every POST).

let csrfToken = '';
let session = null;
const unauthenticatedListeners = [];

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export function currentSession() {
  return session;
}

// Called when any request answers 401: the page goes back to the login.
export function onUnauthenticated(listener) {
  unauthenticatedListeners.push(listener);
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
      credentials: 'same-origin',
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', e.message);
  }
  let json = null;
  const text = await response.text();
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = null;
  }
  if (!response.ok || json === null || json.error) {
    const error = json?.error ?? {};
    const code = error.code || (response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'PERMISSION_DENIED' : `HTTP_${response.status}`);
    const failure = new ApiError(response.status, code, error.message || text.slice(0, 200));
    if (response.status === 401 && path !== '/api/v1/login' && path !== '/api/v1/session') {
      session = null;
      for (const listener of unauthenticatedListeners) listener(failure);
    }
    throw failure;
  }
  return json;
}

function remember(body) {
  session = { user: body.user, role: body.role, unitId: body.unit_id || body.unitId || '' };
  csrfToken = body.csrf_token || body.csrfToken || '';
  return session;
}

export async function login(user, password) {
  return remember(await send('POST', '/api/v1/login', { user, password }));
}

// The current session, or null when there is none (401).
export async function resume() {
  try {
    return remember(await send('GET', '/api/v1/session'));
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function logout() {
  try {
    await send('POST', '/api/v1/logout', {});
  } finally {
    session = null;
    csrfToken = '';
  }
}

// POST /api/v1/<name> with the request's JSON; resolves to the result field
// of the OperatorResponse named `result` (or the whole response when
// `result` is omitted); rejects with an ApiError.
export async function call(name, request = {}, result = undefined) {
  const response = await send('POST', `/api/v1/${name}`, request);
  return result === undefined ? response : response[result] ?? {};
}
