/**
 * Seeded, realistic-looking matching data for the benchmark: donors in Belgian towns drawn by
 * population, needs at the four houses, the seven categories, small quantities.
 */
import towns from '../src/modules/geo/data/belgian-towns.json';
import { distanceKm, findTown, normaliseTownName, POSTCODE_AREA_TOWNS } from '../src/modules/geo/geo';
import type { NeedSide, OfferSide } from '../src/modules/matching/allocation';
import type { Urgency } from '../src/modules/needs/entities/need.entity';
import type { Condition, Size } from '../src/modules/offers/entities/offer.entity';

/** mulberry32: a tiny, fast, seeded 32-bit PRNG; good enough for benchmark data. */
export type Rng = () => number;
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

/** Draws from a weighted table: [[value, weight], ...]. */
export function weighted<T>(table: ReadonlyArray<readonly [T, number]>): (rng: Rng) => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, w] of table) cumulative.push((sum += w));
  return (rng) => {
    const x = rng() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return table[lo][0];
  };
}

export const CATEGORIES = ['it-office', 'toys-crafts', 'tools', 'childcare', 'school-supplies', 'furniture-appliances', 'clothing-linen'] as const;
/** More clothes and toys than tools: roughly what a donation service sees. */
export const CATEGORY_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['clothing-linen', 0.24],
  ['toys-crafts', 0.18],
  ['school-supplies', 0.16],
  ['childcare', 0.14],
  ['furniture-appliances', 0.12],
  ['it-office', 0.08],
  ['tools', 0.08],
];
export const pickCategory = weighted(CATEGORY_WEIGHTS);

export const HOUSES = [
  { slug: 'chantevent', lat: 50.1647, lng: 5.3997, weight: 0.4 }, // ~40 children
  { slug: 'simbahuis', lat: 50.8812, lng: 4.087, weight: 0.25 },
  { slug: 'hejmo', lat: 50.8617, lng: 4.4697, weight: 0.2 }, // 9 children
  { slug: 'olivier', lat: 50.6367, lng: 5.4794, weight: 0.15 }, // 4 young adults
] as const;
export type House = (typeof HOUSES)[number];
export const pickHouse = weighted<House>(HOUSES.map((h) => [h, h.weight] as const));

export const pickUrgency = weighted<Urgency>([['urgent', 0.1], ['high', 0.25], ['normal', 0.45], ['low', 0.2]]);
export const pickCondition = weighted<Condition>([['new', 0.2], ['good', 0.55], ['fair', 0.25]]);
export const pickSize = weighted<Size>([['small', 0.55], ['medium', 0.3], ['large', 0.15]]);
/** 1–20, mostly small: P(q) ∝ q^-1.3 (P(1) ≈ 0.39, mean ≈ 4.2). */
export const pickQuantity = weighted<number>(Array.from({ length: 20 }, (_, i) => [i + 1, (i + 1) ** -1.3] as const));

// ---------------------------------------------------------------- towns

export interface Town {
  name: string;
  lat: number;
  lng: number;
  postcode: string;
}

/** A plausible postcode for a town: its postcode area when it heads one, else that of the nearest area town. */
function postcodeAreas(): Array<{ prefix: string; lat: number; lng: number; key: string }> {
  const areas: Array<{ prefix: string; lat: number; lng: number; key: string }> = [];
  for (const [prefix, town] of Object.entries(POSTCODE_AREA_TOWNS)) {
    if (prefix.endsWith('*')) continue;
    const point = findTown(town);
    if (point) areas.push({ prefix, key: town, ...point });
  }
  return areas;
}

const TOWN_LIST: Town[] = (() => {
  const areas = postcodeAreas();
  const list: Town[] = [];
  for (const [name, lat, lng, population] of towns.towns as Array<[string, number, number, number]>) {
    if (!(population > 0)) continue;
    const key = normaliseTownName(name);
    const own = areas.find((a) => a.key === key);
    const nearest = own ?? areas.reduce((best, a) => (distanceKm(a, { lat, lng }) < distanceKm(best, { lat, lng }) ? a : best));
    list.push({ name, lat, lng, postcode: `${nearest.prefix}${own ? '00' : String(10 + ((population * 7) % 90))}` });
  }
  return list;
})();
const TOWN_WEIGHTS = (towns.towns as Array<[string, number, number, number]>).filter((t) => t[3] > 0).map((t) => t[3]);
export const pickTown = weighted<Town>(TOWN_LIST.map((town, i) => [town, TOWN_WEIGHTS[i]] as const));

// ---------------------------------------------------------------- allocation instances

export interface Instance {
  offers: Array<OfferSide & { category: string }>;
  needs: Array<NeedSide & { category: string }>;
  declined: Set<string>;
  now: Date;
  today: string;
}

const DAY_MS = 86_400_000;

function isoDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/**
 * `offers` offers and `needs` needs over the given categories (drawn by CATEGORY_WEIGHTS when
 * there are several). Every offer has a pickup window ahead; 1 % of offers had one proposal declined.
 */
export function makeInstance(rng: Rng, offers: number, needs: number, categories: readonly string[], now: Date, today: string): Instance {
  const category = categories.length === 1 ? () => categories[0] : weighted(CATEGORY_WEIGHTS.filter(([c]) => categories.includes(c)));
  const offerList: Instance['offers'] = [];
  for (let i = 0; i < offers; i++) {
    const town = pickTown(rng);
    offerList.push({
      id: `o${i}`,
      category: category(rng),
      free: pickQuantity(rng),
      condition: pickCondition(rng),
      size: pickSize(rng),
      hasFutureWindow: true,
      lat: town.lat,
      lng: town.lng,
    });
  }
  const needList: Instance['needs'] = [];
  for (let j = 0; j < needs; j++) {
    const house = pickHouse(rng);
    const dated = rng() < 0.45;
    needList.push({
      id: `n${j}`,
      category: category(rng),
      houseId: house.slug,
      free: pickQuantity(rng),
      urgency: pickUrgency(rng),
      // Some overdue, most within the next six weeks.
      neededBy: dated ? isoDay(new Date(Date.parse(`${today}T12:00:00Z`) + int(rng, -3, 45) * DAY_MS)) : null,
      createdAt: new Date(now.getTime() - rng() * 90 * DAY_MS),
      lat: house.lat,
      lng: house.lng,
    });
  }
  const declined = new Set<string>();
  const needsOf = new Map<string, string[]>();
  for (const need of needList) {
    const list = needsOf.get(need.category) ?? [];
    list.push(need.id);
    needsOf.set(need.category, list);
  }
  for (const offer of offerList) {
    const same = needsOf.get(offer.category);
    if (same && rng() < 0.01) declined.add(`${offer.id}:${same[Math.floor(rng() * same.length)]}`);
  }
  return { offers: offerList, needs: needList, declined, now, today };
}
