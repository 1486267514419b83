import { DataSource } from 'typeorm';
import { AppProcess, http, until } from '../helpers/app-process';
import { TcpProxy } from '../helpers/tcp-proxy';
import { checkConsistency, figure, lostOrDoubled, needBody, offerBody, People, proposalOf, proxiedStack, ProxiedStack, QueueInspector, settled } from './support';

/**
 * Redis goes away under an API process and a worker process (a proxy between them and Redis is
 * cut, live connections reset). test/redis-outage.e2e-spec.ts covers a Redis that stops under an
 * in-process app; this one adds separate processes, accepts and claims, and a count of every job.
 */
describe('faults: Redis goes away under the API and a worker', () => {
  let proxy: TcpProxy;
  let api: AppProcess;
  let worker: AppProcess;
  let inspector: QueueInspector;
  let db: DataSource;
  let databaseUrl: string;
  let who: People;

  let stack: ProxiedStack | undefined;

  beforeAll(async () => {
    stack = await proxiedStack('redis', ['school-supplies', 'clothing-linen']);
    ({ proxy, api, worker, inspector, db, databaseUrl, who } = stack);
  });

  afterAll(() => stack?.close());

  it('answers offers, needs, accepts and claims while Redis is away, then relays and runs every job once', async () => {
    const [donor] = who.donors;
    // Before the outage: a proposal to accept, and a pickup to claim, during it.
    const toAccept = (await http(api.url, 'POST', '/api/offers', { token: donor, body: offerBody('school-supplies', 'Schoolbags') })).body;
    const toClaimOffer = (await http(api.url, 'POST', '/api/offers', { token: donor, body: offerBody('clothing-linen', 'Coats') })).body;
    // The first proposal may be moved within moments (a need's quick placement can take an offer
    // that the optimisation then gives to a better need): the ones to decide on are those left standing.
    await until('the matching of the two offers to settle', () => settled(db, inspector), Boolean);
    const proposal = await proposalOf(api.url, who.admin, toAccept.id);
    const claimProposal = await proposalOf(api.url, who.admin, toClaimOffer.id);
    expect((await http(api.url, 'POST', `/api/matches/${claimProposal.id}/accept`, { token: who.coordinators[claimProposal.houseSlug] })).status).toBe(200);
    const pickup = await until(
      'the pickup of the accepted match',
      async () => ((await http(api.url, 'GET', '/api/pickups?status=unassigned', { token: who.admin })).body?.items ?? []) as any[],
      (items) => items.some((p) => p.items.some((item: { matchId: string }) => item.matchId === claimProposal.id)),
    ).then((items) => items.find((p) => p.items.some((item: { matchId: string }) => item.matchId === claimProposal.id)));
    await until('the queues are quiet before the outage', () => settled(db, inspector), Boolean);

    proxy.cut();
    const cutAt = Date.now();
    const health = await until('/health to report Redis down', () => http(api.url, 'GET', '/health'), (res) => res.status === 503);
    expect(health.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } }, info: { database: { status: 'up' } } });

    const calls = await Promise.all([
      http(api.url, 'POST', '/api/needs', { token: who.coordinators.hejmo, body: needBody('hejmo', 'toys-crafts', 50) }),
      http(api.url, 'POST', '/api/needs', { token: who.coordinators.olivier, body: needBody('olivier', 'toys-crafts', 50) }),
      ...['Pencils', 'Rulers', 'Scarves', 'Gloves', 'Board game', 'Puzzle'].map((title, i) =>
        http(api.url, 'POST', '/api/offers', { token: donor, body: offerBody(['school-supplies', 'clothing-linen', 'toys-crafts'][i >> 1], title) }),
      ),
      http(api.url, 'POST', `/api/matches/${proposal.id}/accept`, { token: who.coordinators[proposal.houseSlug] }),
      http(api.url, 'POST', `/api/pickups/${pickup.id}/claim`, { token: who.volunteer }),
      http(api.url, 'GET', `/api/offers/${toAccept.id}`, { token: donor }),
    ]);
    expect(calls.map((res) => res.status)).toEqual([201, 201, 201, 201, 201, 201, 201, 201, 200, 200, 200]);
    const slowest = Math.max(...calls.map((res) => res.endedAt - res.startedAt));
    figure('slowest API answer while Redis was away', `${slowest} ms`);
    expect(slowest).toBeLessThan(5_000);

    // The worker's relay really tried meanwhile, more than once, and kept the rows.
    await until(
      'the relay to fail twice on the cut connection',
      async () => (await db.query(`SELECT coalesce(max(attempts), 0)::int AS n FROM outbox WHERE sent_at IS NULL`))[0].n,
      (n: number) => n >= 2,
    );
    const [{ pending }] = await db.query(`SELECT count(*)::int AS pending FROM outbox WHERE sent_at IS NULL`);
    // 2 needs and 6 offers (an optimisation each), the accept (pickup + thanks), the claim (reminder).
    expect(pending).toBeGreaterThanOrEqual(11);
    expect(api.running && worker.running).toBe(true);
    figure('Redis outage', `${Date.now() - cutAt} ms, ${pending} outbox rows waiting`);

    proxy.restore();
    const restoredAt = Date.now();
    await until('the queues to drain after Redis is back', () => settled(db, inspector), Boolean, 60_000, 100);
    figure('from Redis back to every outbox row relayed and run', `${Date.now() - restoredAt} ms`);
    expect((await http(api.url, 'GET', '/health')).status).toBe(200);

    expect(await lostOrDoubled(db, inspector)).toEqual([]);
    const reminders = await db.query(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'send-reminder' AND payload->>'pickupId' = $1`, [pickup.id]);
    expect(reminders[0].n).toBe(1);
    const accepted = await db.query(`SELECT status, pickup_id FROM matches WHERE id = $1`, [proposal.id]);
    expect(accepted[0]).toEqual({ status: 'accepted', pickup_id: expect.any(String) });
  });

  it('ends with every invariant holding (npm run check:consistency)', () => {
    const { status, stdout } = checkConsistency(databaseUrl);
    expect(stdout).not.toContain('FAIL');
    expect(status).toBe(0);
  });
});
