import { DataSource } from 'typeorm';

export interface Violation {
  check: string;
  id: string;
  detail: string;
}

/**
 * Every invariant of the data, as SQL: each query returns the rows that break it. Used by
 * `npm run check:consistency` and by the tests that hammer the service concurrently.
 */
export const CHECKS: Record<string, string> = {
  'offer or need promised beyond its quantity, or allocated/delivered not the sum of its matches': `
    WITH sums AS (
      SELECT 'offer' AS side, o.id, o.quantity, o.quantity_allocated AS allocated, o.quantity_delivered AS delivered,
             coalesce(sum(m.quantity) FILTER (WHERE m.status IN ('proposed', 'accepted', 'delivered')), 0) AS active,
             coalesce(sum(m.quantity) FILTER (WHERE m.status = 'delivered'), 0) AS done
        FROM offers o LEFT JOIN matches m ON m.offer_id = o.id GROUP BY o.id
      UNION ALL
      SELECT 'need', n.id, n.quantity, n.quantity_allocated, n.quantity_delivered,
             coalesce(sum(m.quantity) FILTER (WHERE m.status IN ('proposed', 'accepted', 'delivered')), 0),
             coalesce(sum(m.quantity) FILTER (WHERE m.status = 'delivered'), 0)
        FROM needs n LEFT JOIN matches m ON m.need_id = n.id GROUP BY n.id)
    SELECT id, side || ' ' || quantity || ' allocated ' || allocated || ' (matches ' || active || ') delivered ' || delivered || ' (matches ' || done || ')' AS detail
      FROM sums WHERE active > quantity OR active <> allocated OR done <> delivered`,
  'offer status disagrees with its allocation': `
    SELECT id, status || ' with ' || quantity_allocated || ' of ' || quantity || ' allocated' AS detail FROM offers
     WHERE (status = 'allocated' AND quantity_allocated < quantity) OR (status = 'open' AND quantity_allocated >= quantity)`,
  'need fulfilled but not fully delivered, or fully delivered but still open': `
    SELECT id, status || ' with ' || quantity_delivered || ' of ' || quantity || ' delivered' AS detail FROM needs
     WHERE (status = 'fulfilled' AND quantity_delivered < quantity) OR (status = 'open' AND quantity_delivered >= quantity)`,
  'proposal of an offer or need that is no longer open': `
    SELECT m.id, 'offer ' || o.status || ', need ' || n.status AS detail
      FROM matches m JOIN offers o ON o.id = m.offer_id JOIN needs n ON n.id = m.need_id
     WHERE m.status = 'proposed' AND (o.status NOT IN ('open', 'allocated') OR n.status <> 'open')`,
  'declined pair proposed again': `
    SELECT m.id, 'offer ' || m.offer_id || ', need ' || m.need_id AS detail FROM matches m
     WHERE m.status = 'proposed'
       AND EXISTS (SELECT 1 FROM matches d WHERE d.offer_id = m.offer_id AND d.need_id = m.need_id AND d.status = 'declined')`,
  'match on a pickup of another offer, or delivered on a pickup not delivered': `
    SELECT m.id, 'match ' || m.status || ', pickup ' || p.status AS detail
      FROM matches m JOIN pickups p ON p.id = m.pickup_id
     WHERE p.offer_id <> m.offer_id OR (m.status = 'delivered' AND p.status <> 'delivered')
        OR (p.status = 'delivered' AND m.status = 'accepted')`,
  'open pickup with nothing to carry': `
    SELECT p.id, p.status AS detail FROM pickups p
     WHERE p.status IN ('assigned', 'collected')
       AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.pickup_id = p.id AND m.status IN ('accepted', 'delivered'))`,
  'outbox row not relayed for more than a minute': `
    SELECT id::text, job_name || ' since ' || created_at AS detail FROM outbox
     WHERE sent_at IS NULL AND created_at < now() - interval '1 minute'`,
};

export async function findViolations(dataSource: DataSource, only?: string[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const [check, sql] of Object.entries(CHECKS)) {
    if (only && !only.includes(check)) continue;
    const rows: Array<{ id: string; detail: string }> = await dataSource.query(sql);
    violations.push(...rows.map((row) => ({ check, id: row.id, detail: row.detail })));
  }
  return violations;
}
