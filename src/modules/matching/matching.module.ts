import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryModule } from '../history/history.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AllocationRunner } from './allocation-runner';
import { Match } from './entities/match.entity';
import { MatchesController } from './matches.controller';
import { MatchesService } from './matches.service';
import { MatchingService } from './matching.service';
import { PlacementService } from './placement.service';
import { ProposalWriter } from './proposal-writer';

@Module({
  imports: [TypeOrmModule.forFeature([Match]), HistoryModule, NotificationsModule],
  controllers: [MatchesController],
  providers: [MatchesService, MatchingService, PlacementService, ProposalWriter, AllocationRunner],
  exports: [MatchesService, MatchingService, PlacementService],
})
export class MatchingModule {}
