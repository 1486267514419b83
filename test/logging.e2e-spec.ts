import { PassThrough } from 'node:stream';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Api, coordinator, needBody, offerBody, PASSWORD, register } from './helpers/api';
import { QueueName } from '../src/queue/catalogue';
import { startApp, TestApp } from './helpers/test-app';

describe('structured logs', () => {
  let t: TestApp;
  let api: Api;
  const lines: string[] = [];

  beforeAll(async () => {
    const destination = new PassThrough();
    let buffer = '';
    destination.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
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

describe('request ids in background work', () => {
  let t: TestApp;
  let api: Api;
  const logged: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const destination = new PassThrough();
    let buffer = '';
    destination.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      logged.push(...parts.filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>));
    });
    t = await startApp({ LOG_LEVEL: 'info' }, { jobs: true, logDestination: destination });
    api = new Api(t.app);
  });
  afterAll(() => t.close());

  type OutboxRow = { id: string; queue: string; job_name: string; request_id: string | null };
  const outbox = (): Promise<OutboxRow[]> => t.db.query(`SELECT id, queue, job_name, request_id FROM outbox ORDER BY created_at`);

  it('carries the id of a request into its outbox rows, their jobs, and the jobs those jobs ask for', async () => {
    const house = await coordinator(api, 'hejmo');
    const donor = await register(api, 'donor');
    await api.request('POST', '/api/needs', { token: house.token, body: needBody({ categoryCode: 'furniture-appliances', quantity: 1 }) });
    // Its optimisation first: one still waiting would take in the offer's too (deduplicated), under the need's id.
    await t.drain();
    const offer = await api.request('POST', '/api/offers', {
      token: donor.token,
      headers: { 'x-request-id': 'trace-offer-1' },
      body: offerBody({ categoryCode: 'furniture-appliances', quantity: 1, availability: [{ from: '2026-12-03T08:00:00+01:00', to: '2026-12-03T20:00:00+01:00' }] }),
    });
    expect(offer.status).toBe(201);
    await t.drain();
    const [match] = (await api.get(`/api/matches?offerId=${offer.body.id}&status=proposed`, house.token)).body.items;
    const accepted = await api.request('POST', `/api/matches/${match.id}/accept`, { token: house.token, body: {}, headers: { 'x-request-id': 'trace-accept-1' } });
    expect(accepted.status).toBe(200);
    await t.drain();

    const rows = await outbox();
    const offerRow = rows.find((row) => row.request_id === 'trace-offer-1');
    expect(offerRow).toMatchObject({ job_name: 'optimise-category' });
    // The acceptance asked for the pickup; the pickup job, running for that request, asked for the volunteers' round.
    const acceptRows = rows.filter((row) => row.request_id === 'trace-accept-1').map((row) => row.job_name);
    expect(acceptRows).toEqual(expect.arrayContaining(['schedule-pickup', 'notify-match-accepted', 'notify-volunteers']));

    // The job id is the outbox row's id, and the job carries the request id.
    const scheduled = rows.find((row) => row.request_id === 'trace-accept-1' && row.job_name === 'schedule-pickup')!;
    const job = await t.app.get<Queue>(getQueueToken(QueueName.Pickups)).getJob(scheduled.id);
    expect(job?.data).toMatchObject({ matchId: match.id, requestId: 'trace-accept-1' });
    expect(await job?.getState()).toBe('completed');

    // The log lines of the request and of the jobs it caused all carry its id.
    const traced = logged.filter((line) => line.requestId === 'trace-offer-1');
    expect(traced.some((line) => (line.req as { id?: string } | undefined)?.id === 'trace-offer-1')).toBe(true);
    expect(traced.some((line) => line.context === 'MatchingService')).toBe(true);
  });

  it('gives the work of a job that no request caused the id of that job', async () => {
    const house = await coordinator(api, 'olivier');
    await api.post('/api/needs', needBody({ houseSlug: 'olivier', categoryCode: 'tools', quantity: 1 }), house.token);
    await t.drain();
    // The repeatable safety net runs without a request: the optimisations it asks for carry its job id.
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Matching));
    await queue.add('sweep-matching', {}, { jobId: 'sweep-trace-test' });
    await t.drain();
    const optimisations = (await queue.getJobs(['completed', 'waiting', 'delayed', 'active'])).filter((job) => job.name === 'optimise-category');
    expect(optimisations.filter((job) => job.data.requestId === 'job:sweep-trace-test').map((job) => job.data.categoryCode)).toContain('tools');
  });
});
