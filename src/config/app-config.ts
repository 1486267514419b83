import { plainToInstance, Transform } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidateIf,
} from 'class-validator';
import { mainMessage } from '../common/validation/validation';

export const APP_ROLES = ['all', 'api', 'worker'] as const;
export type AppRole = (typeof APP_ROLES)[number];

const DEV_JWT_SECRET = 'inkind-development-secret-do-not-use-in-production';

const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;

const emptyToUndefined = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * The one typed configuration of the service. Nothing else reads process.env:
 * every part of the app receives this object through dependency injection.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Matches(/^postgres(ql)?:\/\/[^/]+\/[A-Za-z0-9_-]+(\?.*)?$/, {
    message: 'must be a postgres:// URL that names a database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/inkind';

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @Transform(emptyToUndefined)
  @ValidateIf((config: AppConfig) => config.NODE_ENV === 'production' || config.JWT_SECRET !== undefined)
  @IsString({ message: 'is required when NODE_ENV=production' })
  @MinLength(32, { message: 'must be at least 32 characters long' })
  JWT_SECRET?: string;

  @Matches(/^\d+[smhd]$/, { message: 'must be a duration such as 15m, 12h or 7d' })
  JWT_TTL = '12h';

  @Transform(emptyToUndefined)
  @ValidateIf((config: AppConfig) => config.ADMIN_EMAIL !== undefined || config.ADMIN_PASSWORD !== undefined)
  @IsEmail({}, { message: 'must be an e-mail address (it is required when ADMIN_PASSWORD is set)' })
  ADMIN_EMAIL?: string;

  @Transform(emptyToUndefined)
  @ValidateIf((config: AppConfig) => config.ADMIN_EMAIL !== undefined || config.ADMIN_PASSWORD !== undefined)
  @IsString({ message: 'is required when ADMIN_EMAIL is set' })
  @MinLength(10, { message: 'must be at least 10 characters long' })
  @MaxLength(200)
  ADMIN_PASSWORD?: string;

  @IsIn(APP_ROLES)
  APP_ROLE: AppRole = 'all';

  /** Prefix of every BullMQ key, so that several deployments (or test runs) can share one Redis. */
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'must be 1 to 40 letters, digits, - or _' })
  QUEUE_PREFIX = 'inkind';

  /**
   * How long a category waits for more changes before it is re-optimised. The quick placements give
   * most first proposals at once; the optimisation refines them and places the offers that only a
   * new allocation can place (docs/matching.md).
   */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(60_000)
  MATCHING_DEBOUNCE_MS = 100;

  /**
   * The least time between the starts of two optimisations of one category (in one worker). Under a
   * campaign's load every offer asks for one, and they ran back to back for every category, taking
   * the cores from the placements that give the first proposals. Only the few offers that no
   * placement can place wait for it; and coordinators see proposals move less often.
   */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  @Max(600_000)
  MATCHING_MIN_INTERVAL_MS = 30_000;

  /** How often every category is re-optimised as a safety net; 0 turns the sweep off (tests). */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  MATCHING_SWEEP_MS = 15 * 60_000;

  /** The candidate graph keeps the best K needs of each offer and the best K offers of each need. */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1_000)
  MATCHING_CANDIDATES = 20;

  /** How often the outbox relay looks for work when no notification woke it. */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_MS = 1_000;

  /** A pickup starts at least this long after it is scheduled. */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number of hours' })
  @Min(0)
  @Max(24 * 14)
  PICKUP_LEAD_HOURS = 24;

  /** Volunteers living within this distance of the donor are told of a new pickup. */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number of km' })
  @Min(1)
  @Max(500)
  PICKUP_RADIUS_KM = 40;

  /** How often unclaimed and missed pickups are checked; 0 turns the check off (tests). */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number of milliseconds' })
  @Min(0)
  PICKUP_ESCALATION_MS = 15 * 60_000;

  /** Login attempts a minute for one e-mail address before 429. */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  RATE_LIMIT_LOGIN_PER_EMAIL = 10;

  /** Requests a minute to the auth routes from one IP address before 429. */
  @Transform(toInteger)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  RATE_LIMIT_AUTH_PER_IP = 100;

  /** Set when a reverse proxy stands in front: its X-Forwarded-For then names the client. */
  @IsIn(['true', 'false'])
  TRUST_PROXY: 'true' | 'false' = 'false';

  /** Origins allowed to call the API from a browser, comma-separated; none by default (same origin only). */
  @Matches(/^(https?:\/\/[^,\s]+)(,https?:\/\/[^,\s]+)*$|^$/, { message: 'must be a comma-separated list of http(s) origins' })
  CORS_ORIGINS = '';

  /** When set, GET /metrics requires "Authorization: Bearer <METRICS_TOKEN>". */
  @Transform(emptyToUndefined)
  @ValidateIf((config: AppConfig) => config.METRICS_TOKEN !== undefined)
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters long' })
  METRICS_TOKEN?: string;

  /** The SMTP server notifications are e-mailed through (smtp:// or smtps://, user and password in the URL); unset: inbox only. */
  @Transform(emptyToUndefined)
  @ValidateIf((config: AppConfig) => config.SMTP_URL !== undefined)
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** The sender of those e-mails. */
  @IsString()
  @MinLength(3)
  MAIL_FROM = 'inkind – SOS Kinderdorpen <no-reply@inkind.invalid>';

  /** pino's level; `silent` turns the logs off. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  get runsWorkers(): boolean {
    return this.APP_ROLE !== 'api';
  }

  get runsHttp(): boolean {
    return this.APP_ROLE !== 'worker';
  }

  get jwtSecret(): string {
    return this.JWT_SECRET ?? DEV_JWT_SECRET;
  }

  get databaseName(): string {
    return new URL(this.DATABASE_URL).pathname.slice(1);
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const KNOWN_KEYS = Object.keys(new AppConfig()).concat(['JWT_SECRET', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'METRICS_TOKEN']);

/**
 * Builds and validates the configuration from an environment. Throws a
 * ConfigError whose message is one line naming the first bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of KNOWN_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) {
    const first = errors[0];
    const reason = mainMessage(first.constraints ?? {}) ?? 'is invalid';
    const secret = /PASSWORD|SECRET/.test(first.property);
    const shown = first.value === undefined || secret ? '' : ` (got "${hideCredentials(String(first.value))}")`;
    throw new ConfigError(`Invalid configuration: ${first.property} ${stripProperty(reason, first.property)}${shown}`);
  }
  return config;
}

/** A URL's password is a secret too: postgres://user:secret@host becomes postgres://user:***@host. */
function hideCredentials(value: string): string {
  return value.replace(/(\/\/[^/:@]*:)[^/@]*@/, '$1***@');
}

function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
