/**
 * The product's API with global per-request pieces taken out, for `npm run bench` only: it measures
 * what each piece costs. It builds the app exactly as src/main.ts does (createAdapter, AppModule,
 * configureApp from src/app.ts), and BENCH_STRIP (comma-separated) removes:
 *   request-log  nestjs-pino's pino-http middleware (the JSON line per request)
 *   helmet       @fastify/helmet's security headers
 *   hooks        the onRequest hook (x-request-id) and the onResponse hook (HTTP metrics) of configureApp
 * Nothing here is used by the product itself.
 */
import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from '@fastify/helmet';
import * as logging from '../src/common/logging/logging';
import { configureApp, createAdapter } from '../src/app';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';
import { prepareDatabase } from '../src/database/prepare-database';

const strip = new Set((process.env.BENCH_STRIP ?? '').split(',').filter(Boolean));

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  if (strip.has('request-log')) {
    // The middleware then applies to one path that no request of the benchmark takes.
    const original = logging.loggingParams;
    (logging as { loggingParams: typeof original }).loggingParams = (...args) => ({
      ...original(...args),
      forRoutes: [{ path: 'bench-never-requested', method: RequestMethod.GET }],
    });
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter(config), { bufferLogs: true });
  const fastify = app.getHttpAdapter().getInstance();
  const register = app.register.bind(app);
  const addHook = fastify.addHook.bind(fastify);
  if (strip.has('helmet')) {
    (app as { register: unknown }).register = (plugin: unknown, options: unknown) =>
      plugin === helmet ? Promise.resolve(app) : register(plugin as never, options as never);
  }
  if (strip.has('hooks')) {
    // Only the two hooks that configureApp adds itself: recognised by what they do.
    (fastify as { addHook: unknown }).addHook = (name: string, hook: (...args: unknown[]) => unknown) => {
      const source = String(hook);
      if ((name === 'onRequest' && source.includes('x-request-id')) || (name === 'onResponse' && source.includes('recordHttp'))) return fastify;
      return addHook(name as never, hook as never);
    };
  }
  await configureApp(app, config);
  (app as { register: unknown }).register = register;
  (fastify as { addHook: unknown }).addHook = addHook;
  await app.listen({ port: config.PORT, host: '127.0.0.1' });
  console.log(`bench variant listening on ${config.PORT} without: ${[...strip].join(', ') || 'nothing'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
