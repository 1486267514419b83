import { findViolations } from '../src/database/consistency';
import { Account, Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

/** Requests that race for the same rows end in one consistent outcome, with no 5xx. */
describe('races', () => {
  let t: TestApp;
  let api: Api;
  let hejmo: Account;
  let donor: Account;

  beforeAll(async () => {
    t = await startApp({}, { jobs: true });
    api = new Api(t.app);
    hejmo = await coordinator(api, 'hejmo');
    donor = await register(api, 'donor');
  });
  afterAll(() => t.close());

  it('50 concurrent accepts on 10 proposals of one need: each proposal accepted once', async () => {
    const need = (await api.post('/api/needs', needBody({ categoryCode: 'toys-crafts', title: 'Puzzles', quantity: 10 }), hejmo.token)).body;
    for (let i = 0; i < 10; i++) await api.post('/api/offers', offerBody({ categoryCode: 'toys-crafts', title: `Puzzle ${i}`, quantity: 1 }), donor.token);
    await t.drain();
    const proposals = (await api.get(`/api/matches?needId=${need.id}&status=proposed`, hejmo.token)).body.items as Array<{ id: string }>;
    expect(proposals).toHaveLength(10);
    const admin = await api.adminToken();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, k) => api.post(`/api/matches/${proposals[k % 10].id}/accept`, {}, k % 2 ? admin : hejmo.token)),
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409)).toHaveLength(40);
    await t.drain();
    expect((await api.get(`/api/needs/${need.id}`)).body.quantityAllocated).toBe(10);
    expect(await findViolations(t.db)).toEqual([]);
  });

  it('a withdrawal and an acceptance at the same time: never an accepted match of a withdrawn offer', async () => {
    for (let round = 0; round < 8; round++) {
      await api.post('/api/needs', needBody({ categoryCode: 'tools', title: `Saw ${round}`, quantity: 1 }), hejmo.token);
      const offer = (await api.post('/api/offers', offerBody({ categoryCode: 'tools', title: `Saw ${round}`, quantity: 1 }), donor.token)).body;
      await t.drain();
      const [proposal] = (await api.get(`/api/matches?offerId=${offer.id}&status=proposed`, hejmo.token)).body.items;
      const [withdraw, accept] = await Promise.all([
        api.post(`/api/offers/${offer.id}/withdraw`, {}, donor.token),
        api.post(`/api/matches/${proposal.id}/accept`, {}, hejmo.token),
      ]);
      expect(withdraw.status).toBe(200);
      expect([200, 409]).toContain(accept.status);
      await t.drain();
      const [match] = await t.db.query(`SELECT status FROM matches WHERE id = $1`, [proposal.id]);
      expect(match.status).toBe('cancelled');
    }
    expect(await findViolations(t.db)).toEqual([]);
  });

  it('concurrent "delivered" on one pickup counts the goods once', async () => {
    const need = (await api.post('/api/needs', needBody({ categoryCode: 'childcare', title: 'Cots', quantity: 3 }), hejmo.token)).body;
    const offer = (await api.post('/api/offers', offerBody({ categoryCode: 'childcare', title: 'Cots', quantity: 3, pickupAddress: { street: 'Dorp 1', postcode: '1950', town: 'Kraainem' } }), donor.token)).body;
    await t.drain();
    const [proposal] = (await api.get(`/api/matches?offerId=${offer.id}`, hejmo.token)).body.items;
    await api.post(`/api/matches/${proposal.id}/accept`, {}, hejmo.token);
    await t.drain();
    const [pickup] = (await api.get(`/api/pickups?status=unassigned`, hejmo.token)).body.items.filter((p: { items: Array<{ matchId: string }> }) =>
      p.items.some((i) => i.matchId === proposal.id),
    );
    const volunteer = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });
    await api.post(`/api/pickups/${pickup.id}/claim`, {}, volunteer.token);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, k) => api.post(`/api/pickups/${pickup.id}/delivered`, {}, k % 2 ? volunteer.token : hejmo.token)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect((await api.get(`/api/needs/${need.id}`)).body).toMatchObject({ quantityDelivered: 3, status: 'fulfilled' });
    const [{ thanks }] = await t.db.query(`SELECT count(*)::int AS thanks FROM notifications WHERE kind = 'pickup-delivered' AND data->>'pickupId' = $1`, [pickup.id]);
    expect(thanks).toBe(1);
    expect(await findViolations(t.db)).toEqual([]);
  });

  it('no body sets what the service decides: role, house, status, quantities, volunteer, owner', async () => {
    const other = await register(api, 'donor');
    const attempts: Array<[string, string, Record<string, unknown>, string | undefined]> = [
      ['POST', '/api/auth/register', { email: 'x@example.be', password: 'a-long-enough-password', name: 'X', role: 'donor', houseSlug: 'hejmo' }, undefined],
      ['POST', '/api/offers', { ...offerBody(), status: 'closed' }, donor.token],
      ['POST', '/api/offers', { ...offerBody(), quantityAllocated: 5 }, donor.token],
      ['POST', '/api/offers', { ...offerBody(), donorId: other.id }, donor.token],
      ['POST', '/api/needs', { ...needBody(), status: 'fulfilled' }, hejmo.token],
      ['POST', '/api/needs', { ...needBody(), quantityDelivered: 3 }, hejmo.token],
    ];
    for (const [method, url, body, token] of attempts) {
      const res = await api.request(method as 'POST', url, { body, token });
      expect([url, res.status]).toEqual([url, 400]);
      expect(res.body.message.join(' ')).toMatch(/should not exist/);
    }
    const offer = (await api.post('/api/offers', offerBody(), donor.token)).body;
    for (const field of ['status', 'quantityAllocated', 'quantityDelivered', 'donorId', 'volunteerId', 'role']) {
      const res = await api.patch(`/api/offers/${offer.id}`, { [field]: field === 'quantityAllocated' ? 0 : 'x' }, donor.token);
      expect([field, res.status]).toEqual([field, 400]);
    }
  });
});
