import { randomUUID } from 'node:crypto';
import { Account, Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

/** Bad input gets a clear 4xx with a message, and changes nothing. */
describe('bad input', () => {
  let t: TestApp;
  let api: Api;
  let donor: Account;
  let coord: Account;

  beforeAll(async () => {
    // Its own database: the tables are compared before and after each request, while other suites run.
    t = await startApp({}, { ownDatabase: true });
    api = new Api(t.app);
    donor = await register(api, 'donor');
    coord = await coordinator(api, 'hejmo');
  });
  afterAll(() => t.close());

  async function snapshot(): Promise<string> {
    const rows = await t.db.query(
      `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM offers) AS offers,
              (SELECT count(*) FROM needs) AS needs, (SELECT count(*) FROM offer_windows) AS windows,
              (SELECT count(*) FROM status_changes) AS changes,
              (SELECT coalesce(max(updated_at), 'epoch') FROM offers) AS offers_updated,
              (SELECT coalesce(max(updated_at), 'epoch') FROM needs) AS needs_updated`,
    );
    return JSON.stringify(rows[0]);
  }

  async function expectRefused(send: () => Promise<{ status: number; body: any }>, status: number): Promise<any> {
    const before = await snapshot();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ statusCode: status, message: expect.anything(), error: expect.any(String) });
    expect(await snapshot()).toBe(before);
    return res.body;
  }

  it('answers malformed JSON with 400', async () => {
    await expectRefused(() => api.request('POST', '/api/offers', { token: donor.token, raw: '{"title": "books",' }), 400);
    await expectRefused(() => api.request('POST', '/api/auth/register', { raw: "{'single': 'quotes'}" }), 400);
  });

  it('answers a body over 100 kB with 413', async () => {
    const body = JSON.stringify(offerBody({ description: 'x'.repeat(101 * 1024) }));
    await expectRefused(() => api.request('POST', '/api/offers', { token: donor.token, raw: body }), 413);
  });

  it('answers a body that is not a JSON object with 400', async () => {
    for (const raw of ['[]', '"a string"', '42', 'null', '[{"title":"x"}]', '[1,2]']) {
      const body = await expectRefused(() => api.request('POST', '/api/needs', { token: coord.token, raw }), 400);
      expect(body.message).toEqual(['the request body must be a JSON object']);
    }
    const french = await api.request('POST', '/api/offers', { token: donor.token, raw: '[1,2]', headers: { 'accept-language': 'fr' } });
    expect(french.body.message).toEqual(['le corps de la requête doit être un objet JSON']);
  });

  it('answers an unsupported content type with 415, and plain text as a body without fields with 400', async () => {
    await expectRefused(
      () => api.request('POST', '/api/offers', { token: donor.token, raw: '<offer/>', headers: { 'content-type': 'application/xml' } }),
      415,
    );
    const body = await expectRefused(
      () => api.request('POST', '/api/offers', { token: donor.token, raw: 'title=books', headers: { 'content-type': 'text/plain' } }),
      400,
    );
    expect(body.message).toEqual(['the request body must be a JSON object']);
  });

  it('writes the framework’s own refusals in the client’s language too, in the usual shape', async () => {
    const asked = (language: string, method: 'GET' | 'POST', url: string, raw?: string, contentType = 'application/json') =>
      api.request(method, url, { token: donor.token, raw, headers: { 'accept-language': language, ...(raw !== undefined ? { 'content-type': contentType } : {}) } });
    const big = JSON.stringify(offerBody({ description: 'x'.repeat(101 * 1024) }));

    expect((await asked('fr', 'POST', '/api/offers', big)).body).toEqual({ statusCode: 413, message: 'Le corps de la requête est trop grand (100 Ko au plus)', error: 'Payload Too Large' });
    expect((await asked('nl', 'POST', '/api/offers', '{"title": "books",')).body).toEqual({ statusCode: 400, message: 'De body van het verzoek is geen geldige JSON', error: 'Bad Request' });
    expect((await asked('en', 'POST', '/api/offers', '<offer/>', 'application/xml')).body).toEqual({
      statusCode: 415,
      message: 'Send the request body as JSON (Content-Type: application/json)',
      error: 'Unsupported Media Type',
    });
    expect((await asked('fr', 'POST', '/api/offers', '')).body).toMatchObject({ statusCode: 400, message: 'Le corps de la requête est vide, mais son Content-Type annonce du JSON' });
    expect((await asked('nl', 'GET', '/api/nothing-here?x=1')).body).toEqual({ statusCode: 404, message: 'Deze API heeft geen GET /api/nothing-here?x=1', error: 'Not Found' });
    // A path that looks like a translation is shown as it is, never translated.
    const trick = (await asked('en', 'GET', '/api/$t(errors.NOT_FOUND_OFFER)')).body.message;
    expect(trick).toMatch(/^There is no GET \/api\/\$.?t\(errors\.NOT_FOUND_OFFER\) in this API$/u);
    expect(trick).not.toContain('Offer not found');
  });

  it('refuses prototype-pollution keys', async () => {
    const raw = JSON.stringify(needBody()).replace('{', '{"__proto__": {"role": "admin"},');
    await expectRefused(() => api.request('POST', '/api/needs', { token: coord.token, raw }), 400);
    const constructorKey = JSON.stringify(needBody()).replace('{', '{"constructor": {"prototype": {"role": "admin"}},');
    await expectRefused(() => api.request('POST', '/api/needs', { token: coord.token, raw: constructorKey }), 400);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('answers wrong types with one message per field', async () => {
    const body = await expectRefused(
      () =>
        api.post(
          '/api/offers',
          { ...offerBody(), quantity: 'twenty', condition: 3, size: null, title: { $ne: '' }, availability: 'tomorrow' },
          donor.token,
        ),
      400,
    );
    expect([...body.message].sort()).toEqual([
      'availability must be an array',
      'condition must be one of the following values: new, good, fair',
      'quantity must be an integer number',
      'size must be one of the following values: small, medium, large',
      'title must be a string',
    ]);
  });

  it('answers huge numbers and strings with 400', async () => {
    await expectRefused(() => api.post('/api/needs', needBody({ quantity: 1e308 }), coord.token), 400);
    await expectRefused(() => api.post('/api/needs', needBody({ quantity: -1 }), coord.token), 400);
    await expectRefused(() => api.post('/api/needs', needBody({ title: 'x'.repeat(50_000) }), coord.token), 400);
    await expectRefused(() => api.get(`/api/needs?limit=${'9'.repeat(400)}`), 400);
    await expectRefused(() => api.get(`/api/needs?cursor=${'A'.repeat(5000)}`), 400);
  });

  it('answers dates far in the past or future, and impossible dates, with 400', async () => {
    const at = (from: string, to: string) => offerBody({ availability: [{ from, to }] });
    await expectRefused(() => api.post('/api/offers', at('0001-01-01T00:00:00Z', '0001-01-01T01:00:00Z'), donor.token), 400);
    await expectRefused(() => api.post('/api/offers', at('9999-12-31T20:00:00Z', '9999-12-31T23:00:00Z'), donor.token), 400);
    await expectRefused(() => api.post('/api/offers', at('2026-13-01T09:00:00Z', '2026-13-01T10:00:00Z'), donor.token), 400);
    await expectRefused(() => api.post('/api/needs', needBody({ neededBy: '0000-01-01' }), coord.token), 400);
    await expectRefused(() => api.post('/api/needs', needBody({ neededBy: '275760-09-13' }), coord.token), 400);
  });

  it('keeps SQL and HTML fragments as plain text', async () => {
    const title = `'); DROP TABLE needs; -- <script>alert(1)</script>`;
    const res = await api.post('/api/needs', needBody({ title }), coord.token);
    expect(res.status).toBe(201);
    expect((await api.get(`/api/needs/${res.body.id}`)).body.title).toBe(title);
    await expectRefused(() => api.get(`/api/needs?house=hejmo'%20OR%201=1--`), 400);
  });

  it('refuses null for a field that must have a value, in every PATCH', async () => {
    const offer = (await api.post('/api/offers', offerBody(), donor.token)).body;
    for (const field of ['title', 'quantity', 'condition', 'size', 'pickupAddress', 'availability']) {
      const body = await expectRefused(() => api.patch(`/api/offers/${offer.id}`, { [field]: null }, donor.token), 400);
      expect(body.message).toEqual([expect.stringMatching(new RegExp(`^${field}`))]);
    }
    const need = (await api.post('/api/needs', needBody(), coord.token)).body;
    for (const field of ['title', 'quantity', 'urgency']) {
      await expectRefused(() => api.patch(`/api/needs/${need.id}`, { [field]: null }, coord.token), 400);
    }
    // Null clears what may be empty.
    expect((await api.patch(`/api/needs/${need.id}`, { description: null, neededBy: null }, coord.token)).status).toBe(200);
    expect((await api.patch(`/api/offers/${offer.id}`, { description: null }, donor.token)).status).toBe(200);
  });

  it('refuses control characters in text', async () => {
    await expectRefused(() => api.post('/api/needs', needBody({ title: 'bed\u0000s' }), coord.token), 400);
  });

  it('answers a non-UUID id with 400 and an unknown id with 404', async () => {
    for (const path of ['/api/needs/', '/api/offers/']) {
      await expectRefused(() => api.get(`${path}not-a-uuid`, donor.token), 400);
      await expectRefused(() => api.get(`${path}${encodeURIComponent("1' OR '1'='1")}`, donor.token), 400);
    }
    await expectRefused(() => api.get(`/api/offers/${randomUUID()}`, donor.token), 404);
    await expectRefused(() => api.post(`/api/offers/${randomUUID()}/withdraw`, {}, donor.token), 404);
    await expectRefused(() => api.post(`/api/needs/${randomUUID()}/cancel`, {}, coord.token), 404);
  });

  it('writes its messages in the language the client asks for, else in the caller’s', async () => {
    const bad = offerBody({ quantity: 0, condition: 'broken', pickupAddress: { street: 'Kerkstraat 1', postcode: '0999', town: 'Gent' }, colour: 'red' });
    const fr = await api.request('POST', '/api/offers', { token: donor.token, body: bad, headers: { 'accept-language': 'fr-BE,fr;q=0.9' } });
    expect(fr.status).toBe(400);
    expect(fr.body.message).toEqual(
      expect.arrayContaining([
        'quantity ne peut pas être inférieur à 1',
        'condition doit être l’une de ces valeurs : new, good, fair',
        'pickupAddress.postcode doit être un code postal belge : 4 chiffres de 1000 à 9999',
        'colour n’est pas admis ici',
      ]),
    );
    // A Dutch-speaking donor whose client names no language of ours reads Dutch.
    const dutch = await register(api, 'donor', { language: 'nl' });
    const nl = await api.request('POST', '/api/offers', { token: dutch.token, body: bad, headers: { 'accept-language': 'de-DE' } });
    expect(nl.body.message).toEqual(expect.arrayContaining(['quantity mag niet kleiner zijn dan 1', 'pickupAddress.postcode moet een Belgische postcode zijn: 4 cijfers van 1000 tot 9999']));
    const id = await api.request('GET', '/api/offers/not-a-uuid', { token: dutch.token, headers: { 'accept-language': '' } });
    expect(id.body).toEqual({ statusCode: 400, message: 'Ongeldige id in het adres (een UUID verwacht)', error: 'Bad Request' });
    // Domain errors too, with their stable code.
    const unknown = await api.request('GET', `/api/offers/${randomUUID()}`, { token: donor.token, headers: { 'accept-language': 'fr' } });
    expect(unknown.body).toEqual({ statusCode: 404, message: 'Offre introuvable', error: 'Not Found', code: 'NOT_FOUND' });
    const login = await api.request('POST', '/api/auth/login', { body: { email: 'nobody@example.be', password: 'not-the-password' }, headers: { 'accept-language': 'nl-BE' } });
    expect(login.body).toMatchObject({ statusCode: 401, message: 'Verkeerd e-mailadres of wachtwoord', code: 'WRONG_CREDENTIALS' });
    const role = await api.request('POST', '/api/needs', { token: donor.token, body: needBody(), headers: { 'accept-language': 'fr' } });
    expect(role.body).toMatchObject({ statusCode: 403, message: 'Cette action est réservée aux comptes coordinator / admin', code: 'ROLE_REQUIRED' });
    // Anonymous, without Accept-Language: Dutch, the default.
    const anonymous = await api.request('POST', '/api/auth/register', { body: { email: 'x' }, headers: { 'accept-language': '' } });
    expect(anonymous.body.message).toContain('email moet een e-mailadres zijn');
  });

  it('answers an unknown route with 404 and a wrong method with 404', async () => {
    await expectRefused(() => api.get('/api/nothing-here'), 404);
    await expectRefused(() => api.request('PUT', '/api/houses'), 404);
  });
});
