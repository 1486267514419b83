import { Logger } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, DatabaseError } from 'pg';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../src/database/database-options';
import { ensureDatabaseExists, runMigrations } from '../src/database/prepare-database';
import { allMigrationNames } from './helpers/migrations';
import { BASE_URL, testDatabaseUrl } from './setup/test-database';

const MIGRATIONS = allMigrationNames();

type Row = Record<string, unknown>;

describe('schema invariants', () => {
  let client: Client;
  let hejmoId: string;
  let donorId: string;

  beforeAll(async () => {
    client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    [{ id: hejmoId }] = (await client.query(`SELECT id FROM houses WHERE slug = 'hejmo'`)).rows;
  });
  afterAll(() => client.end());

  // Each test works inside a transaction that is rolled back, so the suites
  // sharing this database never see its rows.
  beforeEach(async () => {
    await client.query('BEGIN');
    donorId = (await insert('users', userRow())).id;
  });
  afterEach(() => client.query('ROLLBACK'));

  async function insert(table: string, row: Row): Promise<Row & { id: string }> {
    const columns = Object.keys(row);
    const placeholders = columns.map((_, index) => `$${index + 1}`);
    const result = await client.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) RETURNING *`,
      Object.values(row),
    );
    return result.rows[0];
  }

  /** Runs one statement in a savepoint and answers the error PostgreSQL raised, keeping the transaction usable. */
  async function rejection(statement: () => Promise<unknown>): Promise<DatabaseError> {
    await client.query('SAVEPOINT attempt');
    try {
      await statement();
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT attempt');
      if (error instanceof DatabaseError) return error;
      throw error;
    }
    await client.query('RELEASE SAVEPOINT attempt');
    throw new Error('the statement was accepted but should have been rejected');
  }

  async function expectRejected(statement: () => Promise<unknown>, code: string, constraint: string): Promise<void> {
    const error = await rejection(statement);
    expect({ code: error.code, constraint: error.constraint }).toEqual({ code, constraint });
  }

  function userRow(overrides: Row = {}): Row {
    return {
      email: `schema-${randomUUID()}@inkind.test`,
      password_hash: 'not-a-real-hash',
      name: 'Schema Test',
      role: 'donor',
      ...overrides,
    };
  }

  function needRow(overrides: Row = {}): Row {
    return { house_id: hejmoId, category_code: 'tools', title: 'Drill', quantity: 5, urgency: 'normal', ...overrides };
  }

  function offerRow(overrides: Row = {}): Row {
    return {
      donor_id: donorId,
      category_code: 'tools',
      title: 'Drill',
      quantity: 5,
      condition: 'good',
      size: 'small',
      pickup_postcode: '9000',
      pickup_town: 'Gent',
      ...overrides,
    };
  }

  const rowFor: Record<string, (overrides?: Row) => Row> = { users: userRow, needs: needRow, offers: offerRow };

  describe.each(['needs', 'offers'])('%s quantities', (table) => {
    it('accepts the bounds: quantity 1, and allocated and delivered up to quantity', async () => {
      await expect(insert(table, rowFor[table]({ quantity: 1 }))).resolves.toMatchObject({ quantity: 1, quantity_allocated: 0 });
      const full = await insert(table, rowFor[table]({ quantity: 3, quantity_allocated: 3, quantity_delivered: 3 }));
      expect(full).toMatchObject({ quantity: 3, quantity_allocated: 3, quantity_delivered: 3 });
    });

    it('rejects quantity 0 and below', async () => {
      await expectRejected(() => insert(table, rowFor[table]({ quantity: 0 })), '23514', `${table}_quantity_positive`);
      // A negative quantity also breaks the allocation bound, and PostgreSQL may name either constraint.
      await expect(rejection(() => insert(table, rowFor[table]({ quantity: -1 })))).resolves.toMatchObject({ code: '23514' });
    });

    it.each([
      { allocated: 6, delivered: 0 },
      { allocated: -1, delivered: 0 },
    ])('rejects quantity_allocated $allocated of 5', async ({ allocated, delivered }) => {
      await expectRejected(
        () => insert(table, rowFor[table]({ quantity: 5, quantity_allocated: allocated, quantity_delivered: delivered })),
        '23514',
        `${table}_allocated_within_quantity`,
      );
    });

    it.each([
      { allocated: 3, delivered: 4 },
      { allocated: 3, delivered: -1 },
    ])('rejects quantity_delivered $delivered when $allocated are allocated', async ({ allocated, delivered }) => {
      await expectRejected(
        () => insert(table, rowFor[table]({ quantity: 5, quantity_allocated: allocated, quantity_delivered: delivered })),
        '23514',
        `${table}_delivered_within_allocated`,
      );
    });

    it('rejects an update that allocates more than the quantity', async () => {
      const { id } = await insert(table, rowFor[table]({ quantity: 2 }));
      await expectRejected(
        () => client.query(`UPDATE ${table} SET quantity_allocated = quantity + 1 WHERE id = $1`, [id]),
        '23514',
        `${table}_allocated_within_quantity`,
      );
    });
  });

  it('refuses a fulfilled need that is not fully delivered', async () => {
    await expectRejected(
      () => insert('needs', needRow({ quantity: 2, quantity_allocated: 2, quantity_delivered: 1, status: 'fulfilled' })),
      '23514',
      'needs_fulfilled_when_delivered',
    );
    await expect(insert('needs', needRow({ quantity: 2, quantity_allocated: 2, quantity_delivered: 2, status: 'fulfilled' }))).resolves.toMatchObject({
      status: 'fulfilled',
    });
  });

  it.each([
    { table: 'needs', column: 'status', allowed: 'cancelled', refused: ['pending', 'OPEN', ''] },
    { table: 'needs', column: 'urgency', allowed: 'urgent', refused: ['critical', 'High'] },
    { table: 'offers', column: 'status', allowed: 'withdrawn', refused: ['deleted', 'Open'] },
    { table: 'offers', column: 'size', allowed: 'large', refused: ['huge', 'xl'] },
    { table: 'offers', column: 'condition', allowed: 'fair', refused: ['broken', 'NEW'] },
    { table: 'users', column: 'role', allowed: 'volunteer', refused: ['superuser', 'Admin', 'system'] },
  ])('accepts $table $column = $allowed and rejects values outside the allowed set', async ({ table, column, allowed, refused }) => {
    await expect(insert(table, rowFor[table]({ [column]: allowed }))).resolves.toMatchObject({ [column]: allowed });
    for (const value of refused) {
      await expectRejected(() => insert(table, rowFor[table]({ [column]: value })), '23514', `${table}_${column}_check`);
    }
  });

  describe('users', () => {
    it('refuses a second account with the same e-mail address', async () => {
      const email = `twice-${randomUUID()}@x.be`;
      await insert('users', userRow({ email }));
      await expectRejected(() => insert('users', userRow({ email })), '23505', 'users_email_key');
    });

    it('stores e-mail addresses in lower case only, so the upper-case twin of a taken address cannot get in', async () => {
      const email = `a-${randomUUID()}@x.be`;
      await insert('users', userRow({ email }));
      // The CHECK fires before the unique index is consulted, hence 23514 and not 23505.
      await expectRejected(() => insert('users', userRow({ email: email.toUpperCase() })), '23514', 'users_email_lowercase');
      await expectRejected(() => insert('users', userRow({ email: `New-${randomUUID()}@x.be` })), '23514', 'users_email_lowercase');
    });

    it('keys the unique e-mail index on lower(email)', async () => {
      const { rows } = await client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'users_email_key'`);
      expect(rows).toEqual([{ indexdef: 'CREATE UNIQUE INDEX users_email_key ON public.users USING btree (lower(email))' }]);
    });

    it('requires a house for a coordinator and refuses one for every other role', async () => {
      await expect(insert('users', userRow({ role: 'coordinator', house_id: hejmoId }))).resolves.toMatchObject({ house_id: hejmoId });
      await expectRejected(() => insert('users', userRow({ role: 'coordinator' })), '23514', 'users_coordinator_has_house');
      for (const role of ['donor', 'volunteer', 'admin']) {
        await expectRejected(() => insert('users', userRow({ role, house_id: hejmoId })), '23514', 'users_coordinator_has_house');
      }
    });
  });

  describe('foreign keys', () => {
    it('refuses a need in an unknown category or for an unknown house', async () => {
      await expectRejected(() => insert('needs', needRow({ category_code: 'weapons' })), '23503', 'needs_category_fk');
      await expectRejected(() => insert('needs', needRow({ house_id: randomUUID() })), '23503', 'needs_house_fk');
    });

    it('refuses an offer by an unknown donor or in an unknown category', async () => {
      await expectRejected(() => insert('offers', offerRow({ donor_id: randomUUID() })), '23503', 'offers_donor_fk');
      await expectRejected(() => insert('offers', offerRow({ category_code: 'weapons' })), '23503', 'offers_category_fk');
    });

    it('refuses a pickup window for an unknown offer', async () => {
      await expectRejected(
        () => insert('offer_windows', { offer_id: randomUUID(), starts_at: '2026-12-01T09:00:00Z', ends_at: '2026-12-01T12:00:00Z' }),
        '23503',
        'offer_windows_offer_fk',
      );
    });
  });

  it('accepts a pickup window only when it ends after it starts', async () => {
    const { id: offerId } = await insert('offers', offerRow());
    const window = (starts_at: string, ends_at: string) => insert('offer_windows', { offer_id: offerId, starts_at, ends_at });
    await expect(window('2026-12-01T09:00:00Z', '2026-12-01T09:01:00Z')).resolves.toMatchObject({ offer_id: offerId });
    await expectRejected(() => window('2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z'), '23514', 'offer_windows_ordered');
    await expectRejected(() => window('2026-12-01T12:00:00Z', '2026-12-01T09:00:00Z'), '23514', 'offer_windows_ordered');
  });

  describe('Belgian postcodes', () => {
    it.each(['1000', '9999'])('accepts %s', async (postcode) => {
      await expect(insert('users', userRow({ postcode }))).resolves.toMatchObject({ postcode });
      await expect(insert('offers', offerRow({ pickup_postcode: postcode }))).resolves.toMatchObject({ pickup_postcode: postcode });
    });

    it.each(['0999', '12345', '999', '1a00', ' 1000'])('rejects %p for users, offers and houses', async (postcode) => {
      await expectRejected(() => insert('users', userRow({ postcode })), '23514', 'users_postcode_format');
      await expectRejected(() => insert('offers', offerRow({ pickup_postcode: postcode })), '23514', 'offers_postcode_format');
      await expectRejected(
        () => client.query('UPDATE houses SET postcode = $1 WHERE id = $2', [postcode, hejmoId]),
        '23514',
        'houses_postcode_format',
      );
    });
  });
});

describe('migrations', () => {
  const created: string[] = [];
  const admin = new Client({ connectionString: `${BASE_URL}/postgres` });

  /** A database name nobody else uses, dropped when the suite ends. */
  function freshDatabase(prefix: string): { name: string; url: string } {
    const name = `inkind_${prefix}_${randomBytes(5).toString('hex')}`;
    created.push(name);
    return { name, url: testDatabaseUrl(name) };
  }

  async function databaseExists(name: string): Promise<boolean> {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  }

  async function queryIn<T extends Row>(url: string, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    await admin.connect();
  });

  afterAll(async () => {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  describe('ensureDatabaseExists', () => {
    it('creates a missing database and leaves an existing one alone', async () => {
      const { name, url } = freshDatabase('ensure');
      expect(await databaseExists(name)).toBe(false);
      await ensureDatabaseExists(url);
      expect(await databaseExists(name)).toBe(true);
      await queryIn(url, 'CREATE TABLE marker (id int)');
      await ensureDatabaseExists(url);
      await expect(queryIn(url, `SELECT to_regclass('marker')::text AS marker`)).resolves.toEqual([{ marker: 'marker' }]);
    });

    it('creates the database once when several callers race for it', async () => {
      const { name, url } = freshDatabase('ensure');
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => ensureDatabaseExists(url)));
      expect(results.map((result) => result.status)).toEqual(Array(5).fill('fulfilled'));
      expect(await databaseExists(name)).toBe(true);
    });
  });

  it('applies every migration, undoes them all down to the migrations table, and applies them again', async () => {
    const { url } = freshDatabase('migr');
    await ensureDatabaseExists(url);
    await expect(runMigrations(url)).resolves.toEqual(MIGRATIONS);

    const dataSource = new DataSource(databaseOptions(url));
    await dataSource.initialize();
    try {
      for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration();
      const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(tables).toEqual([{ table_name: 'migrations' }]);
      await expect(dataSource.query('SELECT name FROM migrations')).resolves.toEqual([]);
    } finally {
      await dataSource.destroy();
    }

    await expect(runMigrations(url)).resolves.toEqual(MIGRATIONS);
    await expect(runMigrations(url)).resolves.toEqual([]);
    const [counts] = await queryIn(
      url,
      'SELECT (SELECT count(*) FROM houses)::int AS houses, (SELECT count(*) FROM categories)::int AS categories',
    );
    expect(counts).toEqual({ houses: 4, categories: 7 });
  });

  it('runs the migrations once when five callers start them at the same moment', async () => {
    const { url } = freshDatabase('lock');
    await ensureDatabaseExists(url);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => runMigrations(url)));
    expect(results.map((result) => result.status)).toEqual(Array(5).fill('fulfilled'));
    const applied = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    expect(applied).toEqual(MIGRATIONS);
    await expect(queryIn(url, 'SELECT name FROM migrations ORDER BY id')).resolves.toEqual(MIGRATIONS.map((name) => ({ name })));
  });
});
