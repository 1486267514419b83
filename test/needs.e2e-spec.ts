import { randomUUID } from 'node:crypto';
import { Account, Api, coordinator, needBody, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

describe('needs', () => {
  let t: TestApp;
  let api: Api;
  let hejmo: Account;
  let chantevent: Account;
  let admin: string;

  beforeAll(async () => {
    t = await startApp();
    api = new Api(t.app);
    hejmo = await coordinator(api, 'hejmo');
    chantevent = await coordinator(api, 'chantevent');
    admin = await api.adminToken();
  });
  afterAll(() => t.close());

  const create = (overrides: Record<string, unknown> = {}, token = hejmo.token) => api.post('/api/needs', needBody(overrides), token);

  describe('posting', () => {
    it('lets a coordinator post a need of their house, open with nothing allocated', async () => {
      const res = await create({ neededBy: '2026-12-20', description: 'For three siblings arriving tonight' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        houseSlug: 'hejmo',
        categoryCode: 'furniture-appliances',
        title: 'Bunk beds',
        description: 'For three siblings arriving tonight',
        quantity: 3,
        quantityAllocated: 0,
        quantityDelivered: 0,
        urgency: 'urgent',
        neededBy: '2026-12-20',
        status: 'open',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    });

    it('forbids a coordinator to post for another house (403) and changes nothing', async () => {
      const title = `Not yours ${randomUUID()}`;
      const res = await create({ houseSlug: 'chantevent', title });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NOT_YOUR_HOUSE');
      expect(await t.db.query('SELECT 1 FROM needs WHERE title = $1', [title])).toHaveLength(0);
    });

    it('lets an admin post for any house', async () => {
      expect((await create({ houseSlug: 'olivier' }, admin)).body.houseSlug).toBe('olivier');
    });

    it('is not for donors, volunteers or anonymous callers', async () => {
      expect((await create({}, (await register(api, 'donor')).token)).status).toBe(403);
      expect((await create({}, (await register(api, 'volunteer')).token)).status).toBe(403);
      expect((await api.post('/api/needs', needBody())).status).toBe(401);
    });

    it.each([
      [{ quantity: 0 }, 'quantity must not be less than 1'],
      [{ quantity: 1001 }, 'quantity must not be greater than 1000'],
      [{ quantity: 2.5 }, 'quantity must be an integer number'],
      [{ quantity: '3' }, 'quantity must be an integer number'],
      [{ urgency: 'yesterday' }, 'urgency must be one of the following values: low, normal, high, urgent'],
      [{ title: '   ' }, 'title must be longer than or equal to 1 characters'],
      [{ title: 'x'.repeat(201) }, 'title must be shorter than or equal to 200 characters'],
      [{ neededBy: '20-12-2026' }, 'neededBy must be a date (YYYY-MM-DD)'],
      [{ neededBy: '2026-02-30' }, 'neededBy must be a date (YYYY-MM-DD)'],
      [{ houseSlug: 'Hejmo!' }, 'houseSlug must be the slug of a house'],
      [{ colour: 'red' }, 'colour should not exist'],
    ])('refuses %j with a message naming the field', async (overrides, message) => {
      const res = await create(overrides);
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([message]);
    });

    it('refuses an unknown category or house, and a day already past in Brussels', async () => {
      expect((await create({ categoryCode: 'weapons' })).body).toMatchObject({ statusCode: 400, code: 'UNKNOWN_CATEGORY' });
      expect((await create({ houseSlug: 'atlantis' }, admin)).body).toMatchObject({ statusCode: 400, code: 'UNKNOWN_HOUSE' });
      t.clock.set('2026-12-01T23:30:00Z'); // already 2 December in Brussels
      expect((await create({ neededBy: '2026-12-01' })).body).toMatchObject({ statusCode: 400, code: 'NEEDED_BY_IN_PAST' });
      expect((await create({ neededBy: '2026-12-02' })).status).toBe(201);
      t.clock.set('2026-12-01T09:00:00+01:00');
    });
  });

  describe('the public wishlist', () => {
    it('lists open needs to anyone, most urgent first, without personal data', async () => {
      const house = 'simbahuis';
      const simba = await coordinator(api, house);
      for (const urgency of ['low', 'urgent', 'normal', 'high']) {
        await create({ houseSlug: house, categoryCode: 'toys-crafts', urgency, title: `Wish ${urgency}` }, simba.token);
      }
      const res = await api.get(`/api/needs?house=${house}&category=toys-crafts`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((need: { urgency: string }) => need.urgency)).toEqual(['urgent', 'high', 'normal', 'low']);
      expect(res.body.nextCursor).toBeNull();
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(simba.email);
      expect(text).not.toContain(simba.id);
      expect(Object.keys(res.body.items[0])).not.toContain('createdBy');
    });

    it('pages with limit and cursor without gaps or repeats', async () => {
      const olivier = await coordinator(api, 'olivier');
      const ids = new Set<string>();
      for (let i = 0; i < 7; i++) {
        ids.add((await create({ houseSlug: 'olivier', categoryCode: 'it-office', urgency: 'normal', title: `Laptop ${i}` }, olivier.token)).body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/needs?house=olivier&category=it-office&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await api.get(url);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((need: { id: string }) => need.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(new Set(seen)).toEqual(ids);
      expect(seen).toHaveLength(7);
    });

    it('filters by status and refuses bad filters with 400', async () => {
      const need = (await create({ title: 'To cancel' })).body;
      await api.post(`/api/needs/${need.id}/cancel`, {}, hejmo.token);
      const open = await api.get('/api/needs?house=hejmo&limit=100');
      expect(open.body.items.map((n: { id: string }) => n.id)).not.toContain(need.id);
      const cancelled = await api.get('/api/needs?house=hejmo&status=cancelled&limit=100');
      expect(cancelled.body.items.map((n: { id: string }) => n.id)).toContain(need.id);
      expect((await api.get('/api/needs?status=gone')).status).toBe(400);
      expect((await api.get('/api/needs?limit=101')).body.message).toEqual(['limit must not be greater than 100']);
      expect((await api.get('/api/needs?limit=0')).status).toBe(400);
      expect((await api.get('/api/needs?limit=abc')).status).toBe(400);
      expect((await api.get('/api/needs?house=atlantis')).body.code).toBe('UNKNOWN_HOUSE');
      expect((await api.get('/api/needs?category=weapons')).body.code).toBe('UNKNOWN_CATEGORY');
      expect((await api.get('/api/needs?cursor=bm90LWEtY3Vyc29y')).body.code).toBe('INVALID_CURSOR');
      expect((await api.get('/api/needs?sort=evil')).status).toBe(400);
    });

    it('answers one need by id; 404 for an unknown id, 400 for a non-UUID', async () => {
      const need = (await create()).body;
      expect((await api.get(`/api/needs/${need.id}`)).body).toEqual(need);
      expect((await api.get(`/api/needs/${randomUUID()}`)).status).toBe(404);
      expect((await api.get('/api/needs/42')).status).toBe(400);
    });
  });

  describe('changing and cancelling', () => {
    it('lets the coordinator change their need; the other house gets 403 and nothing changes', async () => {
      const need = (await create()).body;
      const changed = await api.patch(`/api/needs/${need.id}`, { quantity: 5, urgency: 'high', neededBy: null }, hejmo.token);
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ quantity: 5, urgency: 'high', neededBy: null, title: 'Bunk beds' });
      const foreign = await api.patch(`/api/needs/${need.id}`, { quantity: 1 }, chantevent.token);
      expect(foreign.status).toBe(403);
      expect((await api.get(`/api/needs/${need.id}`)).body.quantity).toBe(5);
      expect((await api.post(`/api/needs/${need.id}/cancel`, {}, chantevent.token)).status).toBe(403);
      expect((await api.patch(`/api/needs/${need.id}`, { quantity: 1 }, admin)).status).toBe(200);
    });

    it('refuses a quantity below what is already promised (409)', async () => {
      const need = (await create({ quantity: 10 })).body;
      await t.db.query('UPDATE needs SET quantity_allocated = 6 WHERE id = $1', [need.id]);
      const res = await api.patch(`/api/needs/${need.id}`, { quantity: 5 }, hejmo.token);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('QUANTITY_BELOW_ALLOCATED');
      expect((await api.patch(`/api/needs/${need.id}`, { quantity: 6 }, hejmo.token)).body.quantity).toBe(6);
    });

    it('marks a need fulfilled when its quantity is lowered to what was delivered', async () => {
      const need = (await create({ quantity: 4 })).body;
      await t.db.query('UPDATE needs SET quantity_allocated = 2, quantity_delivered = 2 WHERE id = $1', [need.id]);
      const res = await api.patch(`/api/needs/${need.id}`, { quantity: 2 }, hejmo.token);
      expect(res.body.status).toBe('fulfilled');
    });

    it('cancels an open need once; a repeat changes nothing, a change afterwards is a conflict', async () => {
      const need = (await create()).body;
      const cancelled = await api.post(`/api/needs/${need.id}/cancel`, { reason: 'Found elsewhere' }, hejmo.token);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect((await api.post(`/api/needs/${need.id}/cancel`, undefined, hejmo.token)).status).toBe(200);
      const change = await api.patch(`/api/needs/${need.id}`, { quantity: 9 }, hejmo.token);
      expect(change.status).toBe(409);
      expect(change.body.code).toBe('NEED_NOT_OPEN');

      const history = await api.get(`/api/needs/${need.id}/history`);
      expect(history.body).toEqual([
        { at: expect.any(String), actor: 'coordinator', from: null, to: 'open' },
        { at: expect.any(String), actor: 'coordinator', from: 'open', to: 'cancelled', reason: 'Found elsewhere' },
      ]);
    });

    it('refuses to cancel a fulfilled need (409)', async () => {
      const need = (await create({ quantity: 1 })).body;
      await t.db.query(`UPDATE needs SET quantity_allocated = 1, quantity_delivered = 1, status = 'fulfilled' WHERE id = $1`, [need.id]);
      const res = await api.post(`/api/needs/${need.id}/cancel`, {}, hejmo.token);
      expect(res.status).toBe(409);
    });

    it('answers 404 when changing an unknown need', async () => {
      expect((await api.patch(`/api/needs/${randomUUID()}`, { quantity: 2 }, hejmo.token)).status).toBe(404);
      expect((await api.post(`/api/needs/${randomUUID()}/cancel`, {}, admin)).status).toBe(404);
    });
  });
});
