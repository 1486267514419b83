import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { withRequestId } from './request-context';

/** Runs the rest of the request inside its id's context (the id Fastify gave it, see app.ts). */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage & { id?: string }, _res: unknown, next: () => void): void {
    withRequestId(req.id, next);
  }
}
