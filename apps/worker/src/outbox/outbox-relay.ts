import { ApplicantQueue } from '@app/applicants';
import { ConsultationQueue } from '@app/consultations';
import { Outbox, OutboxMessage } from '@app/core';
import { DataRightsQueue } from '@app/data-rights';
import { JobAlertQueue } from '@app/job-alerts';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';

import { JOB_OPTIONS, OutboxQueue } from './job-options';

const BATCH = 200;
const IDLE_MS = 100;
const ERROR_BACKOFF_MS = 1000;
const DISPATCH_TIMEOUT_MS = 5000;

/**
 * Moves outbox rows to BullMQ. Rows are claimed with FOR UPDATE SKIP LOCKED, so relays in several workers
 * share the work; a row is marked only after BullMQ took its job, and job ids make a repeat harmless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues: Map<string, Queue>;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly outbox: Outbox,
    @InjectQueue(ConsultationQueue.Intake) intake: Queue,
    @InjectQueue(ConsultationQueue.AgencyNotifications) notifications: Queue,
    @InjectQueue(ApplicantQueue.Sms) sms: Queue,
    @InjectQueue(DataRightsQueue.Erasure) erasure: Queue,
    @InjectQueue(JobAlertQueue.Match) alertMatch: Queue,
  ) {
    this.queues = new Map(
      [intake, notifications, sms, erasure, alertMatch].map((queue) => [queue.name, queue]),
    );
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.outbox.relay(BATCH, (messages) => this.dispatch(messages));
      } catch (error) {
        this.logger.warn(
          { err: error instanceof Error ? error.message : error },
          'outbox relay failed; retrying',
        );
        await sleep(ERROR_BACKOFF_MS);
      }
      if (moved < BATCH) await sleep(IDLE_MS);
    }
  }

  private async dispatch(messages: OutboxMessage[]): Promise<void> {
    const byQueue = new Map<string, typeof messages>();
    for (const message of messages)
      byQueue.set(message.queue, [...(byQueue.get(message.queue) ?? []), message]);
    const adds = [...byQueue].map(([name, batch]) => {
      const queue = this.queues.get(name);
      if (!queue) throw new Error(`outbox names unknown queue ${name}`);
      return queue.addBulk(
        batch.map((message) => ({
          name: name,
          data: message.payload,
          opts: {
            ...JOB_OPTIONS[name as OutboxQueue],
            jobId: message.jobId,
            ...(message.notBefore && { delay: Math.max(0, message.notBefore.getTime() - Date.now()) }),
          },
        })),
      );
    });
    await withTimeout(Promise.all(adds), DISPATCH_TIMEOUT_MS);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
