import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { brusselsDate, Clock } from '../../common/time/clock';
import { transactionWithRetry } from '../../database/transactions';
import { JobName } from '../../queue/catalogue';
import { OutboxService } from '../../queue/outbox.service';
import { AllocationInput, pairKey, Proposal, unitsOf } from './allocation';
import { AllocationRunner } from './allocation-runner';
import { lockCategory, ProposalWriter } from './proposal-writer';
import { readNeeds, readOffers } from './sides';

export interface OptimisationOutcome {
  categoryCode: string;
  offers: number;
  needs: number;
  candidates: number;
  kept: number;
  proposed: number;
  cancelled: number;
  totalScore: number;
}

interface CurrentProposal {
  id: string;
  offer_id: string;
  need_id: string;
  quantity: number;
}

/**
 * The matching engine: re-allocates the proposals of one category so that the total score
 * over all its open offers and needs is the highest possible. Accepted and delivered matches
 * are never moved; proposals that the new allocation keeps stay as they are (same id), the
 * others are cancelled as superseded and new ones are proposed to the houses.
 */
@Injectable()
export class MatchingService {
  private readonly logger = new Logger(MatchingService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runner: AllocationRunner,
    private readonly writer: ProposalWriter,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Three steps, so that no lock is held while the engine thinks (seconds for a large category):
   * expire what has no availability left; read the category in one snapshot and solve; then, under
   * the category's lock, write the difference with what is proposed now. Whatever changed in
   * between (a decision, a withdrawal, a quick placement) is respected: see apply().
   */
  async optimiseCategory(categoryCode: string): Promise<OptimisationOutcome> {
    await transactionWithRetry(this.dataSource, async (manager) => {
      await lockCategory(manager, categoryCode);
      await this.expireOffers(manager, categoryCode);
    });
    const { snapshot, input } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const proposals = await this.proposals(manager, categoryCode);
      return { snapshot: proposals, input: await this.loadInput(manager, categoryCode, proposals) };
    });
    const result = await this.runner.run(input);
    return transactionWithRetry(this.dataSource, async (manager) => {
      await lockCategory(manager, categoryCode);
      // Read, not locked: each write below locks only the rows it changes and checks them again
      // (a proposal decided meanwhile is neither superseded nor resized). Locking all of them, 4,000
      // in the largest seeded category, kept every placement that displaces one waiting for this step.
      const current = await this.proposals(manager, categoryCode);
      const { kept, cancelled, created } = await this.apply(manager, categoryCode, snapshot, current, result.proposals);
      const outcome = {
        categoryCode,
        offers: input.offers.length,
        needs: input.needs.length,
        candidates: result.candidates,
        kept,
        proposed: created.length,
        cancelled,
        totalScore: Math.round(result.totalScore),
      };
      if (created.length + cancelled > 0) this.logger.log(`optimised ${JSON.stringify(outcome)}`);
      return outcome;
    });
  }

  private proposals(manager: EntityManager, categoryCode: string): Promise<CurrentProposal[]> {
    return manager.query(
      `SELECT m.id, m.offer_id, m.need_id, m.quantity FROM matches m JOIN offers o ON o.id = m.offer_id
        WHERE o.category_code = $1 AND m.status = 'proposed' ORDER BY m.id`,
      [categoryCode],
    );
  }

  /**
   * Offers whose availability has all passed and that no house has firmly accepted become
   * 'expired' (API.md); their proposals are cancelled by the allocation that follows. Offers with
   * accepted matches stay: their pickups ask the donor for new availability.
   */
  private async expireOffers(manager: EntityManager, categoryCode: string): Promise<void> {
    const expired: Array<{ id: string; status: string }> = await manager.query(
      `WITH stale AS (
              SELECT o.id, o.status FROM offers o
               WHERE o.category_code = $1 AND o.status IN ('open', 'allocated')
                 AND NOT EXISTS (SELECT 1 FROM offer_windows w WHERE w.offer_id = o.id AND w.ends_at > $2)
                 AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.offer_id = o.id AND m.status IN ('accepted', 'delivered'))
               ORDER BY o.id FOR UPDATE),
            done AS (UPDATE offers o SET status = 'expired', updated_at = now() FROM stale WHERE o.id = stale.id RETURNING o.id)
       SELECT stale.id, stale.status FROM stale JOIN done ON done.id = stale.id`,
      [categoryCode, this.clock.now()],
    );
    if (expired.length === 0) return;
    await manager.query(
      `INSERT INTO status_changes (subject_type, subject_id, actor_role, from_status, to_status, reason)
       SELECT 'offer', id, 'system', status, 'expired', 'no availability left' FROM unnest($1::uuid[], $2::text[]) AS t(id, status)`,
      [expired.map((offer) => offer.id), expired.map((offer) => offer.status)],
    );
  }

  /** Every category, for the periodic safety net. */
  async categories(): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.dataSource.query(`SELECT code FROM categories ORDER BY position`);
    return rows.map((row) => row.code);
  }

  private async loadInput(manager: EntityManager, categoryCode: string, current: CurrentProposal[]): Promise<AllocationInput> {
    const now = this.clock.now();
    const proposedOf = (key: 'offer_id' | 'need_id') => {
      const sums = new Map<string, number>();
      for (const match of current) sums.set(match[key], (sums.get(match[key]) ?? 0) + match.quantity);
      return sums;
    };
    const proposedByOffer = proposedOf('offer_id');
    const proposedByNeed = proposedOf('need_id');

    const offers = await readOffers(manager, categoryCode, proposedByOffer, now);
    const needs = await readNeeds(manager, categoryCode, proposedByNeed);
    const declinedRows: Array<{ offer_id: string; need_id: string }> = await manager.query(
      `SELECT DISTINCT m.offer_id, m.need_id FROM matches m JOIN offers o ON o.id = m.offer_id
        WHERE o.category_code = $1 AND m.status = 'declined'`,
      [categoryCode],
    );
    return {
      offers,
      needs,
      declined: new Set(declinedRows.map((row) => pairKey(row.offer_id, row.need_id))),
      today: brusselsDate(now),
      now,
      candidatesPerSide: this.config.MATCHING_CANDIDATES,
      incumbent: new Set(current.map((match) => pairKey(match.offer_id, match.need_id))),
    };
  }

  /**
   * The new allocation against what is proposed now. A proposal of the snapshot whose pair the new
   * allocation keeps stays (same id): with the same quantity as is, with another one resized (a
   * different split of equal worth is not a new proposal for the house). The other ones still
   * proposed are superseded. Proposals made since the snapshot (quick placements) stay, and one
   * decided meanwhile is settled. Growth and new pairs then take what room is left, best first
   * (ProposalWriter.fitToRoom): the next optimisation, which those changes asked for, refines the rest.
   */
  private async apply(
    manager: EntityManager,
    categoryCode: string,
    snapshot: CurrentProposal[],
    current: CurrentProposal[],
    proposals: Proposal[],
  ): Promise<{ kept: number; cancelled: number; created: string[] }> {
    const wanted = new Map(proposals.map((proposal) => [pairKey(proposal.offerId, proposal.needId), proposal]));
    const stillProposed = new Set(current.map((match) => match.id));
    const superseded: string[] = [];
    const shrink: Array<{ id: string; quantity: number }> = [];
    const grow = new Map<string, { id: string; quantity: number }>();
    const growth: Proposal[] = [];
    let kept = 0;
    for (const match of snapshot) {
      const key = pairKey(match.offer_id, match.need_id);
      const plan = wanted.get(key);
      wanted.delete(key);
      if (!stillProposed.has(match.id)) continue; // decided meanwhile: its pair is settled
      if (!plan) {
        superseded.push(match.id);
        continue;
      }
      kept++;
      if (plan.quantity < match.quantity) shrink.push({ id: match.id, quantity: plan.quantity });
      if (plan.quantity > match.quantity) {
        grow.set(key, { id: match.id, quantity: match.quantity });
        growth.push({ ...plan, quantity: plan.quantity - match.quantity });
      }
    }
    // Cancel and shrink before anything grows: quantities are freed first, so no offer or need is ever over-promised.
    await this.writer.supersede(manager, superseded);
    await this.writer.resize(manager, shrink);
    const byScore = (a: Proposal, b: Proposal) => b.score - a.score || (a.offerId < b.offerId ? -1 : 1);
    const planned = [...growth, ...wanted.values()].sort(byScore);
    const fitting = await this.writer.fitToRoom(manager, planned, new Set(grow.keys()));
    // Room taken meanwhile (a placement, a decision) left part of the plan unwritten: offers it moved
    // away may now have no proposal. One more optimisation, asked for with this one, places them
    // (deduplicated per category; once nothing changes in between, nothing is clipped and it stops).
    // (A planned pair that a placement proposed meanwhile is there already: not a loss.)
    const standingNow = new Set(current.map((match) => pairKey(match.offer_id, match.need_id)));
    const expected = planned.filter((p) => grow.has(pairKey(p.offerId, p.needId)) || !standingNow.has(pairKey(p.offerId, p.needId)));
    if (unitsOf(fitting) < unitsOf(expected)) {
      await this.outbox.add(manager, { name: JobName.OptimiseCategory, data: { categoryCode } });
    }
    const grown: Array<{ id: string; quantity: number }> = [];
    const fresh: Proposal[] = [];
    for (const proposal of fitting) {
      const match = grow.get(pairKey(proposal.offerId, proposal.needId));
      if (match) grown.push({ id: match.id, quantity: match.quantity + proposal.quantity });
      else fresh.push(proposal);
    }
    await this.writer.resize(manager, grown);
    const created = await this.writer.propose(manager, fresh);
    return { kept, cancelled: superseded.length, created };
  }
}
