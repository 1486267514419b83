import { setTimeout as pause } from 'node:timers/promises';
import { Account, Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { freePort, TestRedis } from './helpers/redis-server';
import { startApp, TestApp } from './helpers/test-app';

describe('when Redis goes away', () => {
  let redis: TestRedis;
  let t: TestApp;
  let api: Api;
  let hejmo: Account;
  let donor: Account;

  beforeAll(async () => {
    redis = new TestRedis(await freePort());
    await redis.start();
    t = await startApp({ REDIS_URL: redis.url }, { jobs: true });
    api = new Api(t.app);
    hejmo = await coordinator(api, 'hejmo');
    donor = await register(api, 'donor');
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  /** Polls the API, bounded: the work happens once Redis is back, with no manual step. */
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let value = await read();
    while (!done(value) && Date.now() < deadline) {
      await pause(50);
      value = await read();
    }
    return value;
  }

  it('still creates needs and offers, and proposes them once Redis is back', async () => {
    await redis.stop();

    const need = await api.post('/api/needs', needBody({ categoryCode: 'clothing-linen', title: 'Winter coats', quantity: 5 }), hejmo.token);
    const offer = await api.post('/api/offers', offerBody({ categoryCode: 'clothing-linen', title: 'Coats', quantity: 3 }), donor.token);
    expect(need.status).toBe(201);
    expect(offer.status).toBe(201);
    expect((await api.get('/health')).status).toBe(503);
    const [{ pending }] = await t.db.query(`SELECT count(*)::int AS pending FROM outbox WHERE sent_at IS NULL`);
    expect(pending).toBeGreaterThanOrEqual(2);

    await redis.start();
    const proposals = await eventually(
      async () => (await api.get(`/api/matches?offerId=${offer.body.id}`, hejmo.token)).body.items,
      (items: unknown[]) => items.length > 0,
    );
    expect(proposals).toEqual([expect.objectContaining({ needId: need.body.id, quantity: 3, status: 'proposed' })]);
    await t.drain();
    const [{ left }] = await t.db.query(`SELECT count(*)::int AS left FROM outbox WHERE sent_at IS NULL`);
    expect(left).toBe(0);
    const [{ matches }] = await t.db.query(`SELECT count(*)::int AS matches FROM matches WHERE offer_id = $1`, [offer.body.id]);
    expect(matches).toBe(1);
  });
});
