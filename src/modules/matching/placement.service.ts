import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { brusselsDate, Clock } from '../../common/time/clock';
import { prepared } from '../../database/prepared';
import { transactionWithRetry } from '../../database/transactions';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';
import { pairKey, Proposal, unitsOf } from './allocation';
import { placeGreedily, placeOfferDisplacing, StandingProposal } from './placement';
import { ProposalWriter } from './proposal-writer';
import { readNeeds, readOffers } from './sides';

export interface PlacementOutcome {
  proposed: number;
  units: number;
  /** Proposals of other offers that this one took the place of (offers only). */
  displaced: number;
}

const NOTHING: PlacementOutcome = { proposed: 0, units: 0, displaced: 0 };

/**
 * The quick way to a first proposal, within a small transaction: a new or changed offer is
 * proposed to the needs that still have room, or in place of standing proposals it clearly beats
 * (their offers wait for the optimisation); a need is filled from the offers that still have units.
 * The optimisation of the category, asked for by the same change, improves on it later
 * (docs/matching.md).
 */
@Injectable()
export class PlacementService {
  private readonly logger = new Logger(PlacementService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: ProposalWriter,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  placeOffer(offerId: string): Promise<PlacementOutcome> {
    return this.place('offer', offerId);
  }

  placeNeed(needId: string): Promise<PlacementOutcome> {
    return this.place('need', needId);
  }

  /** The proposals standing at the open needs of a category, with the score per unit they were made with. */
  private standingProposals(manager: EntityManager, categoryCode: string): Promise<StandingProposal[]> {
    return prepared<StandingProposal>(
      manager,
      'placement-standing',
      `SELECT m.id, m.offer_id AS "offerId", m.need_id AS "needId", m.quantity, m.score
         FROM matches m JOIN needs n ON n.id = m.need_id
        WHERE n.category_code = $1 AND n.status = 'open' AND m.status = 'proposed'`,
      [categoryCode],
    );
  }

  private place(side: 'offer' | 'need', id: string): Promise<PlacementOutcome> {
    return transactionWithRetry(this.dataSource, async (manager) => {
      const [subject]: Array<{ category_code: string }> = await manager.query(
        `SELECT category_code FROM ${side === 'offer' ? 'offers' : 'needs'} WHERE id = $1`,
        [id],
      );
      if (!subject) return NOTHING;
      const categoryCode = subject.category_code;
      // No category lock: placements of one category run side by side, and beside an optimisation.
      // What they write is checked under row locks (the displaced proposals, then the offers and
      // needs in id order: fitToRoom), and the CHECK constraints refuse any over-promise.
      const now = this.clock.now();
      const when = { today: brusselsDate(now), now };
      const taken: Array<{ offer_id: string; need_id: string }> = await manager.query(
        `SELECT offer_id, need_id FROM matches WHERE ${side}_id = $1 AND status IN ('proposed', 'declined')`,
        [id],
      );
      const excluded = new Set(taken.map((row) => pairKey(row.offer_id, row.need_id)));
      let placed: Proposal[];
      let displaced: StandingProposal[] = [];
      if (side === 'offer') {
        const [offer] = await readOffers(manager, { categoryCode, id }, now);
        if (!offer) return NOTHING; // no longer open, or nothing free
        // Every open need: one without free room may hold a proposal this offer should take over.
        const needs = await readNeeds(manager, { categoryCode, movable: new Map() });
        const standing = await this.standingProposals(manager, categoryCode);
        ({ proposals: placed, displaced } = placeOfferDisplacing({ offer, needs, standing, excluded, ...when }));
        const superseded = new Set(await this.writer.supersede(manager, displaced.map((proposal) => proposal.id)));
        displaced = displaced.filter((proposal) => superseded.has(proposal.id));
      } else {
        const needs = await readNeeds(manager, { categoryCode, id });
        if (needs.length === 0) return NOTHING;
        placed = placeGreedily({ offers: await readOffers(manager, { categoryCode }, now), needs, excluded, ...when });
      }
      // The counterparts were read without locks: what still fits is checked under them.
      const fitting = await this.writer.fitToRoom(manager, placed);
      const created = await this.writer.propose(manager, fitting);
      // The displaced offers wait for an optimisation: ask for one now, since the one that this
      // offer's change asked for may have read the category before the displacement.
      if (displaced.length > 0) await this.outbox.add(manager, { name: JobName.OptimiseCategory, data: { categoryCode } });
      const outcome = { proposed: created.length, units: unitsOf(fitting), displaced: displaced.length };
      if (outcome.proposed + outcome.displaced > 0) this.logger.log(`placed ${JSON.stringify({ [side]: id, categoryCode, ...outcome })}`);
      return outcome;
    });
  }
}
