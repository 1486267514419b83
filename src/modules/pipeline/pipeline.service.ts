import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MATCH_STATUSES } from '../matching/entities/match.entity';
import { NEED_STATUSES } from '../needs/entities/need.entity';
import { OFFER_STATUSES } from '../offers/entities/offer.entity';
import { PICKUP_STATUSES } from '../pickups/entities/pickup.entity';

export const PIPELINE_STAGES = {
  needs: NEED_STATUSES,
  offers: OFFER_STATUSES,
  matches: MATCH_STATUSES,
  pickups: PICKUP_STATUSES,
} as const;

export type Stage = keyof typeof PIPELINE_STAGES;
export type Pipeline = Record<Stage, Record<string, number>>;

/** How much of the work is at each step: counts per status, read-only, for the national office. */
@Injectable()
export class PipelineService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async counts(): Promise<Pipeline> {
    const rows: Array<{ stage: Stage; status: string; count: number }> = await this.dataSource.query(
      `SELECT 'needs' AS stage, status, count(*)::int AS count FROM needs GROUP BY status
       UNION ALL SELECT 'offers', status, count(*)::int FROM offers GROUP BY status
       UNION ALL SELECT 'matches', status, count(*)::int FROM matches GROUP BY status
       UNION ALL SELECT 'pickups', status, count(*)::int FROM pickups GROUP BY status`,
    );
    // Every known status is present, zero when nothing is in it, so the page shows the whole pipeline.
    const pipeline = Object.fromEntries(
      Object.entries(PIPELINE_STAGES).map(([stage, statuses]) => [stage, Object.fromEntries(statuses.map((status) => [status, 0]))]),
    ) as Pipeline;
    for (const row of rows) pipeline[row.stage][row.status] = row.count;
    return pipeline;
  }
}
