import { Api, coordinator, offerBody, PASSWORD, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

describe('personal data (GDPR)', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    api = new Api(t.app);
  });
  afterAll(() => t.close());

  it("exports the caller's profile and offers with their addresses and history", async () => {
    const donor = await register(api, 'donor', { phone: '+32 470 11 22 33', postcode: '4000', town: 'Liège' });
    const offer = (await api.post('/api/offers', offerBody(), donor.token)).body;
    const other = await register(api, 'donor');
    await api.post('/api/offers', offerBody({ title: 'Not mine' }), other.token);

    const res = await api.get('/api/me/export', donor.token);
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({ id: donor.id, email: donor.email, phone: '+32 470 11 22 33', town: 'Liège' });
    expect(res.body.offers).toHaveLength(1);
    expect(res.body.offers[0]).toMatchObject({
      id: offer.id,
      pickupAddress: { street: 'Kerkstraat 12', postcode: '9000', town: 'Gent' },
      history: [{ actor: 'donor', from: null, to: 'open' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('Not mine');
    expect(new Date(res.body.exportedAt).getTime()).toBe(t.clock.now().getTime());
  });

  it('erases a donor: personal data gone, offers withdrawn and anonymous, the token and password stop working', async () => {
    const donor = await register(api, 'donor', { phone: '+32 470 99 88 77', postcode: '1000', town: 'Brussel' });
    const offer = (await api.post('/api/offers', offerBody({ pickupAddress: { street: 'Wetstraat 16', postcode: '1000', town: 'Brussel' } }), donor.token)).body;

    const res = await api.delete('/api/me', donor.token);
    expect(res.status).toBe(204);

    expect((await api.get('/api/me', donor.token)).status).toBe(401);
    expect((await api.post('/api/auth/login', { email: donor.email, password: PASSWORD })).status).toBe(401);

    const [user] = await t.db.query('SELECT email, name, phone, postcode, town, erased_at FROM users WHERE id = $1', [donor.id]);
    expect(user).toMatchObject({ name: 'Erased account', phone: null, postcode: null, town: null });
    expect(user.email).not.toContain(donor.email.split('@')[0]);
    expect(user.erased_at).toBeInstanceOf(Date);

    const [row] = await t.db.query('SELECT status, pickup_street, pickup_postcode FROM offers WHERE id = $1', [offer.id]);
    expect(row).toEqual({ status: 'withdrawn', pickup_street: null, pickup_postcode: '1000' });
    const dump = JSON.stringify(await t.db.query('SELECT * FROM users u JOIN offers o ON o.donor_id = u.id WHERE u.id = $1', [donor.id]));
    expect(dump).not.toContain('Wetstraat');
    expect(dump).not.toContain('99 88 77');

    const history = await api.get(`/api/offers/${offer.id}/history`, await api.adminToken());
    expect(history.body.at(-1)).toMatchObject({ from: 'open', to: 'withdrawn', reason: 'account erased' });

    // The address is free again for a new account.
    expect((await api.post('/api/auth/register', { email: donor.email, password: PASSWORD, name: 'Back', role: 'donor' })).status).toBe(201);
  });

  it('erases a volunteer too', async () => {
    const volunteer = await register(api, 'volunteer', { vehicle: 'car', phone: '+32 470 00 00 01' });
    expect((await api.delete('/api/me', volunteer.token)).status).toBe(204);
    const [user] = await t.db.query('SELECT phone, erased_at FROM users WHERE id = $1', [volunteer.id]);
    expect(user.phone).toBeNull();
    expect(user.erased_at).not.toBeNull();
  });

  it('is not self-service for coordinators and admins (403), and needs a token (401)', async () => {
    const coord = await coordinator(api, 'hejmo');
    expect((await api.delete('/api/me', coord.token)).status).toBe(403);
    expect((await api.delete('/api/me', await api.adminToken())).status).toBe(403);
    expect((await api.get('/api/me', coord.token)).status).toBe(200);
    expect((await api.delete('/api/me')).status).toBe(401);
    expect((await api.get('/api/me/export')).status).toBe(401);
  });

  it('lets an admin erase a user on their behalf, but not another admin', async () => {
    const admin = await api.adminToken();
    const donor = await register(api, 'donor', { phone: '+32 470 12 12 12' });
    const offer = (await api.post('/api/offers', offerBody(), donor.token)).body;
    expect((await api.delete(`/api/users/${donor.id}`, admin)).status).toBe(204);
    expect((await api.get('/api/me', donor.token)).status).toBe(401);
    const history = await api.get(`/api/offers/${offer.id}/history`, admin);
    expect(history.body.at(-1)).toMatchObject({ actor: 'admin', to: 'withdrawn', reason: 'account erased' });
    expect((await api.delete(`/api/users/${donor.id}`, admin)).status).toBe(404);
    const [{ id: adminId }] = await t.db.query(`SELECT id FROM users WHERE role = 'admin' LIMIT 1`);
    expect((await api.delete(`/api/users/${adminId}`, admin)).body).toMatchObject({ statusCode: 403, code: 'ADMIN_NOT_ERASABLE' });
  });
});
