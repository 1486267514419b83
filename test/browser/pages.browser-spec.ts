import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { coordinator, offerBody, PASSWORD, register } from '../helpers/api';
import { acceptedPickup } from '../helpers/flows';
import { ADMIN } from '../helpers/test-app';
import { horizontalOverflow, open, pickupDay, screenshot, Site, startSite, Visitor, visitor } from './browser';

const PUBLIC = join(__dirname, '..', '..', 'public');

/** Form controls that a screen reader would announce without a name. */
const UNLABELLED = `[...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden' && el.labels.length === 0 && !el.getAttribute('aria-label'))
  .map((el) => el.name || el.id)`;

const ENGLISH_LOGIN = { email: 'E-mail address', password: 'Password', submit: 'Log in' };

async function logIn(page: Page, email: string, password = PASSWORD, labels = ENGLISH_LOGIN) {
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill(password);
  await page.getByRole('button', { name: labels.submit }).click();
}

/** Windows on two weekdays ahead, 09:00–17:00 Brussels time, as the API takes them. */
function availability() {
  const day = pickupDay();
  const next = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return [day, next].map((d) => ({ from: `${d}T09:00:00+01:00`, to: `${d}T17:00:00+01:00` }));
}

async function expectFitsAndClean(person: Visitor) {
  expect(await horizontalOverflow(person.page)).toBeLessThanOrEqual(0);
  expect(await person.page.evaluate<string[]>(UNLABELLED)).toEqual([]);
  expect(person.errors).toEqual([]);
}

describe('every page at 375 px, in a real browser', () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite();
  });
  afterAll(() => site?.close());

  it('has the same keys in the nl, fr and en dictionaries', () => {
    const keys = (node: object, prefix = ''): string[] =>
      Object.entries(node).flatMap(([key, value]) => (typeof value === 'object' ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
    const [nl, fr, en] = ['nl', 'fr', 'en'].map((lang) => keys(JSON.parse(readFileSync(join(PUBLIC, 'i18n', `${lang}.json`), 'utf8'))).sort());
    expect(nl.length).toBeGreaterThan(150);
    expect(fr).toEqual(nl);
    expect(en).toEqual(nl);
  });

  it('speaks the browser’s language, Dutch otherwise, and keeps the one chosen in the switch', async () => {
    const german = await visitor(site, 'de-DE');
    await open(german.page, '#/');
    await german.page.getByRole('heading', { level: 1, name: 'Wat onze huizen nodig hebben' }).waitFor();
    expect(await german.page.getAttribute('html', 'lang')).toBe('nl');

    const french = await visitor(site, 'fr-BE');
    await open(french.page, '#/help');
    await french.page.getByRole('heading', { level: 1, name: 'Comment aider' }).waitFor();
    await french.page.getByLabel('Langue').selectOption('en');
    await french.page.getByRole('heading', { level: 1, name: 'How to help' }).waitFor();
    expect(await french.page.getAttribute('html', 'lang')).toBe('en');
    await open(french.page, '#/');
    await french.page.getByRole('heading', { level: 1, name: 'What our houses need' }).waitFor();
    await expectFitsAndClean(german);
    await expectFitsAndClean(french);
    await Promise.all([german.context.close(), french.context.close()]);
  });

  it('shows the public pages: wishlist with categories and urgency, a page per house, how to help, log in, register', async () => {
    const { api } = site;
    const house = await coordinator(api, 'chantevent');
    await api.post('/api/needs', { houseSlug: 'chantevent', categoryCode: 'clothing-linen', title: 'Winter coats, size 10', quantity: 6, urgency: 'urgent' }, house.token);
    await api.post('/api/needs', { houseSlug: 'chantevent', categoryCode: 'toys-crafts', title: 'Crayons', quantity: 20, urgency: 'low' }, house.token);
    const person = await visitor(site, 'en-GB');

    await open(person.page, '#/');
    const chantevent = person.page.getByRole('region', { name: /Chantevent/ });
    const coats = chantevent.locator('li.need', { hasText: 'Winter coats, size 10' });
    await coats.getByText('Urgent').waitFor();
    await coats.getByText('clothing and household linen · 6 still needed').waitFor();
    // The urgent need comes before the one that can wait.
    expect(await chantevent.locator('li.need h3').allTextContents()).toEqual(['Winter coats, size 10', 'Crayons']);
    await expectFitsAndClean(person);
    await screenshot(person.page, 'en-wishlist');
    await person.page.getByLabel('Show').selectOption('toys-crafts');
    // Crayons were on the unfiltered list already: wait for the filtered list itself, the coats gone.
    await person.page.locator('li.need', { hasText: 'Winter coats' }).waitFor({ state: 'detached' });
    expect(await person.page.locator('li.need', { hasText: 'Winter coats' }).count()).toBe(0);
    expect(await person.page.locator('li.need', { hasText: 'Crayons' }).count()).toBe(1);

    for (const slug of ['chantevent', 'simbahuis', 'hejmo', 'olivier']) {
      const { body } = await api.get(`/api/houses/${slug}`);
      await open(person.page, `#/house/${slug}`);
      await person.page.getByRole('heading', { name: 'Who lives there' }).waitFor();
      await person.page.getByText(body.about.en).waitFor();
      await expectFitsAndClean(person);
      await screenshot(person.page, `en-house-${slug}`);
    }

    await open(person.page, '#/help');
    await person.page.getByRole('link', { name: 'Register as a volunteer' }).waitFor();
    await person.page.getByText('educational and school supplies').waitFor();
    await expectFitsAndClean(person);
    await screenshot(person.page, 'en-help');

    await open(person.page, '#/login');
    await person.page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
    await expectFitsAndClean(person);
    await screenshot(person.page, 'en-login');

    // Keyboard: the first Tab reaches the skip link, which moves on to the content.
    await open(person.page, '#/register?role=volunteer');
    await person.page.keyboard.press('Tab');
    expect(await person.page.evaluate<string>('document.activeElement.id')).toBe('skip-link');
    await person.page.keyboard.press('Enter');
    expect(await person.page.evaluate<string>('document.activeElement.id')).toBe('main');
    await person.page.getByRole('group', { name: 'My vehicle' }).waitFor();
    await person.page.getByLabel('give goods (donor)').check();
    await person.page.getByRole('group', { name: 'My vehicle' }).waitFor({ state: 'hidden' });
    await expectFitsAndClean(person);
    await screenshot(person.page, 'en-register');
    await person.context.close();
  });

  it('gives the pages a strict content security policy, and keeps the relaxed one for Swagger UI', async () => {
    const page = await fetch(`${site.baseUrl}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const policy = String(page.headers.get('content-security-policy'));
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toContain('unsafe-inline');
    expect(String((await fetch(`${site.baseUrl}/js/app.js`)).headers.get('content-security-policy'))).not.toContain('unsafe-inline');
    expect(String((await fetch(`${site.baseUrl}/docs`)).headers.get('content-security-policy'))).toContain("'unsafe-inline'");
    // Nothing inline for a policy to forbid: scripts come from files, no style or on* attributes.
    const html = await page.text();
    expect(html).toMatch(/<script type="module" src="\/js\/app.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\s(style|on[a-z]+)=/);
    // Unknown paths still get the API's 404, not the page.
    expect((await fetch(`${site.baseUrl}/api/nothing-here`)).status).toBe(404);
  });

  it('lets an admin see the pipeline, create a coordinator who can then log in, and open the queue dashboard', async () => {
    const admin = await visitor(site, 'en-GB');
    await open(admin.page, '#/admin');
    await logIn(admin.page, ADMIN.email, ADMIN.password);
    await admin.page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    const pipeline = await site.api.get('/api/pipeline', await site.api.adminToken());
    const needs = admin.page.getByRole('table', { name: 'Needs' });
    expect(await needs.getByRole('row', { name: /^open/ }).locator('td').textContent()).toBe(String(pipeline.body.needs.open));
    expect(await admin.page.getByRole('table', { name: 'Pickups' }).getByRole('row').count()).toBe(5);

    const form = admin.page.locator('#new-coordinator');
    const email = `coord-simbahuis-${Date.now()}@example.be`;
    await form.getByLabel('Name').fill('An Janssens');
    await form.getByLabel('E-mail address').fill(email);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('House').selectOption('simbahuis');
    await expectFitsAndClean(admin);
    await screenshot(admin.page, 'en-admin');
    await form.getByRole('button', { name: 'Create coordinator' }).click();
    await admin.page.getByText('An Janssens now coordinates the Simbahuis.').waitFor();

    // The dashboard link works for the admin: the page put the token where a link can carry it.
    expect(await admin.page.getByRole('link', { name: 'Open the queue dashboard' }).getAttribute('href')).toBe('/admin/queues');
    expect((await admin.context.cookies()).map((c) => [c.name, c.path])).toContainEqual(['inkind_dashboard_token', '/admin/queues']);
    expect((await admin.page.request.get('/admin/queues')).status()).toBe(200);

    await admin.page.getByRole('button', { name: 'Log out' }).click();
    await admin.page.getByRole('link', { name: 'Log in' }).click();
    await logIn(admin.page, email);
    await admin.page.getByRole('heading', { level: 1, name: 'the Simbahuis' }).waitFor();
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  it('lets an admin see the coordinators of every house and remove one who left, after a second click', async () => {
    const leaving = await coordinator(site.api, 'hejmo');
    const admin = await visitor(site, 'en-GB');
    await open(admin.page, '#/admin');
    await logIn(admin.page, ADMIN.email, ADMIN.password);
    const list = admin.page.getByRole('list', { name: 'Coordinators' });
    const card = list.locator(`li[data-user="${leaving.id}"]`);
    expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe('Coordinator hejmo');
    expect(await card.textContent()).toContain(leaving.email);
    expect(await card.textContent()).toContain('Hejmo');

    await card.getByRole('button', { name: 'Remove…' }).click();
    await expectFitsAndClean(admin);
    await screenshot(admin.page, 'en-admin-coordinators');
    await card.getByRole('button', { name: 'Erase the account of Coordinator hejmo' }).click();
    await admin.page.getByText('Coordinator hejmo no longer coordinates Hejmo; their account is erased.').waitFor();
    expect(await list.locator(`li[data-user="${leaving.id}"]`).count()).toBe(0);
    expect((await site.api.post('/api/auth/login', { email: leaving.email, password: PASSWORD })).status).toBe(401);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  it('lets an admin find a donor’s account by e-mail address and erase it, and says so when nothing matches', async () => {
    const donor = await register(site.api, 'donor', { name: 'Griet Vermeulen' });
    const admin = await visitor(site, 'nl-BE');
    await open(admin.page, '#/admin');
    await logIn(admin.page, ADMIN.email, ADMIN.password, { email: 'E-mailadres', password: 'Wachtwoord', submit: 'Aanmelden' });
    const search = admin.page.getByRole('search');
    await search.getByLabel('Naam of e-mailadres').fill('nobody-at-all@nowhere.example');
    await search.getByRole('button', { name: 'Zoeken' }).click();
    await admin.page.getByText('Geen enkel account komt overeen.').waitFor();

    await search.getByLabel('Naam of e-mailadres').fill(donor.email.toUpperCase());
    await search.getByRole('button', { name: 'Zoeken' }).click();
    const card = admin.page.getByRole('list', { name: 'Gevonden accounts' }).locator(`li[data-user="${donor.id}"]`);
    expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe('Griet Vermeulen');
    expect(await card.textContent()).toContain('schenker');
    await expectFitsAndClean(admin);
    await screenshot(admin.page, 'nl-admin-search');
    await card.getByRole('button', { name: 'Verwijderen…' }).click();
    await card.getByRole('button', { name: 'Het account van Griet Vermeulen wissen' }).click();
    await admin.page.getByText('Het account van Griet Vermeulen is gewist.').waitFor();
    expect((await site.api.post('/api/auth/login', { email: donor.email, password: PASSWORD })).status).toBe(401);
    expect(admin.errors).toEqual([]);
    await admin.context.close();
  });

  it('lets a coordinator change and cancel a need and decline a proposal', async () => {
    const { api, t } = site;
    const house = await coordinator(api, 'simbahuis');
    const need = (await api.post('/api/needs', { houseSlug: 'simbahuis', categoryCode: 'childcare', title: 'Baby bottles', quantity: 4, urgency: 'normal' }, house.token)).body;
    const donor = await register(api, 'donor');
    await api.post('/api/offers', offerBody({ categoryCode: 'childcare', title: 'Six baby bottles', quantity: 6, pickupAddress: { street: 'Stationsstraat 1', postcode: '1770', town: 'Liedekerke' }, availability: availability() }), donor.token);
    await t.drain();

    const coord = await visitor(site, 'en-GB');
    await open(coord.page, '#/coordinator');
    await logIn(coord.page, house.email);
    const proposal = coord.page.locator('li.proposal', { hasText: 'Six baby bottles' });
    await proposal.getByText('1770 Liedekerke').waitFor();
    await expectFitsAndClean(coord);
    await screenshot(coord.page, 'en-coordinator');
    await proposal.getByRole('button', { name: 'Decline' }).click();
    await coord.page.getByText('Declined: "Six baby bottles".').waitFor();
    await coord.page.getByText('No proposals right now.').waitFor();
    expect((await api.get(`/api/matches?needId=${need.id}&status=declined`, house.token)).body.items).toHaveLength(1);

    const card = coord.page.locator('li.need', { hasText: 'Baby bottles' });
    await card.getByText('Change').click();
    await card.getByLabel('How many?').fill('7');
    await card.getByLabel('Urgency').selectOption('high');
    await card.getByRole('button', { name: 'Save' }).click();
    await coord.page.getByText('Saved: "Baby bottles".').waitFor();
    await card.getByText('7 needed', { exact: false }).waitFor();
    await card.locator('.badge', { hasText: 'Soon' }).waitFor();
    await card.getByRole('button', { name: 'Cancel this need' }).click();
    await coord.page.getByText('Cancelled: "Baby bottles".').waitFor();
    await coord.page.getByText('No open needs.').waitFor();
    expect((await api.get(`/api/needs/${need.id}`)).body).toMatchObject({ status: 'cancelled', quantity: 7, urgency: 'high' });
    await expectFitsAndClean(coord);
    await coord.context.close();
  });

  it('carries the language chosen in the switch to the API: its messages, and the signed-in profile', async () => {
    const { api } = site;
    const account = await register(api, 'donor');
    const donor = await visitor(site, 'en-GB');
    await open(donor.page, '#/donor');
    await logIn(donor.page, account.email);
    await donor.page.getByRole('heading', { level: 1, name: 'My offers' }).waitFor();
    const [patch] = await Promise.all([
      donor.page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'PATCH'),
      donor.page.getByLabel('Language').selectOption('fr'),
    ]);
    expect(patch.status()).toBe(200);
    // The profile now says French: notifications, e-mails and the calendar follow.
    expect((await api.get('/api/me', account.token)).body.language).toBe('fr');
    // Every call of the page asks for the page's language.
    const [request] = await Promise.all([
      donor.page.waitForRequest((r) => r.url().includes('/api/')),
      donor.page.evaluate("window.dispatchEvent(new HashChangeEvent('hashchange'))"),
    ]);
    expect(request.headers()['accept-language']).toBe('fr');
    await donor.context.close();
  });

  it('lets a donor withdraw an offer, download their data and erase it', async () => {
    const { api } = site;
    const account = await register(api, 'donor');
    await api.post('/api/offers', offerBody({ categoryCode: 'tools', title: 'Drill', quantity: 1, availability: availability() }), account.token);
    const donor = await visitor(site, 'en-GB');
    await open(donor.page, '#/donor');
    await logIn(donor.page, account.email);
    const offer = donor.page.locator('li.offer', { hasText: 'Drill' });
    await offer.getByText('1 still looking for a house that needs it.').waitFor();
    await expectFitsAndClean(donor);
    await screenshot(donor.page, 'en-donor');
    await offer.getByRole('button', { name: 'Withdraw' }).click();
    await offer.getByText('You withdrew this offer.').waitFor();
    expect(await offer.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);

    const [download] = await Promise.all([donor.page.waitForEvent('download'), donor.page.getByRole('button', { name: 'Download my data' }).click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(exported.profile.email).toBe(account.email);
    expect(exported.offers.map((o: { title: string; status: string }) => [o.title, o.status])).toEqual([['Drill', 'withdrawn']]);

    await open(donor.page, '#/donor/offer');
    await donor.page.getByRole('heading', { level: 1, name: 'Offer goods' }).waitFor();
    await donor.page.getByRole('button', { name: 'Add another time' }).click();
    await donor.page.getByRole('group', { name: 'Time 2' }).waitFor();
    await expectFitsAndClean(donor);
    await screenshot(donor.page, 'en-donor-offer-form');

    await open(donor.page, '#/donor');
    await donor.page.getByRole('button', { name: 'Erase my data' }).click();
    await donor.page.getByRole('button', { name: 'Yes, erase my data' }).click();
    await donor.page.getByText('Your personal data is erased. Thank you for your help.').waitFor();
    await donor.page.getByRole('link', { name: 'Log in' }).waitFor();
    expect((await api.post('/api/auth/login', { email: account.email, password: PASSWORD })).status).toBe(401);
    expect(donor.errors).toEqual([]);
    await donor.context.close();
  });

  it('shows a volunteer what their vehicle can carry, the address once claimed; release, failed attempt and the calendar feed', async () => {
    const { api, t } = site;
    const house = await coordinator(api, 'hejmo');
    const donor = await register(api, 'donor', { phone: '+32 470 99 88 77' });
    const { pickup } = await acceptedPickup(t, api, house, donor, {
      need: { title: 'Wardrobe', quantity: 1 },
      offer: { title: 'Oak wardrobe', quantity: 1, size: 'large', pickupAddress: { street: 'Kerkstraat 12', postcode: '1950', town: 'Kraainem' }, availability: availability() },
    });
    const carDriver = await register(api, 'volunteer', { vehicle: 'car', postcode: '1930', town: 'Zaventem' });
    const vanDriver = await register(api, 'volunteer', { vehicle: 'van', postcode: '1930', town: 'Zaventem' });

    const car = await visitor(site, 'en-GB');
    await open(car.page, '#/volunteer');
    await logIn(car.page, carDriver.email);
    await car.page.getByRole('heading', { level: 1, name: 'Pickups' }).waitFor();
    expect(await car.page.locator(`li[data-pickup="${pickup.id}"]`).count()).toBe(0);
    expect(car.errors).toEqual([]);
    await car.context.close();

    const van = await visitor(site, 'en-GB');
    await open(van.page, '#/volunteer');
    await logIn(van.page, vanDriver.email);
    const near = van.page.getByRole('region', { name: 'Pickups near me' }).locator(`li[data-pickup="${pickup.id}"]`);
    await near.getByText('1950 Kraainem').waitFor();
    await near.getByText('Large: needs a van').waitFor();
    expect(await near.textContent()).not.toContain('Kerkstraat');
    await near.getByRole('button', { name: 'Claim' }).click();
    const mine = van.page.getByRole('region', { name: 'My pickups' }).locator(`li[data-pickup="${pickup.id}"]`);
    await mine.getByText('Kerkstraat 12, 1950 Kraainem').waitFor();
    await mine.getByRole('link', { name: '+32 470 99 88 77' }).waitFor();
    await expectFitsAndClean(van);
    await screenshot(van.page, 'en-volunteer');

    await mine.getByRole('button', { name: 'Release' }).click();
    await van.page.getByText('Released: another volunteer can take it.').waitFor();
    await near.getByRole('button', { name: 'Claim' }).waitFor();
    expect(await near.textContent()).not.toContain('Kerkstraat');

    await near.getByRole('button', { name: 'Claim' }).click();
    await mine.getByText('Report a failed attempt').click();
    await mine.getByLabel('What happened?').selectOption('donor-absent');
    await mine.getByRole('button', { name: 'Report' }).click();
    await van.page.getByText('Reported. The pickup will be planned again.').waitFor();
    expect((await api.get(`/api/pickups/${pickup.id}`, house.token)).body).toMatchObject({ status: 'unassigned', volunteerId: null });

    // The calendar address works without the page's token: a calendar app subscribes to it.
    const address = await van.page.locator('#calendar-url').inputValue();
    expect(await van.page.getByRole('link', { name: 'Subscribe to my calendar' }).getAttribute('href')).toBe(address.replace(/^http:/, 'webcal:'));
    const feed = await fetch(address);
    expect(feed.headers.get('content-type')).toContain('text/calendar');
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await expectFitsAndClean(van);
    await van.context.close();
  });
});
