import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { captureLogLines } from './helpers/log-capture';
import { startApp, TestApp } from './helpers/test-app';
import { QueueName } from '../src/queue/catalogue';

/**
 * One id finds a request and everything it caused. (A file of its own: Nest's logger is
 * process-wide, and an app closed earlier in the same file would keep the job lines.)
 */
describe('request ids in background work', () => {
  let t: TestApp;
  let api: Api;
  const { destination, lines } = captureLogLines();
  const logged = (): Array<Record<string, unknown>> => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
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
    const offerRows = rows.filter((row) => row.request_id === 'trace-offer-1').map((row) => row.job_name);
    // Its placement and its optimisation (which may ask for one more when a placement took room meanwhile).
    expect([...new Set(offerRows)].sort()).toEqual(['optimise-category', 'place-offer']);
    // The acceptance asked for the pickup; the pickup job, running for that request, asked for the volunteers' round.
    const acceptRows = rows.filter((row) => row.request_id === 'trace-accept-1').map((row) => row.job_name);
    expect(acceptRows).toEqual(expect.arrayContaining(['schedule-pickup', 'notify-match-accepted', 'notify-volunteers']));

    // The job id is the outbox row's id, and the job carries the request id.
    const scheduled = rows.find((row) => row.request_id === 'trace-accept-1' && row.job_name === 'schedule-pickup')!;
    const job = await t.app.get<Queue>(getQueueToken(QueueName.Pickups)).getJob(scheduled.id);
    expect(job?.data).toMatchObject({ matchId: match.id, requestId: 'trace-accept-1' });
    expect(await job?.getState()).toBe('completed');

    // The log lines of the request and of the jobs it caused all carry its id.
    const traced = logged().filter((line) => line.requestId === 'trace-offer-1');
    expect(traced.some((line) => (line.req as { id?: string } | undefined)?.id === 'trace-offer-1')).toBe(true);
    // The offer is proposed by its placement or by its optimisation, whichever writes first: both log it.
    expect(traced.some((line) => line.context === 'PlacementService' || line.context === 'MatchingService')).toBe(true);
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
