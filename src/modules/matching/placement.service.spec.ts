import { DataSource } from 'typeorm';
import { SystemClock } from '../../common/time/clock';
import { OutboxService } from '../../queue/outbox.service';
import { PlacementOutcome, PlacementService } from './placement.service';
import { ProposalWriter } from './proposal-writer';

// The batching only: every offer is of one category, and the batch's read and write are stood in for.
jest.mock('../../database/prepared', () => ({ prepared: jest.fn(async () => [{ category_code: 'tools' }]) }));

type PlaceOffers = (categoryCode: string, offerIds: string[]) => Promise<Map<string, PlacementOutcome>>;
const placed = (units: number): PlacementOutcome => ({ proposed: 1, units, displaced: 0 });
/** Lets every promise that can settle settle (the lookups, a batch's start); no clock involved. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PlacementService batches', () => {
  let service: PlacementService;
  let batches: string[][];
  let release: () => void;
  let placeOffers: jest.Mock<ReturnType<PlaceOffers>, Parameters<PlaceOffers>>;

  beforeEach(() => {
    service = new PlacementService({} as DataSource, {} as ProposalWriter, {} as OutboxService, new SystemClock());
    batches = [];
    const firstBatchDone = new Promise<void>((resolve) => (release = resolve));
    placeOffers = jest.fn(async (_categoryCode: string, offerIds: string[]) => {
      batches.push(offerIds);
      if (batches.length === 1) await firstBatchDone;
      if (offerIds.length > 1 && offerIds.includes('broken')) throw new Error('deadlock detected');
      if (offerIds.includes('broken')) throw new Error('broken offer');
      return new Map(offerIds.map((id, index) => [id, placed(index + 1)]));
    });
    (service as unknown as { placeOffers: PlaceOffers }).placeOffers = placeOffers;
  });

  it('places the offers that arrive while a batch is written together in the next one, an offer asked twice once', async () => {
    const first = service.placeOffer('a');
    await settle();
    const rest = [service.placeOffer('b'), service.placeOffer('c'), service.placeOffer('b')];
    await settle();
    release();

    expect(await first).toEqual(placed(1));
    expect(await Promise.all(rest)).toEqual([placed(1), placed(2), placed(1)]);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('places each offer of a failed batch alone, so that only the broken one fails', async () => {
    const first = service.placeOffer('a');
    await settle();
    const rest = [service.placeOffer('b'), service.placeOffer('broken'), service.placeOffer('c')].map((outcome) =>
      outcome.then(
        (value) => ({ value }),
        (error: Error) => ({ error: error.message }),
      ),
    );
    await settle();
    release();
    await first;

    expect(await Promise.all(rest)).toEqual([{ value: placed(1) }, { error: 'broken offer' }, { value: placed(1) }]);
    expect(batches).toEqual([['a'], ['b', 'broken', 'c'], ['b'], ['broken'], ['c']]);
    // The category takes new offers again after the failure.
    expect(await service.placeOffer('d')).toEqual(placed(1));
  });
});
