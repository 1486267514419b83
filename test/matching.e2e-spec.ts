import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { MatchingProcessor } from '../src/modules/matching/matching.processor';
import { MatchingService } from '../src/modules/matching/matching.service';
import { NotificationsService } from '../src/modules/notifications/notifications.service';
import { JobName, QueueName } from '../src/queue/catalogue';
import { OutboxRelay } from '../src/queue/outbox.relay';
import { Account, Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

describe('matching through the API and the real queues', () => {
  let t: TestApp;
  let api: Api;
  let hejmo: Account;
  let olivier: Account;
  let donor: Account;

  beforeAll(async () => {
    t = await startApp({}, { jobs: true });
    api = new Api(t.app);
    hejmo = await coordinator(api, 'hejmo');
    olivier = await coordinator(api, 'olivier');
    donor = await register(api, 'donor');
  });
  afterAll(() => t.close());

  it('proposes an offer to the right house, lets the coordinator accept, and thanks the donor', async () => {
    const need = (await api.post('/api/needs', needBody({ categoryCode: 'childcare', title: 'Baby bottles', quantity: 6, urgency: 'high' }), hejmo.token)).body;
    const offer = (
      await api.post(
        '/api/offers',
        offerBody({ categoryCode: 'childcare', title: 'Bottles', quantity: 4, pickupAddress: { street: 'Dorpsstraat 1', postcode: '1930', town: 'Zaventem' } }),
        donor.token,
      )
    ).body;
    await t.drain();

    const proposals = await api.get(`/api/matches?status=proposed&offerId=${offer.id}`, hejmo.token);
    expect(proposals.body.items).toEqual([
      expect.objectContaining({ offerId: offer.id, needId: need.id, houseSlug: 'hejmo', quantity: 4, status: 'proposed', pickupArea: { postcode: '1930', town: 'Zaventem' } }),
    ]);
    const match = proposals.body.items[0];
    expect(match.distanceKm).toBeGreaterThan(0);
    expect(match.distanceKm).toBeLessThan(10);
    expect(JSON.stringify(match)).not.toContain('Dorpsstraat');

    const inbox = await api.get('/api/notifications', hejmo.token);
    expect(inbox.body.items[0]).toMatchObject({ kind: 'match-proposed', data: { matchId: match.id } });
    expect(inbox.body.items[0].message.fr).toContain('Bottles');

    expect((await api.get(`/api/offers/${offer.id}`, donor.token)).body).toMatchObject({ quantityAllocated: 4, status: 'allocated' });
    expect((await api.get(`/api/needs/${need.id}`)).body.quantityAllocated).toBe(4);

    expect((await api.post(`/api/matches/${match.id}/accept`, {}, olivier.token)).status).toBe(404);
    const accepted = await api.post(`/api/matches/${match.id}/accept`, {}, hejmo.token);
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');
    expect((await api.post(`/api/matches/${match.id}/accept`, {}, hejmo.token)).status).toBe(409);
    await t.drain();
    const thanks = (await api.get('/api/notifications', donor.token)).body.items.filter((n: { kind: string }) => n.kind === 'match-accepted');
    expect(thanks).toEqual([expect.objectContaining({ kind: 'match-accepted', data: expect.objectContaining({ matchId: match.id }) })]);
    expect((await api.get(`/api/matches/${match.id}/history`, hejmo.token)).body.map((c: { to: string }) => c.to)).toEqual(['proposed', 'accepted']);
  });

  it('splits an offer over two needs, and a decline frees the quantity without proposing the pair again', async () => {
    const chantevent = await coordinator(api, 'chantevent');
    const first = (await api.post('/api/needs', needBody({ houseSlug: 'olivier', categoryCode: 'school-supplies', title: 'Books A', quantity: 12, urgency: 'normal' }), olivier.token)).body;
    const second = (await api.post('/api/needs', needBody({ houseSlug: 'chantevent', categoryCode: 'school-supplies', title: 'Books B', quantity: 8, urgency: 'normal' }), chantevent.token)).body;
    const offer = (await api.post('/api/offers', offerBody({ categoryCode: 'school-supplies', quantity: 20, pickupAddress: { street: 'Rue Haute 1', postcode: '4000', town: 'Liège' } }), donor.token)).body;
    await t.drain();

    const split = (await api.get(`/api/matches?offerId=${offer.id}`, await api.adminToken())).body.items;
    const byNeed = Object.fromEntries(split.map((m: { needId: string; quantity: number }) => [m.needId, m.quantity]));
    expect(byNeed).toEqual({ [first.id]: 12, [second.id]: 8 });

    const toDecline = split.find((m: { needId: string }) => m.needId === second.id);
    const declined = await api.post(`/api/matches/${toDecline.id}/decline`, { reason: 'We got some already' }, chantevent.token);
    expect(declined.body).toMatchObject({ status: 'declined', reason: 'We got some already' });
    await t.drain();

    expect((await api.get(`/api/needs/${second.id}`)).body.quantityAllocated).toBe(0);
    expect((await api.get(`/api/offers/${offer.id}`, donor.token)).body).toMatchObject({ quantityAllocated: 12, status: 'open' });
    const again = (await api.get(`/api/matches?needId=${second.id}&status=proposed`, chantevent.token)).body.items;
    expect(again).toEqual([]);
  });

  it('cancels proposals when the offer is withdrawn or the need cancelled, and re-matches what is freed', async () => {
    const need = (await api.post('/api/needs', needBody({ categoryCode: 'tools', title: 'Drill', quantity: 1, urgency: 'low' }), hejmo.token)).body;
    const offerA = (await api.post('/api/offers', offerBody({ categoryCode: 'tools', title: 'Drill A', quantity: 1, condition: 'new' }), donor.token)).body;
    await t.drain();
    const first = (await api.get(`/api/matches?needId=${need.id}&status=proposed`, hejmo.token)).body.items;
    expect(first).toHaveLength(1);
    const otherDonor = await register(api, 'donor');
    const offerB = (await api.post('/api/offers', offerBody({ categoryCode: 'tools', title: 'Drill B', quantity: 1, condition: 'fair' }), otherDonor.token)).body;
    await t.drain();
    const withdrawn = await api.post(`/api/offers/${first[0].offerId}/withdraw`, {}, first[0].offerId === offerA.id ? donor.token : otherDonor.token);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn' });
    await t.drain();
    const now = (await api.get(`/api/matches?needId=${need.id}&status=proposed`, hejmo.token)).body.items;
    expect(now).toHaveLength(1);
    expect(now[0].offerId).toBe(first[0].offerId === offerA.id ? offerB.id : offerA.id);

    await api.post(`/api/needs/${need.id}/cancel`, {}, hejmo.token);
    await t.drain();
    expect((await api.get(`/api/matches?needId=${need.id}&status=proposed`, hejmo.token)).body.items).toEqual([]);
    const [{ allocated }] = await t.db.query(`SELECT quantity_allocated AS allocated FROM offers WHERE id = $1`, [now[0].offerId]);
    expect(allocated).toBe(0);
  });
});

describe('matching triggers', () => {
  it('re-optimises a burst of 30 offers in a few optimisations, not 30, and proposes all of them', async () => {
    const t = await startApp({ MATCHING_DEBOUNCE_MS: '400' }, { jobs: true });
    try {
      const api = new Api(t.app);
      const simba = await coordinator(api, 'simbahuis');
      await api.post('/api/needs', needBody({ houseSlug: 'simbahuis', categoryCode: 'toys-crafts', title: 'Toys', quantity: 1000, urgency: 'normal' }), simba.token);
      await t.drain();
      const donors = [await register(api, 'donor'), await register(api, 'donor')];
      const offers = await Promise.all(
        Array.from({ length: 30 }, (_, i) => api.post('/api/offers', offerBody({ categoryCode: 'toys-crafts', title: `Toy box ${i}`, quantity: 2 }), donors[i % 2].token)),
      );
      expect(offers.map((res) => res.status)).toEqual(Array(30).fill(201));
      await t.drain();

      const queue = t.app.get<Queue>(getQueueToken(QueueName.Matching));
      const optimisations = (await queue.getJobs(['completed'])).filter((job) => job.name === JobName.OptimiseCategory);
      expect(optimisations.length).toBeGreaterThanOrEqual(2); // the need's, then the burst's
      expect(optimisations.length).toBeLessThanOrEqual(4);
      const [{ proposed }] = await t.db.query(`SELECT count(DISTINCT offer_id)::int AS proposed FROM matches WHERE status = 'proposed'`);
      expect(proposed).toBe(30);
    } finally {
      await t.close();
    }
  });

  it('notifies once per effect even when a job runs twice', async () => {
    const t = await startApp({}, { jobs: true });
    try {
      const api = new Api(t.app);
      const coord = await coordinator(api, 'hejmo');
      const donor = await register(api, 'donor');
      await api.post('/api/needs', needBody({ categoryCode: 'it-office', title: 'Laptop', quantity: 1 }), coord.token);
      await api.post('/api/offers', offerBody({ categoryCode: 'it-office', title: 'Laptop', quantity: 1 }), donor.token);
      await t.drain();
      const [match] = (await api.get('/api/matches', coord.token)).body.items;
      await api.post(`/api/matches/${match.id}/accept`, {}, coord.token);
      await t.drain();
      const notifications = t.app.get(NotificationsService);
      expect(await notifications.notifyMatchAccepted(match.id)).toBe(0);
      await t.app.get(MatchingService).optimiseCategory('it-office');
      const rows = await t.db.query(`SELECT kind, count(*)::int AS n FROM notifications GROUP BY kind ORDER BY kind`);
      expect(rows).toEqual([
        { kind: 'match-accepted', n: 1 },
        { kind: 'match-proposed', n: 1 },
        { kind: 'pickup-scheduled', n: 1 },
      ]);
    } finally {
      await t.close();
    }
  });

  it('runs no worker and no relay in an API-only process (APP_ROLE=api)', async () => {
    const t = await startApp({ APP_ROLE: 'api' });
    try {
      expect(() => t.app.get(OutboxRelay)).toThrow();
      expect(() => t.app.get(MatchingProcessor)).toThrow();
      const api = new Api(t.app);
      const donor = await register(api, 'donor');
      const offer = await api.post('/api/offers', offerBody(), donor.token);
      expect(offer.status).toBe(201);
      const [{ pending }] = await t.db.query(`SELECT count(*)::int AS pending FROM outbox WHERE payload->>'categoryCode' = 'school-supplies' AND sent_at IS NULL`);
      expect(pending).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('expires an offer whose availability has passed, and moves its proposal to another offer', async () => {
    const t = await startApp({}, { jobs: true });
    try {
      const api = new Api(t.app);
      const coord = await coordinator(api, 'olivier');
      const donor = await register(api, 'donor');
      const need = (await api.post('/api/needs', needBody({ houseSlug: 'olivier', categoryCode: 'childcare', title: 'Stroller', quantity: 1 }), coord.token)).body;
      const soon = (
        await api.post(
          '/api/offers',
          offerBody({ categoryCode: 'childcare', title: 'Stroller', quantity: 1, condition: 'new', availability: [{ from: '2026-12-01T10:00:00+01:00', to: '2026-12-01T12:00:00+01:00' }] }),
          donor.token,
        )
      ).body;
      await t.drain();
      expect((await api.get(`/api/matches?needId=${need.id}&status=proposed`, coord.token)).body.items[0].offerId).toBe(soon.id);
      const later = (await api.post('/api/offers', offerBody({ categoryCode: 'childcare', title: 'Old stroller', quantity: 1, condition: 'fair' }), donor.token)).body;
      await t.drain();

      t.clock.set('2026-12-01T13:00:00+01:00');
      await t.app.get(MatchingService).optimiseCategory('childcare');
      expect((await api.get(`/api/offers/${soon.id}`, donor.token)).body.status).toBe('expired');
      expect((await api.get(`/api/offers/${soon.id}/history`, donor.token)).body.at(-1)).toMatchObject({ actor: 'system', to: 'expired', reason: 'no availability left' });
      const [proposal] = (await api.get(`/api/matches?needId=${need.id}&status=proposed`, coord.token)).body.items;
      expect(proposal.offerId).toBe(later.id);
    } finally {
      await t.close();
    }
  });
});
