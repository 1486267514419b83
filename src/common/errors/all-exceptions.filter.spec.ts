import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  NotFoundException,
} from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { DomainError, ErrorKind } from './domain-error';

const filter = new AllExceptionsFilter();

const queryFailed = (code: string, detail = 'duplicate key value violates unique constraint "users_email_key"') =>
  new QueryFailedError(
    'INSERT INTO "users"("email", "password_hash") VALUES ($1, $2)',
    ['an@example.be', '$argon2id$secret-hash'],
    Object.assign(new Error(detail), { code }),
  );

const BARE_500 = { statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' };

describe('AllExceptionsFilter.toBody', () => {
  describe('domain errors', () => {
    it.each<[ErrorKind, number, string]>([
      ['bad-request', 400, 'Bad Request'],
      ['unauthorized', 401, 'Unauthorized'],
      ['forbidden', 403, 'Forbidden'],
      ['not-found', 404, 'Not Found'],
      ['conflict', 409, 'Conflict'],
    ])('answers a %s error with %i and its code', (kind, status, phrase) => {
      const body = filter.toBody(new DomainError(kind, 'PICKUP_ALREADY_ASSIGNED', 'The pickup already has a volunteer'));

      expect(body).toEqual({ statusCode: status, message: 'The pickup already has a volunteer', error: phrase, code: 'PICKUP_ALREADY_ASSIGNED' });
    });
  });

  describe('HTTP exceptions', () => {
    it('passes the status and message of a Nest exception', () => {
      expect(filter.toBody(new NotFoundException('Offer 12 not found'))).toEqual({
        statusCode: 404,
        message: 'Offer 12 not found',
        error: 'Not Found',
      });
    });

    it('passes the list of validation messages', () => {
      const exception = new BadRequestException({
        statusCode: 400,
        message: ['quantity must not be less than 1', 'pickupAddress.postcode must be a Belgian postcode'],
        error: 'Bad Request',
      });

      expect(filter.toBody(exception)).toEqual({
        statusCode: 400,
        message: ['quantity must not be less than 1', 'pickupAddress.postcode must be a Belgian postcode'],
        error: 'Bad Request',
      });
    });

    it('passes a code given in the response', () => {
      const body = filter.toBody(new ConflictException({ message: 'The e-mail address is taken', code: 'EMAIL_TAKEN' }));

      expect(body).toEqual({ statusCode: 409, message: 'The e-mail address is taken', error: 'Conflict', code: 'EMAIL_TAKEN' });
    });

    it('passes an exception built from a plain string', () => {
      expect(filter.toBody(new HttpException('Slow down', HttpStatus.TOO_MANY_REQUESTS))).toEqual({
        statusCode: 429,
        message: 'Slow down',
        error: 'Too Many Requests',
      });
    });
  });

  describe('database errors', () => {
    it.each([
      ['23505', 409], // unique violation
      ['23503', 409], // foreign key violation
      ['23514', 409], // check violation
      ['22P02', 400], // invalid text representation
      ['22001', 400], // string too long
      ['40P01', 503], // deadlock
      ['40001', 503], // serialization failure
      ['57014', 503], // statement timeout
    ])('answers SQLSTATE %s with %i', (code, status) => {
      const body = filter.toBody(queryFailed(code));

      expect(body.statusCode).toBe(status);
      expect(body.code).toBe(`DB_${code}`);
    });

    it('answers a unique violation as a conflict without the query, parameters or constraint', () => {
      const body = filter.toBody(queryFailed('23505'));
      const text = JSON.stringify(body);

      expect(body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(text).not.toContain('users_email_key');
      expect(text).not.toContain('INSERT');
      expect(text).not.toContain('an@example.be');
      expect(text).not.toContain('argon2');
    });

    it('answers a SQLSTATE a client cannot provoke as a bare 500', () => {
      expect(filter.toBody(queryFailed('42P01', 'relation "offers" does not exist'))).toEqual(BARE_500);
    });
  });

  describe('unknown errors', () => {
    it('answers a plain Error with a bare 500 that does not leak its message', () => {
      const body = filter.toBody(new Error('Cannot read properties of undefined (reading "street") at /srv/app/offers.service.ts:42'));

      expect(body).toEqual(BARE_500);
    });

    it.each([['a string'], [undefined], [null], [42], [{ weird: true }]])('answers a thrown %p with a bare 500', (thrown) => {
      expect(filter.toBody(thrown)).toEqual(BARE_500);
    });

    it('does not pass the message of an error that claims a 5xx status', () => {
      expect(filter.toBody(Object.assign(new Error('pool exhausted at db.internal'), { statusCode: 502 }))).toEqual(BARE_500);
    });

    it('passes the 4xx status of a Fastify error', () => {
      const error = Object.assign(new Error('Unsupported Media Type: text/plain'), {
        statusCode: 415,
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      });

      expect(filter.toBody(error)).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    });
  });

  describe('unavailable services', () => {
    it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'])('answers %s with 503 without the address', (code) => {
      const body = filter.toBody(Object.assign(new Error(`connect ${code} 10.0.4.17:5432`), { code }));

      expect(body.statusCode).toBe(503);
      expect(body.error).toBe('Service Unavailable');
      expect(JSON.stringify(body)).not.toContain('10.0.4.17');
    });

    it('answers a dropped database connection with 503', () => {
      expect(filter.toBody(new Error('Connection terminated unexpectedly')).statusCode).toBe(503);
      // pg's own client-side timeout (query_timeout), when the server went silent.
      expect(filter.toBody(new Error('Query read timeout')).statusCode).toBe(503);
    });
  });
});
