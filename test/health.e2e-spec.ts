import Redis from 'ioredis';
import { once } from 'node:events';
import { REDIS } from '../src/redis/redis.module';
import { Api } from './helpers/api';
import { freePort } from './helpers/redis-server';
import { startApp, TestApp } from './helpers/test-app';

describe('GET /health', () => {
  it('answers 200 when PostgreSQL and Redis answer', async () => {
    const t = await startApp();
    try {
      const api = new Api(t.app);
      // The Redis client connects in the background after start-up.
      const redis = t.app.get<Redis>(REDIS);
      if (redis.status !== 'ready') await once(redis, 'ready');
      const res = await api.get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    } finally {
      await t.close();
    }
  });

  it('answers 503 and names Redis when Redis is down, while the API keeps answering', async () => {
    const t = await startApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const api = new Api(t.app);
      const res = await api.get('/health');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } }, info: { database: { status: 'up' } } });
      expect((await api.get('/api/houses')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
