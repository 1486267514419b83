import { parentPort } from 'node:worker_threads';
import { allocate, AllocationInput } from './allocation';
import { lowerThisThreadsPriority } from './thread-priority';

// The solver is background work: when the cores are busy, the event loops (placements, the relay,
// HTTP in APP_ROLE=all) and PostgreSQL come first, and the solver takes what is left.
lowerThisThreadsPriority();

// Runs allocations off the main event loop; one message in, one message out.
parentPort?.on('message', (message: { id: number; input: AllocationInput }) => {
  try {
    parentPort?.postMessage({ id: message.id, result: allocate(message.input) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
