import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { AuthUser } from '../../common/auth/auth-user';
import { notFound } from '../../common/errors/domain-error';
import { Page, paginate } from '../../common/pagination/page';
import { Clock } from '../../common/time/clock';
import { CatalogService } from '../catalog/catalog.service';
import { StatusChange } from '../history/entities/status-change.entity';
import { Actor, HistoryService } from '../history/history.service';
import { MatchesService } from '../matching/matches.service';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';
import { isPgError } from '../../database/prepare-database';
import { prepared } from '../../database/prepared';
import { transactionWithRetry } from '../../database/transactions';
import { parseAvailability, Window } from './availability';
import { CreateOfferDto, ListOffersQueryDto, UpdateOfferDto, WithdrawOfferDto } from './dto/offer.dto';
import { Offer, OfferStatus } from './entities/offer.entity';
import { OfferWindow } from './entities/offer-window.entity';
import { offerNotChangeable, offerNotWithdrawable, quantityBelowAllocated } from './offers.errors';

const CHANGEABLE: OfferStatus[] = ['open', 'allocated'];

interface InsertedOfferRow {
  id: string;
  donor_id: string;
  category_code: string;
  title: string;
  description: string | null;
  quantity: number;
  quantity_allocated: number;
  quantity_delivered: number;
  condition: Offer['condition'];
  size: Offer['size'];
  pickup_street: string | null;
  pickup_postcode: string;
  pickup_town: string;
  status: OfferStatus;
  created_at: Date;
  updated_at: Date;
  window_ids: string[];
  window_starts: Date[];
  window_ends: Date[];
}

@Injectable()
export class OffersService {
  constructor(
    @InjectRepository(Offer) private readonly offers: Repository<Offer>,
    @InjectRepository(OfferWindow) private readonly windows: Repository<OfferWindow>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: CatalogService,
    private readonly history: HistoryService,
    private readonly matches: MatchesService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * One statement writes the offer and its windows, and the answer is built from what it returned:
   * no read-back. The category is checked by its foreign key, and only looked up when the insert or
   * the availability fails, so that the errors stay what they were (an unknown category first).
   */
  async create(caller: AuthUser, dto: CreateOfferDto): Promise<Offer> {
    let windows: Window[];
    try {
      windows = parseAvailability(dto.availability, this.clock.now());
    } catch (error) {
      await this.catalog.assertExists(dto.categoryCode);
      throw error;
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const offer = await this.insertWithWindows(manager, caller, dto, windows);
        await this.history.record(manager, { type: 'offer', id: offer.id }, caller, null, 'open');
        await this.rematch(manager, dto.categoryCode, offer.id);
        return offer;
      });
    } catch (error) {
      if (isPgError(error, ['23503']) && (error as { constraint?: string }).constraint === 'offers_category_fk') {
        await this.catalog.assertExists(dto.categoryCode);
      }
      throw error;
    }
  }

  async list(caller: AuthUser, query: ListOffersQueryDto): Promise<Page<Offer>> {
    const qb = this.offers.createQueryBuilder('offer');
    if (caller.role === 'donor') qb.andWhere('offer.donor_id = :donorId', { donorId: caller.id });
    if (query.status !== undefined) qb.andWhere('offer.status = :status', { status: query.status });
    if (query.category !== undefined) qb.andWhere('offer.category_code = :category', { category: query.category });
    const page = await paginate(qb, query, { table: 'offers', columns: ['created_at', 'id'] });
    await this.attachWindows(page.items);
    return page;
  }

  /** The offer as the caller may see it: a donor sees only their own (404 for the others). */
  async get(caller: AuthUser, id: string): Promise<Offer> {
    const offer = await this.load(id);
    if (!mayView(caller, offer)) throw notFound('Offer');
    return offer;
  }

  async update(caller: AuthUser, id: string, dto: UpdateOfferDto): Promise<Offer> {
    const windows = dto.availability ? parseAvailability(dto.availability, this.clock.now()) : undefined;
    await transactionWithRetry(this.dataSource, async (manager) => {
      let offer = await this.lockOwned(manager, caller, id);
      if (!CHANGEABLE.includes(offer.status)) throw offerNotChangeable(offer.status);
      const affectsMatching =
        dto.quantity !== undefined || dto.condition !== undefined || dto.size !== undefined ||
        dto.pickupAddress !== undefined || windows !== undefined;
      if (affectsMatching && (await this.matches.cancelProposalsFor(manager, { offerId: id }, caller)) > 0) {
        offer = await this.lockOwned(manager, caller, id); // proposals released: only firm promises remain
      }
      if (dto.quantity !== undefined && dto.quantity < offer.quantityAllocated) {
        throw quantityBelowAllocated(offer.quantityAllocated);
      }
      const changes: Partial<Offer> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.description !== undefined) changes.description = dto.description || null;
      if (dto.condition !== undefined) changes.condition = dto.condition;
      if (dto.size !== undefined) changes.size = dto.size;
      if (dto.pickupAddress !== undefined) {
        changes.pickupStreet = dto.pickupAddress.street;
        changes.pickupPostcode = dto.pickupAddress.postcode;
        changes.pickupTown = dto.pickupAddress.town;
      }
      if (dto.quantity !== undefined) {
        changes.quantity = dto.quantity;
        changes.status = dto.quantity === offer.quantityAllocated ? 'allocated' : 'open';
      }
      if (Object.keys(changes).length > 0) await manager.update(Offer, id, changes);
      if (changes.status && changes.status !== offer.status) {
        await this.history.record(manager, { type: 'offer', id }, caller, offer.status, changes.status, 'quantity changed');
      }
      if (windows) {
        await manager.delete(OfferWindow, { offerId: id });
        await this.insertWindows(manager, id, windows);
      }
      // Pickups follow: a window for those that wait for one, a new plan for those that no longer fit.
      if (windows || dto.size !== undefined) {
        await this.outbox.add(manager, { name: JobName.ScheduleOfferPickups, data: { offerId: id } });
      }
      if (affectsMatching) await this.rematch(manager, offer.categoryCode, id);
    });
    return this.load(id);
  }

  async withdraw(caller: AuthUser, id: string, dto: WithdrawOfferDto): Promise<Offer> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const offer = await this.lockOwned(manager, caller, id);
      if (offer.status === 'withdrawn') return; // a repeated withdrawal changes nothing
      if (!CHANGEABLE.includes(offer.status)) throw offerNotWithdrawable(offer.status);
      await this.markWithdrawn(manager, offer, caller, dto.reason);
    });
    return this.load(id);
  }

  async historyOf(caller: AuthUser, id: string): Promise<StatusChange[]> {
    await this.get(caller, id);
    return this.history.list('offer', id);
  }

  /** All offers of a donor with their windows, for the export of their personal data. */
  async listAllOfDonor(donorId: string): Promise<Offer[]> {
    const offers = await this.offers.find({ where: { donorId }, order: { createdAt: 'ASC' } });
    await this.attachWindows(offers);
    return offers;
  }

  /** For an erased account: open offers are withdrawn and every pickup street is forgotten. */
  async eraseDonorData(manager: EntityManager, donor: { id: string }, actor: Actor): Promise<void> {
    const active = await manager.find(Offer, {
      where: { donorId: donor.id, status: In(CHANGEABLE) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const offer of active) await this.markWithdrawn(manager, offer, actor, 'account erased');
    await manager.update(Offer, { donorId: donor.id }, { pickupStreet: null });
  }

  /** Withdraws first, then cancels its matches: the freed needs are matched again. */
  private async markWithdrawn(manager: EntityManager, offer: Offer, actor: Actor, reason?: string): Promise<void> {
    await manager.update(Offer, offer.id, { status: 'withdrawn' });
    await this.history.record(manager, { type: 'offer', id: offer.id }, actor, offer.status, 'withdrawn', reason);
    if ((await this.matches.cancelFor(manager, { offerId: offer.id }, actor, 'offer withdrawn')) > 0) {
      await this.rematch(manager, offer.categoryCode);
    }
  }

  /**
   * Asks, in the same transaction, for the category to be matched again, and for a new or changed
   * offer to be placed at once where there is room (docs/matching.md).
   */
  private rematch(manager: EntityManager, categoryCode: string, place?: string): Promise<void> {
    const optimise = { name: JobName.OptimiseCategory, data: { categoryCode } } as const;
    if (place === undefined) return this.outbox.add(manager, optimise);
    return this.outbox.add(manager, { name: JobName.PlaceOffer, data: { offerId: place } }, optimise);
  }

  private async lockOwned(manager: EntityManager, caller: AuthUser, id: string): Promise<Offer> {
    const offer = await manager.findOne(Offer, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!offer || !mayManage(caller, offer)) throw notFound('Offer');
    return offer;
  }

  private async load(id: string): Promise<Offer> {
    const offer = await this.offers.findOneBy({ id });
    if (!offer) throw notFound('Offer');
    await this.attachWindows([offer]);
    return offer;
  }

  private async insertWindows(manager: EntityManager, offerId: string, windows: Window[]): Promise<void> {
    await manager.insert(
      OfferWindow,
      windows.map((window) => ({ offerId, startsAt: window.startsAt, endsAt: window.endsAt })),
    );
  }

  private async insertWithWindows(manager: EntityManager, caller: AuthUser, dto: CreateOfferDto, windows: Window[]): Promise<Offer> {
    const [row] = await prepared<InsertedOfferRow>(
      manager,
      'offer-insert',
      `WITH offer AS (
         INSERT INTO offers (donor_id, category_code, title, description, quantity, condition, size, pickup_street, pickup_postcode, pickup_town)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *),
       windows AS (
         INSERT INTO offer_windows (offer_id, starts_at, ends_at)
         SELECT offer.id, w.starts_at, w.ends_at FROM offer, unnest($11::timestamptz[], $12::timestamptz[]) AS w(starts_at, ends_at)
         RETURNING id, starts_at, ends_at)
       SELECT offer.*, array(SELECT id FROM windows ORDER BY starts_at, id) AS window_ids,
              array(SELECT starts_at FROM windows ORDER BY starts_at, id) AS window_starts,
              array(SELECT ends_at FROM windows ORDER BY starts_at, id) AS window_ends
         FROM offer`,
      [
        caller.id,
        dto.categoryCode,
        dto.title,
        dto.description || null,
        dto.quantity,
        dto.condition,
        dto.size,
        dto.pickupAddress.street,
        dto.pickupAddress.postcode,
        dto.pickupAddress.town,
        windows.map((window) => window.startsAt),
        windows.map((window) => window.endsAt),
      ],
    );
    const offer = Object.assign(new Offer(), {
      id: row.id,
      donorId: row.donor_id,
      categoryCode: row.category_code,
      title: row.title,
      description: row.description,
      quantity: row.quantity,
      quantityAllocated: row.quantity_allocated,
      quantityDelivered: row.quantity_delivered,
      condition: row.condition,
      size: row.size,
      pickupStreet: row.pickup_street,
      pickupPostcode: row.pickup_postcode,
      pickupTown: row.pickup_town,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
    offer.windows = row.window_ids.map((id, i) =>
      Object.assign(new OfferWindow(), { id, offerId: row.id, startsAt: row.window_starts[i], endsAt: row.window_ends[i] }),
    );
    return offer;
  }

  private async attachWindows(offers: Offer[]): Promise<void> {
    if (offers.length === 0) return;
    const windows = await this.windows.find({
      where: { offerId: In(offers.map((offer) => offer.id)) },
      order: { startsAt: 'ASC' },
    });
    for (const offer of offers) offer.windows = windows.filter((window) => window.offerId === offer.id);
  }
}

/** Donors see their own offers only; coordinators and admins see all. */
export function mayView(caller: AuthUser, offer: Offer): boolean {
  return caller.role === 'admin' || caller.role === 'coordinator' || offer.donorId === caller.id;
}

/** Its donor and admins may change or withdraw an offer. */
export function mayManage(caller: AuthUser, offer: Offer): boolean {
  return caller.role === 'admin' || offer.donorId === caller.id;
}

/** The street is personal data: only the donor and admins see it here. */
export const maySeeAddress = mayManage;
