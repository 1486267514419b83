import { EntityManager } from 'typeorm';
import { prepared } from '../../database/prepared';
import { locate } from '../geo/geo';
import { NeedSide, OfferSide } from './allocation';

/** Which offers or needs of a category to read: all open ones, or one; and what counts as free. */
export interface SideQuery {
  categoryCode: string;
  /** Only this offer or need (a quick placement's subject). */
  id?: string;
  /**
   * Units in proposals, per offer or need id, that the reader may move (the optimisation): they
   * count as free. Without it (a placement), free is what no match holds, and only those with
   * some free are read.
   */
  movable?: Map<string, number>;
}

/**
 * The filters of a SideQuery as SQL after the category ($1), and a name for the statement of that
 * shape: each shape is a named prepared statement with a plan of its own (one offer by its key, or
 * a whole category), planned once per connection; placements run them 50 times a second.
 */
function sideFilters(table: 'o' | 'n', query: SideQuery, values: unknown[]): { sql: string; shape: string } {
  let sql = '';
  if (query.id !== undefined) sql += ` AND ${table}.id = $${values.push(query.id)}`;
  if (query.movable === undefined) sql += ` AND ${table}.quantity > ${table}.quantity_allocated`;
  return { sql, shape: `${query.id !== undefined ? 'one' : 'all'}-${query.movable !== undefined ? 'movable' : 'free'}` };
}

/** The open or allocated offers of a category, as the engine sees them. */
export async function readOffers(manager: EntityManager, query: SideQuery, now: Date): Promise<OfferSide[]> {
  const values: unknown[] = [query.categoryCode, now];
  const { sql, shape } = sideFilters('o', query, values);
  const rows = await prepared<{
    id: string; quantity: number; quantity_allocated: number; condition: OfferSide['condition']; size: OfferSide['size'];
    pickup_postcode: string; pickup_town: string; has_future_window: boolean;
  }>(
    manager,
    `engine-offers-${shape}`,
    `SELECT o.id, o.quantity, o.quantity_allocated, o.condition, o.size, o.pickup_postcode, o.pickup_town,
            EXISTS (SELECT 1 FROM offer_windows w WHERE w.offer_id = o.id AND w.ends_at > $2) AS has_future_window
       FROM offers o
      WHERE o.category_code = $1 AND o.status IN ('open', 'allocated')${sql}
      ORDER BY o.id`,
    values,
  );
  return rows.map((row) => ({
    id: row.id,
    // Firm = accepted + delivered; proposals the reader may move count as free.
    free: row.quantity - row.quantity_allocated + (query.movable?.get(row.id) ?? 0),
    condition: row.condition,
    size: row.size,
    hasFutureWindow: row.has_future_window,
    ...locate(row.pickup_postcode, row.pickup_town),
  }));
}

/** The open needs of a category, at their house's place. */
export async function readNeeds(manager: EntityManager, query: SideQuery): Promise<NeedSide[]> {
  const values: unknown[] = [query.categoryCode];
  const { sql, shape } = sideFilters('n', query, values);
  const rows = await prepared<{
    id: string; house_id: string; quantity: number; quantity_allocated: number; urgency: NeedSide['urgency'];
    needed_by: string | null; created_at: Date; lat: number; lng: number;
  }>(
    manager,
    `engine-needs-${shape}`,
    `SELECT n.id, n.house_id, n.quantity, n.quantity_allocated, n.urgency, n.needed_by, n.created_at, h.lat, h.lng
       FROM needs n JOIN houses h ON h.id = n.house_id
      WHERE n.category_code = $1 AND n.status = 'open'${sql}
      ORDER BY n.id`,
    values,
  );
  return rows.map((row) => ({
    id: row.id,
    houseId: row.house_id,
    free: row.quantity - row.quantity_allocated + (query.movable?.get(row.id) ?? 0),
    urgency: row.urgency,
    neededBy: row.needed_by,
    createdAt: row.created_at,
    lat: row.lat,
    lng: row.lng,
  }));
}
