import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer, Server } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { allMigrationNames } from './helpers/migrations';
import { BASE_URL, testDatabaseUrl } from './setup/test-database';

// ts-node compiles the whole application on start, which takes several seconds per process.
const PROCESS_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 45_000;
const EXIT_TIMEOUT_MS = 15_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface AppProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
}

const started: AppProcess[] = [];

async function stopAll(): Promise<void> {
  for (const app of started) {
    if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await app.exited;
  }
}

afterAll(stopAll);

/** Ports that were free a moment ago; all are held together so that they differ. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '0.0.0.0', resolve));
    servers.push(server);
  }
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function startApp(env: NodeJS.ProcessEnv): AppProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: resolve(__dirname, '..'),
    // spawn drops keys whose value is undefined, which is how a test unsets a variable.
    env: { ...process.env, NODE_ENV: 'development', JWT_SECRET: undefined, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const app = { child, stdout: () => stdout, stderr: () => stderr, exited };
  started.push(app);
  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls the URL until the process answers it, failing early if the process dies. */
async function waitForHttp(app: AppProcess, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`the app exited (${app.child.exitCode ?? app.child.signalCode}) before answering ${url}:\n${app.stderr()}`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await delay(250);
    }
  }
  throw new Error(`no answer from ${url} within ${READY_TIMEOUT_MS} ms:\n${app.stdout()}\n${app.stderr()}`);
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('start-up of the API process', () => {
  describe('refuses a bad configuration with one line naming the variable', () => {
    it(
      'exits 1 when PORT is not a number',
      async () => {
        const app = startApp({ PORT: 'abc' });
        await expect(withTimeout(app.exited, PROCESS_TIMEOUT_MS, 'the app to exit')).resolves.toEqual({ code: 1, signal: null });
        expect(lines(app.stderr())).toEqual([expect.stringMatching(/^Invalid configuration: PORT .*"abc"/)]);
      },
      PROCESS_TIMEOUT_MS,
    );

    it(
      'exits 1 in production without JWT_SECRET',
      async () => {
        const [port] = await freePorts(1);
        const app = startApp({ NODE_ENV: 'production', PORT: String(port) });
        await expect(withTimeout(app.exited, PROCESS_TIMEOUT_MS, 'the app to exit')).resolves.toEqual({ code: 1, signal: null });
        expect(lines(app.stderr())).toEqual([expect.stringMatching(/^Invalid configuration: JWT_SECRET /)]);
      },
      PROCESS_TIMEOUT_MS,
    );
  });

  describe('two instances on a database that does not exist yet', () => {
    const database = `inkind_start_${randomBytes(5).toString('hex')}`;
    const admin = new Client({ connectionString: `${BASE_URL}/postgres` });

    beforeAll(() => admin.connect());
    afterAll(async () => {
      await stopAll();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    });

    it(
      'creates it, migrates it once, and both serve the houses and a healthy /health',
      async () => {
        const ports = await freePorts(2);
        const apps = ports.map((port) => startApp({ PORT: String(port), DATABASE_URL: testDatabaseUrl(database) }));
        await Promise.all(apps.map((app, i) => waitForHttp(app, `http://127.0.0.1:${ports[i]}/health`)));

        for (const port of ports) {
          const houses = await fetch(`http://127.0.0.1:${port}/api/houses`);
          expect(houses.status).toBe(200);
          const body = (await houses.json()) as Array<{ slug: string }>;
          expect(body.map((house) => house.slug).sort()).toEqual(['chantevent', 'hejmo', 'olivier', 'simbahuis']);

          const health = await fetch(`http://127.0.0.1:${port}/health`);
          expect(health.status).toBe(200);
          await expect(health.json()).resolves.toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
        }

        const db = new Client({ connectionString: testDatabaseUrl(database) });
        await db.connect();
        try {
          await expect(db.query('SELECT name FROM migrations ORDER BY id').then((result) => result.rows)).resolves.toEqual(
            allMigrationNames().map((name) => ({ name })),
          );
        } finally {
          await db.end();
        }
        const output = apps.map((app) => app.stdout()).join('\n');
        expect(output.match(/Created database inkind_start_/g)).toHaveLength(1);
        for (const name of allMigrationNames()) expect(output.match(new RegExp(`Applied migration ${name}\\b`, 'g'))).toHaveLength(1);

        for (const app of apps) app.child.kill('SIGTERM');
        const exits = await withTimeout(Promise.all(apps.map((app) => app.exited)), EXIT_TIMEOUT_MS, 'both apps to stop');
        for (const exit of exits) expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      },
      PROCESS_TIMEOUT_MS,
    );
  });
});
