import { ApplicantCipher, PhoneVerificationsService, SmsService } from '@app/applicants';
import { ApplicantRequestsService } from '@app/consultations';
import { AuditLog, Outbox, SYSTEM_ACTOR } from '@app/core';
import { JobAlertsService } from '@app/job-alerts';
import { ReviewsService } from '@app/ranking';
import { RecruiterReportsService } from '@app/recruiters';
import { Inject, Injectable, Logger } from '@nestjs/common';

import { DataRightsQueue } from './data-rights.queues';
import { DATA_RIGHTS_SETTINGS, DataRightsSettings } from './data-rights.settings';
import { ApplicantDataDto, ErasureScheduledDto } from './dto/applicant-data.dto';
import { ErasureRequestsRepository } from './erasure-requests.repository';

/**
 * The applicant's rights over what is held about their phone: see and take it, erase it, and the retention
 * that erases it anyway once nobody needs it. Each domain erases its own tables in one transaction.
 */
@Injectable()
export class DataRightsService {
  private readonly logger = new Logger(DataRightsService.name);

  constructor(
    private readonly requests: ApplicantRequestsService,
    private readonly reviews: ReviewsService,
    private readonly alerts: JobAlertsService,
    private readonly recruiterReports: RecruiterReportsService,
    private readonly verifications: PhoneVerificationsService,
    private readonly applicantCipher: ApplicantCipher,
    private readonly sms: SmsService,
    private readonly erasures: ErasureRequestsRepository,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    @Inject(DATA_RIGHTS_SETTINGS.token) private readonly settings: DataRightsSettings,
  ) {}

  async export(phoneHash: string): Promise<ApplicantDataDto> {
    const [requests, reviews, alerts, recruiterReports] = await Promise.all([
      this.requests.export(phoneHash),
      this.reviews.exportForPhone(phoneHash),
      this.alerts.export(phoneHash),
      this.recruiterReports.exportForReporter(phoneHash),
    ]);
    const phone =
      requests.find((request) => request.phone)?.phone ??
      (alerts.alerts.length ? await this.alerts.phoneOf(phoneHash) : undefined) ??
      (recruiterReports.length ? await this.recruiterReports.reporterPhoneOf(phoneHash) : undefined);
    return {
      generatedAt: new Date().toISOString(),
      phone: phone ?? null,
      retention: { months: this.settings.retentionMonths },
      requests,
      reviews,
      alerts: alerts.alerts,
      alertHistory: alerts.history,
      recruiterReports,
    };
  }

  /**
   * Makes every stored phone findable by its keyed hash: the call-back numbers of recruiter reports filed before
   * they had one. The worker runs it at start; answers how many were hashed.
   */
  hashLegacyPhones(): Promise<number> {
    return this.recruiterReports.hashLegacyReporterPhones();
  }

  /** Records the erasure and queues it for the worker, in one transaction. */
  async requestErasure(phoneHash: string): Promise<ErasureScheduledDto> {
    const erasureId = await this.audit.transaction(async (tx) => {
      const id = await this.erasures.insert(tx, phoneHash);
      await this.outbox.enqueue(tx, DataRightsQueue.Erasure, `erase-${id}`, { erasureId: id });
      return id;
    });
    return { erasureId, status: 'scheduled' };
  }

  /**
   * The worker's step, once per erasure (a repeat finds it done): the requests' personal fields and the
   * reviews' words go, the phone leaves the recruiter reports it was left on, each agency that had a lead is
   * told, the phone's key is destroyed, and the phone gets a last text. Ranking figures, statistics and the
   * audit chain stay as they were.
   */
  async erase(erasureId: string): Promise<'erased' | 'already done'> {
    return this.audit.transaction(async (tx) => {
      const erasure = await this.erasures.lockPending(tx, erasureId);
      if (!erasure) return 'already done';
      const { phoneHash } = erasure;
      // Read before the key goes: a phone known only from its alerts or its reports still gets the last text.
      const phone =
        (await this.requests.phoneOf(phoneHash)) ??
        (await this.alerts.phoneOf(phoneHash)) ??
        (await this.recruiterReports.reporterPhoneOf(phoneHash));
      const leads = await this.requests.erase(tx, phoneHash);
      await this.reviews.eraseForPhone(tx, phoneHash);
      await this.alerts.erase(tx, phoneHash);
      await this.recruiterReports.forgetReporter(tx, phoneHash);
      await this.verifications.forget(tx, phoneHash);
      await this.applicantCipher.destroyKey(tx, phoneHash);
      await this.erasures.markDone(tx, erasureId);
      if (phone) {
        await this.sms.send(tx, phone, 'Du lieu ca nhan cua ban tren xkld da duoc xoa theo yeu cau.');
      }
      this.logger.log({ erasureId, leads }, 'applicant erased');
      return 'erased';
    });
  }

  /**
   * Retention: erases the personal fields of requests nobody touched for the configured months, and job
   * alerts stopped that long ago with the matches and texts of that age. Answers the requests erased.
   */
  async eraseExpired(): Promise<number> {
    const months = this.settings.retentionMonths;
    const erased = await this.requests.eraseExpired(months);
    const alerts = await this.alerts.eraseExpired(months);
    if (erased > 0 || alerts > 0) {
      await this.audit.transaction((tx) =>
        this.audit.append(tx, {
          actor: SYSTEM_ACTOR,
          action: 'personal_data.retention',
          entityType: 'personal_data_retention',
          entityId: new Date().toISOString().slice(0, 10),
          // `alerts` only when some went, so the entries written before alerts existed keep their shape.
          after: { erased, months, ...(alerts > 0 ? { alerts } : {}) },
        }),
      );
    }
    return erased;
  }
}
