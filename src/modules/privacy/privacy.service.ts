import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { adminNotErasable, notFound } from '../../common/errors/domain-error';
import { transactionWithRetry } from '../../database/transactions';
import { HistoryService } from '../history/history.service';
import { StatusChange } from '../history/entities/status-change.entity';
import { Notification } from '../notifications/entities/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { Offer } from '../offers/entities/offer.entity';
import { PickupsService } from '../pickups/pickups.service';
import { OffersService } from '../offers/offers.service';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';

export interface PersonalData {
  exportedAt: Date;
  profile: User;
  offers: Array<{ offer: Offer; history: StatusChange[] }>;
  notifications: Notification[];
}

/** The GDPR rights of a person: a copy of their data, and its erasure. */
@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly offers: OffersService,
    private readonly history: HistoryService,
    private readonly notifications: NotificationsService,
    private readonly pickups: PickupsService,
    private readonly clock: Clock,
  ) {}

  async export(caller: AuthUser): Promise<PersonalData> {
    const profile = (await this.users.findActive(caller.id)) as User;
    const offers = await this.offers.listAllOfDonor(caller.id);
    const withHistory = await Promise.all(
      offers.map(async (offer) => ({ offer, history: await this.history.list('offer', offer.id) })),
    );
    const notifications = await this.notifications.listAllFor(caller.id);
    return { exportedAt: this.clock.now(), profile, offers: withHistory, notifications };
  }

  /**
   * Forgets who the person is; their offers stay as anonymous history for the houses' records.
   * The person themself, or an admin on their behalf (the history then names the admin).
   */
  async erase(actor: AuthUser, target: AuthUser = actor): Promise<void> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      await this.pickups.handOverAllOf(manager, target, actor);
      await this.offers.eraseDonorData(manager, target, actor);
      await this.notifications.eraseFor(manager, target.id);
      await this.users.erase(manager, target.id, this.clock.now());
    });
  }

  /** An admin erases someone else's account (a donor, a volunteer or a coordinator). */
  async eraseByAdmin(admin: AuthUser, userId: string): Promise<void> {
    const target = await this.users.findActive(userId);
    if (!target) throw notFound('User');
    if (target.role === 'admin') throw adminNotErasable();
    await this.erase(admin, { id: target.id, role: target.role, houseId: target.houseId, language: target.language });
  }
}
