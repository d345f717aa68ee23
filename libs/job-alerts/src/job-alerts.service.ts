import { ApplicantCipher, SmsService } from '@app/applicants';
import {
  AuditLog,
  Caches,
  FieldError,
  normalizeVietnamesePhone,
  Outbox,
  Page,
  PersonalDataCipher,
  ProblemException,
  Tx,
} from '@app/core';
import { JOB_ORDER_PUBLISHED, JobOrderFiltersDto, searchWords } from '@app/job-orders';
import { ReferenceService } from '@app/reference';
import { HttpStatus, Injectable, Logger } from '@nestjs/common';

import { AlertStopTokens } from './alert-stop-tokens';
import { isStopText, STOP_CONFIRMATION_TEXT } from './alert-text';
import { ALERT_CONSENT_TEXTS, ALERT_CONSENT_VERSION } from './consent';
import {
  CreateJobAlertDto,
  InboundSmsDto,
  InboundSmsHandledDto,
  JobAlertDto,
  JobAlertExportDto,
  JobAlertHistoryDto,
} from './dto/job-alert.dto';
import type { AlertChannel } from './job-alert.entity';
import { AlertRow, JobAlertsRepository } from './job-alerts.repository';
import { JobAlertQueue } from './job-alerts.queues';
import { alertMatchKey } from './match-keys';

/** The product's limit: five active alerts per phone. */
export const MAX_ACTIVE_ALERTS = 5;
const ALERT_ID = /^[1-9]\d{0,17}$/;

/**
 * Job alerts for the holder of a proven phone: save a search with consent, list and end them; stop them
 * without signing in, by the link in a text or by answering STOP. Each publication of an order queues the
 * matching (JobAlertMatcher, in the worker) in the transaction that publishes it.
 */
@Injectable()
export class JobAlertsService {
  private readonly logger = new Logger(JobAlertsService.name);

  constructor(
    private readonly repository: JobAlertsRepository,
    private readonly reference: ReferenceService,
    private readonly cipher: PersonalDataCipher,
    private readonly applicantCipher: ApplicantCipher,
    private readonly sms: SmsService,
    private readonly stopTokens: AlertStopTokens,
    private readonly audit: AuditLog,
    outbox: Outbox,
    caches: Caches,
  ) {
    // Job-orders announces the publication and never names alerts; the matching job commits with it, so a
    // publication is never without its matching, and a rolled-back one queues nothing. The job id names the
    // publication: republishing a closed order matches again (alerts already matched are not texted twice).
    caches.react(JOB_ORDER_PUBLISHED, (tx, { orderId, publishedAt }) =>
      outbox.enqueue(tx, JobAlertQueue.Match, `alerts-${orderId}-${Date.parse(publishedAt)}`, { orderId }),
    );
  }

  async list(phoneHash: string): Promise<Page<JobAlertDto>> {
    const rows = await this.repository.listActive(phoneHash);
    return { items: rows.map(toJobAlertDto), nextCursor: null };
  }

  /**
   * Saves a search for the proven phone. The phone in the body must be the one the token proves (the token
   * holds only its keyed hash, and the texts need the number); the filters are checked against the
   * taxonomies like an order's; a sixth active alert is refused.
   */
  async create(phoneHash: string, dto: CreateJobAlertDto, channel: AlertChannel): Promise<JobAlertDto> {
    const e164 = normalizeVietnamesePhone(dto.phone);
    if (!e164) throw ProblemException.validation([{ field: 'phone', constraint: 'isPhone' }]);
    if (this.cipher.lookupHash(e164) !== phoneHash) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'PHONE_NOT_PROVEN');
    }
    await this.checkTaxonomies(dto);
    const filters = {
      countryCode: dto.country ?? null,
      industryCode: dto.industry ?? null,
      programCode: dto.program ?? null,
      gender: dto.gender ?? null,
    };
    const q = dto.q?.trim() || null;
    const row = await this.audit.transaction(async (tx) => {
      await this.repository.lockPhone(tx, phoneHash);
      if ((await this.repository.countActive(tx, phoneHash)) >= MAX_ACTIVE_ALERTS) {
        throw new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'ALERT_LIMIT_REACHED');
      }
      // Sealed under the phone's own key (kept in this transaction if new): an erasure destroys it.
      const sealer = await this.applicantCipher.sealerIn(tx, phoneHash);
      return this.repository.insert(tx, {
        phoneHash,
        phoneSealed: sealer.encrypt(e164),
        q,
        qWords: q ? searchWords(q) : [],
        ...filters,
        birthYear: dto.birthYear ?? null,
        salaryMinVnd: dto.salaryMinVnd ?? null,
        maxCostVnd: dto.maxCostVnd ?? null,
        matchKey: alertMatchKey(filters),
        consentVersion: ALERT_CONSENT_VERSION,
        consentChannel: channel,
      });
    });
    return toJobAlertDto(row);
  }

  /** Ends one of the phone's alerts (recorded as a stop); another phone's, or an unknown id, is a 404. */
  async end(phoneHash: string, alertId: string, channel: AlertChannel): Promise<void> {
    if (!ALERT_ID.test(alertId)) throw ProblemException.notFound();
    await this.audit.transaction(async (tx) => {
      await this.repository.lockPhone(tx, phoneHash);
      if (!(await this.repository.belongsTo(tx, phoneHash, alertId))) throw ProblemException.notFound();
      await this.repository.stop(tx, { phoneHash, via: channel, alertId, only: true });
    });
  }

  /**
   * The stop link: ends every active alert of the phone the named alert belongs to, not just that one, since
   * whoever taps "stop" in a text wants the texts to stop. An unsigned or unknown token is a 404.
   */
  async stopByToken(token: string): Promise<{ stopped: number }> {
    const alertId = this.stopTokens.verify(token);
    const phoneHash = alertId && (await this.repository.phoneHashOf(alertId));
    if (!alertId || !phoneHash) throw ProblemException.notFound();
    return { stopped: await this.stopAll(phoneHash, 'link', alertId) };
  }

  /** Whether a stop token is one this server signed for an alert that exists (the stop page asks first). */
  async isStopToken(token: string): Promise<boolean> {
    const alertId = this.stopTokens.verify(token);
    return Boolean(alertId && (await this.repository.phoneHashOf(alertId)));
  }

  /**
   * A text the SMS provider received for us, signed like our requests to it. STOP (HUY, DUNG, TU CHOI, any
   * case, with or without diacritics) ends every alert of the sender's phone; anything else is ignored.
   */
  async handleInboundSms(
    rawBody: string | undefined,
    signature: string | undefined,
    message: InboundSmsDto,
  ): Promise<InboundSmsHandledDto> {
    if (rawBody === undefined || !this.sms.isSignedByProvider(rawBody, signature)) {
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'INVALID_SIGNATURE');
    }
    const e164 = normalizeVietnamesePhone(message.from);
    if (!e164 || !isStopText(message.text)) return { action: 'ignored' };
    await this.stopAll(this.cipher.lookupHash(e164), 'sms', null, e164);
    return { action: 'stopped' };
  }

  /**
   * The stop link and STOP: every active alert of the phone ends, and the stop is recorded even if none was.
   * A STOP by text that ended alerts is answered at `confirmTo`, in the same transaction.
   */
  private async stopAll(
    phoneHash: string,
    via: AlertChannel,
    alertId: string | null,
    confirmTo?: string,
  ): Promise<number> {
    const stopped = await this.audit.transaction(async (tx) => {
      await this.repository.lockPhone(tx, phoneHash);
      const ended = await this.repository.stop(tx, { phoneHash, via, alertId, only: false });
      if (ended > 0 && confirmTo) await this.sms.send(tx, confirmTo, STOP_CONFIRMATION_TEXT);
      return ended;
    });
    this.logger.log({ via, stopped }, 'job alerts stopped');
    return stopped;
  }

  /** The phone's alerts (active or ended) with their consent, and what was matched, sent and stopped. */
  async export(phoneHash: string): Promise<{ alerts: JobAlertExportDto[]; history: JobAlertHistoryDto }> {
    const held = await this.repository.exportForPhone(phoneHash);
    return {
      alerts: held.alerts.map((row) => ({
        ...toJobAlertDto(row),
        consent: {
          version: row.consentVersion,
          grantedAt: row.consentedAt.toISOString(),
          channel: row.consentChannel,
          text: ALERT_CONSENT_TEXTS[row.consentVersion] ?? null,
        },
        stoppedAt: row.stoppedAt?.toISOString() ?? null,
        stoppedVia: row.stoppedVia,
      })),
      history: {
        matches: held.matches.map((match) => ({ ...match, matchedAt: match.matchedAt.toISOString() })),
        messages: held.messages.map((message) => ({ ...message, sentAt: message.sentAt.toISOString() })),
        stops: held.stops.map((stop) => ({ ...stop, at: stop.at.toISOString() })),
      },
    };
  }

  /** The phone's number as its alerts hold it (E.164), while its key exists; undefined without alerts. */
  async phoneOf(phoneHash: string): Promise<string | undefined> {
    const sealed = await this.repository.sealedPhoneOf(phoneHash);
    if (!sealed) return undefined;
    const openers = await this.applicantCipher.openersFor([phoneHash]);
    return openers.get(phoneHash)?.(sealed) ?? undefined;
  }

  /** Erasure, in the erasure's transaction: the phone's alerts and their history go. */
  erase(tx: Tx, phoneHash: string): Promise<number> {
    return this.repository.eraseForPhone(tx, phoneHash);
  }

  /** Retention: what is older than `months` goes (active alerts stay while their consent stands). */
  eraseExpired(months: number): Promise<number> {
    return this.repository.eraseExpired(months);
  }

  /** Codes that pass the DTO's pattern but name nothing would make an alert that never fires: a 400. */
  private async checkTaxonomies(filters: JobOrderFiltersDto): Promise<void> {
    const [countries, industries, programs] = await Promise.all([
      this.reference.countries(),
      this.reference.industries(),
      this.reference.programs(),
    ]);
    const errors: FieldError[] = [];
    if (filters.country && !countries.some((country) => country.code === filters.country))
      errors.push({ field: 'country', constraint: 'isCountry' });
    if (filters.industry && !industries.some((industry) => industry.code === filters.industry))
      errors.push({ field: 'industry', constraint: 'isIndustry' });
    const program = filters.program && programs.find((candidate) => candidate.code === filters.program);
    if (filters.program && !program) errors.push({ field: 'program', constraint: 'isProgram' });
    else if (program && filters.country && program.countryCode && program.countryCode !== filters.country)
      errors.push({ field: 'program', constraint: 'isProgramForCountry' });
    if (errors.length) throw ProblemException.validation(errors);
  }
}

export function toJobAlertDto(row: AlertRow): JobAlertDto {
  return {
    id: row.id,
    q: row.q,
    country: row.countryCode,
    industry: row.industryCode,
    program: row.programCode,
    gender: row.gender,
    birthYear: row.birthYear,
    salaryMinVnd: row.salaryMinVnd,
    maxCostVnd: row.maxCostVnd,
    consent: { version: row.consentVersion, grantedAt: row.consentedAt.toISOString() },
    createdAt: row.createdAt.toISOString(),
  };
}
