import Redis from 'ioredis';
import { Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

/** Job data lives in clear text in Redis: it must hold ids, never a donor's personal data. */
describe('personal data and Redis', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({}, { jobs: true });
  });
  afterAll(() => t.close());

  async function everythingUnder(prefix: string): Promise<string> {
    const redis = new Redis(t.config.REDIS_URL);
    try {
      const parts: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        for (const key of keys) {
          const type = await redis.type(key);
          parts.push(key);
          if (type === 'string') parts.push(String(await redis.get(key)));
          if (type === 'hash') parts.push(JSON.stringify(await redis.hgetall(key)));
          if (type === 'list') parts.push(JSON.stringify(await redis.lrange(key, 0, -1)));
          if (type === 'set') parts.push(JSON.stringify(await redis.smembers(key)));
          if (type === 'zset') parts.push(JSON.stringify(await redis.zrange(key, 0, -1)));
          if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')));
        }
      } while (cursor !== '0');
      return parts.join('\n');
    } finally {
      redis.disconnect();
    }
  }

  it('holds no e-mail, name, phone or street after a whole flow', async () => {
    const api = new Api(t.app);
    const hejmo = await coordinator(api, 'hejmo');
    const donor = await register(api, 'donor', { phone: '+32 470 31 41 59', name: 'Marguerite Geheimnis' });
    await api.post('/api/needs', needBody({ categoryCode: 'it-office', title: 'Laptop', quantity: 1 }), hejmo.token);
    const offer = (
      await api.post(
        '/api/offers',
        offerBody({ categoryCode: 'it-office', title: 'Laptop', quantity: 1, pickupAddress: { street: 'Geheimstraat 99', postcode: '1950', town: 'Kraainem' } }),
        donor.token,
      )
    ).body;
    await t.drain();
    const [match] = (await api.get(`/api/matches?offerId=${offer.id}`, hejmo.token)).body.items;
    await api.post(`/api/matches/${match.id}/accept`, {}, hejmo.token);
    await t.drain();
    const volunteer = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });
    const [pickup] = (await api.get('/api/pickups?status=unassigned', volunteer.token)).body.items;
    await api.post(`/api/pickups/${pickup.id}/claim`, {}, volunteer.token);
    await t.drain();

    const stored = await everythingUnder(t.config.QUEUE_PREFIX);
    expect(stored).toContain('optimise-category'); // the jobs were there to look at
    for (const secret of [donor.email, '31 41 59', 'Geheimstraat', 'Geheimnis', volunteer.email]) {
      expect([secret, stored.includes(secret)]).toEqual([secret, false]);
    }
  });
});
