import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '../history/history.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { Pickup } from './entities/pickup.entity';
import { PickupsController } from './pickups.controller';
import { PickupsService } from './pickups.service';

@Module({
  imports: [TypeOrmModule.forFeature([Pickup]), HistoryModule, NotificationsModule],
  controllers: [PickupsController],
  providers: [PickupsService],
  exports: [PickupsService],
})
export class PickupsModule {}
