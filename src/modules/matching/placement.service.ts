import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { brusselsDate, Clock } from '../../common/time/clock';
import { transactionWithRetry } from '../../database/transactions';
import { pairKey } from './allocation';
import { placeGreedily } from './placement';
import { lockCategory, ProposalWriter } from './proposal-writer';
import { readNeeds, readOffers } from './sides';

export interface PlacementOutcome {
  proposed: number;
  units: number;
}

const NOTHING: PlacementOutcome = { proposed: 0, units: 0 };

/**
 * The quick way to a first proposal: a new or changed offer is proposed, within a small
 * transaction, to the needs that still have room (and a need is filled from the offers that
 * still have units), without moving any other proposal. The optimisation of the category,
 * asked for by the same change, improves on it later (docs/matching.md).
 */
@Injectable()
export class PlacementService {
  private readonly logger = new Logger(PlacementService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: ProposalWriter,
    private readonly clock: Clock,
  ) {}

  placeOffer(offerId: string): Promise<PlacementOutcome> {
    return this.place('offer', offerId);
  }

  placeNeed(needId: string): Promise<PlacementOutcome> {
    return this.place('need', needId);
  }

  private place(side: 'offer' | 'need', id: string): Promise<PlacementOutcome> {
    return transactionWithRetry(this.dataSource, async (manager) => {
      const [subject]: Array<{ category_code: string }> = await manager.query(
        `SELECT category_code FROM ${side === 'offer' ? 'offers' : 'needs'} WHERE id = $1`,
        [id],
      );
      if (!subject) return NOTHING;
      const categoryCode = subject.category_code;
      // Waits only for another placement or the short write of an optimisation, never for its solving.
      await lockCategory(manager, categoryCode);
      const now = this.clock.now();
      const offers = await readOffers(manager, { categoryCode, id: side === 'offer' ? id : undefined }, now);
      const needs = await readNeeds(manager, { categoryCode, id: side === 'need' ? id : undefined });
      if ((side === 'offer' ? offers : needs).length === 0) return NOTHING; // no longer open, or nothing free
      const taken: Array<{ offer_id: string; need_id: string }> = await manager.query(
        `SELECT offer_id, need_id FROM matches WHERE ${side}_id = $1 AND status IN ('proposed', 'declined')`,
        [id],
      );
      const excluded = new Set(taken.map((row) => pairKey(row.offer_id, row.need_id)));
      const placed = placeGreedily({ offers, needs, excluded, today: brusselsDate(now), now });
      // The counterparts were read without locks: what still fits is checked under them.
      const fitting = await this.writer.fitToRoom(manager, placed);
      const created = await this.writer.propose(manager, fitting);
      const outcome = { proposed: created.length, units: fitting.reduce((sum, proposal) => sum + proposal.quantity, 0) };
      if (outcome.proposed > 0) this.logger.log(`placed ${JSON.stringify({ [side]: id, categoryCode, ...outcome })}`);
      return outcome;
    });
  }
}
