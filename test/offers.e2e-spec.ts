import { randomUUID } from 'node:crypto';
import { Account, Api, coordinator, offerBody, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

describe('offers', () => {
  let t: TestApp;
  let api: Api;
  let donor: Account;
  let otherDonor: Account;
  let admin: string;

  beforeAll(async () => {
    // Its own database: it counts every offer before and after a refused request, while other suites run.
    t = await startApp({}, { ownDatabase: true });
    api = new Api(t.app);
    donor = await register(api, 'donor');
    otherDonor = await register(api, 'donor');
    admin = await api.adminToken();
  });
  afterAll(() => t.close());

  const create = (overrides: Record<string, unknown> = {}, token = donor.token) => api.post('/api/offers', offerBody(overrides), token);
  const countOffers = async () => Number((await t.db.query('SELECT count(*) AS n FROM offers'))[0].n);

  describe('offering goods', () => {
    it('creates an open offer with its address and availability', async () => {
      const res = await create({ description: 'Picture books, Dutch and French' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        categoryCode: 'school-supplies',
        title: "20 children's books",
        description: 'Picture books, Dutch and French',
        quantity: 20,
        quantityAllocated: 0,
        quantityDelivered: 0,
        condition: 'good',
        size: 'small',
        status: 'open',
        pickupArea: { postcode: '9000', town: 'Gent' },
        pickupAddress: { street: 'Kerkstraat 12', postcode: '9000', town: 'Gent' },
        availability: [{ from: '2026-12-03T08:00:00.000Z', to: '2026-12-03T11:00:00.000Z' }],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('keeps the windows in time order and accepts past ones beside a future one', async () => {
      const res = await create({
        availability: [
          { from: '2026-12-05T13:00:00+01:00', to: '2026-12-05T17:00:00+01:00' },
          { from: '2026-11-20T09:00:00Z', to: '2026-11-20T12:00:00Z' },
        ],
      });
      expect(res.status).toBe(201);
      expect(res.body.availability.map((w: { from: string }) => w.from)).toEqual(['2026-11-20T09:00:00.000Z', '2026-12-05T12:00:00.000Z']);
    });

    const window = (from: string, to: string) => ({ from, to });
    it.each([
      [{ pickupAddress: { street: 'Rue Haute 1', postcode: '0999', town: 'Bruxelles' } }, 'pickupAddress.postcode must be a Belgian postcode: 4 digits from 1000 to 9999'],
      [{ pickupAddress: { street: 'Rue Haute 1', postcode: '12345', town: 'Bruxelles' } }, 'pickupAddress.postcode must be a Belgian postcode: 4 digits from 1000 to 9999'],
      [{ pickupAddress: { postcode: '1000', town: 'Bruxelles' } }, 'pickupAddress.street must be a string'],
      [{ pickupAddress: 'Rue Haute 1, 1000 Bruxelles' }, 'pickupAddress must be an object with street, postcode and town'],
      [{ pickupAddress: undefined }, 'pickupAddress must be an object with street, postcode and town'],
      [{ availability: [] }, 'availability must contain at least one window'],
      [{ availability: Array.from({ length: 21 }, () => window('2026-12-03T09:00:00Z', '2026-12-03T10:00:00Z')) }, 'availability must contain at most 20 windows'],
      [{ availability: [window('2026-12-03T12:00:00Z', '2026-12-03T09:00:00Z')] }, 'availability.0.to must be later than from'],
      [{ availability: [window('2026-12-03T09:00:00Z', '2026-12-03T09:00:00Z')] }, 'availability.0.to must be later than from'],
      [{ availability: [window('2026-12-03T09:00:00', '2026-12-03T12:00:00Z')] }, 'availability.0.from must be an ISO 8601 date-time with an offset, such as 2026-12-01T14:00:00+01:00'],
      [{ availability: [{ from: '2026-12-03T09:00:00Z' }] }, 'availability.0.to must be a string'],
      [{ quantity: 1001 }, 'quantity must not be greater than 1000'],
      [{ condition: 'broken' }, 'condition must be one of the following values: new, good, fair'],
      [{ size: 'huge' }, 'size must be one of the following values: small, medium, large'],
      [{ donorId: randomUUID() }, 'donorId should not exist'],
      [{ status: 'closed' }, 'status should not exist'],
    ])('refuses %j with one message for the field, and stores nothing', async (overrides, message) => {
      const before = await countOffers();
      const res = await create(overrides);
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual([message]);
      expect(await countOffers()).toBe(before);
    });

    it('refuses availability that has ended, windows over 14 days, and windows over a year ahead', async () => {
      const past = await create({ availability: [{ from: '2026-11-30T09:00:00Z', to: '2026-12-01T07:59:59Z' }] });
      expect(past.body).toMatchObject({ statusCode: 400, code: 'NO_FUTURE_AVAILABILITY' });
      const long = await create({ availability: [{ from: '2026-12-02T09:00:00Z', to: '2026-12-20T09:00:00Z' }] });
      expect(long.body).toMatchObject({ statusCode: 400, code: 'WINDOW_TOO_LONG', message: 'availability.0 must not be longer than 14 days' });
      const far = await create({ availability: [{ from: '2028-01-02T09:00:00Z', to: '2028-01-02T12:00:00Z' }] });
      expect(far.body).toMatchObject({ statusCode: 400, code: 'WINDOW_TOO_FAR' });
    });

    it('refuses an unknown category', async () => {
      expect((await create({ categoryCode: 'weapons' })).body).toMatchObject({ statusCode: 400, code: 'UNKNOWN_CATEGORY' });
    });

    it('is for donors only', async () => {
      expect((await api.post('/api/offers', offerBody())).status).toBe(401);
      expect((await create({}, (await register(api, 'volunteer')).token)).status).toBe(403);
      expect((await create({}, (await coordinator(api, 'hejmo')).token)).status).toBe(403);
      expect((await create({}, admin)).status).toBe(403);
    });
  });

  describe('seeing offers', () => {
    it("shows a donor only their own offers; another donor's offer is 404", async () => {
      const mine = (await create({ title: 'Mine' })).body;
      const theirs = (await create({ title: 'Theirs' }, otherDonor.token)).body;
      const list = await api.get('/api/offers?limit=100', donor.token);
      const ids = list.body.items.map((o: { id: string }) => o.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(theirs.id);
      const peek = await api.get(`/api/offers/${theirs.id}`, donor.token);
      expect(peek.status).toBe(404);
      expect(peek.body.message).toBe('Offer not found');
      expect((await api.get(`/api/offers/${theirs.id}/history`, donor.token)).status).toBe(404);
    });

    it('shows coordinators all offers without the street, and admins with it', async () => {
      const offer = (await create()).body;
      const coord = await coordinator(api, 'olivier');
      const seen = await api.get(`/api/offers/${offer.id}`, coord.token);
      expect(seen.status).toBe(200);
      expect(seen.body.pickupArea).toEqual({ postcode: '9000', town: 'Gent' });
      expect(seen.body.pickupAddress).toBeUndefined();
      expect(JSON.stringify(seen.body)).not.toContain('Kerkstraat');
      const list = await api.get('/api/offers?limit=100', coord.token);
      expect(JSON.stringify(list.body)).not.toContain('Kerkstraat');
      expect((await api.get(`/api/offers/${offer.id}`, admin)).body.pickupAddress.street).toBe('Kerkstraat 12');
    });

    it('is not for volunteers (they see pickups) nor anonymous callers', async () => {
      const offer = (await create()).body;
      const volunteer = await register(api, 'volunteer');
      expect((await api.get('/api/offers', volunteer.token)).status).toBe(403);
      expect((await api.get(`/api/offers/${offer.id}`, volunteer.token)).status).toBe(403);
      expect((await api.get('/api/offers')).status).toBe(401);
    });

    it('filters by status and category, and pages with a cursor', async () => {
      const fresh = await register(api, 'donor');
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await create({ title: `Box ${i}`, categoryCode: i % 2 ? 'tools' : 'toys-crafts' }, fresh.token)).body.id);
      const first = await api.get('/api/offers?limit=2', fresh.token);
      expect(first.body.items.map((o: { id: string }) => o.id)).toEqual([made[4], made[3]]);
      const second = await api.get(`/api/offers?limit=2&cursor=${first.body.nextCursor}`, fresh.token);
      expect(second.body.items.map((o: { id: string }) => o.id)).toEqual([made[2], made[1]]);
      const third = await api.get(`/api/offers?limit=2&cursor=${second.body.nextCursor}`, fresh.token);
      expect(third.body).toEqual({ items: [expect.objectContaining({ id: made[0] })], nextCursor: null });
      const tools = await api.get('/api/offers?category=tools', fresh.token);
      expect(tools.body.items.map((o: { id: string }) => o.id).sort()).toEqual([made[1], made[3]].sort());
      await api.post(`/api/offers/${made[0]}/withdraw`, {}, fresh.token);
      const withdrawn = await api.get('/api/offers?status=withdrawn', fresh.token);
      expect(withdrawn.body.items.map((o: { id: string }) => o.id)).toEqual([made[0]]);
      expect((await api.get('/api/offers?status=lost', fresh.token)).status).toBe(400);
    });
  });

  describe('changing and withdrawing', () => {
    it('lets the donor change the offer and replace the availability', async () => {
      const offer = (await create()).body;
      const res = await api.patch(
        `/api/offers/${offer.id}`,
        { quantity: 12, availability: [{ from: '2026-12-10T14:00:00+01:00', to: '2026-12-10T18:00:00+01:00' }] },
        donor.token,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ quantity: 12, availability: [{ from: '2026-12-10T13:00:00.000Z', to: '2026-12-10T17:00:00.000Z' }] });
      expect((await api.patch(`/api/offers/${offer.id}`, { quantity: 3 }, otherDonor.token)).status).toBe(404);
      expect((await api.patch(`/api/offers/${offer.id}`, { quantity: 3 }, (await coordinator(api, 'hejmo')).token)).status).toBe(403);
      expect((await api.get(`/api/offers/${offer.id}`, donor.token)).body.quantity).toBe(12);
    });

    it('refuses a quantity below what is promised to houses (409)', async () => {
      const offer = (await create()).body;
      await t.db.query('UPDATE offers SET quantity_allocated = 8 WHERE id = $1', [offer.id]);
      const res = await api.patch(`/api/offers/${offer.id}`, { quantity: 7 }, donor.token);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('QUANTITY_BELOW_ALLOCATED');
      const exact = await api.patch(`/api/offers/${offer.id}`, { quantity: 8 }, donor.token);
      expect(exact.body.status).toBe('allocated');
    });

    it('withdraws an offer; a repeat changes nothing; another donor gets 404', async () => {
      const offer = (await create()).body;
      expect((await api.post(`/api/offers/${offer.id}/withdraw`, {}, otherDonor.token)).status).toBe(404);
      const res = await api.post(`/api/offers/${offer.id}/withdraw`, { reason: 'Gave it to a neighbour' }, donor.token);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('withdrawn');
      expect((await api.post(`/api/offers/${offer.id}/withdraw`, {}, donor.token)).body.status).toBe('withdrawn');
      const change = await api.patch(`/api/offers/${offer.id}`, { title: 'Too late' }, donor.token);
      expect(change.status).toBe(409);
      const history = await api.get(`/api/offers/${offer.id}/history`, donor.token);
      expect(history.body).toEqual([
        { at: expect.any(String), actor: 'donor', from: null, to: 'open' },
        { at: expect.any(String), actor: 'donor', from: 'open', to: 'withdrawn', reason: 'Gave it to a neighbour' },
      ]);
    });

    it('lets an admin withdraw any offer, but not a closed one', async () => {
      const offer = (await create()).body;
      expect((await api.post(`/api/offers/${offer.id}/withdraw`, {}, admin)).body.status).toBe('withdrawn');
      const closed = (await create()).body;
      await t.db.query(`UPDATE offers SET status = 'closed' WHERE id = $1`, [closed.id]);
      const res = await api.post(`/api/offers/${closed.id}/withdraw`, {}, donor.token);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('OFFER_NOT_WITHDRAWABLE');
    });
  });
});
