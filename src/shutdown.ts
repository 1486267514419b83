import { INestApplicationContext, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';

/** A stopping process is gone within this time, whatever hangs (the orchestrator's SIGKILL comes at 10 s). */
export const SHUTDOWN_LIMIT_MS = 9_500;
/** In-flight requests get this long to finish; connections still busy afterwards are closed. */
export const DRAIN_LIMIT_MS = 7_000;

/**
 * SIGTERM and SIGINT stop the process in the order that loses nothing: the HTTP server first
 * (no new connections; a request on a kept-alive connection gets 503; in-flight requests are
 * answered; connections close as soon as they are idle instead of after the keep-alive timeout),
 * then Nest's hooks (workers finish the jobs they hold, queues, outbox relay, database), then exit.
 * Nest's own signal handling closes the hooks before the HTTP server, so that requests still
 * arrive while Redis and the pools are being closed; it is replaced here.
 */
export function stopGracefullyOnSignals(app: INestApplicationContext, http?: NestFastifyApplication): void {
  // Registered by enableShutdownHooks() (configureApp calls it); protected in Nest's types.
  (app as unknown as { unsubscribeFromProcessSignals?: () => void }).unsubscribeFromProcessSignals?.();
  const logger = new Logger('Shutdown');
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    setTimeout(() => {
      logger.error(`still running ${SHUTDOWN_LIMIT_MS} ms after ${signal}: exiting now`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    try {
      if (http) {
        const server = http.getHttpServer() as Server;
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        const force = setTimeout(() => {
          logger.warn(`requests still open ${DRAIN_LIMIT_MS} ms after ${signal}: closing their connections`);
          server.closeAllConnections();
        }, DRAIN_LIMIT_MS);
        try {
          await http.getHttpAdapter().close();
        } finally {
          clearInterval(sweep);
          clearTimeout(force);
        }
        logger.log(`HTTP server closed ${Date.now() - started} ms after ${signal}`);
      }
      // The signal reaches the onApplicationShutdown hooks (typed without it in the interface).
      await (app as INestApplicationContext & { close(signal?: string): Promise<void> }).close(signal);
      logger.log(`stopped ${Date.now() - started} ms after ${signal}`);
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal));
}
