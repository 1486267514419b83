import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException, Optional } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { errorCodes, FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { I18nService } from 'nestjs-i18n';
import { answerLanguage, RequestWithUser } from '../i18n/answer-language';
import { DomainError, ErrorKind } from './domain-error';
import { ValidationFailedException } from '../validation/validation';
import { BODY_LIMIT_BYTES } from '../http/limits';

const STATUS_OF_KIND: Record<ErrorKind, HttpStatus> = {
  'bad-request': HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
};

// PostgreSQL SQLSTATEs that a client's request can provoke, and what they mean to that client.
const PG_STATUS: Record<string, HttpStatus> = {
  '22P02': HttpStatus.BAD_REQUEST, // invalid text representation
  '22001': HttpStatus.BAD_REQUEST, // string too long
  '22003': HttpStatus.BAD_REQUEST, // number out of range
  '22007': HttpStatus.BAD_REQUEST, // invalid datetime
  '22008': HttpStatus.BAD_REQUEST, // datetime out of range
  '23502': HttpStatus.BAD_REQUEST, // not-null violation: a required value sent as null
  '23505': HttpStatus.CONFLICT, // unique violation
  '23503': HttpStatus.CONFLICT, // foreign key violation
  '23514': HttpStatus.CONFLICT, // check violation: the request collided with the current state
  '40001': HttpStatus.SERVICE_UNAVAILABLE, // serialization failure that survived the retries
  '40P01': HttpStatus.SERVICE_UNAVAILABLE, // deadlock that survived the retries
  '57014': HttpStatus.SERVICE_UNAVAILABLE, // statement timeout
  '57P01': HttpStatus.SERVICE_UNAVAILABLE, // server shutting down
  '53300': HttpStatus.SERVICE_UNAVAILABLE, // too many connections
};

/**
 * Fastify's own refusals of a request body, by their message (Nest hands them on as an HttpException
 * with Fastify's message and status, without its code), and the key of their text in errors.json.
 */
const FASTIFY_BODY_ERRORS = new Map(
  (
    [
      ['FST_ERR_CTP_BODY_TOO_LARGE', 'BODY_TOO_LARGE'],
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE'],
      ['FST_ERR_CTP_INVALID_JSON_BODY', 'INVALID_JSON'],
      ['FST_ERR_CTP_EMPTY_JSON_BODY', 'EMPTY_JSON'],
      ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'CONTENT_LENGTH_MISMATCH'],
    ] as const
  ).map(([code, key]) => [new errorCodes[code]().message, key]),
);

/** Nest's answer to a route it does not have: "Cannot GET /api/nothing". */
const NO_ROUTE = /^Cannot ([A-Z]+) (.*)$/s;

const UNAVAILABLE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error: string;
  code?: string;
}

/**
 * The one place where errors become HTTP answers: domain errors by their kind,
 * Nest's HttpExceptions as they are, database errors by SQLSTATE, and anything
 * else as a bare 500 whose details go to the log only.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(@Optional() private readonly i18n?: I18nService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof HttpException && isOwnShape(exception.getResponse())) {
      // Answers with a documented shape of their own, such as the health report.
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    const body = this.inLanguage(exception, host) ?? this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    void reply.status(body.statusCode).send(body);
  }

  /**
   * The answers people read — a refused body, a malformed id in the path, a domain error —
   * written in the request's language (see answerLanguage); the English text is the fallback.
   */
  private inLanguage(exception: unknown, host: ArgumentsHost): ErrorBody | undefined {
    if (!this.i18n) return undefined;
    const i18n = this.i18n;
    const lang = answerLanguage(host.switchToHttp().getRequest<RequestWithUser>());
    const t = (key: string, args: Record<string, unknown>, fallback: string) => i18n.t(key, { lang, args, defaultValue: fallback }) as string;
    if (exception instanceof DomainError) {
      return { ...this.toBody(exception), message: t(`errors.${exception.key}`, exception.args, exception.message) };
    }
    if (exception instanceof ValidationFailedException) {
      const message = exception.issues.map((issue) => t(`validation.${issue.key}`, issue.args, issue.message));
      return { statusCode: 400, message, error: 'Bad Request' };
    }
    if (exception instanceof BadRequestException && exception.message === 'Validation failed (uuid is expected)') {
      return { statusCode: 400, message: t('validation.uuidParameter', {}, exception.message), error: 'Bad Request' };
    }
    // The framework's own refusals, which Nest and Fastify write in English.
    const bodyError = exception instanceof HttpException && exception.getStatus() < 500 ? FASTIFY_BODY_ERRORS.get(exception.message) : undefined;
    if (exception instanceof HttpException && bodyError) {
      const status = exception.getStatus();
      return { statusCode: status, message: t(`errors.${bodyError}`, { limit: Math.round(BODY_LIMIT_BYTES / 1024) }, exception.message), error: reasonPhrase(status) };
    }
    const noRoute = exception instanceof NotFoundException ? NO_ROUTE.exec(exception.message) : null;
    if (noRoute) {
      return { statusCode: 404, message: t('errors.ROUTE_NOT_FOUND', { method: noRoute[1], path: noRoute[2] }, noRoute[0]), error: 'Not Found' };
    }
    if (exception instanceof ThrottlerException) {
      return { statusCode: 429, message: t('errors.TOO_MANY_REQUESTS', {}, exception.message), error: reasonPhrase(429) };
    }
    return undefined;
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const status = STATUS_OF_KIND[exception.kind];
      return { statusCode: status, message: exception.message, error: reasonPhrase(status), code: exception.code };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null) {
        const { message, error, code } = response as Partial<ErrorBody>;
        return { statusCode: status, message: message ?? exception.message, error: error ?? reasonPhrase(status), ...(code ? { code } : {}) };
      }
      return { statusCode: status, message: String(response), error: reasonPhrase(status) };
    }
    const pgCode = databaseErrorCode(exception);
    if (pgCode && PG_STATUS[pgCode]) {
      const status = PG_STATUS[pgCode];
      return { statusCode: status, message: databaseMessage(status), error: reasonPhrase(status), code: `DB_${pgCode}` };
    }
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return { statusCode: fastifyStatus, message: (exception as Error).message, error: reasonPhrase(fastifyStatus) };
    }
    if (isUnavailable(exception)) {
      return { statusCode: 503, message: 'A service this request needs is unavailable; try again shortly', error: reasonPhrase(503) };
    }
    return { statusCode: 500, message: 'Internal server error', error: reasonPhrase(500) };
  }
}

function isOwnShape(response: unknown): boolean {
  return typeof response === 'object' && response !== null && !('message' in response) && 'status' in response;
}

function databaseErrorCode(exception: unknown): string | undefined {
  const source = exception instanceof QueryFailedError ? (exception.driverError as { code?: unknown }) : exception;
  const code = (source as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function databaseMessage(status: HttpStatus): string {
  if (status === HttpStatus.CONFLICT) return 'The request conflicts with the current state of the resource';
  if (status === HttpStatus.BAD_REQUEST) return 'A value in the request is out of range or malformed';
  return 'The database is busy or unavailable; try again shortly';
}

function isUnavailable(exception: unknown): boolean {
  const error = exception as { code?: unknown; message?: unknown } | null;
  if (typeof error?.code === 'string' && UNAVAILABLE_NETWORK_CODES.has(error.code)) return true;
  const message = typeof error?.message === 'string' ? error.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout/i.test(message);
}

export function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return phrases[status] ?? 'Error';
}
