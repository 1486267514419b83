import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const MALICIOUS_STRINGS = [
  "'; DROP TABLE offers; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '𝕳𝖊𝖏𝖒𝖔 🛏️',
  'x'.repeat(20_000),
  '9'.repeat(400),
  '-1',
  '1e308',
  'NaN',
  'null',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59+14:00',
  '2026-02-30',
];

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(...MALICIOUS_STRINGS),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -0, 0.5),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'role', 'status', '$where', 'from', 'to'), fc.jsonValue()),
);

/**
 * Random and malicious bodies, query strings and path ids sent to every route of the API, as
 * every role. Never a 5xx; every 4xx carries a message and leaves the database as it was.
 */
describe('fuzzed input on every route', () => {
  let t: TestApp;
  let api: Api;
  let routes: Array<{ method: Method; path: string }>;
  let tokens: Array<string | undefined>;
  let ids: string[];
  let validBodies: Array<Record<string, unknown>>;

  beforeAll(async () => {
    t = await startApp({}, { ownDatabase: true });
    api = new Api(t.app);
    const donor = await register(api, 'donor');
    const hejmo = await coordinator(api, 'hejmo');
    tokens = [undefined, donor.token, (await register(api, 'volunteer', { vehicle: 'van' })).token, hejmo.token, await api.adminToken()];
    const offer = (await api.post('/api/offers', offerBody(), donor.token)).body;
    const need = (await api.post('/api/needs', needBody(), hejmo.token)).body;
    ids = [offer.id, need.id, randomUUID(), 'not-a-uuid', '0', "1' OR '1'='1", '%E0%A4%A', 'x'.repeat(300)];
    validBodies = [offerBody(), needBody(), { email: donor.email, password: 'a-long-enough-password' }, { reason: 'donor-absent' }, {}];
    const document = (await api.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase() as Method, path })),
    );
  });
  afterAll(() => t.close());

  async function snapshot(): Promise<string> {
    const [row] = await t.db.query(
      `SELECT (SELECT count(*) FROM users) AS u, (SELECT count(*) FROM offers) AS o, (SELECT count(*) FROM needs) AS n,
              (SELECT count(*) FROM offer_windows) AS w, (SELECT count(*) FROM matches) AS m, (SELECT count(*) FROM pickups) AS p,
              (SELECT count(*) FROM notifications) AS nt, (SELECT count(*) FROM outbox) AS ob, (SELECT count(*) FROM status_changes) AS sc,
              (SELECT max(updated_at) FROM users) AS uu, (SELECT max(updated_at) FROM offers) AS ou, (SELECT max(updated_at) FROM needs) AS nu`,
    );
    return JSON.stringify(row);
  }

  it('never answers 5xx, always explains a 4xx, and changes nothing on a 4xx', async () => {
    let sent = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.oneof(
          fc.record({ kind: fc.constant('mutated' as const), base: fc.nat(), field: fc.string({ maxLength: 20 }), value }),
          fc.record({ kind: fc.constant('random' as const), value }),
          fc.record({ kind: fc.constant('raw' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
        ),
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'status', 'house', 'category', 'offerId', 'needId', 'key', 'unread', '__proto__'), fc.oneof(fc.string(), fc.constantFrom(...MALICIOUS_STRINGS))),
        async (routeIndex, tokenIndex, idIndex, body, query) => {
          const route = routes[routeIndex % routes.length];
          // An account erasing itself is a success, and would end the fuzzing of that role.
          if (route.method === 'DELETE') return;
          const token = tokens[tokenIndex % tokens.length];
          const path = route.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(ids[idIndex % ids.length]));
          const pairs: Array<[string, string]> = Object.entries(query).map(([k, v]) => [k, String(v)]);
          const search = new URLSearchParams(pairs).toString();
          const url = `${path}${search && route.method === 'GET' ? `?${search}` : ''}`;
          const before = await snapshot();
          let res;
          if (route.method === 'GET') {
            res = await api.request('GET', url, { token });
          } else if (body.kind === 'raw') {
            const injected = await t.app.inject({
              method: route.method,
              url,
              headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
              payload: Buffer.from(body.bytes),
            });
            res = { status: injected.statusCode, body: injected.body ? JSON.parse(injected.body) : undefined };
          } else {
            const payload =
              body.kind === 'mutated' ? { ...validBodies[body.base % validBodies.length], [body.field]: body.value } : body.value;
            res = await api.request(route.method, url, { token, raw: JSON.stringify(payload) ?? 'null' });
          }
          sent++;
          expect([route.method, route.path, res.status < 500]).toEqual([route.method, route.path, true]);
          if (res.status >= 400) {
            refused++;
            expect(res.body).toMatchObject({ statusCode: res.status, message: expect.anything() });
            expect(await snapshot()).toBe(before);
          }
        },
      ),
      { seed: 20261129, numRuns: 2_200 },
    );
    expect(sent).toBeGreaterThanOrEqual(2_000);
    expect(refused).toBeGreaterThan(sent / 2);
  }, 180_000);
});
