import { EntityManager } from 'typeorm';
import { prepared } from '../../database/prepared';
import { locate } from '../geo/geo';
import { NeedSide, OfferSide } from './allocation';

/**
 * The engine reads offers and needs as one JSON array per query, each row an array of its columns
 * (OfferRow, NeedRow), and V8 parses it natively. pg's parsing field by field, row by row, with a
 * Date for every timestamp, was the largest cost of a placement after its round trips: a placement
 * reads every open need of its category, 470 in the largest seeded one, 50 times a second under load.
 */
export type OfferRow = [id: string, free: number, condition: OfferSide['condition'], size: OfferSide['size'], postcode: string, town: string, hasFutureWindow: boolean];
export type NeedRow = [id: string, houseId: string, free: number, urgency: NeedSide['urgency'], neededBy: string | null, createdAtMs: number, lat: number, lng: number];

/**
 * SQL for the open or allocated offers of `alias` that match `where`, as a JSON array of OfferRow in
 * id order; `now` is the SQL of the instant from which a pickup window counts as ahead.
 */
export function offerRowsSql(alias: string, where: string, now: string): string {
  const o = alias;
  return `(SELECT coalesce(json_agg(json_build_array(${o}.id, ${o}.quantity - ${o}.quantity_allocated, ${o}.condition, ${o}.size,
                   ${o}.pickup_postcode, ${o}.pickup_town,
                   EXISTS (SELECT 1 FROM offer_windows w WHERE w.offer_id = ${o}.id AND w.ends_at > ${now})) ORDER BY ${o}.id), '[]')
             FROM offers ${o} WHERE ${o}.status IN ('open', 'allocated') AND ${where})`;
}

/** SQL for the open needs of `alias` that match `where`, at their house's place, as a JSON array of NeedRow in id order. */
export function needRowsSql(alias: string, where: string): string {
  const n = alias;
  return `(SELECT coalesce(json_agg(json_build_array(${n}.id, ${n}.house_id, ${n}.quantity - ${n}.quantity_allocated, ${n}.urgency,
                   ${n}.needed_by, (extract(epoch FROM ${n}.created_at) * 1000)::float8, h.lat, h.lng) ORDER BY ${n}.id), '[]')
             FROM needs ${n} JOIN houses h ON h.id = ${n}.house_id WHERE ${n}.status = 'open' AND ${where})`;
}

/**
 * An offer as the engine sees it. Free is what no firm match (accepted, delivered) nor proposal
 * holds; `movable` adds back the units of proposals that the reader may move (the optimisation).
 */
export function offerSide(row: OfferRow, movable?: Map<string, number>): OfferSide {
  const [id, free, condition, size, postcode, town, hasFutureWindow] = row;
  return { id, free: free + (movable?.get(id) ?? 0), condition, size, hasFutureWindow, ...locate(postcode, town) };
}

/** A need as the engine sees it; `movable` as for offerSide. */
export function needSide(row: NeedRow, movable?: Map<string, number>): NeedSide {
  const [id, houseId, free, urgency, neededBy, createdAtMs, lat, lng] = row;
  return { id, houseId, free: free + (movable?.get(id) ?? 0), urgency, neededBy, createdAt: new Date(createdAtMs), lat, lng };
}

/**
 * Every open or allocated offer of a category, for the optimisation: `movable` holds the units of
 * the proposals standing now, which it may move, per offer id.
 */
export async function readOffers(manager: EntityManager, categoryCode: string, movable: Map<string, number>, now: Date): Promise<OfferSide[]> {
  const [{ rows }] = await prepared<{ rows: OfferRow[] }>(
    manager,
    'engine-offers',
    `SELECT ${offerRowsSql('o', 'o.category_code = $1', '$2')} AS rows`,
    [categoryCode, now],
  );
  return rows.map((row) => offerSide(row, movable));
}

/** Every open need of a category, for the optimisation; `movable` as for readOffers. */
export async function readNeeds(manager: EntityManager, categoryCode: string, movable: Map<string, number>): Promise<NeedSide[]> {
  const [{ rows }] = await prepared<{ rows: NeedRow[] }>(manager, 'engine-needs', `SELECT ${needRowsSql('n', 'n.category_code = $1')} AS rows`, [categoryCode]);
  return rows.map((row) => needSide(row, movable));
}
