import { setTimeout as pause } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AppProcess, http, until } from '../helpers/app-process';
import { checkConsistency, faultDatabase, figure, lostOrDoubled, offerBody, PASSWORD, People, people, postNeeds, QueueInspector, queuePrefix, REDIS_URL, settled } from './support';

const HEAVY = 'school-supplies';
const SEEDED_OFFERS = 1_500;
const KILLS = 3;

/**
 * Worker processes are killed with SIGKILL while they hold jobs, several times, while donors keep
 * offering and houses keep accepting; a last worker finishes the work. A big category (1,500
 * offers seeded in SQL) makes each of its optimisations take long enough to be cut in the middle.
 */
describe('faults: a worker is killed in the middle of its jobs', () => {
  let api: AppProcess;
  let worker: AppProcess;
  let inspector: QueueInspector;
  let db: DataSource;
  let databaseUrl: string;
  let prefix: string;
  let who: People;
  const volunteers: string[] = [];
  let traffic: ReturnType<typeof load> | undefined;

  const startWorker = () => AppProcess.start({ role: 'worker', databaseUrl, redisUrl: REDIS_URL, queuePrefix: prefix });

  beforeAll(async () => {
    ({ url: databaseUrl, db } = await faultDatabase());
    prefix = queuePrefix();
    api = await AppProcess.start({ role: 'api', databaseUrl, redisUrl: REDIS_URL, queuePrefix: prefix });
    inspector = new QueueInspector(prefix);
    who = await people(api.url, 3);
    for (let i = 0; i < 4; i++) {
      const email = `van-${i}-${Date.now()}@example.be`;
      await http(api.url, 'POST', '/api/auth/register', { body: { email, password: PASSWORD, name: 'Van driver', role: 'volunteer', vehicle: 'van', postcode: '9000', town: 'Gent' } });
      volunteers.push((await http(api.url, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } })).body.accessToken);
    }
    await postNeeds(api.url, who);
    // The heavy category: many open offers (with their windows and history, as the API writes them).
    const [{ id: donorId }] = await db.query(`SELECT id FROM users WHERE role = 'donor' LIMIT 1`);
    await db.query(
      `WITH o AS (
         INSERT INTO offers (donor_id, category_code, title, quantity, condition, size, pickup_street, pickup_postcode, pickup_town)
         SELECT $1, $2, 'Seeded books ' || g, 1 + g % 3, 'good', 'small', 'Kerkstraat 1', '9000', 'Gent' FROM generate_series(1, $3) g
         RETURNING id),
       w AS (INSERT INTO offer_windows (offer_id, starts_at, ends_at) SELECT id, now() - interval '1 minute', now() + interval '5 days' FROM o)
       INSERT INTO status_changes (subject_type, subject_id, actor_id, actor_role, from_status, to_status) SELECT 'offer', id, $1, 'donor', NULL, 'open' FROM o`,
      [donorId, HEAVY, SEEDED_OFFERS],
    );
    await db.query(
      `INSERT INTO needs (house_id, category_code, title, quantity, urgency)
       SELECT h.id, $1, 'Seeded need ' || g, 200, 'normal' FROM houses h CROSS JOIN generate_series(1, 10) g WHERE h.slug IN ('hejmo', 'olivier')`,
      [HEAVY],
    );
  }, 120_000);

  afterAll(async () => {
    await traffic?.stop();
    await Promise.all([api?.kill(), worker?.kill()]);
    await inspector?.obliterate();
    await inspector?.close();
    await db?.destroy();
  });

  /** Donors offer, houses accept proposals, volunteers claim pickups: all through the API, until stopped. */
  function load() {
    let running = true;
    const statuses: Record<string, number> = {};
    const count = (what: string, status: number) => (statuses[`${what} ${status}`] = (statuses[`${what} ${status}`] ?? 0) + 1);
    const categories = [HEAVY, 'clothing-linen', 'toys-crafts'];
    const offering = (async () => {
      for (let i = 0; running; i++) {
        const res = await http(api.url, 'POST', '/api/offers', { token: who.donors[i % who.donors.length], body: offerBody(categories[i % 3], `Load offer ${i}`) });
        count('offer', res.status);
        await pause(60);
      }
    })();
    const accepting = (async () => {
      while (running) {
        for (const house of ['hejmo', 'olivier'] as const) {
          const proposals = (await http(api.url, 'GET', '/api/matches?status=proposed&limit=3', { token: who.coordinators[house] })).body?.items ?? [];
          for (const proposal of proposals) {
            const { status } = await http(api.url, 'POST', `/api/matches/${proposal.id}/accept`, { token: who.coordinators[house] });
            // A proposal that a better offer's placement superseded after the list was read is gone: its
            // 409 is the right answer. Any other 409 still counts against the product.
            const gone = status === 409 && (await http(api.url, 'GET', `/api/matches/${proposal.id}`, { token: who.coordinators[house] })).body?.status === 'cancelled';
            count(gone ? 'superseded before accept' : 'accept', status);
          }
        }
        await pause(300);
      }
    })();
    const claiming = (async () => {
      while (running) {
        const open = (await http(api.url, 'GET', '/api/pickups?status=unassigned', { token: volunteers[0] })).body?.items ?? [];
        for (const [i, token] of volunteers.entries()) {
          if (!open[i]) break;
          // A volunteer holds one pickup at a time in a window (409 afterwards): that is fine here.
          count('claim', (await http(api.url, 'POST', `/api/pickups/${open[i].id}/claim`, { token })).status);
        }
        await pause(500);
      }
    })();
    return {
      statuses,
      stop: async () => {
        running = false;
        await Promise.all([offering, accepting, claiming]);
      },
    };
  }

  it(`survives ${KILLS} SIGKILLs of its worker during jobs, and a new worker finishes everything once`, async () => {
    worker = await startWorker();
    traffic = load();
    // The flow is under way before the first kill: proposals accepted, a pickup claimed (a reminder).
    const { statuses: seen } = traffic;
    await until('a first claim', async () => seen['claim 200'] ?? 0, (n) => n > 0, 60_000, 100);
    const stranded: Array<{ queue: string; id: string }> = [];
    let kills = 0;
    let lastKillAt = 0;
    for (let attempt = 0; kills < KILLS; attempt++) {
      if (attempt >= KILLS * 3) throw new Error(`only ${kills} of ${attempt} kills caught a job in progress`);
      const since = worker.startedAt;
      // Up to the lock expiry and two stalled checks: while a dead worker's optimisation of a
      // category is stranded, later ones of that category wait behind it (deduplication).
      await until('the worker to hold a job', () => inspector.activeSince(since), (jobs) => jobs.length > 0, 120_000, 5);
      await worker.stop('SIGKILL');
      lastKillAt = Date.now();
      // What the dead worker held stays active (its lock runs out) until a live worker takes it back.
      const held = await inspector.activeSince(since);
      if (held.length > 0) kills++;
      stranded.push(...held.map((job) => ({ queue: job.queueName, id: job.id as string })));
      figure(`SIGKILL ${attempt + 1}`, `${held.length} job(s) cut in the middle: ${held.map((job) => job.name).join(', ') || 'none'}`);
      worker = await startWorker();
    }
    await pause(1_000); // a little more traffic for the last worker
    const { statuses } = traffic;
    await traffic.stop();
    traffic = undefined;
    figure('traffic during the kills', JSON.stringify(statuses));
    expect(Object.keys(statuses).filter((key) => /^(offer|accept) (?!20[01])/.test(key) || / 5\d\d$/.test(key))).toEqual([]);
    expect(statuses['accept 200']).toBeGreaterThan(0);
    expect(statuses['claim 200']).toBeGreaterThan(0);

    // BullMQ hands a dead worker's job to another once its lock expires (30 s) and a stalled check sees it.
    await until('the last worker to finish the work', () => settled(db, inspector), Boolean, 150_000, 250);
    figure('from the last SIGKILL to all work done', `${Date.now() - lastKillAt} ms`);
    for (const job of stranded) expect(`${job.id}: ${await inspector.state(job.queue as never, job.id)}`).toBe(`${job.id}: completed`);
    expect(await lostOrDoubled(db, inspector)).toEqual([]);
    const [{ offers, proposals }] = await db.query(
      `SELECT count(*)::int AS offers, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM matches m WHERE m.offer_id = o.id))::int AS proposals FROM offers o`,
    );
    figure('offers, offers with a match', `${offers}, ${proposals}`);
  }, 480_000);

  it('ends with every invariant holding (npm run check:consistency)', () => {
    const { status, stdout } = checkConsistency(databaseUrl);
    expect(stdout).not.toContain('FAIL');
    expect(status).toBe(0);
  });
});
