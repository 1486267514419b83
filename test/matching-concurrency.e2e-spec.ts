import fc from 'fast-check';
import { Account, Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { findViolations } from '../src/database/consistency';
import { startApp, TestApp } from './helpers/test-app';

const HOUSES = ['chantevent', 'simbahuis', 'hejmo', 'olivier'] as const;
const CATEGORIES = ['toys-crafts', 'childcare'] as const;

type Command =
  | { kind: 'need'; house: number; category: number; quantity: number; urgency: 'low' | 'normal' | 'high' | 'urgent' }
  | { kind: 'offer'; donor: number; category: number; quantity: number }
  | { kind: 'accept' | 'decline' | 'withdraw' | 'cancel' | 'change-need' | 'change-offer'; pick: number; quantity: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('need' as const),
    house: fc.nat(3),
    category: fc.nat(1),
    quantity: fc.integer({ min: 1, max: 8 }),
    urgency: fc.constantFrom('low' as const, 'normal' as const, 'high' as const, 'urgent' as const),
  }),
  fc.record({ kind: fc.constant('offer' as const), donor: fc.nat(2), category: fc.nat(1), quantity: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constantFrom('accept' as const, 'decline' as const, 'withdraw' as const, 'cancel' as const, 'change-need' as const, 'change-offer' as const),
    pick: fc.nat(1000),
    quantity: fc.integer({ min: 1, max: 8 }),
  }),
);

/**
 * Random bursts of creates, decisions, withdrawals, cancellations and changes, sent at the
 * same time while the workers re-optimise; afterwards the invariants are checked in SQL.
 */
describe('matching invariants under concurrency', () => {
  let t: TestApp;
  let api: Api;
  let coordinators: Account[];
  let donors: Account[];
  let admin: string;

  beforeAll(async () => {
    t = await startApp({}, { jobs: true });
    api = new Api(t.app);
    coordinators = [];
    for (const house of HOUSES) coordinators.push(await coordinator(api, house));
    donors = [await register(api, 'donor'), await register(api, 'donor'), await register(api, 'donor')];
    admin = await api.adminToken();
  });
  afterAll(() => t.close());

  const succeeded = new Map<string, number>();

  async function run(cmd: Command): Promise<number> {
    const status = await send(cmd);
    if (status >= 200 && status < 300) succeeded.set(cmd.kind, (succeeded.get(cmd.kind) ?? 0) + 1);
    return status;
  }

  async function send(cmd: Command): Promise<number> {
    const pickFrom = async (sql: string) => {
      const rows: Array<{ id: string; owner?: string }> = await t.db.query(sql);
      return rows.length ? rows[(cmd as { pick: number }).pick % rows.length] : undefined;
    };
    switch (cmd.kind) {
      case 'need': {
        const body = needBody({ houseSlug: HOUSES[cmd.house], categoryCode: CATEGORIES[cmd.category], quantity: cmd.quantity, urgency: cmd.urgency });
        return (await api.post('/api/needs', body, coordinators[cmd.house].token)).status;
      }
      case 'offer':
        return (await api.post('/api/offers', offerBody({ categoryCode: CATEGORIES[cmd.category], quantity: cmd.quantity }), donors[cmd.donor].token)).status;
      case 'accept':
      case 'decline': {
        const match = await pickFrom(`SELECT id FROM matches WHERE status = 'proposed' ORDER BY id`);
        return match ? (await api.post(`/api/matches/${match.id}/${cmd.kind}`, {}, admin)).status : 0;
      }
      case 'withdraw': {
        const offer = await pickFrom(`SELECT id FROM offers WHERE status IN ('open', 'allocated') ORDER BY id`);
        return offer ? (await api.post(`/api/offers/${offer.id}/withdraw`, {}, admin)).status : 0;
      }
      case 'cancel': {
        const need = await pickFrom(`SELECT id FROM needs WHERE status = 'open' ORDER BY id`);
        return need ? (await api.post(`/api/needs/${need.id}/cancel`, {}, admin)).status : 0;
      }
      case 'change-need': {
        const need = await pickFrom(`SELECT id FROM needs WHERE status = 'open' ORDER BY id`);
        return need ? (await api.patch(`/api/needs/${need.id}`, { quantity: cmd.quantity }, admin)).status : 0;
      }
      case 'change-offer': {
        const offer = await pickFrom(`SELECT id FROM offers WHERE status IN ('open', 'allocated') ORDER BY id`);
        return offer ? (await api.patch(`/api/offers/${offer.id}`, { quantity: cmd.quantity }, admin)).status : 0;
      }
    }
  }

  const violations = () => findViolations(t.db);

  it('keeps every quantity within bounds and consistent, whatever runs at the same time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(command, { minLength: 4, maxLength: 10 }), { minLength: 3, maxLength: 5 }), async (bursts) => {
        for (const burst of bursts) {
          const statuses = await Promise.all(burst.map(run));
          expect(statuses.filter((status) => status >= 500)).toEqual([]);
          expect(statuses.filter((status) => ![0, 200, 201, 404, 409].includes(status))).toEqual([]);
        }
        await t.drain();
        expect(await violations()).toEqual([]);
      }),
      { seed: 20261129, numRuns: 8, endOnFailure: true },
    );
    const [{ proposed, accepted }] = await t.db.query(
      `SELECT count(*) FILTER (WHERE status = 'proposed')::int AS proposed, count(*) FILTER (WHERE status = 'accepted')::int AS accepted FROM matches`,
    );
    // The runs must have exercised the engine, not only bounced off empty tables.
    expect(proposed + accepted).toBeGreaterThan(0);
    expect(Math.min(...['accept', 'decline', 'withdraw', 'cancel'].map((kind) => succeeded.get(kind) ?? 0))).toBeGreaterThan(0);
  }, 120_000);
});
