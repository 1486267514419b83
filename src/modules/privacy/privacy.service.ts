import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../../common/auth/auth-user';
import { Clock } from '../../common/time/clock';
import { HistoryService } from '../history/history.service';
import { StatusChange } from '../history/entities/status-change.entity';
import { Offer } from '../offers/entities/offer.entity';
import { OffersService } from '../offers/offers.service';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';

export interface PersonalData {
  exportedAt: Date;
  profile: User;
  offers: Array<{ offer: Offer; history: StatusChange[] }>;
}

/** The GDPR rights of a person: a copy of their data, and its erasure. */
@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly offers: OffersService,
    private readonly history: HistoryService,
    private readonly clock: Clock,
  ) {}

  async export(caller: AuthUser): Promise<PersonalData> {
    const profile = (await this.users.findActive(caller.id)) as User;
    const offers = await this.offers.listAllOfDonor(caller.id);
    const withHistory = await Promise.all(
      offers.map(async (offer) => ({ offer, history: await this.history.list('offer', offer.id) })),
    );
    return { exportedAt: this.clock.now(), profile, offers: withHistory };
  }

  /** Forgets who the person is; their offers stay as anonymous history for the houses' records. */
  async erase(caller: AuthUser): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.offers.eraseDonorData(manager, caller);
      await this.users.erase(manager, caller.id, this.clock.now());
    });
  }
}
