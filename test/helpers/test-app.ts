import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { configureApp, createAdapter } from '../../src/app';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/app-config';
import { Clock } from '../../src/common/time/clock';

export const ADMIN = { email: 'admin@inkind.test', password: 'admin-password-for-tests' };

/** A clock the test moves by hand. */
export class TestClock extends Clock {
  constructor(private current = new Date('2026-12-01T09:00:00+01:00')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  clock: TestClock;
  db: DataSource;
  close(): Promise<void>;
}

/** The real application on the test database, with a hand-moved clock; requests go through Fastify's inject. */
export async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...env,
  });
  const clock = new TestClock();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  moduleRef.useLogger(['error', 'warn']);
  const app = configureApp(moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(), { logger: ['error'] }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, clock, db: app.get(DataSource), close: () => app.close() };
}
