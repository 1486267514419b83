import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OffersModule } from '../offers/offers.module';
import { PickupsModule } from '../pickups/pickups.module';
import { UsersModule } from '../users/users.module';
import { PrivacyController, UserErasureController } from './privacy.controller';
import { PrivacyService } from './privacy.service';

@Module({
  imports: [UsersModule, OffersModule, HistoryModule, NotificationsModule, PickupsModule],
  controllers: [PrivacyController, UserErasureController],
  providers: [PrivacyService],
})
export class PrivacyModule {}
