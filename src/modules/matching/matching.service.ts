import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { brusselsDate, Clock } from '../../common/time/clock';
import { transactionWithRetry } from '../../database/transactions';
import { locate } from '../geo/geo';
import { SYSTEM_ACTOR } from '../history/history.service';
import { NotificationsService } from '../notifications/notifications.service';
import { AllocationInput, NeedSide, OfferSide, pairKey, Proposal } from './allocation';
import { AllocationRunner } from './allocation-runner';

export interface OptimisationOutcome {
  categoryCode: string;
  offers: number;
  needs: number;
  candidates: number;
  kept: number;
  proposed: number;
  cancelled: number;
  totalScore: number;
}

interface CurrentProposal {
  id: string;
  offer_id: string;
  need_id: string;
  quantity: number;
}

/**
 * The matching engine: re-allocates the proposals of one category so that the total score
 * over all its open offers and needs is the highest possible. Accepted and delivered matches
 * are never moved; proposals that the new allocation keeps stay as they are (same id), the
 * others are cancelled as superseded and new ones are proposed to the houses.
 */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger(MatchingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: AllocationRunner,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  optimiseCategory(categoryCode: string): Promise<OptimisationOutcome> {
    return transactionWithRetry(this.dataSource, async (manager) => {
      // One optimisation of a category at a time, whichever worker runs it.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('inkind:matching:' || $1))`, [categoryCode]);
      // Lock the movable proposals first: a decision on one of them waits until this is done.
      const current: CurrentProposal[] = await manager.query(
        `SELECT m.id, m.offer_id, m.need_id, m.quantity FROM matches m JOIN offers o ON o.id = m.offer_id
          WHERE o.category_code = $1 AND m.status = 'proposed' ORDER BY m.id FOR UPDATE OF m`,
        [categoryCode],
      );
      await this.expireOffers(manager, categoryCode);
      const input = await this.loadInput(manager, categoryCode, current);
      const result = await this.runner.run(input);
      const { kept, cancelled, created } = await this.apply(manager, current, result.proposals);
      await this.notifications.notifyNewProposals(manager, created);
      const outcome = {
        categoryCode,
        offers: input.offers.length,
        needs: input.needs.length,
        candidates: result.candidates,
        kept,
        proposed: created.length,
        cancelled,
        totalScore: Math.round(result.totalScore),
      };
      if (created.length + cancelled > 0) this.logger.log(`optimised ${JSON.stringify(outcome)}`);
      return outcome;
    });
  }

  /**
   * Offers whose availability has all passed and that no house has firmly accepted become
   * 'expired' (API.md); their proposals are cancelled by the allocation that follows. Offers with
   * accepted matches stay: their pickups ask the donor for new availability.
   */
  private async expireOffers(manager: EntityManager, categoryCode: string): Promise<void> {
    const expired: Array<{ id: string; status: string }> = await manager.query(
      `WITH stale AS (
              SELECT o.id, o.status FROM offers o
               WHERE o.category_code = $1 AND o.status IN ('open', 'allocated')
                 AND NOT EXISTS (SELECT 1 FROM offer_windows w WHERE w.offer_id = o.id AND w.ends_at > $2)
                 AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.offer_id = o.id AND m.status IN ('accepted', 'delivered'))
               ORDER BY o.id FOR UPDATE),
            done AS (UPDATE offers o SET status = 'expired', updated_at = now() FROM stale WHERE o.id = stale.id RETURNING o.id)
       SELECT stale.id, stale.status FROM stale JOIN done ON done.id = stale.id`,
      [categoryCode, this.clock.now()],
    );
    if (expired.length === 0) return;
    await manager.query(
      `INSERT INTO status_changes (subject_type, subject_id, actor_role, from_status, to_status, reason)
       SELECT 'offer', id, 'system', status, 'expired', 'no availability left' FROM unnest($1::uuid[], $2::text[]) AS t(id, status)`,
      [expired.map((offer) => offer.id), expired.map((offer) => offer.status)],
    );
  }

  /** Every category, for the periodic safety net. */
  async categories(): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.dataSource.query(`SELECT code FROM categories ORDER BY position`);
    return rows.map((row) => row.code);
  }

  private async loadInput(manager: EntityManager, categoryCode: string, current: CurrentProposal[]): Promise<AllocationInput> {
    const now = this.clock.now();
    const proposedOf = (key: 'offer_id' | 'need_id') => {
      const sums = new Map<string, number>();
      for (const match of current) sums.set(match[key], (sums.get(match[key]) ?? 0) + match.quantity);
      return sums;
    };
    const proposedByOffer = proposedOf('offer_id');
    const proposedByNeed = proposedOf('need_id');

    const offerRows: Array<{
      id: string; quantity: number; quantity_allocated: number; condition: OfferSide['condition']; size: OfferSide['size'];
      pickup_postcode: string; pickup_town: string; has_future_window: boolean;
    }> = await manager.query(
      `SELECT o.id, o.quantity, o.quantity_allocated, o.condition, o.size, o.pickup_postcode, o.pickup_town,
              EXISTS (SELECT 1 FROM offer_windows w WHERE w.offer_id = o.id AND w.ends_at > $2) AS has_future_window
         FROM offers o WHERE o.category_code = $1 AND o.status IN ('open', 'allocated') ORDER BY o.id`,
      [categoryCode, now],
    );
    const needRows: Array<{
      id: string; house_id: string; quantity: number; quantity_allocated: number; urgency: NeedSide['urgency'];
      needed_by: string | null; created_at: Date; lat: number; lng: number;
    }> = await manager.query(
      `SELECT n.id, n.house_id, n.quantity, n.quantity_allocated, n.urgency, n.needed_by, n.created_at, h.lat, h.lng
         FROM needs n JOIN houses h ON h.id = n.house_id
        WHERE n.category_code = $1 AND n.status = 'open' ORDER BY n.id`,
      [categoryCode],
    );
    const declinedRows: Array<{ offer_id: string; need_id: string }> = await manager.query(
      `SELECT DISTINCT m.offer_id, m.need_id FROM matches m JOIN offers o ON o.id = m.offer_id
        WHERE o.category_code = $1 AND m.status = 'declined'`,
      [categoryCode],
    );

    const offers: OfferSide[] = offerRows.map((row) => ({
      id: row.id,
      // Firm = accepted + delivered; proposals are movable, so they count as free here.
      free: row.quantity - (row.quantity_allocated - (proposedByOffer.get(row.id) ?? 0)),
      condition: row.condition,
      size: row.size,
      hasFutureWindow: row.has_future_window,
      ...locate(row.pickup_postcode, row.pickup_town),
    }));
    const needs: NeedSide[] = needRows.map((row) => ({
      id: row.id,
      houseId: row.house_id,
      free: row.quantity - (row.quantity_allocated - (proposedByNeed.get(row.id) ?? 0)),
      urgency: row.urgency,
      neededBy: row.needed_by,
      createdAt: row.created_at,
      lat: row.lat,
      lng: row.lng,
    }));
    return {
      offers,
      needs,
      declined: new Set(declinedRows.map((row) => pairKey(row.offer_id, row.need_id))),
      today: brusselsDate(now),
      now,
      candidatesPerSide: this.config.MATCHING_CANDIDATES,
    };
  }

  private async apply(
    manager: EntityManager,
    current: CurrentProposal[],
    proposals: Proposal[],
  ): Promise<{ kept: number; cancelled: number; created: string[] }> {
    const wanted = new Map(proposals.map((proposal) => [pairKey(proposal.offerId, proposal.needId), proposal]));
    const superseded: string[] = [];
    let kept = 0;
    for (const match of current) {
      const key = pairKey(match.offer_id, match.need_id);
      if (wanted.get(key)?.quantity === match.quantity) {
        wanted.delete(key);
        kept++;
      } else {
        superseded.push(match.id);
      }
    }
    // Cancel before inserting: quantities are freed first, so no offer or need is ever over-promised.
    if (superseded.length > 0) {
      await manager.query(
        `UPDATE matches SET status = 'cancelled', reason = 'superseded', updated_at = now() WHERE id = ANY($1) AND status = 'proposed'`,
        [superseded],
      );
      await this.recordHistory(manager, superseded, 'proposed', 'cancelled', 'superseded by a better allocation');
      // The coordinator should not open a notification for a proposal that is gone.
      await manager.query(
        `DELETE FROM notifications WHERE kind = 'match-proposed' AND read_at IS NULL AND data->>'matchId' = ANY($1::text[])`,
        [superseded],
      );
    }
    const fresh = [...wanted.values()].sort((a, b) => (a.offerId < b.offerId ? -1 : a.offerId > b.offerId ? 1 : 0));
    let created: string[] = [];
    if (fresh.length > 0) {
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO matches (offer_id, need_id, quantity, score, distance_km)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::float8[], $5::float8[])
         RETURNING id`,
        [
          fresh.map((p) => p.offerId),
          fresh.map((p) => p.needId),
          fresh.map((p) => p.quantity),
          fresh.map((p) => p.score),
          fresh.map((p) => p.distanceKm),
        ],
      );
      created = rows.map((row) => row.id);
      await this.recordHistory(manager, created, null, 'proposed');
    }
    return { kept, cancelled: superseded.length, created };
  }

  private async recordHistory(manager: EntityManager, ids: string[], from: string | null, to: string, reason?: string): Promise<void> {
    await manager.query(
      `INSERT INTO status_changes (subject_type, subject_id, actor_role, from_status, to_status, reason)
       SELECT 'match', id, $2, $3, $4, $5 FROM unnest($1::uuid[]) AS id`,
      [ids, SYSTEM_ACTOR.role, from, to, reason ?? null],
    );
  }
}
