import { randomUUID } from 'node:crypto';
import cluster from 'node:cluster';

import type { FastifyInstance } from 'fastify';
import { AggregatorRegistry, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'xkld_' });

const ASK = 'xkld:metrics?';
const ANSWER = 'xkld:metrics!';
const ASK_TIMEOUT_MS = 6000;

if (cluster.isWorker) {
  // A child of several api processes (libs/core/src/process/processes.ts) answers the primary's collections
  // with this registry; constructing an aggregator is what installs that answer.
  AggregatorRegistry.setRegistries([metricsRegistry]);
  new AggregatorRegistry();
}

/**
 * What GET /metrics answers: this process's metrics, or, in a child of several processes, every child's added
 * up by the primary (counters and histograms summed; a gauge that reads shared state, a queue's depth from
 * Redis say, must say `aggregator: 'first'`, or it is counted once per process). A scrape reaches one process
 * of many: its own counters alone would jump from one process's to another's between scrapes.
 */
export function metricsText(): Promise<string> {
  if (!cluster.isWorker || !process.send) return metricsRegistry.metrics();
  return new Promise<string>((resolve) => {
    const id = randomUUID();
    const finish = (text: string | undefined) => {
      clearTimeout(timer);
      process.off('message', onMessage);
      // The primary could not collect (a process starting or stopping): this process's own, rather than none.
      resolve(text ?? metricsRegistry.metrics());
    };
    const onMessage = (message: unknown) => {
      const answer = message as { type?: string; id?: string; text?: string };
      if (answer?.type === ANSWER && answer.id === id) finish(answer.text);
    };
    const timer = setTimeout(() => finish(undefined), ASK_TIMEOUT_MS);
    process.on('message', onMessage);
    process.send!({ type: ASK, id });
  });
}

/** In the primary of several processes: answers a child's `metricsText` with every child's metrics. */
export function collectClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (child, message: { type?: string; id?: string }) => {
    if (message?.type !== ASK) return;
    const reply = (text: string | undefined) => {
      if (child.isConnected()) child.send({ type: ANSWER, id: message.id, text });
    };
    aggregator.clusterMetrics().then(reply, () => reply(undefined));
  });
}

const httpDuration = new Histogram({
  name: 'xkld_http_request_duration_seconds',
  help: 'HTTP request duration by route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

/** Times every request by its route pattern (never the raw URL, which may carry personal data). */
export function instrumentHttp(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
