import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { QueueName } from '../src/queue/catalogue';
import { Api, coordinator, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

/** bull-board can retry and delete jobs: every page, asset and API call of it is for admins only. */
describe('queue dashboard at /admin/queues', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    api = new Api(t.app);
  });
  afterAll(() => t.close());

  const paths = ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues', '/admin/queues/queue/matching'];

  it.each(paths)('refuses %s without a token (401) and with a bad one (401)', async (path) => {
    const anonymous = await api.get(path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ statusCode: 401, message: 'A bearer token is required', error: 'Unauthorized' });
    expect((await api.get(path, 'not-a-token')).status).toBe(401);
  });

  it.each(paths)('refuses %s to donors, volunteers and coordinators (403)', async (path) => {
    for (const account of [await register(api, 'donor'), await register(api, 'volunteer'), await coordinator(api, 'hejmo')]) {
      const res = await api.get(path, account.token);
      expect(res.status).toBe(403);
      expect(res.body.message).toBe('The queue dashboard is for admin accounts');
    }
  });

  it('refuses the actions that change jobs to a non-admin, before they reach bull-board', async () => {
    const donor = await register(api, 'donor');
    for (const url of ['/admin/queues/api/queues/matching/retry/failed', '/admin/queues/api/queues/matching/clean/failed']) {
      expect((await api.request('PUT', url, { token: donor.token })).status).toBe(403);
      expect((await api.request('PUT', url)).status).toBe(401);
    }
  });

  it('cannot be reached by writing its path another way (escapes, double slashes, methods)', async () => {
    const donor = await register(api, 'donor');
    const variants = [
      '/admin/%71ueues/api/queues',
      '/%61dmin/queues/api/queues',
      '/admin%2Fqueues/api/queues',
      '/admin/queues%2Fapi%2Fqueues',
      '//admin/queues/api/queues',
      '/admin//queues/api/queues',
      '/admin/q%75eues',
      '/admin/%71ueues/static/',
    ];
    for (const url of variants) {
      const anonymous = await api.request('GET', url);
      expect([url, anonymous.status]).toEqual([url, expect.any(Number)]);
      expect([url, anonymous.status === 401 || anonymous.status === 404]).toEqual([url, true]);
      expect([url, [401, 403, 404].includes((await api.get(url, donor.token)).status)]).toEqual([url, true]);
    }
    for (const method of ['PUT', 'POST', 'DELETE'] as const) {
      const res = await api.request(method, '/admin/%71ueues/api/queues/matching/pause', { token: donor.token });
      expect([method, res.status]).toEqual([method, 403]);
    }
    const head = await t.app.inject({ method: 'HEAD', url: '/admin/%71ueues' });
    expect(head.statusCode).toBe(401);
    // Nothing was paused on the way.
    expect(await t.app.get<Queue>(getQueueToken(QueueName.Matching)).isPaused()).toBe(false);
  });

  it('treats a malformed cookie as no token', async () => {
    const res = await api.request('GET', '/admin/queues/api/queues', { headers: { cookie: 'inkind_dashboard_token=%E0%A4%A' } });
    expect(res.status).toBe(401);
  });

  it('shows every queue to an admin, by bearer header or by the cookie the admin page sets', async () => {
    const token = await api.adminToken();
    const page = await api.get('/admin/queues', token);
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toContain('text/html');

    const queues = await api.get('/admin/queues/api/queues', token);
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['matching', 'notifications', 'pickups', 'placement']);

    const byCookie = await api.request('GET', '/admin/queues/api/queues', { headers: { cookie: `theme=dark; inkind_dashboard_token=${token}` } });
    expect(byCookie.status).toBe(200);
  });

  it('refuses the token of an erased account at once', async () => {
    const volunteer = await register(api, 'volunteer');
    expect((await api.delete('/api/me', volunteer.token)).status).toBe(204);
    expect((await api.get('/admin/queues', volunteer.token)).status).toBe(401);
  });
});
