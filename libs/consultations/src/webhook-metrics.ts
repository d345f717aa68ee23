import { metricsRegistry } from '@app/core';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';

import { WebhookTotals, WebhooksRepository } from './webhooks.repository';

const DELIVERIES = 'xkld_webhook_deliveries_total';
const CIRCUIT_CHANGES = 'xkld_webhook_circuit_changes_total';
const CIRCUITS = 'xkld_webhook_circuits';
const PENDING = 'xkld_webhook_pending_deliveries';

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
    if (metricsRegistry.getSingleMetric(DELIVERIES)) return;
    this.owner = true;
    const read = () => this.read();
    const registers = [metricsRegistry];
    new Counter({
      name: DELIVERIES,
      help: 'Webhook delivery attempts by outcome (delivered: answered 2xx)',
      labelNames: ['outcome'] as const,
      registers,
      async collect() {
        const totals = await read();
        if (!totals) return;
        this.reset();
        this.inc({ outcome: 'delivered' }, totals.delivered);
        this.inc({ outcome: 'failed' }, totals.failed);
      },
    });
    new Counter({
      name: CIRCUIT_CHANGES,
      help: 'Webhook circuits opened (after consecutive failures) and closed (by a successful delivery)',
      labelNames: ['to'] as const,
      registers,
      async collect() {
        const totals = await read();
        if (!totals) return;
        this.reset();
        this.inc({ to: 'open' }, totals.opened);
        this.inc({ to: 'closed' }, totals.closed);
      },
    });
    new Gauge({
      name: CIRCUITS,
      help: 'Agency webhook endpoints by circuit state',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const totals = await read();
        if (!totals) return;
        this.set({ state: 'closed' }, totals.circuitsClosed);
        this.set({ state: 'open' }, totals.circuitsOpen);
      },
    });
    new Gauge({
      name: PENDING,
      help: 'Webhook events not delivered yet, by their endpoint’s circuit (open: parked)',
      labelNames: ['circuit'] as const,
      registers,
      async collect() {
        const totals = await read();
        if (!totals) return;
        this.set({ circuit: 'closed' }, totals.pendingClosed);
        this.set({ circuit: 'open' }, totals.pendingOpen);
      },
    });
  }

  onModuleDestroy(): void {
    if (!this.owner) return;
    for (const name of [DELIVERIES, CIRCUIT_CHANGES, CIRCUITS, PENDING])
      metricsRegistry.removeSingleMetric(name);
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
