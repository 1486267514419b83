import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuthUser } from '../../common/auth/auth-user';
import { notFound } from '../../common/errors/domain-error';
import { Page, paginate } from '../../common/pagination/page';
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
import { CancelNeedDto, CreateNeedDto, ListNeedsQueryDto, UpdateNeedDto } from './dto/need.dto';
import { Need } from './entities/need.entity';
import { neededByInPast, needNotOpen, notYourHouse, quantityBelowAllocated, unknownHouseFilter } from './needs.errors';

export type NeedWithHouse = Need & { house: House };

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
      await this.rematch(manager, dto.categoryCode);
      return needId;
    });
    return this.get(id);
  }

  async list(query: ListNeedsQueryDto): Promise<Page<NeedWithHouse>> {
    const qb = this.needs.createQueryBuilder('need').innerJoinAndSelect('need.house', 'house');
    qb.where('need.status = :status', { status: query.status ?? 'open' });
    if (query.house !== undefined) {
      const house = await this.houses.findBySlug(query.house);
      if (!house) throw unknownHouseFilter(query.house);
      qb.andWhere('need.house_id = :houseId', { houseId: house.id });
    }
    if (query.category !== undefined) {
      await this.catalog.assertExists(query.category, 'category');
      qb.andWhere('need.category_code = :category', { category: query.category });
    }
    const page = await paginate(qb, query, { table: 'needs', columns: ['urgency_rank', 'created_at', 'id'] });
    return page as Page<NeedWithHouse>;
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
      if (affectsMatching) await this.rematch(manager, need.categoryCode);
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

  /** Asks, in the same transaction, for the category to be matched again. */
  private rematch(manager: EntityManager, categoryCode: string): Promise<void> {
    return this.outbox.add(manager, { name: JobName.OptimiseCategory, data: { categoryCode } });
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
