import { Account, Api, coordinator, register } from './helpers/api';
import { acceptedPickup } from './helpers/flows';
import { startApp, TestApp } from './helpers/test-app';

const DAY = 24 * 3_600_000;

/** A week of availability starting two days from the clock's now: it always holds a weekday the houses receive on. */
const nextWeek = (now: Date) => [{ from: new Date(now.getTime() + 2 * DAY).toISOString(), to: new Date(now.getTime() + 9 * DAY).toISOString() }];

describe('impact of a house and the pipeline of the whole service', () => {
  let t: TestApp;
  let api: Api;
  let hejmo: Account;
  let olivier: Account;
  let donor: Account;
  let driver: Account;
  let admin: string;

  beforeAll(async () => {
    t = await startApp({}, { jobs: true });
    // Deliveries are dated by the database; the clock that bounds "this month" must agree with it.
    t.clock.set(new Date());
    api = new Api(t.app);
    hejmo = await coordinator(api, 'hejmo');
    olivier = await coordinator(api, 'olivier');
    donor = await register(api, 'donor');
    driver = await register(api, 'volunteer', { vehicle: 'van', postcode: '1930', town: 'Zaventem' });
    admin = await api.adminToken();
  });
  afterAll(() => t.close());

  it('counts the units a house received this month and this year per category, and only its own', async () => {
    const empty = await api.get('/api/matches/impact', hejmo.token);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ houseSlug: 'hejmo', categories: [] });
    const monthStart = new Date(empty.body.monthStart);
    expect(monthStart.getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
    // Midnight in Brussels is 23:00 or 22:00 UTC the day before.
    expect([22, 23]).toContain(monthStart.getUTCHours());
    expect(new Date(empty.body.yearStart).getTime()).toBeLessThanOrEqual(monthStart.getTime());

    const { pickup } = await acceptedPickup(t, api, hejmo, donor, {
      need: { quantity: 3 },
      offer: { quantity: 3, availability: nextWeek(t.clock.now()) },
    });
    expect((await api.post(`/api/pickups/${pickup.id}/claim`, {}, driver.token)).status).toBe(200);
    // Not received yet: an accepted proposal counts for nothing.
    expect((await api.get('/api/matches/impact', hejmo.token)).body.categories).toEqual([]);
    expect((await api.post(`/api/pickups/${pickup.id}/delivered`, {}, driver.token)).status).toBe(200);

    const received = await api.get('/api/matches/impact', hejmo.token);
    expect(received.body.categories).toEqual([{ categoryCode: 'furniture-appliances', month: 3, year: 3 }]);
    expect((await api.get('/api/matches/impact', olivier.token)).body).toMatchObject({ houseSlug: 'olivier', categories: [] });
    expect((await api.get('/api/matches/impact?house=hejmo', olivier.token)).status).toBe(403);
    expect((await api.get('/api/matches/impact?house=hejmo', admin)).body.categories).toEqual([{ categoryCode: 'furniture-appliances', month: 3, year: 3 }]);
    expect((await api.get('/api/matches/impact?house=nowhere', admin)).status).toBe(404);

    // Next year the month and the year start again from nothing.
    t.clock.set(new Date(`${new Date().getUTCFullYear() + 1}-02-01T12:00:00Z`));
    expect((await api.get('/api/matches/impact', hejmo.token)).body.categories).toEqual([]);
    t.clock.set(new Date());
  });

  it('counts needs, offers, matches and pickups per status for the admin, every status present', async () => {
    const before = (await api.get('/api/pipeline', admin)).body;
    expect(Object.keys(before.pickups).sort()).toEqual(['assigned', 'cancelled', 'collected', 'delivered', 'unassigned']);
    expect(Object.keys(before.offers).sort()).toEqual(['allocated', 'closed', 'expired', 'open', 'withdrawn']);

    await acceptedPickup(t, api, olivier, donor, {
      need: { houseSlug: 'olivier', quantity: 1 },
      offer: { quantity: 1, pickupAddress: { street: 'Rue Haute 3', postcode: '4460', town: 'Grâce-Hollogne' }, availability: nextWeek(t.clock.now()) },
    });
    const after = (await api.get('/api/pipeline', admin)).body;
    expect(after.pickups.unassigned).toBe(before.pickups.unassigned + 1);
    expect(after.matches.accepted).toBe(before.matches.accepted + 1);
    expect(after.offers.allocated).toBe(before.offers.allocated + 1);
    expect(after.needs.open).toBe(before.needs.open + 1);
    expect((await api.get('/api/pipeline', olivier.token)).status).toBe(403);
  });
});
