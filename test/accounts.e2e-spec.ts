import { randomUUID } from 'node:crypto';
import { Api, coordinator, PASSWORD, register, uniqueEmail } from './helpers/api';
import { ADMIN, startApp, TestApp } from './helpers/test-app';
import { UsersService } from '../src/modules/users/users.service';

describe('accounts and roles', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    api = new Api(t.app);
  });
  afterAll(() => t.close());

  describe('register', () => {
    it('creates a donor and answers the user without any password or hash', async () => {
      const email = uniqueEmail('donor');
      const res = await api.post('/api/auth/register', {
        email,
        password: PASSWORD,
        name: 'An Peeters',
        role: 'donor',
        phone: '+32 470 12 34 56',
        postcode: '9000',
        town: 'Gent',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email, name: 'An Peeters', role: 'donor', houseSlug: null, vehicle: 'none', town: 'Gent' });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash|argon/i);
      const [row] = await t.db.query('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('needs a volunteer’s postcode, and keeps it', async () => {
      const res = await api.post('/api/auth/register', { email: uniqueEmail('nowhere'), password: PASSWORD, name: 'Nomad', role: 'volunteer' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'POSTCODE_REQUIRED', message: 'postcode is required for a volunteer: pickups are offered to the nearest volunteers' });
      const volunteer = await register(api, 'volunteer', { postcode: '9000', town: 'Gent' });
      expect((await api.patch('/api/me', { postcode: null }, volunteer.token)).body.code).toBe('POSTCODE_REQUIRED');
      expect((await api.patch('/api/me', { postcode: '2000', town: 'Antwerpen' }, volunteer.token)).body.postcode).toBe('2000');
      // A donor's postcode stays optional.
      expect((await api.post('/api/auth/register', { email: uniqueEmail('donor'), password: PASSWORD, name: 'Don', role: 'donor' })).status).toBe(201);
    });

    it('creates a volunteer with a vehicle', async () => {
      const res = await api.post('/api/auth/register', {
        email: uniqueEmail('volunteer'),
        password: PASSWORD,
        name: 'Jef',
        role: 'volunteer',
        vehicle: 'van',
        postcode: '3000',
        town: 'Leuven',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'volunteer', vehicle: 'van' });
    });

    it.each(['coordinator', 'admin', 'superuser'])('refuses to let anyone make themselves %s', async (role) => {
      const email = uniqueEmail('climber');
      const res = await api.post('/api/auth/register', { email, password: PASSWORD, name: 'Climber', role });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['role must be one of the following values: donor, volunteer']);
      const rows = await t.db.query('SELECT 1 FROM users WHERE email = $1', [email]);
      expect(rows).toHaveLength(0);
    });

    it('refuses a houseSlug sent by a self-registering user', async () => {
      const res = await api.post('/api/auth/register', {
        email: uniqueEmail('sneaky'),
        password: PASSWORD,
        name: 'Sneaky',
        role: 'donor',
        houseSlug: 'hejmo',
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['houseSlug should not exist']);
    });

    it('refuses an e-mail address already registered, whatever its case', async () => {
      const email = uniqueEmail('twice');
      expect((await api.post('/api/auth/register', { email, password: PASSWORD, name: 'One', role: 'donor' })).status).toBe(201);
      const again = await api.post('/api/auth/register', { email: email.toUpperCase(), password: PASSWORD, name: 'Two', role: 'volunteer', postcode: '1000' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'EMAIL_TAKEN' });
    });

    it('answers one message per bad field', async () => {
      const res = await api.post('/api/auth/register', {
        email: 'not-an-email',
        password: 'short',
        name: '',
        role: 'donor',
        postcode: '999',
        vehicle: 'bike',
      });
      expect(res.status).toBe(400);
      expect([...res.body.message].sort()).toEqual([
        'email must be an e-mail address',
        'name must be longer than or equal to 1 characters',
        'password must be longer than or equal to 10 characters',
        'postcode must be a Belgian postcode: 4 digits from 1000 to 9999',
        'vehicle must be one of the following values: none, car, van',
      ]);
    });
  });

  describe('login and me', () => {
    it('logs in with the right pair and answers the profile at /api/me', async () => {
      const donor = await register(api, 'donor');
      const login = await api.post('/api/auth/login', { email: donor.email.toUpperCase(), password: PASSWORD });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ id: donor.id, role: 'donor' });
      const me = await api.get('/api/me', login.body.accessToken);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: donor.id, email: donor.email });
    });

    it('answers 401 for a wrong password and for an unknown e-mail, with the same message', async () => {
      const donor = await register(api, 'donor');
      const wrong = await api.post('/api/auth/login', { email: donor.email, password: 'not-the-password' });
      const unknown = await api.post('/api/auth/login', { email: uniqueEmail('nobody'), password: PASSWORD });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.message).toBe(unknown.body.message);
    });

    it('answers 401 without a token, with a malformed token and with a forged one', async () => {
      expect((await api.get('/api/me')).status).toBe(401);
      expect((await api.get('/api/me', 'not.a.jwt')).status).toBe(401);
      const donor = await register(api, 'donor');
      const [header, payload] = donor.token.split('.');
      const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
      expect((await api.get('/api/me', forged)).status).toBe(401);
      const basic = await api.request('GET', '/api/me', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
      expect(basic.status).toBe(401);
    });
  });

  describe('language and profile', () => {
    const body = (extra: Record<string, unknown> = {}) => ({ email: uniqueEmail('lang'), password: PASSWORD, name: 'Lou', role: 'donor', ...extra });

    it('takes the language chosen at registration, else the browser’s, else Dutch', async () => {
      const chosen = await api.request('POST', '/api/auth/register', { body: body({ language: 'en' }), headers: { 'accept-language': 'fr-BE' } });
      expect(chosen.body.language).toBe('en');
      const browser = await api.request('POST', '/api/auth/register', { body: body(), headers: { 'accept-language': 'de-DE,fr-BE;q=0.8,nl;q=0.5' } });
      expect(browser.body.language).toBe('fr');
      const none = await api.request('POST', '/api/auth/register', { body: body(), headers: { 'accept-language': '' } });
      expect(none.body.language).toBe('nl');
      expect((await api.post('/api/auth/register', body({ language: 'de' }))).status).toBe(400);
    });

    it('lets users change their own name, phone, town, vehicle and language with PATCH /api/me', async () => {
      const volunteer = await register(api, 'volunteer');
      const res = await api.patch('/api/me', { language: 'fr', vehicle: 'van', town: 'Namur', postcode: '5000' }, volunteer.token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: volunteer.id, language: 'fr', vehicle: 'van', town: 'Namur', postcode: '5000', email: volunteer.email });
      expect((await api.get('/api/me', volunteer.token)).body).toMatchObject({ language: 'fr', vehicle: 'van' });
      // Fields left out stay as they were.
      expect((await api.patch('/api/me', {}, volunteer.token)).body).toMatchObject({ language: 'fr', town: 'Namur' });
      // A field the account cannot be without is not sent as null.
      for (const nulled of [{ name: null }, { language: null }, { vehicle: null }]) {
        const res = await api.patch('/api/me', nulled, volunteer.token);
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual([expect.stringMatching(/^(name must be a string|language must be one of|vehicle must be one of)/)]);
      }
      // Optional details may be cleared.
      expect((await api.patch('/api/me', { phone: null }, volunteer.token)).body.phone).toBeNull();
    });

    it('refuses a change of e-mail, role, house or erasure through PATCH /api/me, and changes nothing', async () => {
      const donor = await register(api, 'donor');
      for (const forbidden of [{ role: 'admin' }, { email: 'x@example.be' }, { houseSlug: 'hejmo' }, { erasedAt: null }, { id: donor.id }, { language: 'fr', role: 'admin' }]) {
        const res = await api.patch('/api/me', forbidden, donor.token);
        expect(res.status).toBe(400);
        expect(res.body.message).toEqual([expect.stringMatching(/should not exist$/)]);
      }
      expect((await api.get('/api/me', donor.token)).body).toMatchObject({ role: 'donor', email: donor.email, houseSlug: null, language: 'en' });
    });
  });

  describe('accounts created by the admin', () => {
    it('creates a coordinator bound to one house', async () => {
      const admin = await api.adminToken();
      const email = uniqueEmail('coord');
      const res = await api.post('/api/users', { email, password: PASSWORD, name: 'Coordinator', role: 'coordinator', houseSlug: 'hejmo' }, admin);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'coordinator', houseSlug: 'hejmo' });
      const token = await api.login(email, PASSWORD);
      expect((await api.get('/api/me', token)).body.houseSlug).toBe('hejmo');
    });

    it('creates another admin', async () => {
      const res = await api.post(
        '/api/users',
        { email: uniqueEmail('admin'), password: PASSWORD, name: 'Second admin', role: 'admin' },
        await api.adminToken(),
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'admin', houseSlug: null });
    });

    it('needs a house for a coordinator, a real one, and refuses one for other roles', async () => {
      const admin = await api.adminToken();
      const base = { password: PASSWORD, name: 'X' };
      const noHouse = await api.post('/api/users', { ...base, email: uniqueEmail('c'), role: 'coordinator' }, admin);
      expect(noHouse.status).toBe(400);
      expect(noHouse.body.message).toEqual(['houseSlug is required for a coordinator']);
      const unknown = await api.post('/api/users', { ...base, email: uniqueEmail('c'), role: 'coordinator', houseSlug: 'atlantis' }, admin);
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toBe('houseSlug "atlantis" is not a house');
      const donorWithHouse = await api.post('/api/users', { ...base, email: uniqueEmail('d'), role: 'donor', houseSlug: 'hejmo' }, admin);
      expect(donorWithHouse.status).toBe(400);
      expect(donorWithHouse.body.code).toBe('HOUSE_ONLY_FOR_COORDINATORS');
    });

    it('is for admins only', async () => {
      const body = { email: uniqueEmail('c'), password: PASSWORD, name: 'X', role: 'admin' };
      expect((await api.post('/api/users', body)).status).toBe(401);
      for (const caller of [await register(api, 'donor'), await register(api, 'volunteer'), await coordinator(api, 'hejmo')]) {
        const res = await api.post('/api/users', body, caller.token);
        expect(res.status).toBe(403);
      }
      expect(await t.db.query('SELECT 1 FROM users WHERE email = $1', [body.email])).toHaveLength(0);
    });
  });

  describe('the admin’s list of accounts', () => {
    it('finds accounts by role, by house and by part of the name or e-mail address, newest first, a page at a time', async () => {
      const admin = await api.adminToken();
      const marker = `Wauters${randomUUID().slice(0, 6)}`;
      const make = async (role: string, houseSlug?: string) =>
        (await api.post('/api/users', { email: uniqueEmail('listed'), password: PASSWORD, name: `${role} ${marker}`, role, ...(houseSlug ? { houseSlug } : {}) }, admin)).body;
      const first = await make('coordinator', 'chantevent');
      const second = await make('coordinator', 'olivier');
      const donor = await make('donor');
      const ids = async (query: string) => (await api.get(`/api/users?${query}`, admin)).body.items.map((user: { id: string }) => user.id);

      expect(await ids(`q=${marker.toLowerCase()}`)).toEqual([donor.id, second.id, first.id]);
      expect(await ids(`q=${marker}&role=coordinator`)).toEqual([second.id, first.id]);
      expect(await ids(`q=${marker}&house=chantevent`)).toEqual([first.id]);
      expect(await ids(`q=${encodeURIComponent(first.email.toUpperCase())}`)).toEqual([first.id]);
      // % and _ are letters here, not patterns.
      expect(await ids(`q=${marker}${encodeURIComponent('%')}`)).toEqual([]);
      expect(await ids(`q=${marker.slice(0, -1)}_`)).toEqual([]);

      const page = await api.get(`/api/users?q=${marker}&limit=2`, admin);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.items[0]).toMatchObject({ id: donor.id, role: 'donor', name: `donor ${marker}`, houseSlug: null });
      expect(JSON.stringify(page.body)).not.toMatch(/password|hash|argon/i);
      const next = await api.get(`/api/users?q=${marker}&limit=2&cursor=${page.body.nextCursor}`, admin);
      expect(next.body).toEqual({ items: [expect.objectContaining({ id: first.id, houseSlug: 'chantevent' })], nextCursor: null });

      // An erased account is no longer listed.
      expect((await api.delete(`/api/users/${second.id}`, admin)).status).toBe(204);
      expect(await ids(`q=${marker}`)).toEqual([donor.id, first.id]);
    });

    it('refuses a filter that is not one, and anyone but an admin', async () => {
      const admin = await api.adminToken();
      const house = await api.get('/api/users?house=atlantis', admin);
      expect(house.status).toBe(400);
      expect(house.body).toMatchObject({ code: 'UNKNOWN_HOUSE', message: 'house "atlantis" is not a house' });
      const bad = await api.get(`/api/users?role=king&limit=1000&q=${'x'.repeat(101)}`, admin);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toHaveLength(3);
      expect((await api.get('/api/users')).status).toBe(401);
      for (const caller of [await register(api, 'donor'), await coordinator(api, 'hejmo')]) {
        expect((await api.get('/api/users', caller.token)).status).toBe(403);
      }
    });
  });

  describe('the bootstrap admin', () => {
    it('exists once, and creating it again changes nothing', async () => {
      const users = t.app.get(UsersService);
      await users.ensureAdmin(ADMIN.email.toUpperCase(), 'another-password-entirely');
      await users.ensureAdmin(ADMIN.email, ADMIN.password);
      const rows = await t.db.query(`SELECT role FROM users WHERE lower(email) = $1`, [ADMIN.email]);
      expect(rows).toEqual([{ role: 'admin' }]);
      expect(await api.adminToken()).toEqual(expect.any(String));
    });
  });
});
