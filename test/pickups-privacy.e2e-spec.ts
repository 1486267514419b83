import { Account, Api, coordinator, register } from './helpers/api';
import { acceptedPickup } from './helpers/flows';
import { startApp, TestApp } from './helpers/test-app';

/**
 * Who sees where a pickup is: the street and the donor's phone go only to the assigned volunteer,
 * the house's coordinator, the donor and admins. Everyone else sees the postcode and town at most.
 */
describe('pickup addresses, role by role', () => {
  const STREET = 'Privacystraat 77';
  const PHONE = '+32 470 98 76 54';
  const AREA = { postcode: '1950', town: 'Kraainem' };

  let t: TestApp;
  let api: Api;
  let admin: string;
  let hejmo: Account;
  let olivier: Account;
  let donor: Account;
  let otherDonor: Account;
  let volunteer: Account;
  let otherVolunteer: Account;
  let pickupId: string;
  let matchId: string;

  /** The raw response text, before any parsing, with its status. */
  async function raw(url: string, token?: string): Promise<{ status: number; text: string }> {
    const res = await t.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.statusCode, text: res.body };
  }

  async function expectNoAddressIn(url: string, token?: string): Promise<number> {
    const { status, text } = await raw(url, token);
    expect(text).not.toContain('Privacystraat');
    expect(text).not.toContain('98 76 54');
    expect(text).not.toContain('pickupAddress');
    return status;
  }

  const listed = async (url: string, token: string) =>
    (await api.get(url, token)).body.items.find((p: { id: string }) => p.id === pickupId);

  beforeAll(async () => {
    t = await startApp({}, { jobs: true });
    api = new Api(t.app);
    admin = await api.adminToken();
    hejmo = await coordinator(api, 'hejmo');
    olivier = await coordinator(api, 'olivier');
    donor = await register(api, 'donor', { phone: PHONE });
    otherDonor = await register(api, 'donor', { phone: '+32 470 11 11 11' });
    volunteer = await register(api, 'volunteer', { vehicle: 'car', postcode: '1930', town: 'Zaventem' });
    otherVolunteer = await register(api, 'volunteer', { vehicle: 'car', postcode: '1950', town: 'Kraainem' });

    const { match, pickup } = await acceptedPickup(t, api, hejmo, donor, { offer: { size: 'small', pickupAddress: { street: STREET, ...AREA } } });
    expect(pickup).toMatchObject({ status: 'unassigned', windowStart: '2026-12-03T08:00:00.000Z', pickupArea: AREA });
    pickupId = pickup.id;
    matchId = match.id;
  });
  afterAll(() => t.close());

  const ADDRESS = { street: STREET, postcode: AREA.postcode, town: AREA.town, phone: PHONE };

  describe('while the pickup is unassigned', () => {
    it('shows the address to the house’s coordinator, the donor and an admin', async () => {
      for (const token of [hejmo.token, donor.token, admin]) {
        const res = await api.get(`/api/pickups/${pickupId}`, token);
        expect(res.status).toBe(200);
        expect(res.body.pickupAddress).toEqual(ADDRESS);
        expect((await listed('/api/pickups', token)).pickupAddress).toEqual(ADDRESS);
      }
    });

    it('shows every volunteer the area only, on the pickup and in the list', async () => {
      for (const who of [volunteer, otherVolunteer]) {
        const res = await api.get(`/api/pickups/${pickupId}`, who.token);
        expect(res.status).toBe(200);
        expect(res.body.pickupArea).toEqual(AREA);
        expect(res.body.pickupAddress).toBeUndefined();
        expect(await expectNoAddressIn(`/api/pickups/${pickupId}`, who.token)).toBe(200);

        const item = await listed('/api/pickups?status=unassigned', who.token);
        expect(item).toMatchObject({ id: pickupId, pickupArea: AREA });
        expect(item.pickupAddress).toBeUndefined();
        expect(await expectNoAddressIn('/api/pickups?status=unassigned', who.token)).toBe(200);
        expect(await expectNoAddressIn('/api/pickups', who.token)).toBe(200);
        expect(await expectNoAddressIn('/api/pickups/mine', who.token)).toBe(200);
        expect(await expectNoAddressIn(`/api/pickups/${pickupId}/history`, who.token)).toBe(200);
        expect(await expectNoAddressIn('/api/notifications', who.token)).toBe(200);
      }
    });

    it('hides the pickup from another house’s coordinator and another donor (404), and from anonymous callers (401)', async () => {
      for (const token of [olivier.token, otherDonor.token]) {
        expect(await expectNoAddressIn(`/api/pickups/${pickupId}`, token)).toBe(404);
        expect(await expectNoAddressIn(`/api/pickups/${pickupId}/history`, token)).toBe(404);
        expect(await expectNoAddressIn('/api/pickups', token)).toBe(200);
        expect(await listed('/api/pickups', token)).toBeUndefined();
      }
      for (const url of [`/api/pickups/${pickupId}`, '/api/pickups', '/api/pickups?status=unassigned', '/api/pickups/mine', '/api/matches']) {
        expect(await expectNoAddressIn(url)).toBe(401);
      }
    });
  });

  describe('once a volunteer has claimed it', () => {
    beforeAll(async () => {
      const claimed = await api.post(`/api/pickups/${pickupId}/claim`, {}, volunteer.token);
      expect(claimed.status).toBe(200);
      expect(claimed.body).toMatchObject({ status: 'assigned', volunteerId: volunteer.id, pickupAddress: ADDRESS });
      await t.drain();
    });

    it('shows the address to the assigned volunteer, on the pickup and among their pickups', async () => {
      const res = await api.get(`/api/pickups/${pickupId}`, volunteer.token);
      expect(res.status).toBe(200);
      expect(res.body.pickupAddress).toEqual(ADDRESS);
      expect((await listed('/api/pickups/mine', volunteer.token)).pickupAddress).toEqual(ADDRESS);
      // The volunteers' list holds unassigned pickups only.
      expect(await expectNoAddressIn('/api/pickups', volunteer.token)).toBe(200);
    });

    it('still shows it to the house’s coordinator, the donor and an admin', async () => {
      for (const token of [hejmo.token, donor.token, admin]) {
        expect((await api.get(`/api/pickups/${pickupId}`, token)).body.pickupAddress).toEqual(ADDRESS);
        expect((await listed('/api/pickups', token)).pickupAddress).toEqual(ADDRESS);
      }
      expect((await listed('/api/pickups?status=assigned', admin)).pickupAddress).toEqual(ADDRESS);
    });

    it('hides the pickup from another volunteer altogether', async () => {
      expect(await expectNoAddressIn(`/api/pickups/${pickupId}`, otherVolunteer.token)).toBe(404);
      expect(await expectNoAddressIn(`/api/pickups/${pickupId}/history`, otherVolunteer.token)).toBe(404);
      expect(await expectNoAddressIn('/api/pickups', otherVolunteer.token)).toBe(200);
      expect(await expectNoAddressIn('/api/pickups?status=unassigned', otherVolunteer.token)).toBe(200);
      expect(await expectNoAddressIn('/api/pickups/mine', otherVolunteer.token)).toBe(200);
      expect(await expectNoAddressIn('/api/notifications', otherVolunteer.token)).toBe(200);
      expect((await api.post(`/api/pickups/${pickupId}/claim`, {}, otherVolunteer.token)).status).toBe(409);
      expect(await expectNoAddressIn(`/api/pickups/${pickupId}`, otherVolunteer.token)).toBe(404);
    });

    it('still hides it from another house’s coordinator, another donor and anonymous callers', async () => {
      for (const token of [olivier.token, otherDonor.token]) {
        expect(await expectNoAddressIn(`/api/pickups/${pickupId}`, token)).toBe(404);
        expect(await expectNoAddressIn('/api/pickups', token)).toBe(200);
        expect(await expectNoAddressIn('/api/pickups?status=assigned', token)).toBe(200);
        expect(await expectNoAddressIn('/api/notifications', token)).toBe(200);
      }
      for (const url of [`/api/pickups/${pickupId}`, '/api/pickups', '/api/pickups/mine', `/api/pickups/${pickupId}/history`]) {
        expect(await expectNoAddressIn(url)).toBe(401);
      }
    });

    it('keeps /api/pickups/mine to volunteers (403 for the other roles)', async () => {
      for (const token of [hejmo.token, olivier.token, donor.token, otherDonor.token, admin]) {
        expect(await expectNoAddressIn('/api/pickups/mine', token)).toBe(403);
      }
    });
  });

  it('never shows the street or the phone in the matches, to anyone', async () => {
    for (const token of [hejmo.token, donor.token, admin]) {
      const res = await api.get('/api/matches', token);
      expect(res.status).toBe(200);
      expect(res.body.items.find((m: { id: string }) => m.id === matchId)).toMatchObject({ status: 'accepted', pickupArea: AREA });
      expect(await expectNoAddressIn('/api/matches', token)).toBe(200);
      expect(await expectNoAddressIn(`/api/matches/${matchId}`, token)).toBe(200);
    }
    for (const token of [olivier.token, otherDonor.token]) {
      expect(await expectNoAddressIn('/api/matches', token)).toBe(200);
      expect((await api.get('/api/matches', token)).body.items.map((m: { id: string }) => m.id)).not.toContain(matchId);
      expect(await expectNoAddressIn(`/api/matches/${matchId}`, token)).toBe(404);
    }
    for (const who of [volunteer, otherVolunteer]) {
      expect(await expectNoAddressIn('/api/matches', who.token)).toBe(403);
    }
    expect(await expectNoAddressIn('/api/matches')).toBe(401);
  });

  it('takes the address away from a volunteer who releases the pickup', async () => {
    const released = await api.post(`/api/pickups/${pickupId}/release`, {}, volunteer.token);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'unassigned', volunteerId: null, pickupArea: AREA });
    expect(released.body.pickupAddress).toBeUndefined();
    await t.drain();
    expect(await expectNoAddressIn(`/api/pickups/${pickupId}`, volunteer.token)).toBe(200);
    expect(await expectNoAddressIn('/api/pickups/mine', volunteer.token)).toBe(200);
    expect((await api.get(`/api/pickups/${pickupId}`, hejmo.token)).body.pickupAddress).toEqual(ADDRESS);
  });
});
