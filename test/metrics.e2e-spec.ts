import { Api, coordinator, needBody, offerBody, register } from './helpers/api';
import { startApp } from './helpers/test-app';

describe('GET /metrics', () => {
  it('exposes HTTP, job, queue, outbox, pool and process metrics in Prometheus format', async () => {
    const t = await startApp({}, { jobs: true });
    try {
      const api = new Api(t.app);
      const coord = await coordinator(api, 'hejmo');
      const donor = await register(api, 'donor');
      await api.get('/api/houses');
      await api.post('/api/needs', needBody({ categoryCode: 'tools', quantity: 1 }), coord.token);
      await api.post('/api/offers', offerBody({ categoryCode: 'tools', quantity: 1 }), donor.token);
      await t.drain();
      const offer = (await api.get('/api/offers', donor.token)).body.items[0];
      await api.get(`/api/offers/${offer.id}`, donor.token);

      const res = await api.request('GET', '/metrics');
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toContain('text/plain');
      const text = res.body as string;
      expect(text).toMatch(/^inkind_http_request_duration_seconds_count\{method="GET",route="\/api\/houses",status="200"\} 1$/m);
      // Routes are labelled by template, so ids do not multiply the series.
      expect(text).toContain('route="/api/offers/:id"');
      expect(text).not.toContain(offer.id);
      expect(text).toMatch(/^inkind_jobs_total\{queue="matching",name="optimise-category",outcome="completed"\} \d+$/m);
      expect(text).toMatch(/^inkind_job_duration_seconds_bucket\{le="[^"]+",queue="matching",name="optimise-category",outcome="completed"\} \d+$/m);
      expect(text).toMatch(/^inkind_queue_jobs\{queue="matching",state="waiting"\} 0$/m);
      expect(text).toMatch(/^inkind_outbox_backlog 0$/m);
      expect(text).toMatch(/^inkind_outbox_oldest_age_seconds 0$/m);
      expect(text).toMatch(/^inkind_db_pool_connections\{state="total"\} \d+$/m);
      expect(text).toMatch(/^inkind_process_resident_memory_bytes \d+/m);
    } finally {
      await t.close();
    }
  });

  it('asks for METRICS_TOKEN when it is set', async () => {
    const t = await startApp({ METRICS_TOKEN: 'a-metrics-token-long-enough' });
    try {
      const api = new Api(t.app);
      expect((await api.get('/metrics')).status).toBe(401);
      expect((await api.request('GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-but-long-enough' } })).status).toBe(401);
      expect((await api.request('GET', '/metrics', { headers: { authorization: 'Bearer a-metrics-token-long-enough' } })).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
