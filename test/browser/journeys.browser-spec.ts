import { Page } from 'playwright-core';
import { coordinator, PASSWORD, uniqueEmail } from '../helpers/api';
import { horizontalOverflow, open, pickupDay, screenshot, Site, startSite, Visitor, visitor } from './browser';

/** The day part of a pickup window as the pages write it, in Brussels time. */
const dayOf = (instant: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Brussels', weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(instant));

const nextDay = (day: string) => new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

async function logIn(page: Page, email: string, labels: { email: string; password: string; submit: string }) {
  await page.getByLabel(labels.email).fill(email);
  await page.getByLabel(labels.password).fill(PASSWORD);
  await page.getByRole('button', { name: labels.submit }).click();
}

/** Every page a person saw fits a 375 px screen and logged no error. */
async function expectClean(person: Visitor) {
  expect(await horizontalOverflow(person.page)).toBeLessThanOrEqual(0);
  expect(person.errors).toEqual([]);
}

describe('the three people’s journeys in a real browser', () => {
  let site: Site;

  beforeAll(async () => {
    site = await startSite();
  });
  afterAll(() => site?.close());

  it('in French: a donor near Liège gives bunk beds to l’Olivier, a volunteer brings them, the donor is thanked', async () => {
    const { t, api } = site;
    const house = await coordinator(api, 'olivier');
    const coord = await visitor(site, 'fr-BE');
    const donor = await visitor(site, 'fr-BE');
    const driver = await visitor(site, 'fr-BE');

    // The coordinator posts the need from the house's page.
    await open(coord.page, '#/coordinator');
    await logIn(coord.page, house.email, { email: 'Adresse e-mail', password: 'Mot de passe', submit: 'Se connecter' });
    await coord.page.getByRole('heading', { level: 1, name: "l'Olivier" }).waitFor();
    await coord.page.getByText('Publier un besoin').click();
    const needForm = coord.page.locator('#new-need');
    await needForm.getByLabel('Catégorie').selectOption('furniture-appliances');
    await needForm.getByLabel('De quoi avez-vous besoin ?').fill('Lits superposés');
    await needForm.getByLabel('Combien ?').fill('2');
    await needForm.getByLabel('Urgence').selectOption('urgent');
    await needForm.getByRole('button', { name: 'Publier' }).click();
    await coord.page.getByText('Publié : « Lits superposés ».').waitFor();

    // The donor finds it on the public wishlist, registers, and offers two bunk beds.
    await open(donor.page, '#/');
    await donor.page.getByRole('heading', { level: 1, name: 'Ce dont nos maisons ont besoin' }).waitFor();
    const wish = donor.page.locator('li.need', { hasText: 'Lits superposés' });
    await wish.getByText('Urgent').waitFor();
    await screenshot(donor.page, 'fr-wishlist');
    await wish.getByRole('link', { name: 'Je peux donner ceci' }).click();
    await donor.page.getByText('Veuillez d’abord vous connecter.'.replace('’', "'")).waitFor();
    await donor.page.getByRole('link', { name: "S'inscrire" }).last().click();
    const donorEmail = uniqueEmail('donateur');
    await donor.page.getByLabel('Nom', { exact: true }).fill('Camille Dubois');
    await donor.page.getByLabel('Adresse e-mail').fill(donorEmail);
    await donor.page.getByLabel('Mot de passe').fill(PASSWORD);
    await donor.page.getByLabel('Téléphone').fill('+32 470 12 34 56');
    await donor.page.getByRole('button', { name: 'Créer mon compte' }).click();
    await donor.page.getByRole('heading', { level: 1, name: 'Proposer des biens' }).waitFor();
    await expect(donor.page.getByLabel('Catégorie').inputValue()).resolves.toBe('furniture-appliances');
    await donor.page.getByLabel("Qu'est-ce que c'est ?").fill('Lit superposé en bois');
    await donor.page.getByLabel('Combien ?').fill('2');
    await donor.page.getByLabel('État').selectOption('good');
    await donor.page.getByLabel('Taille').selectOption('medium');
    await donor.page.getByLabel('Rue et numéro').fill('Rue Haute 3');
    await donor.page.getByLabel('Code postal').fill('4460');
    await donor.page.getByLabel('Commune').fill('Grâce-Hollogne');
    const day = pickupDay();
    await donor.page.locator('input[name=day0]').fill(day);
    await donor.page.locator('input[name=from0]').fill('14:00');
    await donor.page.locator('input[name=to0]').fill('17:00');
    await donor.page.getByRole('button', { name: 'Ajouter un autre moment' }).click();
    await donor.page.locator('input[name=day1]').fill(nextDay(day));
    await donor.page.locator('input[name=from1]').fill('14:00');
    await donor.page.locator('input[name=to1]').fill('17:00');
    await screenshot(donor.page, 'fr-donor-offer-form');
    await expectClean(donor);
    await donor.page.getByRole('button', { name: 'Proposer', exact: true }).click();
    await donor.page.getByText('Merci ! Nous cherchons une maison qui a besoin de « Lit superposé en bois ».').waitFor();

    // Matching runs in the queue; the donor then reads where the beds are proposed.
    await t.drain();
    await open(donor.page, '#/donor');
    const offer = donor.page.locator('li.offer', { hasText: 'Lit superposé en bois' });
    await offer.getByText("2 proposé à l'Olivier, en attente de sa réponse.").waitFor();
    // The wishlist no longer asks anyone else for what is promised.
    await open(donor.page, '#/');
    const promised = donor.page.locator('li.need', { hasText: 'Lits superposés' });
    await promised.getByText('tout est promis, merci', { exact: false }).waitFor();
    expect(await promised.getByRole('link', { name: 'Je peux donner ceci' }).count()).toBe(0);

    // The coordinator sees the proposal with town, distance, condition and quantity, and accepts it in one click.
    await open(coord.page, '#/coordinator');
    const proposal = coord.page.locator('li.proposal', { hasText: 'Lit superposé en bois' });
    await proposal.getByText('4460 Grâce-Hollogne').waitFor();
    await proposal.getByText('bon état').waitFor();
    await proposal.getByText(/^\d+(,\d)? km$/).waitFor();
    expect(await proposal.locator('dd').first().textContent()).toBe('2');
    await screenshot(coord.page, 'fr-coordinator-proposal');
    await proposal.getByRole('button', { name: 'Accepter' }).click();
    await coord.page.getByText('Accepté : « Lit superposé en bois ».', { exact: false }).waitFor();
    await t.drain();

    const [pickup] = (await api.get('/api/pickups?status=unassigned', await api.adminToken())).body.items.filter(
      (p: { houseSlug: string }) => p.houseSlug === 'olivier',
    );
    expect(pickup.windowStart).toBeTruthy();
    await open(donor.page, '#/donor');
    await offer.getByText(`enlèvement le ${dayOf(pickup.windowStart, 'fr-BE')}, 14:00–17:00 ; nous cherchons un·e bénévole.`, { exact: false }).waitFor();

    // A volunteer with a car registers, sees the pickup near Liège without the street, claims it.
    await open(driver.page, '#/register?role=volunteer');
    await driver.page.getByLabel('Nom', { exact: true }).fill('Lucas Martin');
    await driver.page.getByLabel('Adresse e-mail').fill(uniqueEmail('benevole'));
    await driver.page.getByLabel('Mot de passe').fill(PASSWORD);
    await driver.page.getByLabel('Code postal').fill('4000');
    await driver.page.getByLabel('Commune').fill('Liège');
    await driver.page.getByLabel('Une voiture').check();
    await driver.page.getByRole('button', { name: 'Créer mon compte' }).click();
    await driver.page.getByRole('heading', { level: 1, name: 'Enlèvements' }).waitFor();
    const near = driver.page.getByRole('region', { name: 'Enlèvements près de chez moi' });
    const card = near.locator('li.pickup', { hasText: 'Lit superposé en bois' });
    await card.getByText('4460 Grâce-Hollogne').waitFor();
    await card.getByText(`${dayOf(pickup.windowStart, 'fr-BE')}, 14:00–17:00`).waitFor();
    expect(await card.textContent()).not.toContain('Rue Haute');
    await screenshot(driver.page, 'fr-volunteer-near');
    await card.getByRole('button', { name: "Je m'en charge" }).click();
    const mine = driver.page.getByRole('region', { name: 'Mes enlèvements' }).locator('li.pickup', { hasText: 'Lit superposé en bois' });
    await mine.getByText('Rue Haute 3, 4460 Grâce-Hollogne').waitFor();
    await mine.getByText('+32 470 12 34 56').waitFor();
    await expect(driver.page.locator('#calendar-url').inputValue()).resolves.toMatch(/\/api\/pickups\/mine\.ics\?key=/);
    await screenshot(driver.page, 'fr-volunteer-claimed');

    await open(donor.page, '#/donor');
    await offer.getByText(`enlèvement le ${dayOf(pickup.windowStart, 'fr-BE')}, 14:00–17:00 par un·e bénévole.`, { exact: false }).waitFor();

    // Collected, then delivered; the donor is thanked and the house counts what it received.
    await mine.getByRole('button', { name: 'Enlevé' }).click();
    await driver.page.getByText('Enlevé. Apportez-le maintenant à la maison.').waitFor();
    await mine.getByRole('button', { name: 'Livré' }).click();
    await driver.page.getByText('Livré. Merci !').waitFor();
    await driver.page.getByText('Déjà 1 livré(s). Merci !').waitFor();
    await t.drain();

    await open(donor.page, '#/donor');
    await offer.getByText("2 livré à l'Olivier — merci !").waitFor();
    await offer.getByText('Livré', { exact: true }).waitFor();
    await screenshot(donor.page, 'fr-donor-delivered');

    await open(coord.page, '#/coordinator');
    const impact = coord.page.getByRole('table', { name: 'Biens reçus par catégorie' });
    const row = impact.getByRole('row', { name: /mobilier et électroménager/ });
    expect(await row.locator('td').allTextContents()).toEqual(['2', '2']);
    await screenshot(coord.page, 'fr-coordinator-impact');

    for (const person of [coord, donor, driver]) await expectClean(person);
    await Promise.all([coord, donor, driver].map((person) => person.context.close()));
  });

  it('in Dutch: a donor in Kraainem gives school supplies to Hejmo, a cyclist collects them, the house confirms delivery', async () => {
    const { t, api } = site;
    const house = await coordinator(api, 'hejmo');
    await api.post('/api/needs', { houseSlug: 'hejmo', categoryCode: 'school-supplies', title: 'Schriften en pennenzakken', quantity: 5, urgency: 'high' }, house.token);
    const coord = await visitor(site, 'nl-BE');
    const donor = await visitor(site, 'nl-BE');
    const driver = await visitor(site, 'nl-BE');

    // The donor starts from the house's page, which says who lives there.
    await open(donor.page, '#/house/hejmo');
    await donor.page.getByRole('heading', { level: 1, name: 'Hejmo' }).waitFor();
    await donor.page.getByRole('heading', { name: 'Wie woont er' }).waitFor();
    const wish = donor.page.locator('li.need', { hasText: 'Schriften en pennenzakken' });
    await wish.getByText('Snel').waitFor();
    await wish.getByText('nog 5 nodig', { exact: false }).waitFor();
    await screenshot(donor.page, 'nl-house-hejmo');
    await open(donor.page, '#/register');
    await donor.page.getByLabel('Naam', { exact: true }).fill('Lotte Peeters');
    const donorEmail = uniqueEmail('schenker');
    await donor.page.getByLabel('E-mailadres').fill(donorEmail);
    await donor.page.getByLabel('Wachtwoord').fill(PASSWORD);
    await donor.page.getByRole('button', { name: 'Maak mijn account' }).click();
    await donor.page.getByRole('heading', { level: 1, name: 'Mijn giften' }).waitFor();
    await donor.page.getByText('Je hebt nog niets aangeboden.').waitFor();
    await donor.page.getByRole('link', { name: 'Spullen aanbieden' }).first().click();
    await donor.page.getByLabel('Categorie').selectOption('school-supplies');
    await donor.page.getByLabel('Wat is het?').fill('Doos schoolgerief');
    await donor.page.getByLabel('Hoeveel?').fill('5');
    await donor.page.getByLabel('Staat').selectOption('new');
    await donor.page.getByLabel('Grootte').selectOption('small');
    await donor.page.getByLabel('Straat en huisnummer').fill('Wezembeekstraat 10');
    await donor.page.getByLabel('Postcode').fill('1950');
    await donor.page.getByLabel('Gemeente').fill('Kraainem');
    const day = pickupDay();
    await donor.page.locator('input[name=day0]').fill(day);
    await donor.page.locator('input[name=from0]').fill('10:00');
    await donor.page.locator('input[name=to0]').fill('13:00');
    await donor.page.getByRole('button', { name: 'Nog een moment toevoegen' }).click();
    await donor.page.locator('input[name=day1]').fill(nextDay(day));
    await donor.page.locator('input[name=from1]').fill('10:00');
    await donor.page.locator('input[name=to1]').fill('13:00');
    await donor.page.getByRole('button', { name: 'Aanbieden', exact: true }).click();
    await donor.page.getByText('Dank je wel! We zoeken een huis dat "Doos schoolgerief" nodig heeft.').waitFor();
    await t.drain();

    await open(coord.page, '#/coordinator');
    await logIn(coord.page, house.email, { email: 'E-mailadres', password: 'Wachtwoord', submit: 'Aanmelden' });
    const proposal = coord.page.locator('li.proposal', { hasText: 'Doos schoolgerief' });
    await proposal.getByText('1950 Kraainem').waitFor();
    await proposal.getByText('nieuw', { exact: true }).waitFor();
    await screenshot(coord.page, 'nl-coordinator');
    await proposal.getByRole('button', { name: 'Aanvaarden' }).click();
    await coord.page.getByText('Aanvaard: "Doos schoolgerief". De ophaling wordt gepland.').waitFor();
    await t.drain();

    // A volunteer on a bike near Kraainem claims and collects it.
    await open(driver.page, '#/register?role=volunteer');
    await driver.page.getByLabel('Naam', { exact: true }).fill('Jonas Claes');
    await driver.page.getByLabel('E-mailadres').fill(uniqueEmail('vrijwilliger'));
    await driver.page.getByLabel('Wachtwoord').fill(PASSWORD);
    await driver.page.getByLabel('Postcode').fill('1930');
    await driver.page.getByLabel('Gemeente').fill('Zaventem');
    await driver.page.getByLabel('Geen auto (fiets of te voet)').check();
    await driver.page.getByRole('button', { name: 'Maak mijn account' }).click();
    const card = driver.page.getByRole('region', { name: 'Ophalingen in mijn buurt' }).locator('li.pickup', { hasText: 'Doos schoolgerief' });
    await card.getByText('1950 Kraainem').waitFor();
    await card.getByRole('button', { name: 'Ik doe het' }).click();
    const mine = driver.page.getByRole('region', { name: 'Mijn ophalingen' }).locator('li.pickup', { hasText: 'Doos schoolgerief' });
    await mine.getByText('Wezembeekstraat 10, 1950 Kraainem').waitFor();
    await mine.getByRole('button', { name: 'Opgehaald' }).click();
    await driver.page.getByText('Opgehaald. Breng het nu naar het huis.').waitFor();
    await screenshot(driver.page, 'nl-volunteer');

    await open(donor.page, '#/donor');
    const offer = donor.page.locator('li.offer', { hasText: 'Doos schoolgerief' });
    await offer.getByText('5 opgehaald, onderweg naar Hejmo.').waitFor();

    // The house confirms the delivery itself.
    await open(coord.page, '#/coordinator');
    const incoming = coord.page.getByRole('region', { name: 'Onderweg naar het huis' }).locator('li.pickup', { hasText: 'Doos schoolgerief' });
    await incoming.getByText('Opgehaald').waitFor();
    await incoming.getByRole('button', { name: 'Levering bevestigen' }).click();
    await coord.page.getByText('Levering bevestigd. Dank je wel!').waitFor();
    await coord.page.getByText('Geen ophalingen onderweg.').waitFor();
    await t.drain();

    await open(donor.page, '#/donor');
    await offer.getByText('5 geleverd aan Hejmo — dank je wel!').waitFor();
    await screenshot(donor.page, 'nl-donor-delivered');
    for (const person of [coord, donor, driver]) await expectClean(person);
    await Promise.all([coord, donor, driver].map((person) => person.context.close()));
  });
});
