import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Params } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { currentRequestId } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** An incoming x-request-id is kept when it looks like one; otherwise a new one is made. */
export function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Everything that may name or reach a person is redacted wherever it appears in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.key',
  'res.headers["set-cookie"]',
  '*.email',
  '*.password',
  '*.phone',
  '*.street',
  '*.name',
  '*.token',
  '*.accessToken',
];

/** Structured JSON logs (one line per request, with its id); readable lines in development. */
export function loggingParams(config: AppConfig, destination?: NodeJS.WritableStream): Params {
  const options = {
    level: config.LOG_LEVEL,
    // The id Fastify gave the request (from x-request-id, or new), also sent back in the answer.
    genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? requestIdOf(req.headers['x-request-id']),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Every line written while a request or a job runs names it: a job's lines carry the id of the request that caused it.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    // The URL without its query string: a calendar key or a cursor has no place in a log.
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    transport:
      config.NODE_ENV === 'development' && !destination
        ? { target: 'pino-pretty', options: { singleLine: true, colorize: true } }
        : undefined,
  };
  // A destination of the caller's (the tests read the log lines from it), else standard output.
  return { pinoHttp: destination ? [options, destination] : options };
}
