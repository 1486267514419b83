import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { brusselsDate, Clock } from '../../common/time/clock';
import { prepared } from '../../database/prepared';
import { transactionWithRetry } from '../../database/transactions';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';
import { NeedSide, OfferSide, pairKey, unitsOf } from './allocation';
import { placeGreedily, placeOfferDisplacing, StandingProposal } from './placement';
import { ProposalWriter } from './proposal-writer';
import { needRowsSql, NeedRow, needSide, offerRowsSql, OfferRow, offerSide } from './sides';

export interface PlacementOutcome {
  proposed: number;
  units: number;
  /** Proposals of other offers that this one took the place of (offers only). */
  displaced: number;
}

const NOTHING: PlacementOutcome = { proposed: 0, units: 0, displaced: 0 };

interface PlacementRow {
  categoryCode: string;
  taken: Array<[offerId: string, needId: string]>;
  offers: OfferRow[];
  needs: NeedRow[];
  standing: Array<[id: string, offerId: string, needId: string, quantity: number, score: number]>;
}

interface PlacementRead {
  categoryCode: string;
  /** Pairs proposed already or declined. */
  excluded: Set<string>;
  offers: OfferSide[];
  needs: NeedSide[];
  standing: StandingProposal[];
}

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

  /**
   * What a placement works from, in one round trip and without locks: on this stack each statement
   * costs a socket write that wakes PostgreSQL, and a placement used to send eight before it knew
   * whether it had anything to write. The subject's category, the pairs it may not take, the subject
   * if it still has something free, and the other side: for an offer every open need (one without
   * free room may hold a proposal that the offer should take over) and the proposals standing at
   * them with their score per unit; for a need, the offers with free units.
   */
  private async read(side: 'offer' | 'need', id: string, now: Date): Promise<PlacementRead | undefined> {
    const standing = `(SELECT coalesce(json_agg(json_build_array(m.id, m.offer_id, m.need_id, m.quantity, m.score)), '[]')
                         FROM matches m JOIN needs sn ON sn.id = m.need_id
                        WHERE sn.category_code = s.category_code AND sn.status = 'open' AND m.status = 'proposed')`;
    const sql =
      side === 'offer'
        ? `SELECT s.category_code AS "categoryCode",
                  (SELECT coalesce(json_agg(json_build_array(m.offer_id, m.need_id)), '[]') FROM matches m
                    WHERE m.offer_id = s.id AND m.status IN ('proposed', 'declined')) AS taken,
                  ${offerRowsSql('o', 'o.id = s.id AND o.quantity > o.quantity_allocated', '$2')} AS offers,
                  ${needRowsSql('n', 'n.category_code = s.category_code')} AS needs,
                  ${standing} AS standing
             FROM offers s WHERE s.id = $1`
        : `SELECT s.category_code AS "categoryCode",
                  (SELECT coalesce(json_agg(json_build_array(m.offer_id, m.need_id)), '[]') FROM matches m
                    WHERE m.need_id = s.id AND m.status IN ('proposed', 'declined')) AS taken,
                  ${offerRowsSql('o', 'o.category_code = s.category_code AND o.quantity > o.quantity_allocated', '$2')} AS offers,
                  ${needRowsSql('n', 'n.id = s.id AND n.quantity > n.quantity_allocated')} AS needs,
                  '[]'::json AS standing
             FROM needs s WHERE s.id = $1`;
    const [row] = await prepared<PlacementRow>(this.dataSource, `placement-read-${side}`, sql, [id, now]);
    if (!row) return undefined;
    return {
      categoryCode: row.categoryCode,
      excluded: new Set(row.taken.map(([offerId, needId]) => pairKey(offerId, needId))),
      offers: row.offers.map((offer) => offerSide(offer)),
      needs: row.needs.map((need) => needSide(need)),
      standing: row.standing.map(([id, offerId, needId, quantity, score]) => ({ id, offerId, needId, quantity, score })),
    };
  }

  private async place(side: 'offer' | 'need', id: string): Promise<PlacementOutcome> {
    const now = this.clock.now();
    const input = await this.read(side, id, now);
    // Gone, or nothing free on the subject's side.
    if (!input || (side === 'offer' ? input.offers : input.needs).length === 0) return NOTHING;
    const { categoryCode, offers, needs, excluded, standing } = input;
    const when = { today: brusselsDate(now), now };
    const plan =
      side === 'offer'
        ? placeOfferDisplacing({ offer: offers[0], needs, standing, excluded, ...when })
        : { proposals: placeGreedily({ offers, needs, excluded, ...when }), displaced: [] as StandingProposal[] };
    if (plan.proposals.length === 0) return NOTHING;
    // No category lock: placements of one category run side by side, and beside an optimisation.
    // What was read without locks is checked under row locks (the displaced proposals, then the
    // offers and needs in id order: fitToRoom), and the CHECK constraints refuse any over-promise.
    return transactionWithRetry(this.dataSource, async (manager) => {
      const superseded = new Set(await this.writer.supersede(manager, plan.displaced.map((proposal) => proposal.id)));
      const displaced = plan.displaced.filter((proposal) => superseded.has(proposal.id));
      const fitting = await this.writer.fitToRoom(manager, plan.proposals);
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
