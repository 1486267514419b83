import { Api, coordinator, PASSWORD, register, uniqueEmail } from './helpers/api';
import { acceptedPickup } from './helpers/flows';
import { SmtpSink } from './helpers/smtp-sink';
import { startApp, TestApp } from './helpers/test-app';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { Mailer } from '../src/modules/notifications/mailer';
import { QueueName } from '../src/queue/catalogue';

/** Everyone reads the service in their own language: inbox, e-mail and calendar. */
describe('languages and e-mail', () => {
  const sink = new SmtpSink();
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    const smtpUrl = await sink.start();
    t = await startApp({ SMTP_URL: smtpUrl, MAIL_FROM: 'inkind <no-reply@inkind.test>' }, { jobs: true });
    api = new Api(t.app);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  async function frenchDonor() {
    const email = uniqueEmail('donateur');
    const res = await api.request('POST', '/api/auth/register', {
      body: { email, password: PASSWORD, name: 'Amélie Dubois', role: 'donor', phone: '+32 470 55 44 33' },
      headers: { 'accept-language': 'fr-BE,fr;q=0.9' },
    });
    expect(res.body.language).toBe('fr');
    return { id: res.body.id as string, email, token: await api.login(email, PASSWORD) };
  }

  it('tells a French-speaking donor in French, in the inbox and by e-mail, and a Dutch-speaking coordinator in Dutch', async () => {
    const house = await coordinator(api, 'hejmo');
    const donor = await frenchDonor();
    const { offer } = await acceptedPickup(t, api, house, donor, { offer: { title: 'Lit superposé' } });

    const inbox = (await api.get('/api/notifications', donor.token)).body.items;
    const accepted = inbox.find((n: { kind: string }) => n.kind === 'match-accepted');
    expect(accepted.text).toBe('Opvanghuis Hejmo accepte avec plaisir 2 × « Lit superposé ». Merci ! Nous organisons l\'enlèvement.');
    expect(accepted.message.nl).toContain('neemt 2 × "Lit superposé" graag aan');

    const [mail] = sink.to(donor.email).filter((m) => m.header('x-inkind-notification') === accepted.id);
    expect(mail).toBeDefined();
    expect(mail.from).toBe('no-reply@inkind.test');
    expect(mail.header('content-language')).toBe('fr');
    expect(mail.subject).toBe('Votre don est accepté');
    expect(mail.text).toContain('Bonjour Amélie Dubois,');
    expect(mail.text).toContain(accepted.text);
    expect(mail.text).toContain("Villages d'Enfants SOS");

    // The coordinator (Dutch by default) was told of the proposal in Dutch.
    const proposal = sink.to(house.email).find((m) => m.subject === 'Nieuw voorstel');
    expect(proposal?.text).toContain(`Voorstel: 2 × "Lit superposé"`);
    expect(proposal?.header('content-language')).toBe('nl');
    expect(offer.title).toBe('Lit superposé');
  });

  it('sends each notification once, however often its job runs', async () => {
    const house = await coordinator(api, 'simbahuis');
    const donor = await frenchDonor();
    await acceptedPickup(t, api, house, donor, { need: { houseSlug: 'simbahuis' } });
    const [row] = await t.db.query(`SELECT id, emailed_at FROM notifications WHERE user_id = $1 AND kind = 'match-accepted'`, [donor.id]);
    expect(row.emailed_at).toBeInstanceOf(Date);
    const before = sink.to(donor.email).length;
    expect(await t.app.get(Mailer).send(row.id)).toBe('already-sent');
    await t.drain();
    expect(sink.to(donor.email)).toHaveLength(before);
    // One e-mail per notification of the donor, no more.
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM notifications WHERE user_id = $1`, [donor.id]);
    expect(sink.to(donor.email)).toHaveLength(count);
  });

  it('keeps no address in Redis when the SMTP server refuses a recipient, and does not try again', async () => {
    const house = await coordinator(api, 'olivier');
    const email = uniqueEmail('refused-donor');
    const donor = await register(api, 'donor', { email });
    await acceptedPickup(t, api, house, donor, { need: { houseSlug: 'olivier' } });
    const failed = (await t.app.get<Queue>(getQueueToken(QueueName.Notifications)).getFailed()).filter((job) => job.name === 'send-email');
    expect(failed.length).toBeGreaterThan(0);
    for (const job of failed) {
      expect(job.failedReason).toMatch(/^SMTP \w+ 550 at RCPT for notification [0-9a-f-]{36}$/);
      expect(JSON.stringify([job.failedReason, job.stacktrace, job.data])).not.toContain(email);
      expect(job.attemptsMade).toBe(1);
    }
    expect(sink.to(email)).toEqual([]);
  });

  it('writes the calendar of a French-speaking volunteer in French', async () => {
    const house = await coordinator(api, 'hejmo');
    const donor = await register(api, 'donor', { phone: '+32 470 11 22 33' });
    const volunteer = await register(api, 'volunteer', { vehicle: 'van', postcode: '1930', town: 'Zaventem', language: 'fr' });
    const { pickup } = await acceptedPickup(t, api, house, donor, { offer: { title: 'Armoire' } });
    expect((await api.post(`/api/pickups/${pickup.id}/claim`, {}, volunteer.token)).status).toBe(200);
    const feed = (await api.get('/api/pickups/mine.ics', volunteer.token)).body as string;
    const unfolded = feed.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('X-WR-CALNAME:inkind – enlèvements');
    expect(unfolded).toContain('SUMMARY:Enlèvement : Armoire → Opvanghuis Hejmo');
    expect(unfolded).toContain('Tél. +32 470 11 22 33');
    // The volunteer was also told of the pickup in French, by e-mail.
    expect(sink.to(volunteer.email).some((m) => m.subject === 'Nouvel enlèvement à Kraainem')).toBe(true);
  });

  it('asks for no e-mail at all when SMTP_URL is not set', async () => {
    const plain = await startApp({}, { jobs: true });
    try {
      const plainApi = new Api(plain.app);
      const house = await coordinator(plainApi, 'hejmo');
      const donor = await register(plainApi, 'donor');
      await acceptedPickup(plain, plainApi, house, donor);
      const [{ count }] = await plain.db.query(`SELECT count(*)::int AS count FROM outbox WHERE job_name = 'send-email'`);
      expect(count).toBe(0);
      expect((await plainApi.get('/api/notifications', donor.token)).body.items.length).toBeGreaterThan(0);
    } finally {
      await plain.close();
    }
  });
});
