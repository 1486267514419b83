'use strict';
// The limit a framework can only approach: node:http + pg, named prepared statements, no framework.
// It does the product's database work for its two benchmarked requests and answers the same JSON:
//   GET  /api/needs?category=&house=  the public wishlist, 20 open needs, most urgent first
//   POST /api/offers                  a donor's offer: the user check of the bearer token, then the
//                                     offer, its windows, its history row and its two outbox rows (placement and
//                                     optimisation, with the NOTIFY) in one transaction
// Env: DATABASE_URL, PORT, JWT_SECRET (HS256 tokens of the product), POOL_MAX (10, as the product).
const http = require('node:http');
const crypto = require('node:crypto');
const { Pool, types } = require('pg');

types.setTypeParser(types.builtins.DATE, (v) => v); // a need's neededBy stays 'YYYY-MM-DD', as in the product
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX || 10), application_name: 'inkind-bench-baseline' });
const secret = process.env.JWT_SECRET;

const WISHLIST = `SELECT n.id, h.slug, n.category_code, n.title, n.description, n.quantity, n.quantity_allocated, n.quantity_delivered,
  n.urgency, n.needed_by, n.status, n.created_at, n.updated_at FROM needs n JOIN houses h ON h.id = n.house_id
  WHERE n.status = 'open' AND h.slug = $1 AND n.category_code = $2 ORDER BY n.urgency_rank DESC, n.created_at DESC, n.id DESC LIMIT 21`;
const USER = `SELECT id, role FROM users WHERE id = $1 AND erased_at IS NULL`;
const OFFER = `INSERT INTO offers (donor_id, category_code, title, description, quantity, condition, size, pickup_street, pickup_postcode, pickup_town)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`;
const WINDOWS = `INSERT INTO offer_windows (offer_id, starts_at, ends_at) SELECT $1, * FROM unnest($2::timestamptz[], $3::timestamptz[]) RETURNING starts_at, ends_at`;
const HISTORY = `INSERT INTO status_changes (subject_type, subject_id, actor_id, actor_role, from_status, to_status) VALUES ('offer', $1, $2, 'donor', NULL, 'open')`;
const OUTBOX = `WITH o AS (INSERT INTO outbox (queue, job_name, payload) VALUES ('placement', 'place-offer', jsonb_build_object('offerId', $2::uuid)),
  ('matching', 'optimise-category', jsonb_build_object('categoryCode', $1::text))) SELECT pg_notify('inkind_outbox', '')`;

const send = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

function userIdOf(header) {
  const [scheme, token] = (header || '').split(' ');
  const parts = scheme === 'Bearer' && token ? token.split('.') : [];
  if (parts.length !== 3) return null;
  const mac = crypto.createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest('base64url');
  if (mac.length !== parts[2].length || !crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(parts[2]))) return null;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  return claims.exp * 1000 > Date.now() ? claims.sub : null;
}

async function wishlist(url, res) {
  const { rows } = await pool.query({ name: 'wishlist', text: WISHLIST, values: [url.searchParams.get('house'), url.searchParams.get('category')] });
  const items = rows.slice(0, 20).map((n) => ({
    id: n.id, houseSlug: n.slug, categoryCode: n.category_code, title: n.title, description: n.description, quantity: n.quantity,
    quantityAllocated: n.quantity_allocated, quantityDelivered: n.quantity_delivered, urgency: n.urgency, neededBy: n.needed_by,
    status: n.status, createdAt: n.created_at.toISOString(), updatedAt: n.updated_at.toISOString(),
  }));
  send(res, 200, { items, nextCursor: rows.length > 20 ? Buffer.from(items[19].id).toString('base64url') : null });
}

async function createOffer(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const userId = userIdOf(req.headers.authorization);
  const user = userId && (await pool.query({ name: 'user', text: USER, values: [userId] })).rows[0];
  if (!user || user.role !== 'donor') return send(res, 401, { statusCode: 401, message: 'Unauthorized' });
  const b = JSON.parse(Buffer.concat(chunks).toString());
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const a = b.pickupAddress;
    const [o] = (await client.query({ name: 'offer', text: OFFER, values: [user.id, b.categoryCode, b.title, b.description || null, b.quantity, b.condition, b.size, a.street, a.postcode, a.town] })).rows;
    const windows = (await client.query({ name: 'windows', text: WINDOWS, values: [o.id, b.availability.map((w) => w.from), b.availability.map((w) => w.to)] })).rows;
    await client.query({ name: 'history', text: HISTORY, values: [o.id, user.id] });
    await client.query({ name: 'outbox', text: OUTBOX, values: [b.categoryCode, o.id] });
    await client.query('COMMIT');
    send(res, 201, {
      id: o.id, categoryCode: o.category_code, title: o.title, description: o.description, quantity: o.quantity,
      quantityAllocated: o.quantity_allocated, quantityDelivered: o.quantity_delivered, condition: o.condition, size: o.size, status: o.status,
      pickupArea: { postcode: o.pickup_postcode, town: o.pickup_town }, pickupAddress: { street: o.pickup_street, postcode: o.pickup_postcode, town: o.pickup_town },
      availability: windows.map((w) => ({ from: w.starts_at.toISOString(), to: w.ends_at.toISOString() })),
      createdAt: o.created_at.toISOString(), updatedAt: o.updated_at.toISOString(),
    });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const work =
      req.method === 'GET' && url.pathname === '/api/needs' ? wishlist(url, res)
      : req.method === 'POST' && url.pathname === '/api/offers' ? createOffer(req, res)
      : req.method === 'GET' && url.pathname === '/health' ? Promise.resolve(send(res, 200, { status: 'ok' }))
      : Promise.resolve(send(res, 404, { statusCode: 404, message: 'Not Found' }));
    work.catch((error) => send(res, 500, { statusCode: 500, message: String(error.message) }));
  })
  .listen(Number(process.env.PORT || 3999), '127.0.0.1');
