import { DataSource } from 'typeorm';
import { AppProcess, http, HttpResult, until } from '../helpers/app-process';
import { TcpProxy } from '../helpers/tcp-proxy';
import { checkConsistency, figure, lostOrDoubled, offerBody, People, proposalOf, proxiedStack, ProxiedStack, QueueInspector, settled } from './support';

/**
 * PostgreSQL's connections drop under an API process and a worker process (a proxy between them
 * and PostgreSQL is cut): every request answers 503, never 500 and never hangs; /health names the
 * database; and both processes recover by themselves when the connections can be made again.
 */
describe('faults: the PostgreSQL connection drops', () => {
  let proxy: TcpProxy;
  let api: AppProcess;
  let worker: AppProcess;
  let inspector: QueueInspector;
  let db: DataSource;
  let databaseUrl: string;
  let who: People;

  let stack: ProxiedStack | undefined;

  beforeAll(async () => {
    stack = await proxiedStack('postgres', ['school-supplies']);
    ({ proxy, api, worker, inspector, db, databaseUrl, who } = stack);
  });

  afterAll(() => stack?.close());

  /** Requests of every kind: public and authenticated reads, a write, a login. */
  const requests = () => {
    const [donor] = who.donors;
    return Promise.all([
      http(api.url, 'GET', '/api/needs?house=hejmo'),
      http(api.url, 'GET', '/api/offers', { token: donor }),
      http(api.url, 'GET', '/api/me', { token: donor }),
      http(api.url, 'POST', '/api/offers', { token: donor, body: offerBody('school-supplies', 'Crayons during the outage') }),
      http(api.url, 'POST', '/api/auth/login', { body: { email: 'nobody@example.be', password: 'a-long-enough-password' } }),
      http(api.url, 'GET', '/api/notifications', { token: who.coordinators.hejmo }),
    ]);
  };

  const expectUnavailable = (answers: HttpResult[]) => {
    for (const res of answers) {
      expect({ status: res.status, error: res.error }).toEqual({ status: 503, error: undefined });
      expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.any(String) });
      // Neither the address nor the driver's words reach the client.
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONN|postgres|terminated|stack/i);
    }
  };

  it('answers 503 (never 500) while the connections are reset, names the database in /health, and recovers by itself', async () => {
    const [donor] = who.donors;
    const before = (await http(api.url, 'POST', '/api/offers', { token: donor, body: offerBody('school-supplies', 'Crayons before') })).body;
    await proposalOf(api.url, who.admin, before.id);

    proxy.cut();
    const cutAt = Date.now();
    // The first round meets pooled connections that just died; the later ones, refused new ones.
    for (let round = 0; round < 3; round++) expectUnavailable(await requests());
    const health = await http(api.url, 'GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } }, info: { redis: { status: 'up' } } });
    expect(api.running && worker.running).toBe(true);
    figure('PostgreSQL outage (connections reset)', `${Date.now() - cutAt} ms`);

    proxy.restore();
    const restoredAt = Date.now();
    const after = await until(
      'an offer to be accepted again',
      () => http(api.url, 'POST', '/api/offers', { token: donor, body: offerBody('school-supplies', 'Crayons after') }),
      (res) => res.status === 201,
      30_000,
      100,
    );
    figure('from PostgreSQL back to the first 201', `${Date.now() - restoredAt} ms`);
    await until('/health to say all is up', () => http(api.url, 'GET', '/health'), (res) => res.status === 200);
    // The worker recovered too: the relay moves the new rows and the matching proposes the offer.
    await proposalOf(api.url, who.admin, after.body.id, 30_000);
    figure('from PostgreSQL back to a proposal for a new offer', `${Date.now() - restoredAt} ms`);
    expect(api.logged(/"statusCode":500|"status":500/)).toEqual([]);
  });

  it('answers 503 within the connect timeout when PostgreSQL does not answer at all', async () => {
    proxy.cut({ hang: true });
    const answers = await requests();
    expectUnavailable(answers);
    const slowest = Math.max(...answers.map((res) => res.endedAt - res.startedAt));
    figure('slowest 503 while PostgreSQL hangs', `${slowest} ms`);
    expect(slowest).toBeLessThan(10_000);
    proxy.restore();
    await until('/health to say all is up', () => http(api.url, 'GET', '/health'), (res) => res.status === 200, 30_000, 100);
  });

  it('loses and doubles nothing, and ends with every invariant holding (npm run check:consistency)', async () => {
    await until('the queues to drain', () => settled(db, inspector), Boolean, 60_000, 100);
    expect(await lostOrDoubled(db, inspector)).toEqual([]);
    const { status, stdout } = checkConsistency(databaseUrl);
    expect(stdout).not.toContain('FAIL');
    expect(status).toBe(0);
  });
});
