import ICAL from 'ical.js';
import { Account, Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { acceptedPickup as scheduled } from './helpers/flows';
import { startApp, TestApp } from './helpers/test-app';


describe('pickups through the API and the real queues', () => {
  let t: TestApp;
  let api: Api;
  let hejmo: Account;
  let donor: Account;
  let vanDriver: Account;
  let carDriver: Account;
  let farDriver: Account;

  beforeAll(async () => {
    t = await startApp({}, { jobs: true });
    api = new Api(t.app);
    hejmo = await coordinator(api, 'hejmo');
    donor = await register(api, 'donor', { phone: '+32 470 55 44 33' });
    vanDriver = await register(api, 'volunteer', { vehicle: 'van', postcode: '1930', town: 'Zaventem' });
    carDriver = await register(api, 'volunteer', { vehicle: 'car', postcode: '1000', town: 'Brussel' });
    farDriver = await register(api, 'volunteer', { vehicle: 'van', postcode: '8400', town: 'Oostende' });
  });
  afterAll(() => t.close());

  /** A need, a matching offer, its proposal accepted: answers the scheduled pickup. */
  const acceptedPickup = (options: { size?: string; availability?: Array<{ from: string; to: string }>; quantity?: number } = {}) =>
    scheduled(t, api, hejmo, donor, {
      need: { quantity: options.quantity ?? 2 },
      offer: {
        quantity: options.quantity ?? 2,
        ...(options.size ? { size: options.size } : {}),
        ...(options.availability ? { availability: options.availability } : {}),
      },
    });

  it('carries an offer from acceptance to delivery: window, volunteers, claim, reminder, collection, fulfilment', async () => {
    const { need, offer, pickup } = await acceptedPickup();
    // Thursday 3 December, the earliest 3 hours inside both the donor's availability and the house's hours.
    expect(pickup).toMatchObject({
      status: 'unassigned',
      houseSlug: 'hejmo',
      offerId: offer.id,
      size: 'large',
      windowStart: '2026-12-03T08:00:00.000Z',
      windowEnd: '2026-12-03T11:00:00.000Z',
      items: [expect.objectContaining({ title: 'Bunk bed', quantity: 2 })],
    });
    expect((await api.get('/api/notifications', donor.token)).body.items[0]).toMatchObject({ kind: 'pickup-scheduled' });

    // Only volunteers with a van within 40 km were told, and see it, without the street.
    const told = async (who: Account) => (await api.get('/api/notifications', who.token)).body.items.some((n: { kind: string; data: { pickupId: string } }) => n.kind === 'pickup-available' && n.data.pickupId === pickup.id);
    expect(await told(vanDriver)).toBe(true);
    expect(await told(carDriver)).toBe(false);
    expect(await told(farDriver)).toBe(false);
    const listed = (await api.get('/api/pickups?status=unassigned', vanDriver.token)).body.items.find((p: { id: string }) => p.id === pickup.id);
    expect(listed).toMatchObject({ pickupArea: { postcode: '1950', town: 'Kraainem' } });
    expect(listed.distanceKm).toBeLessThan(10);
    expect(listed.pickupAddress).toBeUndefined();
    expect((await api.get('/api/pickups?status=unassigned', carDriver.token)).body.items.map((p: { id: string }) => p.id)).not.toContain(pickup.id);

    // A car cannot take a large pickup; the van can, and then sees the address.
    expect((await api.post(`/api/pickups/${pickup.id}/claim`, {}, carDriver.token)).body).toMatchObject({ statusCode: 403, code: 'VEHICLE_TOO_SMALL' });
    const claimed = await api.post(`/api/pickups/${pickup.id}/claim`, {}, vanDriver.token);
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'assigned', volunteerId: vanDriver.id, pickupAddress: { street: 'Kerkstraat 12', phone: '+32 470 55 44 33' } });
    expect((await api.get(`/api/pickups/${pickup.id}`, farDriver.token)).status).toBe(404);

    // The reminder is due on Wednesday 2 December at 18:00: the clock is before it, the job waits.
    await t.drain();
    const reminded = async (who: Account) => (await api.get('/api/notifications', who.token)).body.items.filter((n: { kind: string }) => n.kind === 'pickup-reminder').length;
    expect(await reminded(vanDriver)).toBe(0);

    const calendar = await api.request('GET', '/api/pickups/mine.ics', { token: vanDriver.token });
    expect(calendar.status).toBe(200);
    expect(String(calendar.headers['content-type'])).toContain('text/calendar');
    const events = new ICAL.Component(ICAL.parse(calendar.body as string)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    expect(events).toHaveLength(1);
    expect(events[0].uid).toBe(`pickup-${pickup.id}@inkind`);
    expect(events[0].location).toContain('Kerkstraat 12');
    expect(events[0].startDate.toJSDate().toISOString()).toBe('2026-12-03T08:00:00.000Z');
    expect(events[0].endDate.toJSDate().toISOString()).toBe('2026-12-03T11:00:00.000Z');
    // Instants in UTC: 09:00-12:00 in Brussels, whatever the reader's own time zone.
    expect(calendar.body).toMatch(/^DTSTART:20261203T080000Z\r?$/m);
    expect(calendar.body).toMatch(/^X-WR-TIMEZONE:Europe\/Brussels\r?$/m);

    // A calendar app subscribes with the key of the link, without a token; a forged key opens nothing.
    const link = (await api.get('/api/pickups/mine/calendar-link', vanDriver.token)).body.path as string;
    const subscribed = await api.request('GET', link);
    expect(subscribed.status).toBe(200);
    expect(subscribed.body).toBe(calendar.body);
    const forged = link.replace(/key=([^.]+)\.[^&]+/, 'key=$1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await api.request('GET', forged)).status).toBe(401);
    const someoneElse = link.replace(/key=[^.]+/, `key=${carDriver.id}`);
    expect((await api.request('GET', someoneElse)).status).toBe(401);

    expect((await api.post(`/api/pickups/${pickup.id}/collected`, {}, vanDriver.token)).body.status).toBe('collected');
    // The volunteer's own list narrows to what is still to do.
    const ids = async (query: string) => (await api.get(`/api/pickups/mine${query}`, vanDriver.token)).body.items.map((p: { id: string }) => p.id);
    expect(await ids('?status=collected')).toContain(pickup.id);
    expect(await ids('?status=assigned')).not.toContain(pickup.id);
    expect((await api.get('/api/pickups/mine?status=lost', vanDriver.token)).status).toBe(400);
    const delivered = await api.post(`/api/pickups/${pickup.id}/delivered`, {}, hejmo.token);
    expect(delivered.body.status).toBe('delivered');
    expect((await api.post(`/api/pickups/${pickup.id}/delivered`, {}, vanDriver.token)).body.status).toBe('delivered');
    expect((await api.get(`/api/needs/${need.id}`)).body).toMatchObject({ status: 'fulfilled', quantityDelivered: 2 });
    expect((await api.get(`/api/offers/${offer.id}`, donor.token)).body).toMatchObject({ status: 'closed', quantityDelivered: 2 });
    const thanks = (await api.get('/api/notifications', donor.token)).body.items[0];
    expect(thanks).toMatchObject({ kind: 'pickup-delivered' });
    expect(thanks.message.nl).toContain('Opvanghuis Hejmo');
    const after = (await api.request('GET', '/api/pickups/mine.ics', { token: vanDriver.token })).body as string;
    expect(after).toContain('1950 Kraainem');
    expect(after).not.toContain('Kerkstraat');
    expect(after).not.toContain('55 44 33');
    expect((await api.get(`/api/pickups/${pickup.id}/history`, hejmo.token)).body.map((c: { to: string }) => c.to)).toEqual([
      'unassigned',
      'assigned',
      'collected',
      'delivered',
    ]);
  });

  it('gives one claim out of 20 at the same time, and refuses overlapping claims by one volunteer', async () => {
    const { pickup } = await acceptedPickup({ size: 'small' });
    const volunteers = await Promise.all(Array.from({ length: 20 }, () => register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' })));
    const results = await Promise.all(volunteers.map((v) => api.post(`/api/pickups/${pickup.id}/claim`, {}, v.token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
    const winner = volunteers[results.findIndex((r) => r.status === 200)];

    const second = (await acceptedPickup({ size: 'small' })).pickup;
    expect(second.windowStart).toBe(pickup.windowStart);
    const overlap = await api.post(`/api/pickups/${second.id}/claim`, {}, winner.token);
    expect(overlap.body).toMatchObject({ statusCode: 409, code: 'PICKUP_OVERLAPS' });

    // Releasing puts it back and offers it again.
    const released = await api.post(`/api/pickups/${pickup.id}/release`, {}, winner.token);
    expect(released.body).toMatchObject({ status: 'unassigned', volunteerId: null });
    expect((await api.post(`/api/pickups/${second.id}/claim`, {}, winner.token)).status).toBe(200);
  });

  it('reminds the volunteer and the donor once, the evening before', async () => {
    const { pickup } = await acceptedPickup({ size: 'small' });
    const volunteer = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });
    t.clock.set('2026-12-02T18:30:00+01:00'); // past 18:00 the day before: the reminder goes at once
    try {
      expect((await api.post(`/api/pickups/${pickup.id}/claim`, {}, volunteer.token)).status).toBe(200);
      await t.drain();
      const reminders = await t.db.query(`SELECT user_id FROM notifications WHERE kind = 'pickup-reminder' AND data->>'pickupId' = $1 ORDER BY user_id`, [pickup.id]);
      expect(reminders.map((r: { user_id: string }) => r.user_id).sort()).toEqual([volunteer.id, donor.id].sort());
      const { PickupsService } = await import('../src/modules/pickups/pickups.service');
      expect(await t.app.get(PickupsService).sendReminder(pickup.id, pickup.windowStart)).toBe(0);
    } finally {
      t.clock.set('2026-12-01T09:00:00+01:00');
    }
  });

  it('asks the donor for availability when none is left, and schedules once it is added', async () => {
    const { offer, pickup } = await acceptedPickup({ size: 'small', availability: [{ from: '2026-12-01T10:00:00+01:00', to: '2026-12-01T20:00:00+01:00' }] });
    expect(pickup).toMatchObject({ windowStart: null, windowEnd: null });
    expect((await api.get('/api/notifications', donor.token)).body.items[0]).toMatchObject({ kind: 'availability-needed' });
    await api.patch(`/api/offers/${offer.id}`, { availability: [{ from: '2026-12-05T10:00:00+01:00', to: '2026-12-05T12:00:00+01:00' }] }, donor.token);
    await t.drain();
    const scheduled = (await api.get(`/api/pickups/${pickup.id}`, hejmo.token)).body;
    expect(scheduled).toMatchObject({ windowStart: '2026-12-05T09:00:00.000Z', windowEnd: '2026-12-05T11:00:00.000Z' });
  });

  it('escalates an unclaimed pickup 48 h ahead once, and reschedules a missed one', async () => {
    const { pickup } = await acceptedPickup({
      size: 'small',
      availability: [
        { from: '2026-12-03T09:00:00+01:00', to: '2026-12-03T11:00:00+01:00' },
        { from: '2026-12-07T14:00:00+01:00', to: '2026-12-07T16:00:00+01:00' },
      ],
    });
    const { PickupsService } = await import('../src/modules/pickups/pickups.service');
    const service = t.app.get(PickupsService);
    expect((await service.escalate()).escalated).toBeGreaterThan(0);
    await service.escalate();
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'pickup-unclaimed' AND data->>'pickupId' = $1 AND user_id = $2`, [pickup.id, hejmo.id]);
    expect(n).toBe(1);

    t.clock.set('2026-12-03T12:00:00+01:00');
    try {
      await service.escalate();
      const moved = (await api.get(`/api/pickups/${pickup.id}`, hejmo.token)).body;
      expect(moved).toMatchObject({ status: 'unassigned', windowStart: '2026-12-07T13:00:00.000Z' });
      expect((await api.get('/api/notifications', hejmo.token)).body.items.map((n: { kind: string }) => n.kind)).toContain('pickup-missed');
    } finally {
      t.clock.set('2026-12-01T09:00:00+01:00');
    }
  });

  it('declines the matches when the goods are not as described, and the quantity is matched again', async () => {
    const { need, pickup } = await acceptedPickup({ size: 'small' });
    const volunteer = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });
    await api.post(`/api/pickups/${pickup.id}/claim`, {}, volunteer.token);
    const failed = await api.post(`/api/pickups/${pickup.id}/failed`, { reason: 'goods-not-as-described', note: 'Broken' }, volunteer.token);
    expect(failed.body.status).toBe('cancelled');
    await t.drain();
    expect((await api.get(`/api/needs/${need.id}`)).body.quantityAllocated).toBe(0);
    expect((await api.post(`/api/pickups/${pickup.id}/failed`, { reason: 'lost' }, volunteer.token)).status).toBe(400);
  });


  it('joins a released pickup to the open one of the same offer and house', async () => {
    await api.post('/api/needs', needBody({ categoryCode: 'clothing-linen', title: 'Coats', quantity: 12 }), hejmo.token);
    const offer = (await api.post('/api/offers', offerBody({ categoryCode: 'clothing-linen', title: 'Coats', quantity: 10, size: 'small' }), donor.token)).body;
    await t.drain();
    const [first] = (await api.get(`/api/matches?offerId=${offer.id}&status=proposed`, hejmo.token)).body.items;
    await api.post(`/api/matches/${first.id}/accept`, {}, hejmo.token);
    await t.drain();
    const [claimed] = (await api.get('/api/pickups?status=unassigned', hejmo.token)).body.items.filter((p: { items: Array<{ matchId: string }> }) =>
      p.items.some((i) => i.matchId === first.id),
    );
    const volunteer = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });
    expect((await api.post(`/api/pickups/${claimed.id}/claim`, {}, volunteer.token)).status).toBe(200);

    // The donor finds two more coats; the house accepts them while the first pickup is claimed: a second pickup opens.
    await api.patch(`/api/offers/${offer.id}`, { quantity: 12 }, donor.token);
    await t.drain();
    const [second] = (await api.get(`/api/matches?offerId=${offer.id}&status=proposed`, hejmo.token)).body.items;
    expect(second.quantity).toBe(2);
    await api.post(`/api/matches/${second.id}/accept`, {}, hejmo.token);
    await t.drain();
    const [open] = (await api.get('/api/pickups?status=unassigned', hejmo.token)).body.items.filter((p: { items: Array<{ matchId: string }> }) =>
      p.items.some((i) => i.matchId === second.id),
    );
    expect(open.id).not.toBe(claimed.id);

    const released = await api.post(`/api/pickups/${claimed.id}/release`, {}, volunteer.token);
    expect(released.status).toBe(200);
    expect(released.body.status).toBe('cancelled');
    const joined = (await api.get(`/api/pickups/${open.id}`, hejmo.token)).body;
    expect(joined.items.map((i: { matchId: string }) => i.matchId).sort()).toEqual([first.id, second.id].sort());
  });

  it('hands a leaving volunteer’s pickups back, but not goods in their car', async () => {
    const { pickup } = await acceptedPickup({ size: 'small' });
    const leaving = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });
    await api.post(`/api/pickups/${pickup.id}/claim`, {}, leaving.token);
    expect((await api.delete('/api/me', leaving.token)).status).toBe(204);
    expect((await api.get(`/api/pickups/${pickup.id}`, hejmo.token)).body).toMatchObject({ status: 'unassigned', volunteerId: null });

    const carrying = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });
    await api.post(`/api/pickups/${pickup.id}/claim`, {}, carrying.token);
    await api.post(`/api/pickups/${pickup.id}/collected`, {}, carrying.token);
    const refused = await api.delete('/api/me', carrying.token);
    expect(refused.body).toMatchObject({ statusCode: 409, code: 'PICKUP_IN_PROGRESS' });
    expect((await api.get('/api/me', carrying.token)).status).toBe(200);
  });

  it('plans a claimed pickup again when the donor is no longer there at its window, and tells the volunteer', async () => {
    const { offer, pickup } = await acceptedPickup({ size: 'small' });
    const volunteer = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });
    await api.post(`/api/pickups/${pickup.id}/claim`, {}, volunteer.token);
    await api.patch(`/api/offers/${offer.id}`, { availability: [{ from: '2026-12-08T14:00:00+01:00', to: '2026-12-08T17:00:00+01:00' }] }, donor.token);
    await t.drain();
    expect((await api.get(`/api/pickups/${pickup.id}`, hejmo.token)).body).toMatchObject({
      status: 'unassigned',
      volunteerId: null,
      windowStart: '2026-12-08T13:00:00.000Z',
    });
    const told = (await api.get('/api/notifications', volunteer.token)).body.items.map((n: { kind: string }) => n.kind);
    expect(told).toContain('pickup-withdrawn');
  });
});
