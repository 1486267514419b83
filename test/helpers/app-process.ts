import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { freePort } from './redis-server';
import { ADMIN } from './test-app';

/** Where the fault suite's global setup compiled the service. */
export function buildDir(): string {
  const dir = process.env.INKIND_FAULTS_BUILD;
  if (!dir) throw new Error('INKIND_FAULTS_BUILD is not set: run the fault suites through `npm run test:faults`');
  return dir;
}

export const JWT_SECRET = 'fault-suite-secret-of-at-least-32-characters';

/** Polls `read` every `everyMs` until `done` holds; throws with `what` after the deadline. */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last value ${JSON.stringify(value)?.slice(0, 500)})`);
    await pause(everyMs);
  }
}

export interface AppProcessOptions {
  role: 'api' | 'worker' | 'all';
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  env?: Record<string, string>;
}

/**
 * The real service in a process of its own (`node <build>/src/main.js`), configured by its
 * environment as in production. Its output is kept (the last lines) for the failure messages.
 */
export class AppProcess {
  readonly port: number;
  readonly name: string;
  private child?: ChildProcess;
  private readonly lines: string[] = [];
  private exit?: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  startedAt = 0;

  private constructor(
    private readonly options: AppProcessOptions,
    port: number,
  ) {
    this.port = port;
    this.name = `${options.role}-${randomBytes(2).toString('hex')}`;
  }

  static async start(options: AppProcessOptions): Promise<AppProcess> {
    const app = new AppProcess(options, await freePort());
    app.spawn();
    await app.ready();
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process wrote, for a failure message. */
  output(last = 40): string {
    return this.lines.slice(-last).join('\n');
  }

  /** Log lines (pino JSON) that match. */
  logged(pattern: RegExp): string[] {
    return this.lines.filter((line) => pattern.test(line));
  }

  private spawn(): void {
    const { role, databaseUrl, redisUrl, queuePrefix, env = {} } = this.options;
    this.startedAt = Date.now();
    const child = spawn(process.execPath, [join(buildDir(), 'src', 'main.js')], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        APP_ROLE: role,
        PORT: String(this.port),
        DATABASE_URL: databaseUrl,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: queuePrefix,
        JWT_SECRET,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        LOG_LEVEL: 'info',
        RATE_LIMIT_AUTH_PER_IP: '100000',
        RATE_LIMIT_LOGIN_PER_EMAIL: '100000',
        MATCHING_DEBOUNCE_MS: '20',
        MATCHING_MIN_INTERVAL_MS: '0',
        MATCHING_SWEEP_MS: '0',
        PICKUP_ESCALATION_MS: '0',
        PICKUP_LEAD_HOURS: '0',
        OUTBOX_POLL_MS: '100',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.lines.push(line);
      if (this.lines.length > 2_000) this.lines.splice(0, this.lines.length - 1_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  }

  /** The API answers /health (whatever the dependencies say), or the worker logged its start. */
  private async ready(timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start-up:\n${this.output()}`);
      if (this.options.role === 'worker') {
        if (this.logged(/Worker started/).length > 0) return;
      } else {
        try {
          await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2_000) });
          return;
        } catch {
          // not listening yet
        }
      }
      await pause(50);
    }
    throw new Error(`${this.name} did not start within ${timeoutMs} ms:\n${this.output()}`);
  }

  /** Sends a signal; answers when the process exited and how long that took. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
    if (!this.child || !this.exit) throw new Error('not started');
    const sent = Date.now();
    const linesBefore = this.lines.length;
    if (this.running) this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.exit,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (!outcome) {
      this.child.kill('SIGKILL');
      const after = this.lines.slice(linesBefore);
      throw new Error(`${this.name} did not exit within ${timeoutMs} ms of ${signal}; ${after.length} lines after the signal, the first and last:\n${[...after.slice(0, 10), '...', ...after.slice(-15)].join('\n')}`);
    }
    return { code: outcome.code, signal: outcome.signal, ms: Math.max(0, outcome.at - sent) };
  }

  /** For afterAll: whatever state it is in, it is gone afterwards. */
  async kill(): Promise<void> {
    if (this.running) await this.stop('SIGKILL').catch(() => undefined);
  }
}

/** A JSON client over real HTTP: the answer, or the network error's code (ECONNREFUSED, …). */
export interface HttpResult<T = any> {
  status: number;
  body: T;
  error?: string;
  startedAt: number;
  endedAt: number;
}

export async function http<T = any>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; timeoutMs?: number } = {},
): Promise<HttpResult<T>> {
  const startedAt = Date.now();
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: res.status, body: body as T, startedAt, endedAt: Date.now() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { status: 0, body: undefined as T, error: cause?.code ?? (error as Error).name, startedAt, endedAt: Date.now() };
  }
}
