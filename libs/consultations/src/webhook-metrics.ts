import { metricsRegistry } from '@app/core';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

import { WebhookTotals, WebhooksRepository } from './webhooks.repository';

/**
 * Each metric: a counter (a total since the start) or a gauge (a count now), with one series per value of
 * its label, read from a field of the totals.
 */
const METRICS: {
  name: string;
  kind: 'counter' | 'gauge';
  help: string;
  series: { label: string; values: Record<string, keyof WebhookTotals> };
}[] = [
  {
    name: 'xkld_webhook_deliveries_total',
    kind: 'counter',
    help: 'Webhook delivery attempts by outcome (delivered: answered 2xx)',
    series: { label: 'outcome', values: { delivered: 'delivered', failed: 'failed' } },
  },
  {
    name: 'xkld_webhook_circuit_changes_total',
    kind: 'counter',
    help: 'Webhook circuits opened (after consecutive failures) and closed (by a successful delivery)',
    series: { label: 'to', values: { open: 'opened', closed: 'closed' } },
  },
  {
    name: 'xkld_webhook_circuits',
    kind: 'gauge',
    help: 'Agency webhook endpoints by circuit state',
    series: { label: 'state', values: { closed: 'circuitsClosed', open: 'circuitsOpen' } },
  },
  {
    name: 'xkld_webhook_pending_deliveries',
    kind: 'gauge',
    help: 'Webhook events not delivered yet, by their endpoint’s circuit (open: parked)',
    series: { label: 'circuit', values: { closed: 'pendingClosed', open: 'pendingOpen' } },
  },
];

/**
 * Webhook delivery in `/metrics`. The worker sends and the api serves the metrics, so the figures are read at
 * scrape time from what the worker records in PostgreSQL (per endpoint, summed here): attempts by outcome,
 * circuit changes, circuits by state and the deliveries waiting. A scrape that cannot read them keeps the
 * last values.
 */
@Injectable()
export class WebhookMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookMetrics.name);
  private owner = false;
  private totals?: Promise<WebhookTotals | undefined>;

  constructor(private readonly webhooks: WebhooksRepository) {}

  onModuleInit(): void {
    // An api and a worker in one process (the tests) share the registry: the first one registers.
    if (metricsRegistry.getSingleMetric(METRICS[0].name)) return;
    this.owner = true;
    for (const { name, kind, help, series } of METRICS) {
      const { label, values } = series;
      /** The metric's series as the totals give them now; undefined when they could not be read. */
      const seriesNow = async () => {
        const totals = await this.read();
        return (
          totals &&
          Object.entries(values).map(([value, field]) => [{ [label]: value }, totals[field]] as const)
        );
      };
      // Read from PostgreSQL, the same in every api process: taken once when the processes' metrics are added up.
      const config = {
        name,
        help,
        labelNames: [label],
        registers: [metricsRegistry],
        aggregator: 'first' as const,
      };
      if (kind === 'counter') {
        new Counter({
          ...config,
          async collect() {
            const now = await seriesNow();
            if (!now) return;
            this.reset();
            for (const [labels, total] of now) this.inc(labels, total);
          },
        });
      } else {
        new Gauge({
          ...config,
          async collect() {
            for (const [labels, count] of (await seriesNow()) ?? []) this.set(labels, count);
          },
        });
      }
    }
  }

  onModuleDestroy(): void {
    if (!this.owner) return;
    for (const { name } of METRICS) metricsRegistry.removeSingleMetric(name);
    this.owner = false;
  }

  /** One query per scrape, shared by the four metrics. */
  private read(): Promise<WebhookTotals | undefined> {
    this.totals ??= this.webhooks
      .totals()
      .catch((error: unknown) => {
        this.logger.warn({ err: error instanceof Error ? error.message : error }, 'webhook metrics unread');
        return undefined;
      })
      .finally(() => (this.totals = undefined));
    return this.totals;
  }
}
