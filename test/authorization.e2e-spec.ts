import { Account, Api, coordinator, Method, needBody, offerBody, PASSWORD, register, uniqueEmail } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

type Principal = 'anonymous' | 'donor' | 'otherDonor' | 'volunteer' | 'coordHejmo' | 'coordChantevent' | 'admin';
const PRINCIPALS: Principal[] = ['anonymous', 'donor', 'otherDonor', 'volunteer', 'coordHejmo', 'coordChantevent', 'admin'];

interface Fixtures {
  api: Api;
  accounts: Record<Exclude<Principal, 'anonymous'>, Account>;
  /** A fresh need of Hejmo and a fresh offer of `donor`, for routes that change them. */
  hejmoNeed(): Promise<string>;
  donorOffer(): Promise<string>;
  /** A fresh proposal of a donor offer to a Hejmo need, and a notification of `donor`. */
  hejmoMatch(): Promise<string>;
  donorNotification(): Promise<string>;
  /** A fresh pickup of a donor offer for Hejmo, with a window; claimed by `volunteer` when asked. */
  hejmoPickup(claimed?: boolean): Promise<string>;
}

interface Route {
  method: Method;
  path: (f: Fixtures) => Promise<string> | string;
  body?: () => unknown;
  /** Routes that end an account get a fresh one of the same role for each call. */
  freshAccount?: boolean;
  expected: Record<Principal, number>;
}

const all = (status: number, anonymous = status): Record<Principal, number> =>
  Object.fromEntries(PRINCIPALS.map((p) => [p, p === 'anonymous' ? anonymous : status])) as Record<Principal, number>;

// Each role against each route, with own and foreign ids. Hejmo's coordinator owns the needs, `donor` owns the offers.
const ROUTES: Record<string, Route> = {
  'GET /api/houses': { method: 'GET', path: () => '/api/houses', expected: all(200) },
  'GET /api/houses/:slug': { method: 'GET', path: () => '/api/houses/hejmo', expected: all(200) },
  'GET /api/categories': { method: 'GET', path: () => '/api/categories', expected: all(200) },
  'GET /health': { method: 'GET', path: () => '/health', expected: all(200) },
  'GET /metrics': { method: 'GET', path: () => '/metrics', expected: all(200) },
  'GET /api/me': { method: 'GET', path: () => '/api/me', expected: all(200, 401) },
  'PATCH /api/me': { method: 'PATCH', path: () => '/api/me', body: () => ({ language: 'en' }), expected: all(200, 401) },
  'GET /api/me/export': { method: 'GET', path: () => '/api/me/export', expected: all(200, 401) },
  'DELETE /api/me': {
    method: 'DELETE',
    path: () => '/api/me',
    freshAccount: true,
    expected: { anonymous: 401, donor: 204, otherDonor: 204, volunteer: 204, coordHejmo: 403, coordChantevent: 403, admin: 403 },
  },
  'GET /api/users': { method: 'GET', path: () => '/api/users?role=coordinator', expected: { ...all(403, 401), admin: 200 } },
  'POST /api/users': {
    method: 'POST',
    path: () => '/api/users',
    body: () => ({ email: uniqueEmail('made'), password: PASSWORD, name: 'Made', role: 'coordinator', houseSlug: 'olivier' }),
    expected: { ...all(403, 401), admin: 201 },
  },
  'DELETE /api/users/:id': {
    method: 'DELETE',
    path: async (f) => `/api/users/${(await register(f.api, 'donor')).id}`,
    expected: { ...all(403, 401), admin: 204 },
  },
  'POST /api/needs': {
    method: 'POST',
    path: () => '/api/needs',
    body: () => needBody({ houseSlug: 'hejmo' }),
    expected: { ...all(403, 401), coordHejmo: 201, admin: 201 },
  },
  'GET /api/needs': { method: 'GET', path: () => '/api/needs?house=hejmo', expected: all(200) },
  'GET /api/needs/:id': { method: 'GET', path: async (f) => `/api/needs/${await f.hejmoNeed()}`, expected: all(200) },
  'GET /api/needs/:id/history': { method: 'GET', path: async (f) => `/api/needs/${await f.hejmoNeed()}/history`, expected: all(200) },
  'PATCH /api/needs/:id': {
    method: 'PATCH',
    path: async (f) => `/api/needs/${await f.hejmoNeed()}`,
    body: () => ({ quantity: 2 }),
    expected: { ...all(403, 401), coordHejmo: 200, admin: 200 },
  },
  'POST /api/needs/:id/cancel': {
    method: 'POST',
    path: async (f) => `/api/needs/${await f.hejmoNeed()}/cancel`,
    body: () => ({}),
    expected: { ...all(403, 401), coordHejmo: 200, admin: 200 },
  },
  'POST /api/offers': {
    method: 'POST',
    path: () => '/api/offers',
    body: () => offerBody(),
    expected: { ...all(403, 401), donor: 201, otherDonor: 201 },
  },
  'GET /api/offers': {
    method: 'GET',
    path: () => '/api/offers',
    expected: { ...all(200, 401), volunteer: 403 },
  },
  'GET /api/offers/:id': {
    method: 'GET',
    path: async (f) => `/api/offers/${await f.donorOffer()}`,
    expected: { ...all(200, 401), otherDonor: 404, volunteer: 403 },
  },
  'GET /api/offers/:id/history': {
    method: 'GET',
    path: async (f) => `/api/offers/${await f.donorOffer()}/history`,
    expected: { ...all(200, 401), otherDonor: 404, volunteer: 403 },
  },
  'PATCH /api/offers/:id': {
    method: 'PATCH',
    path: async (f) => `/api/offers/${await f.donorOffer()}`,
    body: () => ({ title: 'Renamed' }),
    expected: { ...all(403, 401), donor: 200, otherDonor: 404, admin: 200 },
  },
  'GET /api/matches': { method: 'GET', path: () => '/api/matches', expected: { ...all(200, 401), volunteer: 403 } },
  'GET /api/matches/:id': {
    method: 'GET',
    path: async (f) => `/api/matches/${await f.hejmoMatch()}`,
    expected: { anonymous: 401, donor: 200, otherDonor: 404, volunteer: 403, coordHejmo: 200, coordChantevent: 404, admin: 200 },
  },
  'GET /api/matches/:id/history': {
    method: 'GET',
    path: async (f) => `/api/matches/${await f.hejmoMatch()}/history`,
    expected: { anonymous: 401, donor: 200, otherDonor: 404, volunteer: 403, coordHejmo: 200, coordChantevent: 404, admin: 200 },
  },
  'POST /api/matches/:id/accept': {
    method: 'POST',
    path: async (f) => `/api/matches/${await f.hejmoMatch()}/accept`,
    body: () => ({}),
    expected: { anonymous: 401, donor: 403, otherDonor: 403, volunteer: 403, coordHejmo: 200, coordChantevent: 404, admin: 200 },
  },
  'POST /api/matches/:id/decline': {
    method: 'POST',
    path: async (f) => `/api/matches/${await f.hejmoMatch()}/decline`,
    body: () => ({ reason: 'No room' }),
    expected: { anonymous: 401, donor: 403, otherDonor: 403, volunteer: 403, coordHejmo: 200, coordChantevent: 404, admin: 200 },
  },
  'GET /api/matches/impact': {
    method: 'GET',
    path: () => '/api/matches/impact',
    expected: { ...all(403, 401), coordHejmo: 200, coordChantevent: 200, admin: 200 },
  },
  'GET /api/pipeline': { method: 'GET', path: () => '/api/pipeline', expected: { ...all(403, 401), admin: 200 } },
  'GET /api/notifications': { method: 'GET', path: () => '/api/notifications', expected: all(200, 401) },
  'POST /api/notifications/:id/read': {
    method: 'POST',
    path: async (f) => `/api/notifications/${await f.donorNotification()}/read`,
    expected: { ...all(404, 401), donor: 200 },
  },
  'GET /api/pickups': { method: 'GET', path: () => '/api/pickups', expected: all(200, 401) },
  'GET /api/pickups/mine': { method: 'GET', path: () => '/api/pickups/mine', expected: { ...all(403, 401), volunteer: 200 } },
  'GET /api/pickups/mine.ics': { method: 'GET', path: () => '/api/pickups/mine.ics', expected: { ...all(403, 401), volunteer: 200 } },
  'GET /api/pickups/mine/calendar-link': { method: 'GET', path: () => '/api/pickups/mine/calendar-link', expected: { ...all(403, 401), volunteer: 200 } },
  'GET /api/pickups/:id': {
    method: 'GET',
    path: async (f) => `/api/pickups/${await f.hejmoPickup()}`,
    // An unassigned pickup with a window is open to every volunteer (without the street).
    expected: { anonymous: 401, donor: 200, otherDonor: 404, volunteer: 200, coordHejmo: 200, coordChantevent: 404, admin: 200 },
  },
  'GET /api/pickups/:id/history': {
    method: 'GET',
    path: async (f) => `/api/pickups/${await f.hejmoPickup()}/history`,
    expected: { anonymous: 401, donor: 200, otherDonor: 404, volunteer: 200, coordHejmo: 200, coordChantevent: 404, admin: 200 },
  },
  'POST /api/pickups/:id/claim': {
    method: 'POST',
    path: async (f) => `/api/pickups/${await f.hejmoPickup()}/claim`,
    expected: { ...all(403, 401), volunteer: 200 },
  },
  'POST /api/pickups/:id/release': {
    method: 'POST',
    path: async (f) => `/api/pickups/${await f.hejmoPickup(true)}/release`,
    expected: { ...all(403, 401), volunteer: 200 },
  },
  'POST /api/pickups/:id/collected': {
    method: 'POST',
    path: async (f) => `/api/pickups/${await f.hejmoPickup(true)}/collected`,
    expected: { ...all(403, 401), volunteer: 200 },
  },
  'POST /api/pickups/:id/delivered': {
    method: 'POST',
    path: async (f) => `/api/pickups/${await f.hejmoPickup(true)}/delivered`,
    expected: { anonymous: 401, donor: 403, otherDonor: 403, volunteer: 200, coordHejmo: 200, coordChantevent: 404, admin: 200 },
  },
  'POST /api/pickups/:id/failed': {
    method: 'POST',
    path: async (f) => `/api/pickups/${await f.hejmoPickup(true)}/failed`,
    body: () => ({ reason: 'donor-absent' }),
    expected: { ...all(403, 401), volunteer: 200 },
  },
  'POST /api/pickups/:id/cancel': {
    method: 'POST',
    path: async (f) => `/api/pickups/${await f.hejmoPickup()}/cancel`,
    body: () => ({}),
    expected: { anonymous: 401, donor: 403, otherDonor: 403, volunteer: 403, coordHejmo: 200, coordChantevent: 404, admin: 200 },
  },
  'POST /api/offers/:id/withdraw': {
    method: 'POST',
    path: async (f) => `/api/offers/${await f.donorOffer()}/withdraw`,
    body: () => ({}),
    expected: { ...all(403, 401), donor: 200, otherDonor: 404, admin: 200 },
  },
};

describe('authorisation matrix', () => {
  let t: TestApp;
  let f: Fixtures;

  let pickups = 0;

  beforeAll(async () => {
    t = await startApp();
    const api = new Api(t.app);
    const accounts = {
      donor: await register(api, 'donor'),
      otherDonor: await register(api, 'donor'),
      volunteer: await register(api, 'volunteer', { vehicle: 'car' }),
      coordHejmo: await coordinator(api, 'hejmo'),
      coordChantevent: await coordinator(api, 'chantevent'),
      admin: { id: '', email: '', token: await api.adminToken() },
    };
    const fixtures: Fixtures = {
      api,
      accounts,
      hejmoNeed: async () => (await api.post('/api/needs', needBody(), accounts.coordHejmo.token)).body.id,
      donorOffer: async () => (await api.post('/api/offers', offerBody(), accounts.donor.token)).body.id,
      // The matrix runs without workers; proposals and notifications are written as the jobs would.
      hejmoMatch: async () => {
        const needId = (await api.post('/api/needs', needBody({ quantity: 1 }), accounts.coordHejmo.token)).body.id;
        const offerId = (await api.post('/api/offers', offerBody({ categoryCode: 'furniture-appliances', quantity: 1 }), accounts.donor.token)).body.id;
        const [{ id }] = await t.db.query(
          `INSERT INTO matches (offer_id, need_id, quantity, score, distance_km) VALUES ($1, $2, 1, 10, 12) RETURNING id`,
          [offerId, needId],
        );
        return id;
      },
      hejmoPickup: async (claimed = false) => {
        const matchId = await fixtures.hejmoMatch();
        await t.db.query(`UPDATE matches SET status = 'accepted' WHERE id = $1`, [matchId]);
        // Each pickup gets a window of its own, so that one volunteer's claims never overlap.
        const start = new Date(Date.UTC(2027, 0, 4, 9) + pickups++ * 2 * 3_600_000);
        const [{ id }] = await t.db.query(
          `INSERT INTO pickups (offer_id, house_id, window_start, window_end, status, volunteer_id)
           SELECT m.offer_id, n.house_id, $2, $3, $4, $5 FROM matches m JOIN needs n ON n.id = m.need_id WHERE m.id = $1
           RETURNING id`,
          [matchId, start, new Date(start.getTime() + 3_600_000), claimed ? 'assigned' : 'unassigned', claimed ? accounts.volunteer.id : null],
        );
        await t.db.query(`UPDATE matches SET pickup_id = $2 WHERE id = $1`, [matchId, id]);
        return id;
      },
      donorNotification: async () => {
        const [{ id }] = await t.db.query(
          `INSERT INTO notifications (user_id, kind, data, dedup_key) VALUES ($1, 'match-accepted', '{}', gen_random_uuid()::text) RETURNING id`,
          [accounts.donor.id],
        );
        return id;
      },
    };
    f = fixtures;
  });
  afterAll(() => t.close());

  const cases = Object.entries(ROUTES).flatMap(([name, route]) =>
    PRINCIPALS.map((principal) => [name, principal, route.expected[principal], route] as const),
  );

  it.each(cases)('%s as %s → %i', async (_name, principal, expected, route) => {
    let token: string | undefined;
    if (principal !== 'anonymous') {
      const role = principal === 'volunteer' ? 'volunteer' : 'donor';
      token = route.freshAccount && ['donor', 'otherDonor', 'volunteer'].includes(principal)
        ? (await register(f.api, role)).token
        : f.accounts[principal].token;
    }
    const res = await f.api.request(route.method, await route.path(f), { token, body: route.body?.() });
    expect({ status: res.status, body: res.status >= 400 ? res.body : undefined }).toMatchObject({ status: expected });
    if (res.status >= 400) expect(res.body.message).toEqual(expect.anything());
  });

  it('covers every route of the API (as the OpenAPI document lists them)', async () => {
    const document = (await f.api.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const served = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const publicAuth = ['POST /api/auth/register', 'POST /api/auth/login'];
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((route) => !(route in ROUTES) && !publicAuth.includes(route))).toEqual([]);
  });
});
