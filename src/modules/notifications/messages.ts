import { Labels } from '../houses/entities/house.entity';
import { NotificationKind } from './entities/notification.entity';

type Data = Record<string, unknown>;

/** What a notification says, in nl, fr and en, from its kind and data. */
const TEMPLATES: Record<NotificationKind, (data: Data) => Labels> = {
  'match-proposed': (d) => ({
    nl: `Voorstel: ${d.quantity} × "${d.offerTitle}" uit ${d.pickupTown} voor "${d.needTitle}".`,
    fr: `Proposition : ${d.quantity} × « ${d.offerTitle} » de ${d.pickupTown} pour « ${d.needTitle} ».`,
    en: `Proposal: ${d.quantity} × "${d.offerTitle}" from ${d.pickupTown} for "${d.needTitle}".`,
  }),
  'match-accepted': (d) => ({
    nl: `${d.houseName} neemt ${d.quantity} × "${d.offerTitle}" graag aan. Dank u! We plannen de ophaling.`,
    fr: `${d.houseName} accepte avec plaisir ${d.quantity} × « ${d.offerTitle} ». Merci ! Nous organisons l'enlèvement.`,
    en: `${d.houseName} gladly accepts ${d.quantity} × "${d.offerTitle}". Thank you! We are planning the pickup.`,
  }),
  'pickup-scheduled': (d) => ({
    nl: `Ophaling van "${d.offerTitle}" voor ${d.houseName}: ${when(d, 'nl')}.`,
    fr: `Enlèvement de « ${d.offerTitle} » pour ${d.houseName} : ${when(d, 'fr')}.`,
    en: `Pickup of "${d.offerTitle}" for ${d.houseName}: ${when(d, 'en')}.`,
  }),
  'availability-needed': (d) => ({
    nl: `${d.houseName} wil "${d.offerTitle}" graag ophalen, maar u bent niet meer beschikbaar. Voeg momenten toe waarop u thuis bent.`,
    fr: `${d.houseName} souhaite enlever « ${d.offerTitle} », mais vos disponibilités sont passées. Ajoutez des moments où vous êtes chez vous.`,
    en: `${d.houseName} would like to collect "${d.offerTitle}", but your availability has passed. Please add times when you are at home.`,
  }),
  'pickup-available': (d) => ({
    nl: `Nieuwe ophaling in ${d.town}${km(d)}: "${d.offerTitle}" naar ${d.houseName}, ${when(d, 'nl')}.`,
    fr: `Nouvel enlèvement à ${d.town}${km(d)} : « ${d.offerTitle} » pour ${d.houseName}, ${when(d, 'fr')}.`,
    en: `New pickup in ${d.town}${km(d)}: "${d.offerTitle}" for ${d.houseName}, ${when(d, 'en')}.`,
  }),
  'pickup-reminder': (d) => ({
    nl: `Herinnering: morgen ophaling van "${d.offerTitle}" voor ${d.houseName}, ${when(d, 'nl')}.`,
    fr: `Rappel : demain, enlèvement de « ${d.offerTitle} » pour ${d.houseName}, ${when(d, 'fr')}.`,
    en: `Reminder: tomorrow, pickup of "${d.offerTitle}" for ${d.houseName}, ${when(d, 'en')}.`,
  }),
  'pickup-unclaimed': (d) => ({
    nl: `Nog geen vrijwilliger voor de ophaling van "${d.offerTitle}" in ${d.town}, ${when(d, 'nl')}.`,
    fr: `Toujours aucun bénévole pour l'enlèvement de « ${d.offerTitle} » à ${d.town}, ${when(d, 'fr')}.`,
    en: `Still no volunteer for the pickup of "${d.offerTitle}" in ${d.town}, ${when(d, 'en')}.`,
  }),
  'pickup-missed': (d) => ({
    nl: `De ophaling van "${d.offerTitle}" in ${d.town} is niet gebeurd; ze wordt opnieuw ingepland.`,
    fr: `L'enlèvement de « ${d.offerTitle} » à ${d.town} n'a pas eu lieu ; il est reprogrammé.`,
    en: `The pickup of "${d.offerTitle}" in ${d.town} did not happen; it is being rescheduled.`,
  }),
  'pickup-delivered': (d) => ({
    nl: `"${d.offerTitle}" is aangekomen bij ${d.houseName}. Hartelijk dank!`,
    fr: `« ${d.offerTitle} » est arrivé à ${d.houseName}. Merci de tout cœur !`,
    en: `"${d.offerTitle}" has arrived at ${d.houseName}. Thank you so much!`,
  }),
  'pickup-withdrawn': (d) => ({
    nl: `De donor heeft "${d.offerTitle}" gewijzigd: de ophaling ${when(d, 'nl')} gaat niet door zoals gepland. Ze wordt opnieuw aangeboden.`,
    fr: `Le donateur a modifié « ${d.offerTitle} » : l'enlèvement ${when(d, 'fr')} n'a pas lieu comme prévu. Il est proposé à nouveau.`,
    en: `The donor changed "${d.offerTitle}": the pickup ${when(d, 'en')} no longer stands as planned. It is offered again.`,
  }),
};

const LOCALES: Record<keyof Labels, string> = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' };

/** "Tuesday 1 December 14:00–17:00", in the reader's language and Brussels time. */
function when(d: Data, language: keyof Labels): string {
  if (typeof d.windowStart !== 'string' || typeof d.windowEnd !== 'string') return '—';
  const day = new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'Europe/Brussels', weekday: 'long', day: 'numeric', month: 'long' });
  const time = new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${day.format(new Date(d.windowStart))} ${time.format(new Date(d.windowStart))}–${time.format(new Date(d.windowEnd))}`;
}

function km(d: Data): string {
  return typeof d.distanceKm === 'number' ? ` (${d.distanceKm} km)` : '';
}

export function renderNotification(kind: NotificationKind, data: Data): Labels {
  return TEMPLATES[kind](data);
}
