import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuthUser } from '../../common/auth/auth-user';
import { notFound } from '../../common/errors/domain-error';
import { Page, paginate, PageQueryDto } from '../../common/pagination/page';
import { Notification, NotificationKind } from './entities/notification.entity';
import { AppConfig } from '../../config/app-config';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';

/**
 * The inbox of every user. Each notification has a key naming its effect (kind, object,
 * recipient), unique in the database: a job that runs twice writes it once.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
  ) {}

  /** With SMTP_URL set, each new notification is also e-mailed, by a job asked for in the same transaction. */
  private async emailed(manager: EntityManager, rows: Array<{ id: string }>): Promise<number> {
    if (this.config.SMTP_URL !== undefined && rows.length > 0) {
      await this.outbox.add(manager, ...rows.map((row) => ({ name: JobName.SendEmail, data: { notificationId: row.id } }) as const));
    }
    return rows.length;
  }

  /** Inserts one notification per recipient, in the given order; a key seen before is skipped. */
  async notify(
    manager: EntityManager,
    userIds: string[],
    kind: NotificationKind,
    key: (userId: string) => string,
    data: Record<string, unknown>,
    distances?: number[],
  ): Promise<number> {
    if (userIds.length === 0) return 0;
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO notifications (user_id, kind, data, dedup_key)
       SELECT r.user_id, $2, $3::jsonb || jsonb_strip_nulls(jsonb_build_object('distanceKm', r.km)), r.dedup_key
         FROM unnest($1::uuid[], $4::text[], $5::float8[]) WITH ORDINALITY AS r(user_id, dedup_key, km, position)
         JOIN users u ON u.id = r.user_id AND u.erased_at IS NULL
        ORDER BY r.position
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING id`,
      [userIds, kind, JSON.stringify(data), userIds.map(key), distances ?? userIds.map(() => null)],
    );
    return this.emailed(manager, rows);
  }

  /** Tells the coordinators of each match's house about a new proposal. */
  async notifyNewProposals(manager: EntityManager, matchIds: string[]): Promise<number> {
    if (matchIds.length === 0) return 0;
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO notifications (user_id, kind, data, dedup_key)
       SELECT u.id, 'match-proposed',
              jsonb_build_object('matchId', m.id, 'offerId', o.id, 'needId', n.id, 'houseSlug', h.slug,
                                 'quantity', m.quantity, 'offerTitle', o.title, 'needTitle', n.title,
                                 'pickupTown', o.pickup_town, 'distanceKm', m.distance_km),
              'match-proposed:' || m.id || ':' || u.id
         FROM matches m
         JOIN offers o ON o.id = m.offer_id
         JOIN needs n ON n.id = m.need_id
         JOIN houses h ON h.id = n.house_id
         JOIN users u ON u.house_id = n.house_id AND u.role = 'coordinator' AND u.erased_at IS NULL
        WHERE m.id = ANY($1)
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING id`,
      [matchIds],
    );
    return this.emailed(manager, rows);
  }

  /** Thanks the donor when a house accepts their goods. */
  notifyMatchAccepted(matchId: string): Promise<number> {
    return this.dataSource.transaction((manager) => this.insertMatchAccepted(manager, matchId));
  }

  private async insertMatchAccepted(manager: EntityManager, matchId: string): Promise<number> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO notifications (user_id, kind, data, dedup_key)
       SELECT o.donor_id, 'match-accepted',
              jsonb_build_object('matchId', m.id, 'offerId', o.id, 'houseSlug', h.slug, 'houseName', h.name,
                                 'quantity', m.quantity, 'offerTitle', o.title),
              'match-accepted:' || m.id
         FROM matches m
         JOIN offers o ON o.id = m.offer_id
         JOIN needs n ON n.id = m.need_id
         JOIN houses h ON h.id = n.house_id
         JOIN users u ON u.id = o.donor_id AND u.erased_at IS NULL
        WHERE m.id = $1 AND m.status IN ('accepted', 'delivered')
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING id`,
      [matchId],
    );
    return this.emailed(manager, rows);
  }

  list(caller: AuthUser, page: PageQueryDto & { unread?: boolean }): Promise<Page<Notification>> {
    const query = this.notifications.createQueryBuilder('notification').where('notification.user_id = :userId', { userId: caller.id });
    if (page.unread) query.andWhere('notification.read_at IS NULL');
    return paginate(query, page, { table: 'notifications', columns: ['created_at', 'id'] });
  }

  async markRead(caller: AuthUser, id: string, at: Date): Promise<Notification> {
    const notification = await this.notifications.findOneBy({ id, userId: caller.id });
    if (!notification) throw notFound('Notification');
    if (!notification.readAt) {
      notification.readAt = at;
      await this.notifications.update({ id, userId: caller.id }, { readAt: at });
    }
    return notification;
  }

  listAllFor(userId: string): Promise<Notification[]> {
    return this.notifications.find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  async eraseFor(manager: EntityManager, userId: string): Promise<void> {
    await manager.delete(Notification, { userId });
  }
}
