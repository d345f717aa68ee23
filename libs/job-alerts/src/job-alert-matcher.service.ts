import { ApplicantCipher, SmsService } from '@app/applicants';
import { AuditLog } from '@app/core';
import { JobOrdersService, OrderForAlertsRow } from '@app/job-orders';
import { ReferenceService } from '@app/reference';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { shortOrderPath, STOP_PATH } from './alert-links';
import { AlertStopTokens } from './alert-stop-tokens';
import { alertText } from './alert-text';
import { JOB_ALERT_SETTINGS, JobAlertSettings } from './job-alerts.settings';
import { JobAlertsRepository } from './job-alerts.repository';
import { quietUntil } from './quiet-hours';

/**
 * The worker's step for one published order: find the alerts it matches by the index over their filters,
 * record the matches, and text each phone that has had no alert text this Vietnam day, all in one
 * transaction (the texts go through the SMS outbox, so they leave only once it commits, and not during the
 * quiet hours: matched then, they leave at their end).
 */
@Injectable()
export class JobAlertMatcher {
  private readonly logger = new Logger(JobAlertMatcher.name);

  constructor(
    private readonly repository: JobAlertsRepository,
    private readonly jobOrders: JobOrdersService,
    private readonly reference: ReferenceService,
    private readonly applicantCipher: ApplicantCipher,
    private readonly sms: SmsService,
    private readonly stopTokens: AlertStopTokens,
    private readonly audit: AuditLog,
    @Inject(JOB_ALERT_SETTINGS.token) private readonly settings: JobAlertSettings,
  ) {}

  /** The ids of the alerts an order matches, read only: what `match` records, without recording (the benchmark's). */
  findMatches(order: OrderForAlertsRow): Promise<{ id: string }[]> {
    return this.repository.findMatching(order);
  }

  /** The plan of that match (EXPLAIN ANALYZE), one line per row: the benchmark shows it. */
  async explainMatch(order: OrderForAlertsRow): Promise<string[]> {
    const rows = (await this.repository.findMatching(order, true)) as unknown as { 'QUERY PLAN': string }[];
    return rows.map((row) => row['QUERY PLAN']);
  }

  /** A repeated job matches nothing new and texts nobody twice; an order no longer public matches nothing. */
  async match(orderId: string): Promise<string> {
    const order = await this.jobOrders.findPublicForAlerts(orderId);
    if (!order) return 'order not public';
    const countries = await this.reference.countries();
    const countryName = countries.find((country) => country.code === order.countryCode)?.nameVi;
    const base = this.settings.linkBaseUrl;
    const { matched, texts } = await this.audit.transaction(async (tx) => {
      const { matched, messages } = await this.repository.recordMatches(tx, order);
      const openers = await this.applicantCipher.openersFor(messages.map((message) => message.phoneHash));
      const texts = messages.flatMap((message) => {
        // Null only if the phone's key was destroyed, and an erasure deletes its alerts in that transaction.
        const phone = openers.get(message.phoneHash)?.(message.phoneSealed);
        if (!phone) return [];
        const text = alertText({
          title: order.title,
          countryName: countryName ?? order.countryCode,
          salaryVnd: order.salaryVndEstimate,
          orderUrl: `${base}${shortOrderPath(order.id)}`,
          stopUrl: `${base}${STOP_PATH}${this.stopTokens.sign(message.alertId)}`,
        });
        return [{ to: phone, text }];
      });
      await this.sms.sendMany(tx, texts, quietUntil(new Date(), this.settings.quietHours));
      return { matched, texts: texts.length };
    });
    this.logger.log({ orderId, matched, texts }, 'job alerts matched');
    return `${matched} matched, ${texts} texted`;
  }
}
