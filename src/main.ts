import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/app-config';
import { prepareDatabase } from './database/prepare-database';

async function main(): Promise<void> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  new Logger('inkind').log(`API on http://localhost:${config.PORT} — Swagger UI at /docs`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
