import { AgenciesService, AgencyDto, AgencyQueryDto } from '@app/agencies';
import { FlagsService } from '@app/compliance';
import {
  AuditLog,
  FieldError,
  normalizeVietnamesePhone,
  PersonalDataCipher,
  ProblemException,
  RateLimiter,
} from '@app/core';
import { ReferenceService } from '@app/reference';
import { Inject, Injectable } from '@nestjs/common';

import {
  CheckedAgencyDto,
  CreateRecruiterReportDto,
  RecruiterCheckDto,
  RecruiterCheckQueryDto,
  RecruiterReportAcceptedDto,
} from './dto/recruiter.dto';
import {
  classifyRecruiterQuery,
  RecruiterKey,
  recruiterLinkKey,
  recruiterNameKey,
  recruiterPhoneKey,
} from './recruiter-keys';
import { RecruiterReportsRepository } from './recruiter-reports.repository';
import { RECRUITER_SETTINGS, RecruiterSettings } from './recruiters.settings';

const AGENCY_MATCHES = 20;

/**
 * "Check before you pay", for the public: is this number, page or name a licensed agency's, and how many
 * people have reported it; and the report of a recruiter, filed as a regulator flag.
 */
@Injectable()
export class RecruiterChecksService {
  constructor(
    private readonly repository: RecruiterReportsRepository,
    private readonly agencies: AgenciesService,
    private readonly flags: FlagsService,
    private readonly reference: ReferenceService,
    private readonly audit: AuditLog,
    private readonly limiter: RateLimiter,
    private readonly cipher: PersonalDataCipher,
    @Inject(RECRUITER_SETTINGS.token) private readonly settings: RecruiterSettings,
  ) {}

  /** Limited per address, so the hotlines and report counts are looked up, not harvested. */
  async check(query: RecruiterCheckQueryDto, ip: string): Promise<RecruiterCheckDto> {
    if ((query.phone === undefined) === (query.q === undefined)) {
      throw ProblemException.validation([
        { field: 'phone', constraint: 'isOnePhoneOrQuery' },
        { field: 'q', constraint: 'isOnePhoneOrQuery' },
      ]);
    }
    await this.limiter.consume(
      [
        {
          key: `recruiter-checks:ip:${this.cipher.lookupHash(`ip:${ip}`)}`,
          limit: this.settings.checksPerIpPerHour,
        },
      ],
      3600,
    );
    const subject =
      query.phone !== undefined ? recruiterPhoneKey(query.phone) : classifyRecruiterQuery(query.q!);
    if (!subject) {
      throw ProblemException.validation([
        query.phone !== undefined
          ? { field: 'phone', constraint: 'isVietnameseNumber' }
          : { field: 'q', constraint: 'isRecruiterLink' },
      ]);
    }
    const [agencies, reports] = await Promise.all([
      this.matchingAgencies(subject),
      this.repository.summary(subject.kind, subject.key),
    ]);
    return {
      kind: subject.kind,
      key: subject.key,
      licensed: agencies.some((agency) => agency.licenseStatus === 'active'),
      agencies,
      reports: { count: reports.count, lastAt: reports.lastAt?.toISOString() ?? null },
    };
  }

  /**
   * Files a report under the regulator flag of the number, link or name it names first (in that order: a
   * broker changes names more easily than numbers). The reporter's number is kept only with consent, sealed.
   */
  async report(dto: CreateRecruiterReportDto, ip: string): Promise<RecruiterReportAcceptedDto> {
    const errors: FieldError[] = [];
    let phone = dto.recruiterPhone === undefined ? undefined : recruiterPhoneKey(dto.recruiterPhone)?.key;
    if (dto.recruiterPhone !== undefined && !phone)
      errors.push({ field: 'recruiterPhone', constraint: 'isVietnameseNumber' });
    let link: string | undefined;
    if (dto.recruiterLink !== undefined) {
      const key = recruiterLinkKey(dto.recruiterLink);
      if (!key) errors.push({ field: 'recruiterLink', constraint: 'isRecruiterLink' });
      // zalo.me/<number> is that number; beside another number it stays a link, so neither is lost.
      else if (key.kind === 'phone' && (phone === undefined || phone === key.key)) phone = key.key;
      else link = key.kind === 'phone' ? `zalo.me/${key.key}` : key.key;
    }
    const name = dto.recruiterName?.trim().replace(/\s+/g, ' ');
    if (
      dto.recruiterName === undefined &&
      dto.recruiterPhone === undefined &&
      dto.recruiterLink === undefined
    )
      errors.push({ field: 'recruiterName', constraint: 'isRecruiterNamed' });
    const reporterPhone =
      dto.reporterPhone === undefined ? undefined : normalizeVietnamesePhone(dto.reporterPhone);
    if (dto.reporterPhone !== undefined && !reporterPhone)
      errors.push({ field: 'reporterPhone', constraint: 'isPhone' });
    if (dto.reporterPhone !== undefined && dto.consent !== true)
      errors.push({ field: 'consent', constraint: 'isConsentGiven' });
    if (dto.country && !(await this.reference.countries()).some((country) => country.code === dto.country))
      errors.push({ field: 'country', constraint: 'isCountry' });
    if (errors.length) throw ProblemException.validation(errors);

    const group: RecruiterKey | undefined = phone
      ? { kind: 'phone', key: phone }
      : link
        ? { kind: 'link', key: link }
        : name
          ? recruiterNameKey(name)
          : undefined;
    if (!group)
      throw ProblemException.validation([{ field: 'recruiterName', constraint: 'isRecruiterNamed' }]);

    const ipHash = this.cipher.lookupHash(`ip:${ip}`);
    await this.limiter.consume(
      [{ key: `recruiter-reports:ip:${ipHash}`, limit: this.settings.reportsPerIpPerHour }],
      3600,
    );
    const id = await this.audit.transaction(async (tx) => {
      const flagId = await this.flags.raiseRecruiterReport(tx, group);
      return this.repository.insert(tx, {
        groupKind: group.kind,
        groupKey: group.key,
        recruiterName: name || null,
        recruiterPhone: phone ?? null,
        recruiterLink: link ?? null,
        channel: dto.channel ?? null,
        countryCode: dto.country ?? null,
        promised: dto.promised.trim(),
        askedAmountVnd: dto.askedAmountVnd ?? null,
        paidAmountVnd: dto.paidAmountVnd ?? null,
        detail: dto.detail?.trim() || null,
        reporterPhoneEncrypted: reporterPhone ? this.cipher.encrypt(reporterPhone) : null,
        reporterPhoneHash: reporterPhone ? this.cipher.lookupHash(reporterPhone) : null,
        reporterConsentAt: reporterPhone ? new Date() : null,
        reporterIpHash: ipHash,
        flagId,
      });
    });
    return { id, status: 'received' };
  }

  /** Agencies whose registered hotline is the number, or whose name has every word of the name. */
  private async matchingAgencies(subject: RecruiterKey): Promise<CheckedAgencyDto[]> {
    if (subject.kind === 'phone') {
      return (await this.agencies.findByHotlines([subject.key])).map((agency) => checked(agency, 'hotline'));
    }
    if (subject.kind === 'name') {
      const page = await this.agencies.search(
        Object.assign(new AgencyQueryDto(), { q: subject.key, limit: AGENCY_MATCHES }),
      );
      return page.items.map((agency) => checked(agency, 'name'));
    }
    // Agencies register no Facebook or Zalo pages: a link matches none of them.
    return [];
  }
}

export function checked(agency: AgencyDto, matchedBy: CheckedAgencyDto['matchedBy']): CheckedAgencyDto {
  return {
    id: agency.id,
    name: agency.name,
    licenseNumber: agency.licenseNumber,
    licenseStatus: agency.licenseStatus,
    hotline: agency.hotline,
    matchedBy,
  };
}
