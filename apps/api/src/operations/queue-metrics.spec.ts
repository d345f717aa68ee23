import { metricsRegistry } from '@app/core';
import { Logger } from '@nestjs/common';

import { dueAt, QUEUE_SCRAPE_TIMEOUT_MS, QueueMetrics } from './queue-metrics';
import { SYSTEM_QUEUES, SystemQueues } from './system-queues';

/** A SystemQueues whose Redis answers the queue script with `answer` (or never, when it is undefined). */
function metricsWith(answer: (queues: string[]) => unknown[] | undefined) {
  const evalCalls: unknown[][] = [];
  const redis = {
    eval: (...args: unknown[]) => {
      evalCalls.push(args);
      const reply = answer(args.slice(3) as string[]);
      return reply ? Promise.resolve(reply) : new Promise(() => undefined);
    },
  };
  const metrics = new QueueMetrics({ redis, prefix: 'xkld:bull' } as unknown as SystemQueues);
  metrics.onModuleInit();
  return { metrics, evalCalls };
}

const sample = (text: string, series: string) =>
  text
    .split('\n')
    .find((line) => line.startsWith(`${series} `))
    ?.split(' ')[1];

describe('queue metrics', () => {
  let current: QueueMetrics | undefined;
  afterEach(() => {
    current?.onModuleDestroy();
    current = undefined;
  });

  it('reads every queue in one script call per scrape, shared by the three gauges', async () => {
    const now = Date.now();
    const { metrics, evalCalls } = metricsWith((queues) =>
      queues.map((queue) =>
        queue === 'sms'
          ? [3, 1, 2, 4, String(now - 90_000), '{"attempts":5}', null]
          : [0, 0, 0, 0, null, null, null],
      ),
    );
    current = metrics;
    const text = await metricsRegistry.metrics();
    expect(evalCalls).toHaveLength(1);
    expect(evalCalls[0].slice(1, 3)).toEqual([0, 'xkld:bull:']);
    expect(evalCalls[0].slice(3)).toEqual([...SYSTEM_QUEUES]);

    expect(sample(text, 'xkld_queue_jobs{queue="sms",state="waiting"}')).toBe('3');
    expect(sample(text, 'xkld_queue_jobs{queue="sms",state="active"}')).toBe('1');
    expect(sample(text, 'xkld_queue_jobs{queue="sms",state="delayed"}')).toBe('2');
    expect(sample(text, 'xkld_queue_jobs{queue="sms",state="failed"}')).toBe('4');
    expect(Number(sample(text, 'xkld_queue_oldest_waiting_seconds{queue="sms"}'))).toBeGreaterThanOrEqual(90);
    expect(sample(text, 'xkld_queue_oldest_waiting_seconds{queue="consultation-intake"}')).toBe('0');
    expect(sample(text, 'xkld_queue_metrics_up')).toBe('1');
    for (const queue of SYSTEM_QUEUES) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(sample(text, `xkld_queue_jobs{queue="${queue}",state="${state}"}`)).toBeDefined();
      }
    }

    await metricsRegistry.metrics();
    expect(evalCalls).toHaveLength(2);
  });

  it('answers the scrape after the timeout when Redis hangs, with up 0 and no stale queue series', async () => {
    let hang = false;
    const { metrics } = metricsWith((queues) =>
      hang ? undefined : queues.map(() => [5, 0, 0, 0, null, null, null]),
    );
    current = metrics;
    expect(sample(await metricsRegistry.metrics(), 'xkld_queue_jobs{queue="sms",state="waiting"}')).toBe('5');

    hang = true;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const started = Date.now();
    const text = await metricsRegistry.metrics();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(QUEUE_SCRAPE_TIMEOUT_MS - 50);
    expect(took).toBeLessThan(QUEUE_SCRAPE_TIMEOUT_MS + 500);
    expect(sample(text, 'xkld_queue_metrics_up')).toBe('0');
    expect(text).not.toMatch(/^xkld_queue_jobs\{/m);
    expect(text).not.toMatch(/^xkld_queue_oldest_waiting_seconds\{/m);
    expect(warn).toHaveBeenCalledWith(
      { err: `Redis did not answer within ${QUEUE_SCRAPE_TIMEOUT_MS} ms` },
      'queue metrics unread',
    );
    warn.mockRestore();
  });

  it('counts a waiting job from when it became due, never from before', () => {
    const added = 1_000_000;
    expect(dueAt(String(added), '{}', null)).toBe(added);
    // A scheduled job is added with the delay to its run (BullMQ zeroes the hash's `delay` when it is due).
    expect(dueAt(String(added), '{"delay":5000,"jobId":"x"}', null)).toBe(added + 5000);
    // A retried job waits again after its last attempt started.
    expect(dueAt(String(added), '{"attempts":5}', String(added + 60_000))).toBe(added + 60_000);
    expect(dueAt(String(added), 'not json', null)).toBe(added);
    expect(dueAt(null, '{}', null)).toBeUndefined();
  });
});
