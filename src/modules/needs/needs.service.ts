import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { prepared } from '../../database/prepared';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuthUser } from '../../common/auth/auth-user';
import { notFound } from '../../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, Page } from '../../common/pagination/page';
import { brusselsDate, Clock } from '../../common/time/clock';
import { CatalogService } from '../catalog/catalog.service';
import { House } from '../houses/entities/house.entity';
import { HousesService } from '../houses/houses.service';
import { unknownHouse } from '../users/users.errors';
import { HistoryService } from '../history/history.service';
import { StatusChange } from '../history/entities/status-change.entity';
import { MatchesService } from '../matching/matches.service';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';
import { transactionWithRetry } from '../../database/transactions';
import { CancelNeedDto, CreateNeedDto, ListNeedsQueryDto, NeedResponseDto, UpdateNeedDto } from './dto/need.dto';
import { Need, NEED_STATUSES } from './entities/need.entity';
import { neededByInPast, needNotOpen, notYourHouse, quantityBelowAllocated, unknownHouseFilter } from './needs.errors';

export type NeedWithHouse = Need & { house: House };

const WISHLIST_SELECT = `SELECT n.id, h.slug AS house_slug, n.category_code, n.title, n.description, n.quantity,
  n.quantity_allocated, n.quantity_delivered, n.urgency, n.needed_by, n.status, n.created_at, n.updated_at
  FROM needs n JOIN houses h ON h.id = n.house_id`;

interface WishlistRow {
  id: string;
  house_slug: string;
  category_code: string;
  title: string;
  description: string | null;
  quantity: number;
  quantity_allocated: number;
  quantity_delivered: number;
  urgency: Need['urgency'];
  needed_by: string | null;
  status: Need['status'];
  created_at: Date;
  updated_at: Date;
}

/** A wishlist row as the answer shows it: read and written in one pass, the busiest read of the service. */
function toWishlistItem(row: WishlistRow): NeedResponseDto {
  return {
    id: row.id,
    houseSlug: row.house_slug,
    categoryCode: row.category_code,
    title: row.title,
    description: row.description,
    quantity: row.quantity,
    quantityAllocated: row.quantity_allocated,
    quantityDelivered: row.quantity_delivered,
    urgency: row.urgency,
    neededBy: row.needed_by,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

@Injectable()
export class NeedsService {
  constructor(
    @InjectRepository(Need) private readonly needs: Repository<Need>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly houses: HousesService,
    private readonly catalog: CatalogService,
    private readonly history: HistoryService,
    private readonly matches: MatchesService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async create(caller: AuthUser, dto: CreateNeedDto): Promise<NeedWithHouse> {
    const house = await this.houses.findBySlug(dto.houseSlug);
    if (!house) throw unknownHouse(dto.houseSlug);
    assertMayManage(caller, house.id);
    await this.catalog.assertExists(dto.categoryCode);
    this.assertNotPast(dto.neededBy);

    const id = await this.dataSource.transaction(async (manager) => {
      const { identifiers } = await manager.insert(Need, {
        houseId: house.id,
        categoryCode: dto.categoryCode,
        title: dto.title,
        description: dto.description || null,
        quantity: dto.quantity,
        urgency: dto.urgency,
        neededBy: dto.neededBy ?? null,
        createdBy: caller.id,
      });
      const needId = identifiers[0].id as string;
      await this.history.record(manager, { type: 'need', id: needId }, caller, null, 'open');
      await this.rematch(manager, dto.categoryCode, needId);
      return needId;
    });
    return this.get(id);
  }

  /**
   * The public wishlist, the busiest read of the service: one query, a named prepared statement per
   * combination of filters (each keeps its own plan, the open list on the partial wishlist index), and
   * the house and category checked only when nothing matched, to tell an unknown filter from an empty page.
   */
  async list(query: ListNeedsQueryDto): Promise<Page<NeedResponseDto>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const status = query.status ?? 'open';
    const values: unknown[] = [limit + 1];
    const where = [`n.status = '${NEED_STATUSES.includes(status) ? status : 'open'}'`];
    if (query.house !== undefined) where.push(`h.slug = $${values.push(query.house)}`);
    if (query.category !== undefined) where.push(`n.category_code = $${values.push(query.category)}`);
    if (query.cursor !== undefined) {
      where.push(`(n.urgency_rank, n.created_at, n.id) < (SELECT c.urgency_rank, c.created_at, c.id FROM needs c WHERE c.id = $${values.push(decodeCursor(query.cursor))})`);
    }
    const name = `needs-list-${status}-${query.house !== undefined ? 'h' : ''}${query.category !== undefined ? 'c' : ''}${query.cursor !== undefined ? 'k' : ''}`;
    const text = `${WISHLIST_SELECT} WHERE ${where.join(' AND ')} ORDER BY n.urgency_rank DESC, n.created_at DESC, n.id DESC LIMIT $1`;
    const rows = await prepared<WishlistRow>(this.dataSource, name, text, values);
    if (rows.length === 0) {
      if (query.house !== undefined && !(await this.houses.findBySlug(query.house))) throw unknownHouseFilter(query.house);
      if (query.category !== undefined) await this.catalog.assertExists(query.category, 'category');
    }
    const items = rows.slice(0, limit).map(toWishlistItem);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  async get(id: string): Promise<NeedWithHouse> {
    const need = await this.needs.findOne({ where: { id }, relations: { house: true } });
    if (!need) throw notFound('Need');
    return need as NeedWithHouse;
  }

  async update(caller: AuthUser, id: string, dto: UpdateNeedDto): Promise<NeedWithHouse> {
    this.assertNotPast(dto.neededBy ?? undefined);
    await transactionWithRetry(this.dataSource, async (manager) => {
      let need = await this.lockForChange(manager, caller, id);
      const affectsMatching = dto.quantity !== undefined || dto.urgency !== undefined || dto.neededBy !== undefined;
      if (affectsMatching && (await this.matches.cancelProposalsFor(manager, { needId: id }, caller)) > 0) {
        need = await this.lock(manager, id); // proposals released: only accepted and delivered remain
      }
      if (dto.quantity !== undefined && dto.quantity < need.quantityAllocated) {
        throw quantityBelowAllocated(need.quantityAllocated);
      }
      const changes: Partial<Need> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.description !== undefined) changes.description = dto.description || null;
      if (dto.quantity !== undefined) changes.quantity = dto.quantity;
      if (dto.urgency !== undefined) changes.urgency = dto.urgency;
      if (dto.neededBy !== undefined) changes.neededBy = dto.neededBy;
      if (Object.keys(changes).length === 0) return;
      const quantity = changes.quantity ?? need.quantity;
      // Lowering the quantity to what has been delivered already completes the need.
      if (quantity === need.quantityDelivered) changes.status = 'fulfilled';
      await manager.update(Need, id, changes);
      if (changes.status) await this.history.record(manager, { type: 'need', id }, caller, 'open', 'fulfilled', 'quantity lowered');
      if (affectsMatching) await this.rematch(manager, need.categoryCode, id);
    });
    return this.get(id);
  }

  async cancel(caller: AuthUser, id: string, dto: CancelNeedDto): Promise<NeedWithHouse> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      const need = await this.lock(manager, id);
      assertMayManage(caller, need.houseId);
      if (need.status === 'cancelled') return; // a repeated cancel changes nothing
      if (need.status !== 'open') throw needNotOpen(need.status);
      await manager.update(Need, id, { status: 'cancelled' });
      await this.history.record(manager, { type: 'need', id }, caller, 'open', 'cancelled', dto.reason);
      if ((await this.matches.cancelFor(manager, { needId: id }, caller, 'need cancelled')) > 0) {
        await this.rematch(manager, need.categoryCode);
      }
    });
    return this.get(id);
  }

  async historyOf(id: string): Promise<StatusChange[]> {
    await this.get(id);
    return this.history.list('need', id);
  }

  /**
   * Asks, in the same transaction, for the category to be matched again, and for a new or changed
   * need to be placed at once where there is room (docs/matching.md).
   */
  private rematch(manager: EntityManager, categoryCode: string, place?: string): Promise<void> {
    const optimise = { name: JobName.OptimiseCategory, data: { categoryCode } } as const;
    if (place === undefined) return this.outbox.add(manager, optimise);
    return this.outbox.add(manager, { name: JobName.PlaceNeed, data: { needId: place } }, optimise);
  }

  private async lockForChange(manager: EntityManager, caller: AuthUser, id: string): Promise<Need> {
    const need = await this.lock(manager, id);
    assertMayManage(caller, need.houseId);
    if (need.status !== 'open') throw needNotOpen(need.status);
    return need;
  }

  private async lock(manager: EntityManager, id: string): Promise<Need> {
    const need = await manager.findOne(Need, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!need) throw notFound('Need');
    return need;
  }

  private assertNotPast(neededBy: string | undefined): void {
    if (neededBy !== undefined && neededBy < brusselsDate(this.clock.now())) throw neededByInPast();
  }
}

function assertMayManage(caller: AuthUser, houseId: string): void {
  if (caller.role === 'admin') return;
  if (caller.role === 'coordinator' && caller.houseId === houseId) return;
  throw notYourHouse();
}
