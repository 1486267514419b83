import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { findViolations } from '../src/database/consistency';
import { Api, offerBody, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

describe('npm run check:consistency', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({}, { ownDatabase: true });
  });
  afterAll(() => t.close());

  const run = () =>
    spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/check-consistency.ts'], {
      cwd: resolve(__dirname, '..'),
      env: { ...process.env, DATABASE_URL: (t.db.options as { url: string }).url, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('passes on consistent data and names each broken invariant', async () => {
    const api = new Api(t.app);
    const donor = await register(api, 'donor');
    const offer = (await api.post('/api/offers', offerBody(), donor.token)).body;
    await t.db.query(`UPDATE outbox SET sent_at = now()`);
    expect(await findViolations(t.db)).toEqual([]);
    const ok = run();
    expect(ok.status).toBe(0);
    expect(ok.stdout).not.toContain('FAIL');

    // An allocation without matches, and an outbox row stuck for an hour.
    await t.db.query(`UPDATE offers SET quantity_allocated = 3 WHERE id = $1`, [offer.id]);
    await t.db.query(`INSERT INTO outbox (queue, job_name, payload, created_at) VALUES ('matching', 'optimise-category', '{}', now() - interval '1 hour')`);
    const found = await findViolations(t.db);
    expect(found.map((v) => v.check).sort()).toEqual([
      'offer or need promised beyond its quantity, or allocated/delivered not the sum of its matches',
      'outbox row not relayed for more than a minute',
    ]);
    expect(found.find((v) => v.id === offer.id)?.detail).toContain('allocated 3 (matches 0)');
    const failed = run();
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/^FAIL outbox row not relayed for more than a minute: 1$/m);
  }, 90_000);
});
