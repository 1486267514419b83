/**
 * The realistic dataset of `npm run bench`, inserted set-based (generate_series, unnest) into a
 * database of its own: 4 houses (from the migrations), 4 coordinators, 20,000 donors, 500 volunteers,
 * 20,000 needs, 100,000 offers with their windows and history, 200,000 matches and 50,000 pickups in
 * every state, and a week of relayed outbox rows.
 *
 * Reproducible: every choice is a hash of (seed, row number, purpose), ids included (md5 → uuid), and
 * the towns come from the seeded PRNG of bench/matching-data.ts. Only "now" moves: the open offers'
 * windows and the open needs' dates are relative to the moment of the run.
 *
 * The matches' trigger (matches_maintain_quantities) is switched off while the history is inserted and
 * its effect is then applied in one UPDATE per table: the same sums and statuses it would have written.
 * Every CHECK, foreign key, unique index and exclusion constraint stays on, and the consistency checks
 * of src/database/consistency.ts run on the result.
 */
import { Client } from 'pg';
import { CHECKS } from '../src/database/consistency';
import { hashPassword } from '../src/modules/users/password-hasher';
import { CATEGORY_WEIGHTS, mulberry32, pickTown } from './matching-data';

export const SEED_COUNTS = {
  donors: 20_000,
  volunteers: 500,
  needs: 20_000,
  offers: 100_000,
  matches: 200_000,
  pickups: 50_000,
  outboxSent: 20_000,
};
const VANS = Math.round(SEED_COUNTS.volunteers * 0.15);
export const BENCH_PASSWORD = 'bench-password-for-every-seeded-account';
export const donorEmail = (i: number) => `donor${i}@bench.example.be`;

export interface SeedResult {
  seconds: number;
  steps: Record<string, number>;
  rows: Record<string, number>;
  byStatus: Record<string, Record<string, number>>;
  violations: number;
  checksSeconds: number;
}

/** A CASE expression that maps a uniform [0,1) value to the weighted table's values. */
function weightedCase(r: string, table: ReadonlyArray<readonly [string | number, number]>): string {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let acc = 0;
  const arms = table.slice(0, -1).map(([value, w]) => {
    acc += w / total;
    return `WHEN ${r} < ${acc.toFixed(6)} THEN ${typeof value === 'number' ? value : `'${value}'`}`;
  });
  const last = table[table.length - 1][0];
  return `(CASE ${arms.join(' ')} ELSE ${typeof last === 'number' ? last : `'${last}'`} END)`;
}

const QUANTITIES = Array.from({ length: 20 }, (_, i) => [i + 1, (i + 1) ** -1.3] as const);
const TITLES: Record<string, string[]> = {
  'it-office': ['Laptop for homework', 'Printer with cables', 'Computer screen 24"', 'Office chair', 'Tablet for the little ones'],
  'toys-crafts': ['Box of LEGO', 'Board games', 'Crayons and paper', 'Dolls and a doll house', 'Outdoor toys for the garden'],
  tools: ['Cordless drill', 'Set of screwdrivers', 'Garden tools', 'Ladder 3 m', 'Toolbox with hammer and pliers'],
  childcare: ['Baby stroller', 'Car seat 0-13 kg', 'Changing table', 'Baby bottles and steriliser', 'Cot with mattress'],
  'school-supplies': ['School bag with pencil case', 'Calculators', 'Dictionaries nl/fr', 'Notebooks and folders', 'Geometry sets'],
  'furniture-appliances': ['Bunk bed', 'Washing machine', 'Wardrobe', 'Kitchen table with chairs', 'Fridge'],
  'clothing-linen': ['Winter coats size 128', 'Bed linen 1 person', 'Towels', 'Children’s shoes size 30-34', 'Jeans size 140'],
};

export async function seedDatabase(databaseUrl: string, seed: number, log: (line: string) => void): Promise<SeedResult> {
  const t0 = Date.now();
  const steps: Record<string, number> = {};
  const client = new Client({ connectionString: databaseUrl, application_name: 'inkind-bench-seed' });
  await client.connect();
  let last = Date.now();
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    await client.query(sql, params);
    steps[name] = Math.round(Date.now() - last);
    last = Date.now();
  };
  try {
    // Towns by population, from the same seeded generator as the matching benchmark.
    const rng = mulberry32(seed);
    const people = SEED_COUNTS.donors + SEED_COUNTS.volunteers;
    const postcodes: string[] = [];
    const towns: string[] = [];
    for (let i = 0; i < people; i++) {
      const town = pickTown(rng);
      postcodes.push(town.postcode);
      towns.push(town.name);
    }
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    steps['towns and password hash (JS)'] = Date.now() - last;
    last = Date.now();

    await client.query('BEGIN');
    await client.query(`SET LOCAL synchronous_commit = off`);
    // r(i, purpose): a uniform [0,1) number, the same for the same seed, row and purpose.
    await client.query(`
      CREATE FUNCTION pg_temp.r(i bigint, purpose int) RETURNS double precision LANGUAGE sql IMMUTABLE AS
      $$ SELECT (hashint8(i * 1000003 + purpose * 7919 + ${seed % 1_000_000}) & 2147483647)::float8 / 2147483648 $$`);
    await client.query(`CREATE FUNCTION pg_temp.uid(kind text, i bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
      $$ SELECT md5('${seed}:' || kind || ':' || i)::uuid $$`);
    const r = (i: string, purpose: number) => `pg_temp.r(${i}, ${purpose})`;
    const titleCase = (cat: string, i: string, purpose: number) =>
      `(CASE ${cat} ${Object.entries(TITLES)
        .map(([code, list]) => `WHEN '${code}' THEN (ARRAY[${list.map((t) => `'${t.replace(/'/g, "''")}'`).join(',')}])[1 + floor(${r(i, purpose)} * ${list.length})::int]`)
        .join(' ')} END)`;

    // ------------------------------------------------------------------ people
    await client.query(
      `INSERT INTO users (id, email, password_hash, name, role, house_id, created_at)
         SELECT pg_temp.uid('coordinator', row_number() OVER (ORDER BY slug)), 'coordinator-' || slug || '@bench.example.be', $1,
                'Coordinator ' || slug, 'coordinator', id, now() - interval '800 days' FROM houses`,
      [passwordHash],
    );
    await step(
      'users',
      `INSERT INTO users (id, email, password_hash, name, role, phone, postcode, town, vehicle, created_at, updated_at)
         SELECT pg_temp.uid(CASE WHEN i <= ${SEED_COUNTS.donors} THEN 'donor' ELSE 'volunteer' END, CASE WHEN i <= ${SEED_COUNTS.donors} THEN i ELSE i - ${SEED_COUNTS.donors} END),
                CASE WHEN i <= ${SEED_COUNTS.donors} THEN 'donor' || i ELSE 'volunteer' || (i - ${SEED_COUNTS.donors}) END || '@bench.example.be',
                $1, CASE WHEN i <= ${SEED_COUNTS.donors} THEN 'Donor ' ELSE 'Volunteer ' END || i,
                CASE WHEN i <= ${SEED_COUNTS.donors} THEN 'donor' ELSE 'volunteer' END,
                '+32 4' || lpad((floor(${r('i', 1)} * 100000000))::bigint::text, 8, '0'), t.postcode, t.town,
                CASE WHEN i <= ${SEED_COUNTS.donors} THEN 'none'
                     WHEN i - ${SEED_COUNTS.donors} <= ${VANS} THEN 'van'
                     WHEN i - ${SEED_COUNTS.donors} <= ${Math.round(SEED_COUNTS.volunteers * 0.6)} THEN 'car' ELSE 'none' END,
                now() - ${r('i', 2)} * interval '800 days', now() - ${r('i', 3)} * interval '30 days'
           FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(postcode, town, i)`,
      [passwordHash, postcodes, towns],
    );

    // ------------------------------------------------------------------ needs
    const needCategory = weightedCase(r('j', 11), CATEGORY_WEIGHTS);
    const needHouse = weightedCase(r('j', 12), [['chantevent', 0.4], ['simbahuis', 0.25], ['hejmo', 0.2], ['olivier', 0.15]]);
    await step(
      'needs',
      `CREATE TEMP TABLE need_plan ON COMMIT DROP AS
         SELECT j, pg_temp.uid('need', j) AS id, ${needCategory} AS category, ${needHouse} AS house,
                CASE WHEN ${r('j', 13)} < 0.10 THEN 'open' WHEN ${r('j', 13)} < 0.80 THEN 'fulfilled' ELSE 'cancelled' END AS grp
           FROM generate_series(1, ${SEED_COUNTS.needs}) AS j;
       CREATE TEMP TABLE need_slot ON COMMIT DROP AS
         SELECT id, category, grp, (row_number() OVER (PARTITION BY category, grp ORDER BY j) - 1)::int AS slot FROM need_plan;
       CREATE INDEX ON need_slot (category, grp, slot);
       CREATE TEMP TABLE need_count ON COMMIT DROP AS SELECT category, grp, count(*)::int AS n FROM need_plan GROUP BY 1, 2;
       ANALYZE need_plan; ANALYZE need_slot; ANALYZE need_count;
       INSERT INTO needs (id, house_id, category_code, title, description, quantity, urgency, needed_by, status, created_by, created_at, updated_at)
         SELECT p.id, h.id, p.category, ${titleCase('p.category', 'j', 14)},
                CASE WHEN ${r('j', 15)} < 0.5 THEN 'For the children of ' || h.name END, 1000,
                ${weightedCase(r('j', 16), [['urgent', 0.1], ['high', 0.25], ['normal', 0.45], ['low', 0.2]])},
                CASE WHEN ${r('j', 17)} < 0.45 THEN (CASE WHEN p.grp = 'open' THEN current_date + (floor(${r('j', 18)} * 49) - 3)::int
                                                       ELSE current_date - (60 + floor(${r('j', 18)} * 600))::int END) END,
                'open', c.id, ts, ts
           FROM need_plan p JOIN houses h ON h.slug = p.house JOIN users c ON c.house_id = h.id,
                LATERAL (SELECT CASE WHEN p.grp = 'open' THEN now() - ${r('j', 19)} * interval '60 days'
                                     ELSE now() - interval '60 days' - ${r('j', 19)} * interval '670 days' END AS ts) AS t`,
    );

    // ------------------------------------------------------------------ offers and their windows
    const offerStatus = `(CASE WHEN ${r('k', 21)} < 0.10 THEN 'open' WHEN ${r('k', 21)} < 0.16 THEN 'allocated'
                               WHEN ${r('k', 21)} < 0.76 THEN 'closed' WHEN ${r('k', 21)} < 0.86 THEN 'withdrawn' ELSE 'expired' END)`;
    await step(
      'offers',
      `CREATE TEMP TABLE offer_plan ON COMMIT DROP AS
         SELECT k, pg_temp.uid('offer', k) AS id, pg_temp.uid('donor', 1 + floor(${r('k', 22)} * ${SEED_COUNTS.donors})::int) AS donor_id,
                ${weightedCase(r('k', 23), CATEGORY_WEIGHTS)} AS category, ${weightedCase(r('k', 24), QUANTITIES)} AS quantity,
                ${offerStatus} AS status, ${weightedCase(r('k', 25), [['small', 0.55], ['medium', 0.3], ['large', 0.15]])} AS size
           FROM generate_series(1, ${SEED_COUNTS.offers}) AS k;
       ALTER TABLE offer_plan ADD COLUMN created_at timestamptz;
       UPDATE offer_plan SET created_at = CASE WHEN status IN ('open', 'allocated') THEN now() - ${r('k', 26)} * interval '30 days'
                                               ELSE now() - interval '30 days' - ${r('k', 26)} * interval '700 days' END;
       CREATE INDEX ON offer_plan (id);
       CREATE INDEX ON offer_plan (k);
       ANALYZE offer_plan;
       INSERT INTO offers (id, donor_id, category_code, title, description, quantity, condition, size,
                           pickup_street, pickup_postcode, pickup_town, status, created_at, updated_at)
         SELECT p.id, p.donor_id, p.category, ${titleCase('p.category', 'k', 27)},
                CASE WHEN ${r('k', 28)} < 0.3 THEN 'Clean, from a non-smoking home; can help carry.' END, p.quantity,
                ${weightedCase(r('k', 29), [['new', 0.2], ['good', 0.55], ['fair', 0.25]])}, p.size,
                'Benchstraat ' || (1 + floor(${r('k', 30)} * 200)::int), u.postcode, u.town, 'open', p.created_at, p.created_at
           FROM offer_plan p JOIN users u ON u.id = p.donor_id`,
    );
    await step(
      'offer windows',
      `INSERT INTO offer_windows (id, offer_id, starts_at, ends_at)
         SELECT pg_temp.uid('window', p.k * 4 + n), p.id, s.starts_at, s.starts_at + (2 + floor(${r('p.k * 4 + n', 32)} * 3)::int) * interval '1 hour'
           FROM offer_plan p
           CROSS JOIN LATERAL generate_series(1, 1 + (${r('p.k', 31)} < 0.4)::int + (${r('p.k', 31)} < 0.1)::int) AS n
           CROSS JOIN LATERAL (SELECT CASE WHEN p.status IN ('open', 'allocated')
                                  THEN date_trunc('hour', now()) + (1 + floor(${r('p.k * 4 + n', 33)} * 20)::int) * interval '1 day' + floor(${r('p.k * 4 + n', 34)} * 10) * interval '1 hour'
                                  ELSE date_trunc('hour', p.created_at) + (1 + floor(${r('p.k * 4 + n', 33)} * 10)::int) * interval '1 day' END AS starts_at) AS s`,
    );

    // ------------------------------------------------------------------ matches (the trigger's effect is applied below)
    await client.query(`ALTER TABLE matches DISABLE TRIGGER matches_quantities`);
    // What each offer's history holds: delivered halves of closed offers, the accepted whole of allocated
    // ones, a proposed half of 40 % of the open ones, the cancelled proposal of withdrawn ones; then
    // superseded and declined proposals on any offer up to the total.
    await step(
      'match plan',
      `CREATE TEMP TABLE match_plan (n serial, offer_id uuid, category text, grp text, status text, quantity int, reason text, at timestamptz) ON COMMIT DROP;
       INSERT INTO match_plan (offer_id, category, grp, status, quantity, reason, at)
         SELECT p.id, p.category, CASE WHEN ${r('p.k', 41)} < 0.85 THEN 'fulfilled' ELSE 'open' END, 'delivered', h.q, NULL, p.created_at + interval '2 days'
           FROM offer_plan p CROSS JOIN LATERAL (
             SELECT unnest(CASE WHEN p.quantity >= 2 AND ${r('p.k', 42)} < 0.5 THEN ARRAY[(p.quantity + 1) / 2, p.quantity / 2] ELSE ARRAY[p.quantity] END) AS q) h
          WHERE p.status = 'closed'
         UNION ALL
         SELECT id, category, 'open', 'accepted', quantity, NULL, created_at + interval '1 day' FROM offer_plan WHERE status = 'allocated'
         UNION ALL
         SELECT id, category, 'open', 'proposed', quantity / 2, NULL, created_at + interval '1 minute' FROM offer_plan
          WHERE status = 'open' AND quantity >= 2 AND ${r('k', 43)} < 0.4
         UNION ALL
         SELECT id, category, CASE WHEN ${r('k', 44)} < 0.7 THEN 'fulfilled' WHEN ${r('k', 44)} < 0.9 THEN 'open' ELSE 'cancelled' END,
                'cancelled', quantity, 'offer withdrawn', created_at + interval '1 day' FROM offer_plan WHERE status = 'withdrawn';
       INSERT INTO match_plan (offer_id, category, grp, status, quantity, reason, at)
         SELECT p.id, p.category, CASE WHEN ${r('f', 45)} < 0.7 THEN 'fulfilled' WHEN ${r('f', 45)} < 0.9 THEN 'open' ELSE 'cancelled' END,
                CASE WHEN ${r('f', 46)} < 0.15 THEN 'declined' ELSE 'cancelled' END,
                1 + floor(${r('f', 47)} * p.quantity)::int, CASE WHEN ${r('f', 46)} < 0.15 THEN 'not what we need' ELSE 'superseded' END,
                p.created_at + ${r('f', 48)} * interval '20 hours'
           FROM generate_series(1, ${SEED_COUNTS.matches} - (SELECT count(*) FROM match_plan)) AS f
           JOIN offer_plan p ON p.k = 1 + floor(${r('f', 49)} * ${SEED_COUNTS.offers})::int;
       ANALYZE match_plan`,
    );
    await step(
      'matches',
      `INSERT INTO matches (id, offer_id, need_id, quantity, score, distance_km, status, reason, decided_by, decided_at, created_at, updated_at)
         SELECT pg_temp.uid('match', mp.n), mp.offer_id, s.id, mp.quantity, round((20 + ${r('mp.n', 51)} * 80)::numeric, 2),
                round((2 + ${r('mp.n', 52)} * 140)::numeric, 1), mp.status, mp.reason,
                CASE WHEN mp.status IN ('accepted', 'delivered', 'declined') THEN c.id END,
                CASE WHEN mp.status IN ('accepted', 'delivered', 'declined') THEN mp.at + interval '3 hours' END,
                mp.at, mp.at + interval '3 hours'
           FROM match_plan mp
           JOIN need_count nc ON nc.category = mp.category AND nc.grp = mp.grp
           JOIN need_slot s ON s.category = mp.category AND s.grp = mp.grp AND s.slot = floor(${r('mp.n', 53)} * nc.n)::int
           JOIN needs nd ON nd.id = s.id
           JOIN users c ON c.house_id = nd.house_id`,
    );
    // A declined pair is never proposed again (the engine's rule): such proposals are dropped.
    await step(
      'declined pairs',
      `DELETE FROM matches m WHERE m.status = 'proposed'
          AND EXISTS (SELECT 1 FROM matches d WHERE d.offer_id = m.offer_id AND d.need_id = m.need_id AND d.status = 'declined')`,
    );

    // ------------------------------------------------------------------ pickups
    // Delivered: 40,000 of the delivered matches, one pickup each; cancelled: 4,000 proposals of withdrawn
    // offers that had been accepted; unassigned / assigned / collected: the accepted matches (one per
    // allocated offer). Volunteers are dealt round robin in window order, van drivers for large goods,
    // so that nobody holds two overlapping windows.
    await step(
      'pickups',
      `CREATE TEMP TABLE pickup_plan ON COMMIT DROP AS
         WITH firstw AS (SELECT DISTINCT ON (offer_id) offer_id, starts_at FROM offer_windows ORDER BY offer_id, starts_at),
         delivered AS (SELECT m.id AS match_id, m.offer_id, m.need_id, 'delivered' AS status FROM matches m
                        WHERE m.status = 'delivered' ORDER BY m.id LIMIT 40000),
         cancelled AS (SELECT m.id, m.offer_id, m.need_id, 'cancelled' FROM matches m
                        WHERE m.status = 'cancelled' AND m.reason = 'offer withdrawn' ORDER BY m.id LIMIT 4000),
         accepted AS (SELECT m.id, m.offer_id, m.need_id, CASE WHEN rn <= 2000 THEN 'unassigned' WHEN rn <= 4500 THEN 'assigned' ELSE 'collected' END
                        FROM (SELECT m.*, row_number() OVER (ORDER BY m.id) AS rn FROM matches m WHERE m.status = 'accepted' ORDER BY m.id LIMIT 6000) m)
         SELECT x.*, pg_temp.uid('pickup', row_number() OVER (ORDER BY x.match_id)) AS id, nd.house_id, o.size, f.starts_at
           FROM (SELECT * FROM delivered UNION ALL SELECT * FROM cancelled UNION ALL SELECT * FROM accepted) x
           JOIN needs nd ON nd.id = x.need_id JOIN offers o ON o.id = x.offer_id JOIN firstw f ON f.offer_id = x.offer_id;
       ANALYZE pickup_plan;
       INSERT INTO pickups (id, offer_id, house_id, status, window_start, window_end, volunteer_id, created_at, updated_at)
         SELECT id, offer_id, house_id, status, starts_at, starts_at + interval '2 hours',
                CASE WHEN status IN ('unassigned', 'cancelled') THEN NULL
                     WHEN size = 'large' THEN pg_temp.uid('volunteer', 1 + (rn - 1) % ${VANS})
                     ELSE pg_temp.uid('volunteer', ${VANS + 1} + (rn - 1) % ${SEED_COUNTS.volunteers - VANS}) END,
                starts_at - interval '3 days', starts_at + interval '3 hours'
           FROM (SELECT *, row_number() OVER (PARTITION BY status IN ('assigned', 'collected'), size = 'large' ORDER BY starts_at, id) AS rn FROM pickup_plan) p;
       UPDATE matches m SET pickup_id = p.id FROM pickup_plan p WHERE p.match_id = m.id`,
    );

    // ------------------------------------------------------------------ what the trigger would have written
    await step(
      'quantities and statuses',
      `UPDATE offers o SET quantity_allocated = s.active, quantity_delivered = s.delivered, status = p.status, updated_at = o.created_at + interval '3 days'
         FROM offer_plan p, (SELECT o2.id, coalesce(sum(m.quantity) FILTER (WHERE m.status IN ('proposed', 'accepted', 'delivered')), 0) AS active,
                                    coalesce(sum(m.quantity) FILTER (WHERE m.status = 'delivered'), 0) AS delivered
                               FROM offers o2 LEFT JOIN matches m ON m.offer_id = o2.id GROUP BY o2.id) s
        WHERE p.id = o.id AND s.id = o.id;
       UPDATE needs n SET quantity = CASE WHEN p.grp = 'open' THEN s.active + 1 + floor(${r('p.j', 61)} * 12)::int
                                          WHEN p.grp = 'fulfilled' AND s.delivered > 0 THEN s.delivered
                                          ELSE 1 + floor(${r('p.j', 61)} * 12)::int END,
                          quantity_allocated = s.active, quantity_delivered = s.delivered,
                          status = CASE WHEN p.grp = 'fulfilled' AND s.delivered = 0 THEN 'cancelled' ELSE p.grp END
         FROM need_plan p, (SELECT n2.id, coalesce(sum(m.quantity) FILTER (WHERE m.status IN ('proposed', 'accepted', 'delivered')), 0) AS active,
                                   coalesce(sum(m.quantity) FILTER (WHERE m.status = 'delivered'), 0) AS delivered
                              FROM needs n2 LEFT JOIN matches m ON m.need_id = n2.id GROUP BY n2.id) s
        WHERE p.id = n.id AND s.id = n.id`,
    );
    await client.query(`ALTER TABLE matches ENABLE TRIGGER matches_quantities`);

    // ------------------------------------------------------------------ history and outbox
    await step(
      'history',
      `INSERT INTO status_changes (subject_type, subject_id, at, actor_id, actor_role, from_status, to_status, reason)
         SELECT 'offer', id, created_at, donor_id, 'donor', NULL, 'open', NULL FROM offers
         UNION ALL
         SELECT 'offer', id, updated_at, CASE WHEN status = 'withdrawn' THEN donor_id END,
                CASE WHEN status = 'withdrawn' THEN 'donor' ELSE 'system' END, 'open', status,
                CASE status WHEN 'closed' THEN 'delivered' WHEN 'expired' THEN 'no availability left' WHEN 'allocated' THEN 'allocation changed' END
           FROM offers WHERE status <> 'open'
         UNION ALL
         SELECT 'need', id, created_at, created_by, 'coordinator', NULL, 'open', NULL FROM needs
         UNION ALL
         SELECT 'need', id, updated_at, CASE WHEN status = 'cancelled' THEN created_by END,
                CASE WHEN status = 'cancelled' THEN 'coordinator' ELSE 'system' END, 'open', status, NULL FROM needs WHERE status <> 'open'
         UNION ALL
         SELECT 'pickup', id, updated_at, NULL, 'system', 'unassigned', status, NULL FROM pickups WHERE status <> 'unassigned'`,
    );
    await step(
      'outbox',
      `INSERT INTO outbox (id, queue, job_name, payload, created_at, sent_at)
         SELECT pg_temp.uid('outbox', i), 'matching', 'optimise-category',
                jsonb_build_object('categoryCode', ${weightedCase(r('i', 71), CATEGORY_WEIGHTS)}), at, at + interval '40 milliseconds'
           FROM generate_series(1, ${SEED_COUNTS.outboxSent}) AS i, LATERAL (SELECT now() - ${r('i', 72)} * interval '6 days' AS at) AS t`,
    );
    await client.query('COMMIT');
    steps.commit = Date.now() - last;
    last = Date.now();
    await client.query('VACUUM ANALYZE');
    steps['vacuum analyze'] = Date.now() - last;

    const rows: Record<string, number> = {};
    for (const table of ['users', 'needs', 'offers', 'offer_windows', 'matches', 'pickups', 'status_changes', 'outbox']) {
      rows[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    }
    const byStatus: Record<string, Record<string, number>> = {};
    for (const table of ['needs', 'offers', 'matches', 'pickups']) {
      const result = await client.query(`SELECT status, count(*)::int AS n FROM ${table} GROUP BY status ORDER BY status`);
      byStatus[table] = Object.fromEntries(result.rows.map((row) => [row.status, row.n]));
    }
    const seconds = (Date.now() - t0) / 1000;
    log(`seed: ${Object.entries(rows).map(([t, n]) => `${t} ${n}`).join(', ')} in ${seconds.toFixed(1)} s`);

    const tChecks = Date.now();
    let violations = 0;
    for (const [check, sql] of Object.entries(CHECKS)) {
      const found = await client.query(sql);
      if (found.rowCount) {
        violations += found.rowCount;
        log(`seed: consistency check "${check}": ${found.rowCount} rows, e.g. ${JSON.stringify(found.rows[0])}`);
      }
    }
    const checksSeconds = (Date.now() - tChecks) / 1000;
    log(`seed: consistency checks ${violations === 0 ? 'all pass' : `found ${violations} violations`} (${checksSeconds.toFixed(1)} s)`);
    return { seconds: Math.round(seconds * 10) / 10, steps, rows, byStatus, violations, checksSeconds: Math.round(checksSeconds * 10) / 10 };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
