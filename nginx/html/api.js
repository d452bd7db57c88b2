// HTTP client for the focus API: JSON in, {"data": ...} out, errors as ApiError.
// Every request is same-origin with cookie auth; the browser adds Origin to writes.

export class ApiError extends Error {
  constructor(status, kind, message, retryAfter) {
    super(message);
    this.name = 'ApiError';
    this.status = status;        // HTTP status, 0 when the network failed
    this.kind = kind;            // the envelope's "error", e.g. "conflict"
    this.retryAfter = retryAfter; // seconds, from Retry-After, or null
  }
}

function parseRetryAfter(value) {
  if (!value) return null;
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) return n;
  const when = Date.parse(value);
  if (!Number.isNaN(when)) return Math.max(0, Math.round((when - Date.now()) / 1000));
  return null;
}

const FALLBACK_MESSAGES = {
  400: 'The request was not understood.',
  401: 'Please sign in.',
  403: 'That action was refused.',
  404: 'Not found.',
  409: 'That is not possible in the current state.',
  413: 'The file is too large.',
  415: 'That file type is not supported.',
  422: 'Some of the values are not valid.',
  429: 'Too many attempts; please wait a little.',
  502: 'The storage service failed; please try again.',
  503: 'The service is unavailable right now.',
};

// Build an ApiError (or return data) from a status, header getter and body text.
function settle(status, getHeader, text) {
  let body = null;
  if (text) {
    try { body = JSON.parse(text); } catch { body = null; }
  }
  if (status >= 200 && status < 300) {
    if (body && typeof body === 'object' && 'data' in body) return body.data;
    throw new ApiError(status, 'bad_response', 'The service sent an unexpected answer.', null);
  }
  const kind = body && typeof body.error === 'string' ? body.error : 'http_' + status;
  const message = body && typeof body.message === 'string' && body.message
    ? body.message
    : (FALLBACK_MESSAGES[status] || `The service answered with status ${status}.`);
  throw new ApiError(status, kind, message, parseRetryAfter(getHeader('Retry-After')));
}

// Observers told about every failed request (used for 401 and 503 handling).
const listeners = new Set();
export function onApiError(fn) { listeners.add(fn); return () => listeners.delete(fn); }
function notify(err, path) { for (const fn of listeners) fn(err, path); }

export async function request(method, path, body, extraHeaders) {
  const init = { method, credentials: 'same-origin',
    headers: { Accept: 'application/json', ...(extraHeaders || {}) } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    // never queued: a write made offline is refused, and said so
    const err = method === 'GET'
      ? new ApiError(0, 'network', 'The service cannot be reached.', null)
      : new ApiError(0, 'network', 'Offline: nothing was changed. Try again once the connection is back.', null);
    err.write = method !== 'GET';
    notify(err, path);
    throw err;
  }
  let text = '';
  try { text = await res.text(); } catch { text = ''; }
  try {
    return settle(res.status, (h) => res.headers.get(h), text);
  } catch (err) {
    notify(err, path);
    throw err;
  }
}

export const get = (path) => request('GET', path);
export const post = (path, body, headers) => request('POST', path, body, headers);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path, headers) => request('DELETE', path, undefined, headers);

// A random Idempotency-Key (API.md Part 2): a retried write is done once.
export function idempotencyKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

// GET with If-None-Match: {notModified: true} on 304, else {data, etag,
// date} (date: the response's Date header, the server's clock).
export async function getIfChanged(path, etag) {
  const headers = { Accept: 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  let res;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers, cache: 'no-store' });
  } catch {
    const err = new ApiError(0, 'network', 'The service cannot be reached.', null);
    notify(err, path);
    throw err;
  }
  if (res.status === 304) return { notModified: true };
  let text = '';
  try { text = await res.text(); } catch { text = ''; }
  try {
    const data = settle(res.status, (h) => res.headers.get(h), text);
    return { data, etag: res.headers.get('ETag'), date: res.headers.get('Date') };
  } catch (err) {
    notify(err, path);
    throw err;
  }
}

// PUT raw bytes with upload progress (fetch cannot report it): onProgress(fraction|null).
export function upload(path, file, contentType, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.withCredentials = false; // same-origin: cookies go anyway
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (ev) => {
      onProgress(ev.lengthComputable && ev.total > 0 ? ev.loaded / ev.total : null);
    };
    xhr.onload = () => {
      try {
        resolve(settle(xhr.status, (h) => xhr.getResponseHeader(h), xhr.responseText));
      } catch (err) {
        notify(err, path);
        reject(err);
      }
    };
    const fail = (kind, message) => () => {
      const err = new ApiError(0, kind, message, null);
      if (kind === 'network') notify(err, path);
      reject(err);
    };
    xhr.onerror = fail('network', 'The upload failed: the service cannot be reached.');
    xhr.onabort = fail('aborted', 'The upload was cancelled.');
    xhr.ontimeout = fail('timeout', 'The upload timed out.');
    xhr.send(file);
  });
}
