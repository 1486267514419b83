import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createApp } from './app';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/app-config';
import { prepareDatabase } from './database/prepare-database';
import { stopGracefullyOnSignals } from './shutdown';

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  if (!config.runsHttp) {
    // APP_ROLE=worker: the same modules and jobs, no HTTP server.
    const context = await NestFactory.createApplicationContext(AppModule.forRoot(config));
    stopGracefullyOnSignals(context);
    new Logger('inkind').log('Worker started (APP_ROLE=worker)');
    return;
  }
  const app = await createApp(config);
  stopGracefullyOnSignals(app, app);
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  new Logger('inkind').log(`API on http://localhost:${config.PORT} — Swagger UI at /docs (APP_ROLE=${config.APP_ROLE})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
