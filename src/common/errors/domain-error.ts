/**
 * Every error the domain raises on purpose. Its code is stable (clients may
 * switch on it); its HTTP status is decided in one place, the exception filter.
 */
export type ErrorKind = 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, code = 'NOT_FOUND') => new DomainError('not-found', code, `${what} not found`);
export const forbidden = (message: string, code = 'FORBIDDEN') => new DomainError('forbidden', code, message);
export const conflict = (code: string, message: string) => new DomainError('conflict', code, message);
export const badRequest = (code: string, message: string) => new DomainError('bad-request', code, message);
