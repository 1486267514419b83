import { language } from './i18n.js';

const KEY = 'inkind.session';

/** The signed-in person ({ token, user }), kept for this browser tab only. */
export const session = {
  get() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(KEY);
    // The queue dashboard's cookie goes with the session that set it.
    document.cookie = 'inkind_dashboard_token=; path=/admin/queues; max-age=0; SameSite=Strict';
  },
};

export class ApiError extends Error {
  constructor(status, body) {
    const message = Array.isArray(body?.message) ? body.message.join(' · ') : body?.message;
    super(typeof message === 'string' ? message : `HTTP ${status}`);
    this.status = status;
  }
}

/** Calls the JSON API with the session's token; throws ApiError with the API's message on 4xx/5xx. */
export async function api(method, path, body) {
  // The API writes its messages (validation errors) in the language the page shows.
  const headers = { accept: 'application/json', 'accept-language': language() };
  const current = session.get();
  if (current?.token) headers.authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return undefined;
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    if (res.status === 401 && current) session.clear();
    throw new ApiError(res.status, data);
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body = {}) => api('POST', path, body);
