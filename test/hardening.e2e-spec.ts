import { Api, PASSWORD, register, uniqueEmail } from './helpers/api';
import { freePort } from './helpers/redis-server';
import { startApp, TestApp } from './helpers/test-app';

describe('hardening', () => {
  describe('with tight limits', () => {
    let t: TestApp;
    let api: Api;

    beforeAll(async () => {
      t = await startApp({ RATE_LIMIT_LOGIN_PER_EMAIL: '3', RATE_LIMIT_AUTH_PER_IP: '12', CORS_ORIGINS: 'https://inkind.example' });
      api = new Api(t.app);
    });
    afterAll(() => t.close());

    it('sends security headers', async () => {
      const res = await api.get('/api/houses');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toEqual(expect.stringContaining('max-age='));
      expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('sends the strict policy on answers of every kind and the relaxed one on Swagger UI only', async () => {
      const strict = (await api.get('/api/houses')).headers;
      for (const res of [await api.get('/api/needs/not-a-uuid'), await api.get('/api/no-such-route'), await api.get('/')]) {
        expect(res.headers['content-security-policy']).toBe(strict['content-security-policy']);
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      }
      expect(String(strict['content-security-policy'])).not.toContain('unsafe-inline');
      const docs = await api.get('/docs/');
      expect(docs.status).toBe(200);
      expect(String(docs.headers['content-security-policy'])).toContain("'unsafe-inline'");
      expect(docs.headers['x-content-type-options']).toBe('nosniff');
    });

    it('allows the configured origin only', async () => {
      const preflight = (origin: string) =>
        t.app.inject({ method: 'OPTIONS', url: '/api/offers', headers: { origin, 'access-control-request-method': 'POST' } });
      expect((await preflight('https://inkind.example')).headers['access-control-allow-origin']).toBe('https://inkind.example');
      expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers 429 after 3 login attempts a minute for one e-mail, while another e-mail still gets its answer', async () => {
      const victim = uniqueEmail('victim');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await api.post('/api/auth/login', { email: victim, password: 'guess-number-' + i })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const blocked = await api.post('/api/auth/login', { email: victim.toUpperCase(), password: 'guess-again' });
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ statusCode: 429, message: expect.any(String) });
      const french = await api.request('POST', '/api/auth/login', { body: { email: victim, password: 'guess-in-french' }, headers: { 'accept-language': 'fr' } });
      expect(french.body).toEqual({ statusCode: 429, message: 'Trop de tentatives ; attendez une minute et réessayez', error: 'Too Many Requests' });
      expect((await api.post('/api/auth/login', { email: uniqueEmail('other'), password: 'whatever-it-is' })).status).toBe(401);
    });

    it('answers 429 after the auth routes were called 12 times a minute from one address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await api.post('/api/auth/login', { email: uniqueEmail('ip'), password: 'x-long-password' })).status);
      expect(statuses).toContain(429);
      expect((await api.get('/api/houses')).status).toBe(200); // the limit is on the auth routes only
    });
  });

  it('refuses a password that is the e-mail address', async () => {
    const t = await startApp();
    try {
      const email = uniqueEmail('same');
      const res = await new Api(t.app).post('/api/auth/register', { email, password: email.toUpperCase(), name: 'Same', role: 'donor' });
      expect(res.body).toMatchObject({ statusCode: 400, code: 'PASSWORD_IS_EMAIL' });
    } finally {
      await t.close();
    }
  });

  it('still lets people log in while Redis is away (limits fail open)', async () => {
    const t = await startApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const api = new Api(t.app);
      const donor = await register(api, 'donor');
      expect((await api.post('/api/auth/login', { email: donor.email, password: PASSWORD })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
