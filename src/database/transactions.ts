import { DataSource, EntityManager } from 'typeorm';
import { isPgError } from './prepare-database';

const RETRYABLE = ['40001', '40P01']; // serialization failure, deadlock detected
const ATTEMPTS = 5;

/**
 * A transaction that is tried again when PostgreSQL aborts it for a deadlock or a
 * serialization failure, so that such collisions never reach the client.
 */
export async function transactionWithRetry<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isPgError(error, RETRYABLE)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20 * attempt));
    }
  }
}
