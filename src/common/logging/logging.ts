import { randomUUID } from 'node:crypto';
import { Params } from 'nestjs-pino';
import pino from 'pino';
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

/** The pino logger behind Nest's Logger: JSON lines (readable ones in development), redacted, naming the request or job. */
export function createRootLogger(config: AppConfig, destination?: NodeJS.WritableStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Every line written while a request or a job runs names it: a job's lines carry the id of the request that caused it.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    transport:
      config.NODE_ENV === 'development' && !destination
        ? { target: 'pino-pretty', options: { singleLine: true, colorize: true } }
        : undefined,
  };
  // A destination of the caller's (the tests read the log lines from it), else standard output.
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino makes that logger Nest's Logger. Its per-request middleware (pino-http through
 * middie, with an AsyncLocalStorage of its own) is not applied: it cost about 20 % of the
 * wishlist's throughput (BENCHMARKS.md). The request line is written by RequestLog instead, and
 * the request id reaches every line through the mixin above.
 */
export function loggingParams(root: pino.Logger): Params {
  return { pinoHttp: { logger: root }, forRoutes: [] };
}

/** Writes one line per answered request, as pino-http did: its id, method and path (never the query), status and time. */
export class RequestLog {
  // Without redaction: the line holds only the fields below, none of which names a person.
  private readonly lines: pino.Logger;

  constructor(root: pino.Logger) {
    this.lines = root.child({}, { redact: { paths: [] } });
  }

  write(request: { id: string; method: string; url: string }, statusCode: number, responseTime: number): void {
    const line = { req: { id: request.id, method: request.method, url: request.url.split('?')[0] }, res: { statusCode }, responseTime: Math.round(responseTime * 10) / 10 };
    if (statusCode >= 500) this.lines.error(line, 'request errored');
    else this.lines.info(line, 'request completed');
  }
}
