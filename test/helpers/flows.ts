import { Account, Api, needBody, offerBody } from './api';
import { TestApp } from './test-app';

/**
 * A need of the coordinator's house, a matching offer of the donor, its proposal accepted:
 * answers all four, with the pickup the acceptance scheduled. Furniture by default.
 */
export async function acceptedPickup(
  t: TestApp,
  api: Api,
  house: Account,
  donor: Account,
  overrides: { need?: Record<string, unknown>; offer?: Record<string, unknown> } = {},
) {
  const need = (await api.post('/api/needs', needBody({ categoryCode: 'furniture-appliances', title: 'Beds', quantity: 2, ...overrides.need }), house.token)).body;
  const offer = (
    await api.post(
      '/api/offers',
      offerBody({
        categoryCode: 'furniture-appliances',
        title: 'Bunk bed',
        quantity: 2,
        size: 'large',
        pickupAddress: { street: 'Kerkstraat 12', postcode: '1950', town: 'Kraainem' },
        availability: [{ from: '2026-12-03T08:00:00+01:00', to: '2026-12-03T20:00:00+01:00' }],
        ...overrides.offer,
      }),
      donor.token,
    )
  ).body;
  await t.drain();
  const [match] = (await api.get(`/api/matches?offerId=${offer.id}&status=proposed`, house.token)).body.items;
  const accepted = await api.post(`/api/matches/${match.id}/accept`, {}, house.token);
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  await t.drain();
  const [pickup] = (await api.get('/api/pickups?status=unassigned', house.token)).body.items.filter(
    (p: { items: Array<{ matchId: string }> }) => p.items.some((item) => item.matchId === match.id),
  );
  return { need, offer, match, pickup };
}
