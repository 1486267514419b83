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
    const offerRows: Array<{ id: string; room: number }> = await manager.query(
      `SELECT o.id, CASE WHEN o.status IN ('open', 'allocated')
                          AND EXISTS (SELECT 1 FROM offer_windows w WHERE w.offer_id = o.id AND w.ends_at > $2)
                         THEN o.quantity - o.quantity_allocated ELSE 0 END AS room
         FROM offers o WHERE o.id = ANY($1) ORDER BY o.id FOR UPDATE OF o`,
      [offerIds, this.clock.now()],
    );
    const needRows: Array<{ id: string; room: number }> = await manager.query(
      `SELECT n.id, CASE WHEN n.status = 'open' THEN n.quantity - n.quantity_allocated ELSE 0 END AS room
         FROM needs n WHERE n.id = ANY($1) ORDER BY n.id FOR UPDATE OF n`,
      [needIds],
    );
    const taken: Array<{ offer_id: string; need_id: string }> = await manager.query(
      `SELECT offer_id, need_id FROM matches WHERE offer_id = ANY($1) AND need_id = ANY($2) AND status IN ('proposed', 'declined')`,
      [offerIds, needIds],
    );
    const room = new Map([...offerRows, ...needRows].map((row) => [row.id, row.room]));
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
      `INSERT INTO matches (offer_id, need_id, quantity, score, distance_km)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::float8[], $5::float8[])
       RETURNING id`,
      [
        proposals.map((p) => p.offerId),
        proposals.map((p) => p.needId),
        proposals.map((p) => p.quantity),
        proposals.map((p) => p.score),
        proposals.map((p) => p.distanceKm),
      ],
    );
    const created = rows.map((row) => row.id);
    await this.recordHistory(manager, created, null, 'proposed');
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
    const rows: Array<{ id: string }> = await manager.query(
      `WITH still AS (SELECT id FROM matches WHERE id = ANY($1) AND status = 'proposed' ORDER BY id FOR UPDATE),
            done AS (UPDATE matches m SET status = 'cancelled', reason = 'superseded', updated_at = now() FROM still WHERE m.id = still.id RETURNING m.id)
       SELECT id FROM done`,
      [matchIds],
    );
    const ids = rows.map((row) => row.id);
    if (ids.length === 0) return ids;
    await this.recordHistory(manager, ids, 'proposed', 'cancelled', 'superseded by a better allocation');
    // The coordinator should not open a notification for a proposal that is gone.
    await manager.query(
      `DELETE FROM notifications WHERE kind = 'match-proposed' AND read_at IS NULL AND data->>'matchId' = ANY($1::text[])`,
      [ids],
    );
    return ids;
  }

  private async recordHistory(manager: EntityManager, ids: string[], from: string | null, to: string, reason?: string): Promise<void> {
    await manager.query(
      `INSERT INTO status_changes (subject_type, subject_id, actor_role, from_status, to_status, reason)
       SELECT 'match', id, $2, $3, $4, $5 FROM unnest($1::uuid[]) AS id`,
      [ids, SYSTEM_ACTOR.role, from, to, reason ?? null],
    );
  }
}
