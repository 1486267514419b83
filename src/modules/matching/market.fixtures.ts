import fc from 'fast-check';
import type { Urgency } from '../needs/entities/need.entity';
import type { Condition, Size } from '../offers/entities/offer.entity';
import { AllocationInput, NeedSide, OfferSide, pairKey } from './allocation';

/** Offers, needs and markets for the engine's unit tests (not part of the build). */
export const TODAY = '2026-12-01';
export const NOW = new Date('2026-12-01T10:00:00Z');
export const DAY = 86_400_000;
export const URGENCIES: Urgency[] = ['low', 'normal', 'high', 'urgent'];
export const CONDITIONS: Condition[] = ['new', 'good', 'fair'];
export const SIZES: Size[] = ['small', 'medium', 'large'];

export const LIEGE = { lat: 50.63373, lng: 5.56749 };
export const OLIVIER = { lat: 50.6367, lng: 5.4794 };
export const SIMBAHUIS = { lat: 50.8812, lng: 4.087 };

export const offer = (fields: Partial<OfferSide> = {}): OfferSide => ({
  id: 'offer-1',
  ...LIEGE,
  free: 1,
  condition: 'good',
  size: 'medium',
  hasFutureWindow: true,
  ...fields,
});

export const need = (fields: Partial<NeedSide> = {}): NeedSide => ({
  id: 'need-1',
  houseId: 'house-1',
  ...OLIVIER,
  free: 1,
  urgency: 'normal',
  neededBy: null,
  createdAt: new Date(NOW.getTime() - 10 * DAY),
  ...fields,
});

export const input = (fields: Partial<AllocationInput>): AllocationInput => ({
  offers: [],
  needs: [],
  declined: new Set(),
  today: TODAY,
  now: NOW,
  candidatesPerSide: 5,
  ...fields,
});

export const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/** Random small markets: a few houses, offers and needs anywhere in Belgium, some declined pairs. */
const inBelgium = { lat: fc.double({ min: 49.5, max: 51.5, noNaN: true }), lng: fc.double({ min: 2.6, max: 6.4, noNaN: true }) };

export const market: fc.Arbitrary<AllocationInput> = fc
  .record({
    offers: fc.array(
      fc.record({
        ...inBelgium,
        free: fc.integer({ min: 0, max: 10 }),
        condition: fc.constantFrom(...CONDITIONS),
        size: fc.constantFrom(...SIZES),
        hasFutureWindow: fc.constantFrom(true, true, true, false),
      }),
      { minLength: 1, maxLength: 10 },
    ),
    needs: fc.array(
      fc.record({
        ...inBelgium,
        house: fc.integer({ min: 1, max: 4 }),
        free: fc.integer({ min: 0, max: 10 }),
        urgency: fc.constantFrom(...URGENCIES),
        dueInDays: fc.option(fc.integer({ min: -10, max: 90 }), { nil: null }),
        waitingDays: fc.double({ min: 0, max: 120, noNaN: true }),
      }),
      { minLength: 1, maxLength: 10 },
    ),
    declined: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
    candidatesPerSide: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ offers, needs, declined, candidatesPerSide }) => ({
    offers: offers.map((o, i) => ({ id: `o${i}`, ...o })),
    needs: needs.map(({ house, dueInDays, waitingDays, ...n }, j) => ({
      id: `n${j}`,
      houseId: `house-${house}`,
      neededBy: dueInDays === null ? null : addDays(TODAY, dueInDays),
      createdAt: new Date(NOW.getTime() - waitingDays * DAY),
      ...n,
    })),
    declined: new Set(declined.map(([i, j]) => pairKey(`o${i % offers.length}`, `n${j % needs.length}`))),
    today: TODAY,
    now: NOW,
    candidatesPerSide,
  }));
