import { Api } from './helpers/api';
import { startApp, TestApp } from './helpers/test-app';

describe('reference data', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startApp();
    api = new Api(t.app);
  });
  afterAll(() => t.close());

  it('lists the four houses with where they are and what they are', async () => {
    const res = await api.get('/api/houses');
    expect(res.status).toBe(200);
    expect(res.body.map((house: { slug: string }) => house.slug).sort()).toEqual(['chantevent', 'hejmo', 'olivier', 'simbahuis']);
    const hejmo = res.body.find((house: { slug: string }) => house.slug === 'hejmo');
    expect(hejmo).toMatchObject({ name: 'Opvanghuis Hejmo', town: 'Kraainem', kind: 'reception-house', languages: ['nl', 'fr', 'en'] });
    expect(hejmo.lat).toBeCloseTo(50.86, 1);
    expect(hejmo.lng).toBeCloseTo(4.47, 1);
    for (const house of res.body) expect(Object.keys(house.about).sort()).toEqual(['en', 'fr', 'nl']);
  });

  it('answers one house by slug, and 404 for an unknown slug', async () => {
    expect((await api.get('/api/houses/olivier')).body.town).toContain('Hollogne');
    const missing = await api.get('/api/houses/atlantis');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('lists the seven categories with labels in nl, fr and en', async () => {
    const res = await api.get('/api/categories');
    expect(res.status).toBe(200);
    expect(res.body.map((category: { code: string }) => category.code)).toEqual([
      'it-office',
      'toys-crafts',
      'tools',
      'childcare',
      'school-supplies',
      'furniture-appliances',
      'clothing-linen',
    ]);
    expect(res.body[3].labels).toEqual({ nl: 'kinderverzorging', fr: 'puériculture', en: 'childcare items' });
  });

  it('serves the OpenAPI document with bearer auth and documented DTO fields', async () => {
    const res = await api.get('/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const offer = res.body.components.schemas.CreateOfferDto;
    expect(offer.required).toEqual(expect.arrayContaining(['categoryCode', 'quantity', 'pickupAddress', 'availability']));
    expect(res.body.paths['/api/offers'].post.security).toEqual([{ bearer: [] }]);
    const ui = await api.get('/docs');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
  });
});
