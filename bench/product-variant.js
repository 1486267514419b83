'use strict';
/**
 * The product's API with global per-request pieces taken out, for `npm run bench` only: it measures
 * what each piece costs. Plain JavaScript on purpose: under ts-node's hooks (source maps on every stack
 * trace) the compiled product runs measurably slower, and the variants must compare with `node
 * dist/src/main.js`. It builds the app as src/main.ts does (createAdapter, AppModule, configureApp from
 * BENCH_APP_DIR: dist/src, or src when run with ts-node), and BENCH_STRIP (comma-separated) removes:
 *   request-log  nestjs-pino's pino-http middleware (the JSON line per request)
 *   helmet       @fastify/helmet's security headers
 *   hooks        the onRequest hook (x-request-id) and the onResponse hook (HTTP metrics) of configureApp
 *   context      entering the request id's AsyncLocalStorage context (in the request-id hook, for tracing)
 *   i18n         nestjs-i18n's global interceptor (the request's language for validation messages)
 * Nothing here is used by the product itself.
 */
require('reflect-metadata');
const { join } = require('node:path');
const { RequestMethod } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const helmet = require('@fastify/helmet').default;

const list = (value) => new Set((value || '').split(',').filter(Boolean));
const strip = list(process.env.BENCH_STRIP);
const fix = list(process.env.BENCH_FIX);
const appDir = join(__dirname, '..', process.env.BENCH_APP_DIR || 'dist/src');
const logging = require(join(appDir, 'common/logging/logging'));
const { configureApp, createAdapter } = require(join(appDir, 'app'));
const { AppModule } = require(join(appDir, 'app.module'));
const { loadConfig } = require(join(appDir, 'config/app-config'));
const { prepareDatabase } = require(join(appDir, 'database/prepare-database'));

async function main() {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  if (strip.has('request-log')) {
    // The middleware then applies to one path that no request of the benchmark takes.
    const original = logging.loggingParams;
    logging.loggingParams = (...args) => ({ ...original(...args), forRoutes: [{ path: 'bench-never-requested', method: RequestMethod.GET }] });
  }
  if (strip.has('context')) {
    // The request-id hook of app.ts enters the context through this export: make it a pass-through.
    const requestContext = require(join(appDir, 'common/logging/request-context'));
    requestContext.withRequestId = (_id, run) => run();
  }
  if (strip.has('i18n')) {
    const { I18nLanguageInterceptor } = require('nestjs-i18n/dist/interceptors/i18n-language.interceptor');
    I18nLanguageInterceptor.prototype.intercept = (_context, next) => next.handle();
  }
  const app = await NestFactory.create(AppModule.forRoot(config), createAdapter(config), { bufferLogs: true });
  // The application is a proxy that forwards register() to its adapter: the adapter is where to intercept.
  const adapter = app.getHttpAdapter();
  const fastify = adapter.getInstance();
  const register = adapter.register;
  const addHook = fastify.addHook;
  if (strip.has('helmet')) {
    adapter.register = function (plugin, options) {
      return plugin === helmet ? Promise.resolve() : register.call(this, plugin, options);
    };
  }
  if (strip.has('hooks')) {
    // Only the two hooks that configureApp adds itself, recognised by what they do.
    fastify.addHook = function (name, hook) {
      const source = String(hook);
      if ((name === 'onRequest' && source.includes('x-request-id')) || (name === 'onResponse' && source.includes('recordHttp'))) return this;
      return addHook.call(this, name, hook);
    };
  }
  await configureApp(app, config);
  adapter.register = register;
  fastify.addHook = addHook;
  await app.listen({ port: config.PORT, host: '127.0.0.1' });
  console.log(`bench variant listening on ${config.PORT} without: ${[...strip].join(', ') || 'nothing'}; fixes: ${[...fix].join(', ') || 'none'}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
