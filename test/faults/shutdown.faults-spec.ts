import { DataSource } from 'typeorm';
import { AppProcess, http, HttpResult, until } from '../helpers/app-process';
import { checkConsistency, faultDatabase, figure, lostOrDoubled, offerBody, People, people, postNeeds, QueueInspector, queuePrefix, REDIS_URL, settled } from './support';

const HEAVY = 'school-supplies';
const SHUTDOWN_LIMIT_MS = 10_000;

/**
 * SIGTERM under load, as an orchestrator stops a container: the API stops taking connections,
 * answers what it already took and exits; a worker finishes (or hands back) the jobs it holds and
 * exits; both within 10 s; nothing is half-written and nothing is left for a lock to expire.
 */
describe('faults: SIGTERM under load', () => {
  let api: AppProcess;
  let worker: AppProcess;
  let inspector: QueueInspector;
  let db: DataSource;
  let databaseUrl: string;
  let prefix: string;
  let who: People;

  const start = (role: 'api' | 'worker') => AppProcess.start({ role, databaseUrl, redisUrl: REDIS_URL, queuePrefix: prefix });

  beforeAll(async () => {
    ({ url: databaseUrl, db } = await faultDatabase());
    prefix = queuePrefix();
    [api, worker] = await Promise.all([start('api'), start('worker')]);
    inspector = new QueueInspector(prefix);
    who = await people(api.url, 4);
    await postNeeds(api.url, who);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.kill(), worker?.kill()]);
    await inspector?.obliterate();
    await inspector?.close();
    await db?.destroy();
  });

  it('the API answers every request it took, refuses the rest cleanly and exits within 10 s', async () => {
    const results: Array<HttpResult & { title: string }> = [];
    let running = true;
    const clients = Array.from({ length: 12 }, async (_, client) => {
      for (let i = 0; running; i++) {
        const title = `Shutdown load ${client}-${i}`;
        const res = await http(api.url, 'POST', '/api/offers', { token: who.donors[client % who.donors.length], body: offerBody(['clothing-linen', 'toys-crafts'][i % 2], title) });
        results.push({ ...res, title });
        // Once the port is closed, no need to hammer it.
        if (res.error === 'ECONNREFUSED') break;
      }
    });
    await until('the load to be under way', async () => results.length, (n) => n >= 40, 20_000, 20);

    const sigtermAt = Date.now();
    const exit = await api.stop('SIGTERM', 20_000);
    running = false;
    await Promise.all(clients);
    figure('API exit after SIGTERM under load (12 clients)', `${exit.ms} ms (code ${exit.code}, signal ${exit.signal})`);
    expect(exit.ms).toBeLessThan(SHUTDOWN_LIMIT_MS);
    // Nest re-raises the signal once its hooks are done: exit by SIGTERM, or 0; never a crash code.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(api.logged(/"level":(50|60)/)).toEqual([]);

    const outcomes: Record<string, number> = {};
    for (const res of results) outcomes[res.error ?? String(res.status)] = (outcomes[res.error ?? String(res.status)] ?? 0) + 1;
    figure('answers around the SIGTERM', JSON.stringify(outcomes));
    // Taken requests are answered; later ones meet a closed port or a 503 on a kept-alive connection.
    expect(Object.keys(outcomes).filter((outcome) => !['201', '503', 'ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(outcome))).toEqual([]);
    const inFlight = results.filter((res) => res.startedAt < sigtermAt && res.endedAt > sigtermAt);
    figure('requests in flight at the SIGTERM', `${inFlight.length}, answered 201: ${inFlight.filter((res) => res.status === 201).length}`);
    expect(inFlight.some((res) => res.status === 201)).toBe(true);

    // Nothing half-written: exactly the offers answered 201 exist, each complete.
    const created = results.filter((res) => res.status === 201).map((res) => res.title).sort();
    const stored: Array<{ title: string }> = await db.query(`SELECT title FROM offers WHERE title LIKE 'Shutdown load %' ORDER BY title`);
    expect(stored.map((row) => row.title).sort()).toEqual(created);
  });

  it('a worker finishes or hands back the jobs it holds and exits within 10 s; the next one takes over at once', async () => {
    api = await start('api');
    // A big category: its optimisation takes a while, long enough to be in progress at the SIGTERM.
    const [{ id: donorId }] = await db.query(`SELECT id FROM users WHERE role = 'donor' LIMIT 1`);
    await db.query(
      `WITH o AS (
         INSERT INTO offers (donor_id, category_code, title, quantity, condition, size, pickup_street, pickup_postcode, pickup_town)
         SELECT $1, $2, 'Seeded books ' || g, 1 + g % 3, 'good', 'small', 'Kerkstraat 1', '9000', 'Gent' FROM generate_series(1, 1000) g
         RETURNING id),
       w AS (INSERT INTO offer_windows (offer_id, starts_at, ends_at) SELECT id, now() - interval '1 minute', now() + interval '5 days' FROM o)
       INSERT INTO status_changes (subject_type, subject_id, actor_id, actor_role, from_status, to_status) SELECT 'offer', id, $1, 'donor', NULL, 'open' FROM o`,
      [donorId, HEAVY],
    );
    await until('the queues to be quiet', () => settled(db, inspector), Boolean, 60_000, 100);
    const since = worker.startedAt;
    expect((await http(api.url, 'POST', '/api/offers', { token: who.donors[0], body: offerBody(HEAVY, 'The last straw') })).status).toBe(201);
    const held = await until('the worker to hold a job', () => inspector.activeSince(since), (jobs) => jobs.length > 0, 30_000, 5);

    const exit = await worker.stop('SIGTERM', 20_000);
    figure('worker exit after SIGTERM during jobs', `${exit.ms} ms (code ${exit.code}, signal ${exit.signal}), held ${held.map((job) => job.name).join(', ')}`);
    expect(exit.ms).toBeLessThan(SHUTDOWN_LIMIT_MS);
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    // No job is left active behind a lock that only time would release.
    expect((await inspector.counts()).active).toBe(0);
    for (const job of held) expect(['completed', 'waiting', 'prioritized', 'delayed']).toContain(await inspector.state(job.queueName as never, job.id as string));

    const restartedAt = Date.now();
    worker = await start('worker');
    await until('the next worker to finish the work', () => settled(db, inspector), Boolean, 25_000, 100);
    figure('from the new worker start to all work done', `${Date.now() - restartedAt} ms`);
    expect(await lostOrDoubled(db, inspector)).toEqual([]);
  }, 180_000);

  it('ends with every invariant holding (npm run check:consistency)', () => {
    const { status, stdout } = checkConsistency(databaseUrl);
    expect(stdout).not.toContain('FAIL');
    expect(status).toBe(0);
  });
});
