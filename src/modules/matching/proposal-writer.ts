import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { SYSTEM_ACTOR } from '../history/history.service';
import { NotificationsService } from '../notifications/notifications.service';
import { pairKey, Proposal } from './allocation';

/** One optimisation's write step (or expiry step) of a category at a time, whichever worker runs it (held to the commit). */
export async function lockCategory(manager: EntityManager, categoryCode: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('inkind:matching:' || $1))`, [categoryCode]);
}

/** The history rows of the matches in `source` (a CTE of their ids), changed by the system: `change` is "from, to, reason" in SQL. */
const HISTORY_OF = (source: string, change: string) =>
  `INSERT INTO status_changes (subject_type, subject_id, actor_role, from_status, to_status, reason) SELECT 'match', id, '${SYSTEM_ACTOR.role}', ${change} FROM ${source}`;

/**
 * Writes what the engine decided, for the optimisation and the quick placement alike: new
 * proposals (with their history and the coordinators' notifications) and superseded ones.
 */
@Injectable()
export class ProposalWriter {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /**
   * What of these proposals still fits, as the database stands now: the offers and needs are
   * locked (offers first, then needs, each in id order) and read again, and each proposal, in the
   * order given (best first), takes at most the room left on both sides. A pair that was declined
   * or is proposed already is left out, unless it is one whose proposal grows (`growing`). Between
   * the engine's read and this, a donor may have withdrawn, a house may have declined, or a quick
   * placement may have taken some room.
   */
  async fitToRoom(manager: EntityManager, proposals: Proposal[], growing: Set<string> = new Set()): Promise<Proposal[]> {
    if (proposals.length === 0) return [];
    const offerIds = [...new Set(proposals.map((p) => p.offerId))].sort();
    const needIds = [...new Set(proposals.map((p) => p.needId))].sort();
    // Both sides locked in one statement, offers first (its subqueries run in order). A row that
    // changed while this waited for its lock is read as it is now.
    const [locked]: Array<{ offers: Array<[string, number]>; needs: Array<[string, number]> }> = await manager.query(
      `SELECT (SELECT coalesce(json_agg(json_build_array(id, room)), '[]') FROM (
                 SELECT o.id, CASE WHEN o.status IN ('open', 'allocated')
                                    AND EXISTS (SELECT 1 FROM offer_windows w WHERE w.offer_id = o.id AND w.ends_at > $3)
                                   THEN o.quantity - o.quantity_allocated ELSE 0 END AS room
                   FROM offers o WHERE o.id = ANY($1) ORDER BY o.id FOR UPDATE OF o) locked_offers) AS offers,
              (SELECT coalesce(json_agg(json_build_array(id, room)), '[]') FROM (
                 SELECT n.id, CASE WHEN n.status = 'open' THEN n.quantity - n.quantity_allocated ELSE 0 END AS room
                   FROM needs n WHERE n.id = ANY($2) ORDER BY n.id FOR UPDATE OF n) locked_needs) AS needs`,
      [offerIds, needIds, this.clock.now()],
    );
    // A statement of its own, after the locks: one that had to wait for them sees what the holder wrote.
    const taken: Array<{ offer_id: string; need_id: string }> = await manager.query(
      `SELECT offer_id, need_id FROM matches WHERE offer_id = ANY($1) AND need_id = ANY($2) AND status IN ('proposed', 'declined')`,
      [offerIds, needIds],
    );
    const room = new Map([...locked.offers, ...locked.needs]);
    // A pair proposed already may only grow (`growing`: more units for that proposal).
    const excluded = new Set(taken.map((row) => pairKey(row.offer_id, row.need_id)).filter((key) => !growing.has(key)));
    const fitting: Proposal[] = [];
    for (const proposal of proposals) {
      if (excluded.has(pairKey(proposal.offerId, proposal.needId))) continue;
      const quantity = Math.min(proposal.quantity, room.get(proposal.offerId) ?? 0, room.get(proposal.needId) ?? 0);
      if (quantity <= 0) continue;
      room.set(proposal.offerId, (room.get(proposal.offerId) as number) - quantity);
      room.set(proposal.needId, (room.get(proposal.needId) as number) - quantity);
      fitting.push({ ...proposal, quantity });
    }
    return fitting;
  }

  /** Inserts the proposals with their history and tells the houses' coordinators; answers the new match ids. */
  async propose(manager: EntityManager, proposals: Proposal[]): Promise<string[]> {
    if (proposals.length === 0) return [];
    const rows: Array<{ id: string }> = await manager.query(
      `WITH created AS (
              INSERT INTO matches (offer_id, need_id, quantity, score, distance_km)
              SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::float8[], $5::float8[])
              RETURNING id),
            history AS (${HISTORY_OF('created', "NULL, 'proposed', NULL")})
       SELECT id FROM created`,
      [
        proposals.map((p) => p.offerId),
        proposals.map((p) => p.needId),
        proposals.map((p) => p.quantity),
        proposals.map((p) => p.score),
        proposals.map((p) => p.distanceKm),
      ],
    );
    const created = rows.map((row) => row.id);
    await this.notifications.notifyNewProposals(manager, created);
    return created;
  }

  /**
   * Gives standing proposals a new quantity (the same pair, split otherwise): same id, no new notice;
   * the quantity in the house's unread notice follows.
   */
  async resize(manager: EntityManager, changes: Array<{ id: string; quantity: number }>): Promise<void> {
    if (changes.length === 0) return;
    // One statement; the notices are found by the partial index on their match id (joined the other
    // way round, from the matches, PostgreSQL read every unread notice once per match: 4 ms a match).
    await manager.query(
      `WITH resized AS (
              UPDATE matches m SET quantity = c.quantity, updated_at = now()
                FROM unnest($1::uuid[], $2::int[]) AS c(id, quantity) WHERE m.id = c.id AND m.status = 'proposed'
              RETURNING m.id::text AS id, m.quantity)
       UPDATE notifications nt SET data = jsonb_set(nt.data, '{quantity}', to_jsonb(resized.quantity))
         FROM resized WHERE nt.kind = 'match-proposed' AND nt.read_at IS NULL AND nt.data->>'matchId' = resized.id`,
      [changes.map((change) => change.id), changes.map((change) => change.quantity)],
    );
  }

  /**
   * Cancels proposals that a better allocation replaces, and withdraws their unread notifications.
   * Only those still proposed are touched (locked in id order first: a decision on one waits, then
   * finds it gone); answers their ids, so that history and notices follow only what changed.
   */
  async supersede(manager: EntityManager, matchIds: string[]): Promise<string[]> {
    if (matchIds.length === 0) return [];
    // One statement: the proposals, their history, and the coordinators' unread notices of them
    // (a coordinator should not open a notification for a proposal that is gone). The notices are
    // found by the partial index on their match id: as a join with `done`, PostgreSQL read every
    // unread notice.
    const rows: Array<{ id: string }> = await manager.query(
      `WITH still AS (SELECT id FROM matches WHERE id = ANY($1) AND status = 'proposed' ORDER BY id FOR UPDATE),
            done AS (UPDATE matches m SET status = 'cancelled', reason = 'superseded', updated_at = now() FROM still WHERE m.id = still.id RETURNING m.id),
            history AS (${HISTORY_OF('done', "'proposed', 'cancelled', 'superseded by a better allocation'")}),
            notices AS (DELETE FROM notifications
                         WHERE kind = 'match-proposed' AND read_at IS NULL AND data->>'matchId' = ANY (ARRAY(SELECT id::text FROM done)))
       SELECT id FROM done`,
      [matchIds],
    );
    return rows.map((row) => row.id);
  }
}
