import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StatusChange } from './entities/status-change.entity';
import { HistoryService } from './history.service';

@Module({
  imports: [TypeOrmModule.forFeature([StatusChange])],
  providers: [HistoryService],
  exports: [HistoryService],
})
export class HistoryModule {}
