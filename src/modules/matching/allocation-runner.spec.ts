import { readdirSync, readFileSync } from 'node:fs';
import { allocate } from './allocation';
import { AllocationRunner, INLINE_PAIRS } from './allocation-runner';
import { SOLVER_NICE } from './thread-priority';
import { input, need, offer } from './market.fixtures';

/** The nice value of each thread of this process (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('AllocationRunner', () => {
  const runner = new AllocationRunner();
  afterAll(() => runner.onModuleDestroy());

  // Enough pairs to go to the thread: 160 offers × 160 needs > INLINE_PAIRS.
  const market = input({
    offers: Array.from({ length: 160 }, (_, i) => offer({ id: `offer-${i}`, free: 1 + (i % 3), lat: 50.5 + (i % 40) / 100 })),
    needs: Array.from({ length: 160 }, (_, j) => need({ id: `need-${j}`, free: 1 + (j % 2), lng: 4 + (j % 30) / 20, urgency: j % 5 === 0 ? 'urgent' : 'normal' })),
  });

  it('solves a large allocation in its thread with the same answer as in place', async () => {
    expect(market.offers.length * market.needs.length).toBeGreaterThan(INLINE_PAIRS);
    const threaded = await runner.run(market);
    const inline = allocate(market);
    expect(threaded.totalScore).toBeCloseTo(inline.totalScore, 6);
    expect(threaded.proposals).toEqual(inline.proposals);
  });

  const onLinux = process.platform === 'linux' ? it : it.skip;
  onLinux('runs its thread at a lower priority than the event loop (Linux)', async () => {
    await runner.run(market); // the thread exists
    const nice = threadNiceValues();
    expect(nice.filter((value) => value === SOLVER_NICE)).toHaveLength(1);
    expect(nice.filter((value) => value === 0).length).toBeGreaterThan(0); // the rest, the main thread among them
  });
});
