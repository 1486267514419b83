import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { currentRequestId, withRequestId } from '../../common/logging/request-context';
import { brusselsDate, Clock } from '../../common/time/clock';
import { prepared } from '../../database/prepared';
import { transactionWithRetry } from '../../database/transactions';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';
import { NeedSide, OfferSide, pairKey, Proposal, unitsOf } from './allocation';
import { placeGreedily, placeOfferBatch, StandingProposal } from './placement';
import { ProposalWriter } from './proposal-writer';
import { needRowsSql, NeedRow, needSide, offerRowsSql, OfferRow, offerSide } from './sides';

export interface PlacementOutcome {
  proposed: number;
  units: number;
  /** Proposals of other offers that this one took the place of (offers only). */
  displaced: number;
}

const NOTHING: PlacementOutcome = { proposed: 0, units: 0, displaced: 0 };

type StandingRow = [id: string, offerId: string, needId: string, quantity: number, score: number];

interface ReadRow {
  taken: Array<[offerId: string, needId: string]>;
  offers: OfferRow[];
  needs: NeedRow[];
  standing: StandingRow[];
}

/** What a placement works from: read in one statement, without locks (its writes check under them). */
interface PlacementRead {
  /** Pairs proposed already or declined. */
  excluded: Set<string>;
  offers: OfferSide[];
  needs: NeedSide[];
  standing: StandingProposal[];
}

/** What the placement of one offer or need decided, before it is written. */
interface Plan {
  subject: string;
  proposals: Proposal[];
  displaced: StandingProposal[];
}

interface Waiting {
  offerId: string;
  /** The request id of the job that asked (a batch's work runs under its first job's). */
  requestId: string | undefined;
  done: (outcome: PlacementOutcome) => void;
  failed: (error: unknown) => void;
}

/**
 * The quick way to a first proposal, read without locks and written in a small transaction: a new
 * or changed offer is proposed to the needs that still have room, or in place of standing proposals
 * it clearly beats (their offers wait for the optimisation); a need is filled from the offers that
 * still have units. The optimisation of the category, asked for by the same change, improves on it
 * later (docs/matching.md).
 *
 * Offers are placed in batches, one batch of a category at a time in this process: the offers
 * whose jobs arrive while one is written wait and go together in the next, with one read and one
 * transaction. Alone, an offer is a batch of one and waits for nothing. Under a campaign's load
 * (50 offers a second on two cores), placements of one category read the same needs and standing
 * proposals over and over and queued for the same rows' locks: PostgreSQL took a whole core.
 */
@Injectable()
export class PlacementService {
  private readonly logger = new Logger(PlacementService.name);
  /** Per category, the offers waiting for the next batch, and whether a batch is being placed. */
  private readonly batches = new Map<string, { waiting: Waiting[]; busy: boolean }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: ProposalWriter,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async placeOffer(offerId: string): Promise<PlacementOutcome> {
    const [offer] = await prepared<{ category_code: string }>(this.dataSource, 'placement-offer-category', `SELECT category_code FROM offers WHERE id = $1`, [offerId]);
    if (!offer) return NOTHING;
    const batch = this.batches.get(offer.category_code) ?? { waiting: [], busy: false };
    this.batches.set(offer.category_code, batch);
    const requestId = currentRequestId();
    const outcome = new Promise<PlacementOutcome>((done, failed) => batch.waiting.push({ offerId, requestId, done, failed }));
    if (!batch.busy) void this.drain(offer.category_code, batch);
    return outcome;
  }

  async placeNeed(needId: string): Promise<PlacementOutcome> {
    const now = this.clock.now();
    const [row] = await prepared<ReadRow & { categoryCode: string }>(
      this.dataSource,
      'placement-read-need',
      `SELECT s.category_code AS "categoryCode",
              ${takenSql('m.need_id = s.id')} AS taken,
              ${offerRowsSql('o', 'o.category_code = s.category_code AND o.quantity > o.quantity_allocated', '$2')} AS offers,
              ${needRowsSql('n', 'n.id = s.id AND n.quantity > n.quantity_allocated')} AS needs,
              '[]'::json AS standing
         FROM needs s WHERE s.id = $1`,
      [needId, now],
    );
    // Gone, or no room left.
    if (!row || row.needs.length === 0) return NOTHING;
    const { offers, needs, excluded } = placementRead(row);
    const proposals = placeGreedily({ offers, needs, excluded, today: brusselsDate(now), now });
    if (proposals.length === 0) return NOTHING;
    const outcomes = await this.write('need', row.categoryCode, [{ subject: needId, proposals, displaced: [] }]);
    return outcomes.get(needId) ?? NOTHING;
  }

  /** Places the waiting offers of a category, batch after batch, until none is left. */
  private async drain(categoryCode: string, batch: { waiting: Waiting[]; busy: boolean }): Promise<void> {
    batch.busy = true;
    while (batch.waiting.length > 0) {
      const taken = batch.waiting.splice(0);
      // An offer asked for twice (created, then changed) is placed once.
      const offerIds = [...new Set(taken.map((waiting) => waiting.offerId))];
      // The batch's log lines and outbox rows carry the request id of its first job.
      await withRequestId(taken[0].requestId, async () => {
        try {
          const outcomes = await this.placeOffers(categoryCode, offerIds);
          for (const waiting of taken) waiting.done(outcomes.get(waiting.offerId) ?? NOTHING);
        } catch (error) {
          if (offerIds.length === 1) {
            for (const waiting of taken) waiting.failed(error);
            return;
          }
          // One offer's failure must not cost the others an attempt: each is placed alone.
          for (const offerId of offerIds) {
            const mine = taken.filter((waiting) => waiting.offerId === offerId);
            await withRequestId(mine[0].requestId, () => this.placeOffers(categoryCode, [offerId])).then(
              (outcomes) => mine.forEach((waiting) => waiting.done(outcomes.get(offerId) ?? NOTHING)),
              (failure: unknown) => mine.forEach((waiting) => waiting.failed(failure)),
            );
          }
        }
      });
    }
    batch.busy = false;
  }

  /**
   * One batch: one read of the category (the batch's offers even without free units: one may get
   * some back from a displacement earlier in the batch), then placeOfferBatch in the order the jobs came.
   */
  private async placeOffers(categoryCode: string, offerIds: string[]): Promise<Map<string, PlacementOutcome>> {
    const now = this.clock.now();
    const [row] = await prepared<ReadRow>(
      this.dataSource,
      'placement-read-offers',
      `SELECT ${takenSql('m.offer_id = ANY($1)')} AS taken,
              ${offerRowsSql('o', 'o.id = ANY($1) AND o.category_code = $3', '$2')} AS offers,
              ${needRowsSql('n', 'n.category_code = $3')} AS needs,
              (SELECT coalesce(json_agg(json_build_array(m.id, m.offer_id, m.need_id, m.quantity, m.score)), '[]')
                 FROM matches m JOIN needs sn ON sn.id = m.need_id
                WHERE sn.category_code = $3 AND sn.status = 'open' AND m.status = 'proposed') AS standing`,
      [offerIds, now, categoryCode],
    );
    // Every open need: one without free room may hold a proposal that an offer should take over.
    const { offers, needs, excluded, standing } = placementRead(row);
    const offerById = new Map(offers.map((offer) => [offer.id, offer]));
    const inOrder = offerIds.map((id) => offerById.get(id)).filter((offer): offer is OfferSide => offer !== undefined); // gone: no longer open
    const plans = placeOfferBatch({ offers: inOrder, needs, standing, excluded, today: brusselsDate(now), now }).map(
      ({ offerId, proposals, displaced }): Plan => ({ subject: offerId, proposals, displaced }),
    );
    return this.write('offer', categoryCode, plans);
  }

  /**
   * Writes plans in one transaction, if there is anything to write. No category lock: placements
   * run side by side, and beside an optimisation. What was read without locks is checked under row
   * locks (the displaced proposals, then the offers and needs in id order: fitToRoom), and the
   * CHECK constraints refuse any over-promise.
   */
  private async write(side: 'offer' | 'need', categoryCode: string, plans: Plan[]): Promise<Map<string, PlacementOutcome>> {
    const outcomes = new Map<string, PlacementOutcome>();
    if (plans.length === 0) return outcomes;
    return transactionWithRetry(this.dataSource, async (manager) => {
      const superseded = new Set(await this.writer.supersede(manager, plans.flatMap((plan) => plan.displaced.map((proposal) => proposal.id))));
      const fitting = await this.writer.fitToRoom(manager, plans.flatMap((plan) => plan.proposals));
      await this.writer.propose(manager, fitting);
      // The displaced offers wait for an optimisation: ask for one now, since the one that the
      // offers' changes asked for may have read the category before the displacement.
      if (superseded.size > 0) await this.outbox.add(manager, { name: JobName.OptimiseCategory, data: { categoryCode } });
      for (const { subject, displaced } of plans) {
        const mine = fitting.filter((proposal) => (side === 'offer' ? proposal.offerId : proposal.needId) === subject);
        const outcome = { proposed: mine.length, units: unitsOf(mine), displaced: displaced.filter((proposal) => superseded.has(proposal.id)).length };
        outcomes.set(subject, outcome);
        if (outcome.proposed + outcome.displaced > 0) this.logger.log(`placed ${JSON.stringify({ [side]: subject, categoryCode, ...outcome, batch: plans.length })}`);
      }
      return outcomes;
    });
  }
}

/** SQL of the pairs, proposed already or declined, that match `where` (on matches m), as a JSON array. */
function takenSql(where: string): string {
  return `(SELECT coalesce(json_agg(json_build_array(m.offer_id, m.need_id)), '[]') FROM matches m
            WHERE ${where} AND m.status IN ('proposed', 'declined'))`;
}

function placementRead(row: ReadRow): PlacementRead {
  return {
    excluded: new Set(row.taken.map(([offerId, needId]) => pairKey(offerId, needId))),
    offers: row.offers.map((offer) => offerSide(offer)),
    needs: row.needs.map((need) => needSide(need)),
    standing: row.standing.map(([id, offerId, needId, quantity, score]) => ({ id, offerId, needId, quantity, score })),
  };
}
