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
};

export function renderNotification(kind: NotificationKind, data: Data): Labels {
  return TEMPLATES[kind](data);
}
