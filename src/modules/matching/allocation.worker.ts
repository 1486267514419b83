import { parentPort } from 'node:worker_threads';
import { allocate, AllocationInput } from './allocation';

// Runs allocations off the main event loop; one message in, one message out.
parentPort?.on('message', (message: { id: number; input: AllocationInput }) => {
  try {
    parentPort?.postMessage({ id: message.id, result: allocate(message.input) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: (error as Error).message });
  }
});
