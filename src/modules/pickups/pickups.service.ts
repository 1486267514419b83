import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuthUser } from '../../common/auth/auth-user';
import { calendarKeyRequired, invalidCursor, notFound, roleRequired } from '../../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, Page, PageQueryDto } from '../../common/pagination/page';
import { Clock } from '../../common/time/clock';
import { AppConfig } from '../../config/app-config';
import { isPgError } from '../../database/prepare-database';
import { prepared } from '../../database/prepared';
import { transactionWithRetry } from '../../database/transactions';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';
import { distanceKm, locate } from '../geo/geo';
import { StatusChange } from '../history/entities/status-change.entity';
import { Actor, HistoryService, SYSTEM_ACTOR } from '../history/history.service';
import { NotificationsService } from '../notifications/notifications.service';
import { Vehicle } from '../users/entities/user.entity';
import { CancelPickupDto, FailedPickupDto, ListPickupsQueryDto, MyPickupsQueryDto } from './dto/pickup.dto';
import { PickupStatus } from './entities/pickup.entity';
import { notYourPickup, pickupInProgress, pickupAlreadyAssigned, pickupHasNoWindow, pickupOverlaps, pickupWrongState, vehicleTooSmall, volunteersListUnassigned } from './pickups.errors';
import { calendarKey, calendarKeyOwner } from './calendar-key';
import { chooseWindow, DEFAULT_RECEIVING_HOURS, Interval, mergeTouching, ReceivingHours, reminderAt } from './scheduling';
import { Language } from '../../common/i18n/languages';

export interface PickupView {
  id: string;
  status: PickupStatus;
  offerId: string;
  houseId: string;
  houseSlug: string;
  houseName: string;
  windowStart: Date | null;
  windowEnd: Date | null;
  volunteerId: string | null;
  round: number;
  size: 'small' | 'medium' | 'large';
  offerTitle: string;
  donorId: string;
  postcode: string;
  town: string;
  street: string | null;
  phone: string | null;
  createdAt: Date;
  items: Array<{ matchId: string; title: string; quantity: number; needTitle: string }>;
  distanceKm?: number;
}

const VIEW = `
  SELECT p.id, p.status, p.offer_id AS "offerId", p.house_id AS "houseId", h.slug AS "houseSlug", h.name AS "houseName",
         p.window_start AS "windowStart", p.window_end AS "windowEnd", p.volunteer_id AS "volunteerId", p.round,
         o.size, o.title AS "offerTitle", o.donor_id AS "donorId", o.pickup_postcode AS postcode, o.pickup_town AS town,
         o.pickup_street AS street, u.phone, p.created_at AS "createdAt"
    FROM pickups p
    JOIN offers o ON o.id = p.offer_id
    JOIN houses h ON h.id = p.house_id
    JOIN users u ON u.id = o.donor_id`;

const HOUR_MS = 3_600_000;
const ESCALATE_BEFORE_MS = 48 * HOUR_MS;

/** What each vehicle carries: a small pickup fits on a bike or in any car. */
export function canCarry(vehicle: Vehicle, size: PickupView['size']): boolean {
  if (size === 'large') return vehicle === 'van';
  if (size === 'medium') return vehicle === 'car' || vehicle === 'van';
  return true;
}

const vehiclesFor = (size: PickupView['size']): Vehicle[] => (['none', 'car', 'van'] as Vehicle[]).filter((v) => canCarry(v, size));

/**
 * Pickups: scheduled inside the donor's availability and the house's receiving hours, offered to
 * the volunteers who can carry them, claimed by exactly one, reminded, escalated and delivered.
 * Every transition is a guarded update on the pickup row, so a double click or a retried job
 * never counts twice.
 */
@Injectable()
export class PickupsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly history: HistoryService,
    private readonly notifications: NotificationsService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  // ---- jobs -------------------------------------------------------------------------------

  /** Puts an accepted match on a pickup: the open one of its offer and house, or a new one. */
  async schedulePickup(matchId: string): Promise<string | null> {
    return transactionWithRetry(this.dataSource, async (manager) => {
      const [match]: Array<{ id: string; status: string; pickup_id: string | null; offer_id: string; house_id: string }> = await manager.query(
        `SELECT m.id, m.status, m.pickup_id, m.offer_id, n.house_id FROM matches m JOIN needs n ON n.id = m.need_id
          WHERE m.id = $1 FOR UPDATE OF m`,
        [matchId],
      );
      if (!match || match.status !== 'accepted' || match.pickup_id) return match?.pickup_id ?? null;
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('inkind:pickup:' || $1 || $2))`, [match.offer_id, match.house_id]);
      const [open]: Array<{ id: string }> = await manager.query(
        `SELECT id FROM pickups WHERE offer_id = $1 AND house_id = $2 AND status = 'unassigned' FOR UPDATE`,
        [match.offer_id, match.house_id],
      );
      if (open) {
        await manager.query(`UPDATE matches SET pickup_id = $2 WHERE id = $1`, [matchId, open.id]);
        return open.id;
      }
      const window = await this.windowFor(manager, match.offer_id, match.house_id);
      const [created]: Array<{ id: string }> = await manager.query(
        `INSERT INTO pickups (offer_id, house_id, window_start, window_end) VALUES ($1, $2, $3, $4) RETURNING id`,
        [match.offer_id, match.house_id, window?.start ?? null, window?.end ?? null],
      );
      await manager.query(`UPDATE matches SET pickup_id = $2 WHERE id = $1`, [matchId, created.id]);
      await this.history.record(manager, { type: 'pickup', id: created.id }, SYSTEM_ACTOR, null, 'unassigned', window ? undefined : 'no availability left');
      await this.announce(manager, created.id, window, 0);
      return created.id;
    });
  }

  /**
   * The donor changed their offer (availability, size): pickups that wait for a window get one,
   * and a planned window that the donor is no longer there for, or a volunteer whose vehicle no
   * longer fits, is planned again (the volunteer is told).
   */
  async scheduleOfferPickups(offerId: string): Promise<number> {
    return transactionWithRetry(this.dataSource, async (manager) => {
      const open: Array<{ id: string }> = await manager.query(
        `SELECT id FROM pickups WHERE offer_id = $1 AND status IN ('unassigned', 'assigned') ORDER BY id FOR UPDATE`,
        [offerId],
      );
      const windows: Array<{ starts_at: Date; ends_at: Date }> = await manager.query(
        `SELECT starts_at, ends_at FROM offer_windows WHERE offer_id = $1`,
        [offerId],
      );
      const available = mergeTouching(windows.map((w) => ({ start: w.starts_at, end: w.ends_at })));
      const fits = (start: Date, end: Date) => available.some((w) => w.start <= start && end <= w.end);
      let changed = 0;
      for (const { id } of open) {
        const pickup = (await this.view(manager, id, true)) as PickupView;
        if (pickup.status === 'unassigned' && !pickup.windowStart) {
          const window = await this.windowFor(manager, offerId, pickup.houseId);
          if (!window) continue;
          await manager.query(`UPDATE pickups SET window_start = $2, window_end = $3, updated_at = now() WHERE id = $1`, [id, window.start, window.end]);
          await this.announce(manager, id, window, pickup.round);
          changed++;
          continue;
        }
        const vehicleFits = !pickup.volunteerId || canCarry((await this.volunteer(pickup.volunteerId)).vehicle, pickup.size);
        if (pickup.windowStart && pickup.windowEnd && fits(pickup.windowStart, pickup.windowEnd) && vehicleFits) continue;
        if (pickup.volunteerId) {
          await this.notifications.notify(manager, [pickup.volunteerId], 'pickup-withdrawn',
            (userId) => `pickup-withdrawn:${id}:${pickup.round}:${userId}`, this.facts(pickup));
        }
        await this.reopen(manager, pickup, SYSTEM_ACTOR, 'the donor changed the offer');
        changed++;
      }
      return changed;
    });
  }

  /** Tells the volunteers who can carry the pickup and live near the donor, nearest first. */
  async notifyVolunteers(pickupId: string, round: number): Promise<number> {
    const pickup = await this.view(this.dataSource.manager, pickupId);
    if (!pickup || pickup.status !== 'unassigned' || pickup.round !== round || !pickup.windowStart) return 0;
    const donor = locate(pickup.postcode, pickup.town);
    const volunteers: Array<{ id: string; postcode: string | null; town: string | null }> = await this.dataSource.query(
      `SELECT id, postcode, town FROM users WHERE role = 'volunteer' AND erased_at IS NULL AND vehicle = ANY($1)`,
      [vehiclesFor(pickup.size)],
    );
    const near = volunteers
      .filter((v) => v.postcode)
      .map((v) => ({ id: v.id, km: distanceKm(donor, locate(v.postcode as string, v.town ?? '')) }))
      .filter((v) => v.km <= this.config.PICKUP_RADIUS_KM)
      .sort((a, b) => a.km - b.km);
    return this.notifications.notify(
      this.dataSource.manager,
      near.map((v) => v.id),
      'pickup-available',
      (userId) => `pickup-available:${pickupId}:${round}:${userId}`,
      { ...this.facts(pickup), distanceKm: null },
      near.map((v) => Math.round(v.km * 10) / 10),
    );
  }

  /** The evening before: reminds the volunteer and the donor, if the pickup still stands as planned. */
  async sendReminder(pickupId: string, windowStart: string): Promise<number> {
    const pickup = await this.view(this.dataSource.manager, pickupId);
    if (!pickup || pickup.status !== 'assigned' || pickup.windowStart?.toISOString() !== windowStart || !pickup.volunteerId) return 0;
    return this.notifications.notify(
      this.dataSource.manager,
      [pickup.volunteerId, pickup.donorId],
      'pickup-reminder',
      (userId) => `pickup-reminder:${pickupId}:${windowStart}:${userId}`,
      this.facts(pickup),
    );
  }

  /**
   * The repeatable check. Unclaimed pickups within 48 h of their window: the house's coordinators
   * and the admins are told (once per window). Windows that ended without a collection: the
   * pickup goes back to unassigned with the next window, and the coordinators are told.
   */
  async escalate(): Promise<{ escalated: number; rescheduled: number }> {
    const now = this.clock.now();
    const soon: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM pickups WHERE status = 'unassigned' AND window_start > $1 AND window_start <= $2`,
      [now, new Date(now.getTime() + ESCALATE_BEFORE_MS)],
    );
    let escalated = 0;
    for (const { id } of soon) {
      const pickup = await this.view(this.dataSource.manager, id);
      if (!pickup?.windowStart) continue;
      const recipients = await this.staffOf(this.dataSource.manager, pickup.houseId, true);
      escalated += await this.notifications.notify(
        this.dataSource.manager,
        recipients,
        'pickup-unclaimed',
        (userId) => `pickup-unclaimed:${id}:${pickup.windowStart?.toISOString()}:${userId}`,
        this.facts(pickup),
      );
    }
    const missed: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM pickups WHERE status IN ('unassigned', 'assigned') AND window_end <= $1 ORDER BY id`,
      [now],
    );
    let rescheduled = 0;
    for (const { id } of missed) {
      const done = await transactionWithRetry(this.dataSource, async (manager) => {
        const pickup = await this.view(manager, id, true);
        if (!pickup || !['unassigned', 'assigned'].includes(pickup.status) || !pickup.windowEnd || pickup.windowEnd > now) return false;
        await this.notifications.notify(manager, await this.staffOf(manager, pickup.houseId, false), 'pickup-missed',
          (userId) => `pickup-missed:${id}:${pickup.windowStart?.toISOString()}:${userId}`, this.facts(pickup));
        await this.reopen(manager, pickup, SYSTEM_ACTOR, 'window passed without a collection', now);
        return true;
      });
      if (done) rescheduled++;
    }
    return { escalated, rescheduled };
  }

  /**
   * A volunteer leaves (erases their account): their claimed pickups go back to the others. One
   * whose goods are in their car cannot be handed over this way (409).
   */
  async handOverAllOf(manager: EntityManager, volunteer: AuthUser, actor: Actor = volunteer): Promise<void> {
    const held: Array<{ id: string; status: PickupStatus }> = await manager.query(
      `SELECT id, status FROM pickups WHERE volunteer_id = $1 AND status IN ('assigned', 'collected') ORDER BY id FOR UPDATE`,
      [volunteer.id],
    );
    if (held.some((pickup) => pickup.status === 'collected')) throw pickupInProgress();
    for (const { id } of held) {
      const pickup = (await this.view(manager, id, true)) as PickupView;
      await this.reopen(manager, pickup, actor, 'the volunteer left');
    }
  }

  /** Cancels a pickup whose matches have all ended (offer withdrawn, need cancelled): nothing left to carry. */
  async review(pickupId: string): Promise<boolean> {
    // Most reviews find goods still to carry: one plain read settles them. The job is asked for in
    // the transaction that ended the matches, so this read already sees that change.
    const [open] = await prepared(
      this.dataSource,
      'pickup-review-open',
      `SELECT 1 FROM pickups p WHERE p.id = $1 AND p.status IN ('unassigned', 'assigned')
          AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.pickup_id = p.id AND m.status IN ('accepted', 'delivered'))`,
      [pickupId],
    );
    if (!open) return false;
    return transactionWithRetry(this.dataSource, async (manager) => {
      const pickup = await this.view(manager, pickupId, true);
      if (!pickup || !['unassigned', 'assigned'].includes(pickup.status) || pickup.items.length > 0) return false;
      await manager.query(`UPDATE pickups SET status = 'cancelled', updated_at = now() WHERE id = $1`, [pickupId]);
      await this.history.record(manager, { type: 'pickup', id: pickupId }, SYSTEM_ACTOR, pickup.status, 'cancelled', 'nothing left to carry');
      return true;
    });
  }

  // ---- API ---------------------------------------------------------------------------------

  async list(caller: AuthUser, query: ListPickupsQueryDto): Promise<Page<PickupView>> {
    if (caller.role === 'volunteer') return this.listForVolunteer(caller, query);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (caller.role === 'coordinator') where.push(`p.house_id = ${param(caller.houseId)}`);
    if (caller.role === 'donor') where.push(`o.donor_id = ${param(caller.id)}`);
    if (query.status) where.push(`p.status = ${param(query.status)}`);
    return this.page(where, params, query, 'p.created_at', 'created_at');
  }

  /** The caller's claimed pickups, latest window first. */
  /** The caller's pickups, latest window first; `status` narrows them (the ones still to do: assigned, collected). */
  mine(caller: AuthUser, query: MyPickupsQueryDto): Promise<Page<PickupView>> {
    const where = [`p.volunteer_id = $1`];
    const params: unknown[] = [caller.id];
    if (query.status !== undefined) where.push(`p.status = $${params.push(query.status)}`);
    return this.page(where, params, query, 'p.window_start', 'window_start');
  }

  async get(caller: AuthUser, id: string): Promise<PickupView> {
    const pickup = await this.view(this.dataSource.manager, id);
    if (!pickup || !mayView(caller, pickup)) throw notFound('Pickup');
    if (caller.role === 'volunteer' && pickup.status === 'unassigned') {
      const me = await this.volunteer(caller.id);
      if (me.postcode) pickup.distanceKm = round1(distanceKm(locate(me.postcode, me.town ?? ''), locate(pickup.postcode, pickup.town)));
    }
    return pickup;
  }

  async claim(caller: AuthUser, id: string): Promise<PickupView> {
    const me = await this.volunteer(caller.id);
    try {
      await transactionWithRetry(this.dataSource, async (manager) => {
        const pickup = await this.view(manager, id, true);
        // A pickup someone else holds is not the caller's to see, but the answer to a claim is "taken" (409).
        if (!pickup) throw notFound('Pickup');
        if (pickup.status !== 'unassigned') throw pickupAlreadyAssigned();
        if (!pickup.windowStart) throw pickupHasNoWindow();
        if (!canCarry(me.vehicle, pickup.size)) throw vehicleTooSmall(pickup.size);
        await manager.query(
          `UPDATE pickups SET status = 'assigned', volunteer_id = $2, updated_at = now() WHERE id = $1 AND status = 'unassigned'`,
          [id, caller.id],
        );
        await this.history.record(manager, { type: 'pickup', id }, caller, 'unassigned', 'assigned');
        const remindAt = reminderAt(pickup.windowStart);
        await this.outbox.add(manager, {
          name: JobName.SendReminder,
          data: { pickupId: id, windowStart: pickup.windowStart.toISOString() },
          runAt: remindAt > this.clock.now() ? remindAt : undefined,
        });
      });
    } catch (error) {
      // The exclusion constraint: this volunteer holds another pickup in an overlapping window.
      if (isPgError(error, ['23P01'])) throw pickupOverlaps();
      throw error;
    }
    return this.get(caller, id);
  }

  async release(caller: AuthUser, id: string): Promise<PickupView> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const pickup = await this.lockOwn(manager, caller, id);
      if (pickup.status !== 'assigned') throw pickupWrongState(pickup.status, 'released');
      await this.reopen(manager, pickup, caller, 'released by the volunteer');
    });
    return this.afterHandOver(id);
  }

  async collected(caller: AuthUser, id: string): Promise<PickupView> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const pickup = await this.lockOwn(manager, caller, id);
      if (pickup.status === 'collected') return;
      if (pickup.status !== 'assigned') throw pickupWrongState(pickup.status, 'marked collected');
      await manager.query(`UPDATE pickups SET status = 'collected', updated_at = now() WHERE id = $1 AND status = 'assigned'`, [id]);
      await this.history.record(manager, { type: 'pickup', id }, caller, 'assigned', 'collected');
    });
    return this.get(caller, id);
  }

  /** Delivered: its matches are delivered, needs fulfilled when complete, the offer closed when all of it is given. */
  async delivered(caller: AuthUser, id: string): Promise<PickupView> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const pickup = await this.lockVisible(manager, caller, id);
      const mayConfirm =
        caller.role === 'admin' ||
        (caller.role === 'coordinator' && caller.houseId === pickup.houseId) ||
        (caller.role === 'volunteer' && caller.id === pickup.volunteerId);
      if (!mayConfirm) throw notYourPickup();
      if (pickup.status === 'delivered') return; // a double click counts once
      if (pickup.status !== 'assigned' && pickup.status !== 'collected') throw pickupWrongState(pickup.status, 'delivered');
      await manager.query(`UPDATE pickups SET status = 'delivered', updated_at = now() WHERE id = $1`, [id]);
      await this.history.record(manager, { type: 'pickup', id }, caller, pickup.status, 'delivered');
      const matches: Array<{ id: string; need_id: string }> = await manager.query(
        `WITH done AS (UPDATE matches SET status = 'delivered', updated_at = now() WHERE pickup_id = $1 AND status = 'accepted' RETURNING id, need_id)
         SELECT id, need_id FROM done ORDER BY id`,
        [id],
      );
      for (const match of matches) await this.history.record(manager, { type: 'match', id: match.id }, caller, 'accepted', 'delivered');
      const fulfilled: Array<{ id: string }> = await manager.query(
        `WITH done AS (UPDATE needs SET status = 'fulfilled', updated_at = now()
                        WHERE id = ANY($1) AND status = 'open' AND quantity_delivered >= quantity RETURNING id)
         SELECT id FROM done`,
        [matches.map((m) => m.need_id)],
      );
      for (const need of fulfilled) await this.history.record(manager, { type: 'need', id: need.id }, caller, 'open', 'fulfilled');
      const closed: Array<{ id: string; status: string }> = await manager.query(
        `WITH before AS (SELECT id, status FROM offers WHERE id = $1),
              done AS (UPDATE offers o SET status = 'closed', updated_at = now() FROM before
                        WHERE o.id = before.id AND o.status IN ('open', 'allocated') AND o.quantity_delivered >= o.quantity RETURNING o.id)
         SELECT before.id, before.status FROM done JOIN before ON before.id = done.id`,
        [pickup.offerId],
      );
      for (const offer of closed) await this.history.record(manager, { type: 'offer', id: offer.id }, caller, offer.status, 'closed');
      await this.notifications.notify(manager, [pickup.donorId], 'pickup-delivered', (userId) => `pickup-delivered:${id}:${userId}`, this.facts(pickup));
    });
    return this.get(caller, id);
  }

  /** A failed attempt: rescheduled, or, for goods not as described, its matches declined and freed. */
  async failed(caller: AuthUser, id: string, dto: FailedPickupDto): Promise<PickupView> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const pickup = await this.lockOwn(manager, caller, id);
      if (pickup.status !== 'assigned') throw pickupWrongState(pickup.status, 'reported as failed');
      const reason = dto.note ? `${dto.reason}: ${dto.note}` : dto.reason;
      await manager.query(`UPDATE pickups SET failed_attempts = failed_attempts + 1, last_failure = $2 WHERE id = $1`, [id, reason]);
      if (dto.reason === 'goods-not-as-described') {
        await this.end(manager, pickup, caller, 'declined', reason);
      } else {
        await this.reopen(manager, pickup, caller, reason, pickup.windowEnd ?? undefined);
      }
    });
    return this.afterHandOver(id);
  }

  async cancel(caller: AuthUser, id: string, dto: CancelPickupDto): Promise<PickupView> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const pickup = await this.lockVisible(manager, caller, id);
      if (!(caller.role === 'admin' || (caller.role === 'coordinator' && caller.houseId === pickup.houseId))) throw notYourPickup();
      if (pickup.status === 'cancelled') return;
      if (pickup.status !== 'unassigned' && pickup.status !== 'assigned') throw pickupWrongState(pickup.status, 'cancelled');
      await this.end(manager, pickup, caller, 'cancelled', dto.reason ?? 'cancelled by the house');
    });
    return this.get(caller, id);
  }

  /** The pickup as the volunteer left it: no longer theirs, so without the address, but still answered. */
  private async afterHandOver(id: string): Promise<PickupView> {
    return (await this.view(this.dataSource.manager, id)) as PickupView;
  }

  async historyOf(caller: AuthUser, id: string): Promise<StatusChange[]> {
    await this.get(caller, id);
    return this.history.list('pickup', id);
  }

  /** Every pickup the volunteer holds or held, for their calendar. */
  async calendarOf(volunteerId: string): Promise<PickupView[]> {
    const rows: PickupView[] = await this.dataSource.query(
      `${VIEW} WHERE p.volunteer_id = $1 AND p.window_start IS NOT NULL AND p.status IN ('assigned', 'collected', 'delivered') ORDER BY p.window_start`,
      [volunteerId],
    );
    return this.withItems(rows);
  }

  calendarKeyOf(caller: AuthUser): string {
    return calendarKey(this.config.jwtSecret, caller.id);
  }

  /** Whose calendar: the volunteer of the bearer token, or of a calendar key (an active volunteer). */
  /** The volunteer whose feed this is, and the language they read it in. */
  async calendarOwner(caller: AuthUser | undefined, key: string | undefined): Promise<{ id: string; language: Language }> {
    if (caller) {
      if (caller.role !== 'volunteer') throw roleRequired(['volunteer']);
      return { id: caller.id, language: caller.language };
    }
    const owner = key ? calendarKeyOwner(this.config.jwtSecret, key) : null;
    const [user] = owner
      ? await this.dataSource.query(`SELECT id, language FROM users WHERE id = $1 AND role = 'volunteer' AND erased_at IS NULL`, [owner])
      : [];
    if (!user) throw calendarKeyRequired();
    return { id: user.id, language: user.language };
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** The cancelled or goods-refused end of a pickup: its accepted matches end too, and their quantities are matched again. */
  private async end(manager: EntityManager, pickup: PickupView, actor: Actor, matchStatus: 'cancelled' | 'declined', reason: string): Promise<void> {
    await manager.query(`UPDATE pickups SET status = 'cancelled', updated_at = now() WHERE id = $1`, [pickup.id]);
    await this.history.record(manager, { type: 'pickup', id: pickup.id }, actor, pickup.status, 'cancelled', reason);
    const ended: Array<{ id: string }> = await manager.query(
      `WITH done AS (UPDATE matches SET status = $2, reason = $3, updated_at = now() WHERE pickup_id = $1 AND status = 'accepted' RETURNING id)
       SELECT id FROM done ORDER BY id`,
      [pickup.id, matchStatus, reason],
    );
    for (const match of ended) await this.history.record(manager, { type: 'match', id: match.id }, actor, 'accepted', matchStatus, reason);
    const [offer]: Array<{ category_code: string }> = await manager.query(`SELECT category_code FROM offers WHERE id = $1`, [pickup.offerId]);
    await this.outbox.add(manager, { name: JobName.OptimiseCategory, data: { categoryCode: offer.category_code } });
  }

  /** Back to unassigned with the next window (none: the donor is asked for availability), offered again. */
  private async reopen(manager: EntityManager, pickup: PickupView, actor: Actor, reason: string, notBefore?: Date): Promise<void> {
    // Only one unassigned pickup per offer and house: if a later acceptance opened one meanwhile,
    // this pickup's goods join it and this one ends.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('inkind:pickup:' || $1 || $2))`, [pickup.offerId, pickup.houseId]);
    const [open]: Array<{ id: string }> = await manager.query(
      `SELECT id FROM pickups WHERE offer_id = $1 AND house_id = $2 AND status = 'unassigned' AND id <> $3 FOR UPDATE`,
      [pickup.offerId, pickup.houseId, pickup.id],
    );
    if (open) {
      await manager.query(`UPDATE matches SET pickup_id = $2 WHERE pickup_id = $1 AND status = 'accepted'`, [pickup.id, open.id]);
      await manager.query(`UPDATE pickups SET status = 'cancelled', volunteer_id = NULL, updated_at = now() WHERE id = $1`, [pickup.id]);
      await this.history.record(manager, { type: 'pickup', id: pickup.id }, actor, pickup.status, 'cancelled', `${reason}; joined pickup ${open.id}`);
      return;
    }
    const window = await this.windowFor(manager, pickup.offerId, pickup.houseId, notBefore);
    const round = pickup.round + 1;
    await manager.query(
      `UPDATE pickups SET status = 'unassigned', volunteer_id = NULL, window_start = $2, window_end = $3, round = $4, updated_at = now()
        WHERE id = $1`,
      [pickup.id, window?.start ?? null, window?.end ?? null, round],
    );
    if (pickup.status !== 'unassigned') await this.history.record(manager, { type: 'pickup', id: pickup.id }, actor, pickup.status, 'unassigned', reason);
    await this.announce(manager, pickup.id, window, round);
  }

  /** A (new) window is known: the donor hears when, volunteers hear of the pickup. No window: the donor is asked for availability. */
  private async announce(manager: EntityManager, pickupId: string, window: Interval | null, round: number): Promise<void> {
    const pickup = (await this.view(manager, pickupId)) as PickupView;
    if (window) {
      await this.notifications.notify(manager, [pickup.donorId], 'pickup-scheduled',
        (userId) => `pickup-scheduled:${pickupId}:${window.start.toISOString()}:${userId}`, this.facts(pickup));
      await this.outbox.add(manager, { name: JobName.NotifyVolunteers, data: { pickupId, round } });
    } else {
      await this.notifications.notify(manager, [pickup.donorId], 'availability-needed',
        (userId) => `availability-needed:${pickupId}:${round}:${userId}`, this.facts(pickup));
    }
  }

  private async windowFor(manager: EntityManager, offerId: string, houseId: string, notBefore?: Date): Promise<Interval | null> {
    const windows: Array<{ starts_at: Date; ends_at: Date }> = await manager.query(
      `SELECT starts_at, ends_at FROM offer_windows WHERE offer_id = $1 ORDER BY starts_at`,
      [offerId],
    );
    const [house]: Array<{ receiving_hours: ReceivingHours | null }> = await manager.query(`SELECT receiving_hours FROM houses WHERE id = $1`, [houseId]);
    return chooseWindow({
      availability: windows.map((w) => ({ start: w.starts_at, end: w.ends_at })),
      now: this.clock.now(),
      leadMs: this.config.PICKUP_LEAD_HOURS * HOUR_MS,
      receiving: house?.receiving_hours ?? DEFAULT_RECEIVING_HOURS,
      notBefore,
    });
  }

  private facts(pickup: PickupView): Record<string, unknown> {
    return {
      pickupId: pickup.id,
      offerId: pickup.offerId,
      houseSlug: pickup.houseSlug,
      houseName: pickup.houseName,
      offerTitle: pickup.offerTitle,
      town: pickup.town,
      windowStart: pickup.windowStart?.toISOString() ?? null,
      windowEnd: pickup.windowEnd?.toISOString() ?? null,
    };
  }

  private async staffOf(manager: EntityManager, houseId: string, withAdmins: boolean): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM users WHERE erased_at IS NULL AND ((role = 'coordinator' AND house_id = $1) OR ($2 AND role = 'admin')) ORDER BY id`,
      [houseId, withAdmins],
    );
    return rows.map((row) => row.id);
  }

  private async volunteer(id: string): Promise<{ vehicle: Vehicle; postcode: string | null; town: string | null }> {
    const [me] = await this.dataSource.query(`SELECT vehicle, postcode, town FROM users WHERE id = $1`, [id]);
    return me;
  }

  private async view(manager: EntityManager, id: string, lock = false): Promise<PickupView | undefined> {
    const [row]: PickupView[] = await manager.query(`${VIEW} WHERE p.id = $1${lock ? ' FOR UPDATE OF p' : ''}`, [id]);
    return row ? (await this.withItems([row], manager))[0] : undefined;
  }

  private async lockVisible(manager: EntityManager, caller: AuthUser, id: string): Promise<PickupView> {
    const pickup = await this.view(manager, id, true);
    if (!pickup || !mayView(caller, pickup)) throw notFound('Pickup');
    return pickup;
  }

  private async lockOwn(manager: EntityManager, caller: AuthUser, id: string): Promise<PickupView> {
    const pickup = await this.lockVisible(manager, caller, id);
    if (pickup.volunteerId !== caller.id) throw notYourPickup();
    return pickup;
  }

  private async withItems(rows: PickupView[], manager: EntityManager = this.dataSource.manager): Promise<PickupView[]> {
    if (rows.length === 0) return rows;
    const items: Array<{ pickupId: string; matchId: string; title: string; quantity: number; needTitle: string }> = await manager.query(
      `SELECT m.pickup_id AS "pickupId", m.id AS "matchId", o.title, m.quantity, n.title AS "needTitle"
         FROM matches m JOIN offers o ON o.id = m.offer_id JOIN needs n ON n.id = m.need_id
        WHERE m.pickup_id = ANY($1) AND m.status IN ('accepted', 'delivered') ORDER BY m.created_at, m.id`,
      [rows.map((row) => row.id)],
    );
    for (const row of rows) {
      row.items = items.filter((item) => item.pickupId === row.id).map(({ pickupId: _p, ...item }) => item);
    }
    return rows;
  }

  private async page(where: string[], params: unknown[], query: PageQueryDto, orderKey: string, column: string): Promise<Page<PickupView>> {
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.cursor !== undefined) {
      where.push(`(${orderKey}, p.id) < (SELECT c.${column}, c.id FROM pickups c WHERE c.id = ${param(decodeCursor(query.cursor))})`);
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows: PickupView[] = await this.dataSource.query(
      `${VIEW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${orderKey} DESC NULLS LAST, p.id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const items = await this.withItems(rows.slice(0, limit));
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  /** Unassigned pickups with a window that the volunteer's vehicle can carry, nearest first. */
  private async listForVolunteer(caller: AuthUser, query: ListPickupsQueryDto): Promise<Page<PickupView>> {
    if (query.status !== undefined && query.status !== 'unassigned') throw volunteersListUnassigned();
    const me = await this.volunteer(caller.id);
    const rows: PickupView[] = await this.dataSource.query(
      `${VIEW} WHERE p.status = 'unassigned' AND p.window_start IS NOT NULL AND o.size = ANY($1)`,
      [(['small', 'medium', 'large'] as const).filter((size) => canCarry(me.vehicle, size))],
    );
    const home = me.postcode ? locate(me.postcode, me.town ?? '') : undefined;
    for (const row of rows) row.distanceKm = home ? round1(distanceKm(home, locate(row.postcode, row.town))) : undefined;
    rows.sort((a, b) => (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || a.id.localeCompare(b.id));
    // Sorted by distance from the caller, the list pages by position.
    const offset = query.cursor !== undefined ? decodeOffset(query.cursor) : 0;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const items = await this.withItems(rows.slice(offset, offset + limit));
    return { items, nextCursor: rows.length > offset + limit ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : null };
  }
}

function decodeOffset(cursor: string): number {
  const match = /^offset:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalidCursor();
  return Number(match[1]);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Admins all pickups, coordinators their house's, donors their offers' (volunteers: see below). */
function ofTheirConcern(caller: AuthUser, pickup: PickupView): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role === 'coordinator') return caller.houseId === pickup.houseId;
  return caller.role === 'donor' && caller.id === pickup.donorId;
}

/** Who may see a pickup: those it concerns; a volunteer their own, and the open ones with a window. */
export function mayView(caller: AuthUser, pickup: PickupView): boolean {
  if (caller.role !== 'volunteer') return ofTheirConcern(caller, pickup);
  return caller.id === pickup.volunteerId || (pickup.status === 'unassigned' && pickup.windowStart !== null);
}

/** The street and phone: those it concerns, and the volunteer who holds (or held) the trip. */
export function maySeeAddress(caller: AuthUser, pickup: PickupView): boolean {
  if (caller.role !== 'volunteer') return ofTheirConcern(caller, pickup);
  return caller.id === pickup.volunteerId && ['assigned', 'collected', 'delivered'].includes(pickup.status);
}
