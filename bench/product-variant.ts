/**
 * The product's API with global per-request pieces taken out, for `npm run bench` only: it measures
 * what each piece costs. It builds the app exactly as src/main.ts does (createAdapter, AppModule,
 * configureApp from src/app.ts), and BENCH_STRIP (comma-separated) removes:
 *   request-log  nestjs-pino's pino-http middleware (the JSON line per request)
 *   helmet       @fastify/helmet's security headers
 *   hooks        the onRequest hook (x-request-id) and the onResponse hook (HTTP metrics) of configureApp
 *   context      AppModule's RequestContextMiddleware (the request id in an AsyncLocalStorage, for tracing)
 *   i18n         nestjs-i18n's global interceptor (the request's language for validation messages)
 * and BENCH_FIX=jwt-key gives @nestjs/jwt its secret as a KeyObject made once, instead of the string that
 * jsonwebtoken tries (and fails) to parse as a public key on every verification.
 * BENCH_APP_DIR chooses the compiled product (dist/src) or its sources (src). Nothing here is used by the product itself.
 */
import 'reflect-metadata';
import { createSecretKey } from 'node:crypto';
import { join } from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from '@fastify/helmet';

const strip = new Set((process.env.BENCH_STRIP ?? '').split(',').filter(Boolean));
const fix = new Set((process.env.BENCH_FIX ?? '').split(',').filter(Boolean));
// BENCH_APP_DIR=dist/src runs the compiled product (as `node dist/src/main.js` does); src with ts-node otherwise.
const appDir = join(__dirname, '..', process.env.BENCH_APP_DIR ?? 'src');
/* eslint-disable @typescript-eslint/no-require-imports */
const logging = require(join(appDir, 'common/logging/logging')) as typeof import('../src/common/logging/logging');
const { configureApp, createAdapter } = require(join(appDir, 'app')) as typeof import('../src/app');
const { AppModule } = require(join(appDir, 'app.module')) as typeof import('../src/app.module');
const { loadConfig } = require(join(appDir, 'config/app-config')) as typeof import('../src/config/app-config');
const { prepareDatabase } = require(join(appDir, 'database/prepare-database')) as typeof import('../src/database/prepare-database');
/* eslint-enable @typescript-eslint/no-require-imports */

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
  if (strip.has('context')) AppModule.prototype.configure = () => undefined;
  if (strip.has('i18n')) {
    const { I18nLanguageInterceptor } = require('nestjs-i18n/dist/interceptors/i18n-language.interceptor') as {
      I18nLanguageInterceptor: { prototype: { intercept: (context: unknown, next: { handle: () => unknown }) => unknown } };
    };
    I18nLanguageInterceptor.prototype.intercept = (_context, next) => next.handle();
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter(config), { bufferLogs: true });
  // The application is a proxy that forwards register() to its adapter: the adapter is where to intercept.
  const adapter = app.getHttpAdapter() as unknown as { register: (plugin: unknown, options: unknown) => unknown };
  const fastify = app.getHttpAdapter().getInstance();
  const register = adapter.register;
  const addHook = fastify.addHook.bind(fastify);
  if (strip.has('helmet')) {
    adapter.register = function (this: unknown, plugin: unknown, options: unknown) {
      return plugin === helmet ? Promise.resolve() : register.call(this, plugin, options);
    };
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
  if (fix.has('jwt-key')) {
    const jwt = app.get(JwtService, { strict: false }) as unknown as { options: { secret: unknown } };
    jwt.options.secret = createSecretKey(Buffer.from(String(jwt.options.secret)));
  }
  adapter.register = register;
  (fastify as { addHook: unknown }).addHook = addHook;
  await app.listen({ port: config.PORT, host: '127.0.0.1' });
  console.log(`bench variant listening on ${config.PORT} without: ${[...strip].join(', ') || 'nothing'}; fixes: ${[...fix].join(', ') || 'none'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
