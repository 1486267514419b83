import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { ADMIN } from './test-app';

export interface Response<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A thin client over Fastify's inject: real routing, validation, guards and serialisation, no socket. */
export class Api {
  constructor(private readonly app: NestFastifyApplication) {}

  async request<T = any>(method: Method, url: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Response<T>> {
    // English answers unless a test asks for another language (validation messages follow Accept-Language).
    const headers: Record<string, string> = { 'accept-language': 'en', ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.raw !== undefined) {
      payload = options.raw;
      headers['content-type'] ??= 'application/json';
    } else if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await this.app.inject({ method, url, headers, payload });
    const text = res.body;
    let body: unknown = text;
    if ((res.headers['content-type'] ?? '').toString().includes('json') && text.length > 0) body = JSON.parse(text);
    return { status: res.statusCode, body: body as T, headers: res.headers };
  }

  get<T = any>(url: string, token?: string) {
    return this.request<T>('GET', url, { token });
  }

  post<T = any>(url: string, body?: unknown, token?: string) {
    return this.request<T>('POST', url, { body, token });
  }

  patch<T = any>(url: string, body: unknown, token?: string) {
    return this.request<T>('PATCH', url, { body, token });
  }

  delete<T = any>(url: string, token?: string) {
    return this.request<T>('DELETE', url, { token });
  }

  async login(email: string, password: string): Promise<string> {
    const res = await this.post('/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  }

  adminToken(): Promise<string> {
    return this.login(ADMIN.email, ADMIN.password);
  }
}

export interface Account {
  id: string;
  email: string;
  token: string;
}

export const PASSWORD = 'a-long-enough-password';

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.be`;
}

/** Registers a donor or volunteer and logs them in. */
export async function register(api: Api, role: 'donor' | 'volunteer', extra: Record<string, unknown> = {}): Promise<Account> {
  const email = typeof extra.email === 'string' ? extra.email : uniqueEmail(role);
  // A volunteer needs a place (pickups go to the nearest): Brussels unless the test says otherwise.
  const place = role === 'volunteer' ? { postcode: '1000', town: 'Brussel' } : {};
  const res = await api.post('/api/auth/register', { email, password: PASSWORD, name: `Test ${role}`, role, ...place, ...extra });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, email, token: await api.login(email, PASSWORD) };
}

/** Has the admin create a coordinator of the house, and logs them in. */
export async function coordinator(api: Api, houseSlug: string): Promise<Account> {
  const email = uniqueEmail(`coord-${houseSlug}`);
  const res = await api.post(
    '/api/users',
    { email, password: PASSWORD, name: `Coordinator ${houseSlug}`, role: 'coordinator', houseSlug },
    await api.adminToken(),
  );
  if (res.status !== 201) throw new Error(`create coordinator failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, email, token: await api.login(email, PASSWORD) };
}

export function needBody(overrides: Record<string, unknown> = {}) {
  return { houseSlug: 'hejmo', categoryCode: 'furniture-appliances', title: 'Bunk beds', quantity: 3, urgency: 'urgent', ...overrides };
}

export function offerBody(overrides: Record<string, unknown> = {}) {
  return {
    categoryCode: 'school-supplies',
    title: "20 children's books",
    quantity: 20,
    condition: 'good',
    size: 'small',
    pickupAddress: { street: 'Kerkstraat 12', postcode: '9000', town: 'Gent' },
    availability: [{ from: '2026-12-03T09:00:00+01:00', to: '2026-12-03T12:00:00+01:00' }],
    ...overrides,
  };
}
