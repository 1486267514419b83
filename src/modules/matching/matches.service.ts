import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../../common/auth/auth-user';
import { impactOfOwnHouse, notFound } from '../../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, Page } from '../../common/pagination/page';
import { transactionWithRetry } from '../../database/transactions';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';
import { StatusChange } from '../history/entities/status-change.entity';
import { Actor, HistoryService } from '../history/history.service';
import { DeclineMatchDto, ListMatchesQueryDto, MatchView } from './dto/match.dto';
import { MatchStatus } from './entities/match.entity';
import { matchNotProposed } from './matching.errors';

const VIEW = `
  SELECT m.id, m.offer_id AS "offerId", m.need_id AS "needId", h.slug AS "houseSlug", m.quantity, m.score,
         m.distance_km AS "distanceKm", m.status, m.reason, m.created_at AS "createdAt", m.decided_at AS "decidedAt",
         o.title AS "offerTitle", o.condition, o.pickup_postcode AS "pickupPostcode", o.pickup_town AS "pickupTown",
         n.title AS "needTitle", n.urgency, n.house_id AS "houseId", o.donor_id AS "donorId", o.category_code AS "categoryCode"
    FROM matches m
    JOIN offers o ON o.id = m.offer_id
    JOIN needs n ON n.id = m.need_id
    JOIN houses h ON h.id = n.house_id`;

export interface ImpactView {
  houseSlug: string | null;
  monthStart: Date;
  yearStart: Date;
  categories: Array<{ categoryCode: string; month: number; year: number }>;
}

type Row = MatchView & { houseId: string; donorId: string; categoryCode: string };

/** The decisions of houses on proposals, and what may see them. */
@Injectable()
export class MatchesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly history: HistoryService,
    private readonly outbox: OutboxService,
  ) {}

  /** A coordinator sees their house's matches, a donor those of their offers, an admin all. */
  async list(caller: AuthUser, query: ListMatchesQueryDto): Promise<Page<MatchView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (caller.role === 'coordinator') where.push(`n.house_id = ${param(caller.houseId)}`);
    if (caller.role === 'donor') where.push(`o.donor_id = ${param(caller.id)}`);
    if (query.status) where.push(`m.status = ${param(query.status)}`);
    else where.push(`m.status <> 'cancelled'`);
    if (query.house) where.push(`h.slug = ${param(query.house)}`);
    if (query.offerId) where.push(`m.offer_id = ${param(query.offerId)}`);
    if (query.needId) where.push(`m.need_id = ${param(query.needId)}`);
    if (query.cursor !== undefined) {
      const after = param(decodeCursor(query.cursor));
      where.push(`(m.created_at, m.id) < (SELECT c.created_at, c.id FROM matches c WHERE c.id = ${after})`);
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows: Row[] = await this.dataSource.query(
      `${VIEW} WHERE ${where.join(' AND ')} ORDER BY m.created_at DESC, m.id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  async get(caller: AuthUser, id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<Row> {
    const [row]: Row[] = await manager.query(`${VIEW} WHERE m.id = $1${lock ? ' FOR UPDATE OF m' : ''}`, [id]);
    if (!row || !mayView(caller, row)) throw notFound('Match');
    return row;
  }

  async accept(caller: AuthUser, id: string): Promise<MatchView> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const match = await this.decide(manager, caller, id, 'accepted');
      await this.outbox.add(
        manager,
        { name: JobName.NotifyMatchAccepted, data: { matchId: match.id } },
        { name: JobName.SchedulePickup, data: { matchId: match.id } },
      );
    });
    return this.get(caller, id);
  }

  async decline(caller: AuthUser, id: string, dto: DeclineMatchDto): Promise<MatchView> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const match = await this.decide(manager, caller, id, 'declined', dto.reason);
      // The quantity is free again: the need and the offer are placed again at once (never as this
      // pair), and the category is optimised again.
      await this.outbox.add(
        manager,
        { name: JobName.PlaceNeed, data: { needId: match.needId } },
        { name: JobName.PlaceOffer, data: { offerId: match.offerId } },
        { name: JobName.OptimiseCategory, data: { categoryCode: match.categoryCode } },
      );
    });
    return this.get(caller, id);
  }

  /**
   * Goods a house received: units of delivered matches per category of the need, this month and this
   * year in Brussels time, dated by the delivery's status change. Coordinators see their own house only.
   */
  async impact(caller: AuthUser, house: string | undefined, now: Date): Promise<ImpactView> {
    let houseId: string | null = null;
    let houseSlug: string | null = null;
    if (caller.role === 'coordinator') {
      const [own]: Array<{ id: string; slug: string }> = await this.dataSource.query(`SELECT id, slug FROM houses WHERE id = $1`, [caller.houseId]);
      if (house !== undefined && house !== own.slug) throw impactOfOwnHouse();
      ({ id: houseId, slug: houseSlug } = own);
    } else if (house !== undefined) {
      const [found]: Array<{ id: string; slug: string }> = await this.dataSource.query(`SELECT id, slug FROM houses WHERE slug = $1`, [house]);
      if (!found) throw notFound('House');
      ({ id: houseId, slug: houseSlug } = found);
    }
    const [bounds]: Array<{ monthStart: Date; yearStart: Date }> = await this.dataSource.query(
      `SELECT date_trunc('month', $1::timestamptz AT TIME ZONE 'Europe/Brussels') AT TIME ZONE 'Europe/Brussels' AS "monthStart",
              date_trunc('year', $1::timestamptz AT TIME ZONE 'Europe/Brussels') AT TIME ZONE 'Europe/Brussels' AS "yearStart"`,
      [now],
    );
    const categories: ImpactView['categories'] = await this.dataSource.query(
      `SELECT n.category_code AS "categoryCode",
              COALESCE(sum(m.quantity) FILTER (WHERE d.at >= $2), 0)::int AS month,
              sum(m.quantity)::int AS year
         FROM matches m
         JOIN needs n ON n.id = m.need_id
         JOIN LATERAL (SELECT max(s.at) AS at FROM status_changes s
                        WHERE s.subject_type = 'match' AND s.subject_id = m.id AND s.to_status = 'delivered') d ON true
        WHERE m.status = 'delivered' AND d.at >= $3 AND ($1::uuid IS NULL OR n.house_id = $1)
        GROUP BY n.category_code
        ORDER BY n.category_code`,
      [houseId, bounds.monthStart, bounds.yearStart],
    );
    return { houseSlug, monthStart: bounds.monthStart, yearStart: bounds.yearStart, categories };
  }

  async historyOf(caller: AuthUser, id: string): Promise<StatusChange[]> {
    await this.get(caller, id);
    return this.history.list('match', id);
  }

  /**
   * Cancels the proposed and accepted matches of an offer (withdrawn) or a need (cancelled).
   * Goods already collected or delivered are not touched. Answers how many were cancelled.
   */
  cancelFor(manager: EntityManager, subject: { offerId: string } | { needId: string }, actor: Actor, reason: string): Promise<number> {
    return this.cancelOf(manager, subject, ['proposed', 'accepted'], actor, reason);
  }

  /** Cancels the still-proposed matches of an offer or need whose facts changed; accepted ones stand. */
  cancelProposalsFor(manager: EntityManager, subject: { offerId: string } | { needId: string }, actor: Actor): Promise<number> {
    return this.cancelOf(manager, subject, ['proposed'], actor, 'changed');
  }

  private async cancelOf(
    manager: EntityManager,
    subject: { offerId: string } | { needId: string },
    statuses: MatchStatus[],
    actor: Actor,
    reason: string,
  ): Promise<number> {
    const column = 'offerId' in subject ? 'offer_id' : 'need_id';
    const id = 'offerId' in subject ? subject.offerId : subject.needId;
    // Their pickups first: a collection that commits meanwhile is then seen, and its goods stay promised.
    await manager.query(
      `SELECT id FROM pickups WHERE id IN (SELECT pickup_id FROM matches WHERE ${column} = $1 AND pickup_id IS NOT NULL)
       ORDER BY id FOR SHARE`,
      [id],
    );
    const cancelled: Array<{ id: string; status: MatchStatus; pickup_id: string | null }> = await manager.query(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      `WITH target AS (
              SELECT id, status FROM matches
               WHERE ${column} = $1 AND status = ANY($2)
                 AND NOT EXISTS (SELECT 1 FROM pickups p WHERE p.id = matches.pickup_id AND p.status IN ('collected', 'delivered'))
               ORDER BY id FOR UPDATE),
            cancelled AS (
              UPDATE matches m SET status = 'cancelled', reason = $3, updated_at = now()
                FROM target WHERE m.id = target.id
              RETURNING m.id, target.status, m.pickup_id)
       SELECT id, status, pickup_id FROM cancelled`,
      [id, statuses, reason],
    );
    for (const match of cancelled) {
      await this.history.record(manager, { type: 'match', id: match.id }, actor, match.status, 'cancelled', reason);
    }
    const pickups = [...new Set(cancelled.map((match) => match.pickup_id).filter((pickupId): pickupId is string => pickupId !== null))];
    await this.outbox.add(manager, ...pickups.map((pickupId) => ({ name: JobName.ReviewPickup, data: { pickupId } }) as const));
    return cancelled.length;
  }

  private async decide(manager: EntityManager, caller: AuthUser, id: string, to: 'accepted' | 'declined', reason?: string): Promise<Row> {
    const match = await this.get(caller, id, manager, true);
    if (match.status !== 'proposed') throw matchNotProposed(match.status);
    await manager.query(
      `UPDATE matches SET status = $2, reason = $3, decided_by = $4, decided_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'proposed'`,
      [id, to, reason ?? null, caller.id],
    );
    await this.history.record(manager, { type: 'match', id }, caller, 'proposed', to, reason);
    return match;
  }
}

function mayView(caller: AuthUser, match: Row): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role === 'coordinator') return caller.houseId === match.houseId;
  if (caller.role === 'donor') return caller.id === match.donorId;
  return false;
}
