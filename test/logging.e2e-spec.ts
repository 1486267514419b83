import { Api, offerBody, PASSWORD, register } from './helpers/api';
import { captureLogLines } from './helpers/log-capture';
import { startApp, TestApp } from './helpers/test-app';

describe('structured logs', () => {
  let t: TestApp;
  let api: Api;
  const { destination, lines } = captureLogLines();

  beforeAll(async () => {
    t = await startApp({ LOG_LEVEL: 'info' }, { logDestination: destination });
    api = new Api(t.app);
  });
  afterAll(() => t.close());

  it('writes one JSON line per request with its id, kept from x-request-id and sent back', async () => {
    const res = await api.request('GET', '/api/houses', { headers: { 'x-request-id': 'trace-houses-42' } });
    expect(res.headers['x-request-id']).toBe('trace-houses-42');
    const fresh = await api.get('/api/categories');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await new Promise((resolve) => setImmediate(resolve));
    const entries = lines.map((line) => JSON.parse(line) as { req?: { id: string; url: string }; res?: { statusCode: number }; msg: string });
    const houses = entries.find((entry) => entry.req?.id === 'trace-houses-42');
    expect(houses).toMatchObject({ req: { url: '/api/houses' }, res: { statusCode: 200 }, msg: 'request completed' });
    expect(entries.some((entry) => entry.req?.id === fresh.headers['x-request-id'])).toBe(true);
    // An id that does not look like one is replaced.
    expect((await api.request('GET', '/api/houses', { headers: { 'x-request-id': '<script>' } })).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never writes an e-mail, a password, a phone, a street or a token', async () => {
    const donor = await register(api, 'donor', { phone: '+32 470 27 18 28', name: 'Ottilie Verborgen' });
    await api.post('/api/offers', offerBody({ pickupAddress: { street: 'Verborgenlaan 7', postcode: '9000', town: 'Gent' } }), donor.token);
    await api.post('/api/auth/login', { email: donor.email, password: 'a wrong password, logged?' });
    await api.get('/api/offers?cursor=bm90LWEtY3Vyc29y', donor.token);
    await new Promise((resolve) => setImmediate(resolve));
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [donor.email, PASSWORD, 'a wrong password', '27 18 28', 'Verborgenlaan', 'Verborgen', donor.token, 'bm90LWEtY3Vyc29y']) {
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
  });
});
