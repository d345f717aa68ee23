import { AgenciesService } from '@app/agencies';
import { FlagsService } from '@app/compliance';
import { decodeKeyset, Page, PersonalDataCipher, toPage, Tx } from '@app/core';
import { Injectable } from '@nestjs/common';

import {
  RecruiterReportGroupDto,
  RecruiterReportGroupQueryDto,
  ReporterReportExportDto,
} from './dto/recruiter.dto';
import { checked } from './recruiter-checks.service';
import { RecruiterReportsRepository, ReportSampleRow } from './recruiter-reports.repository';

const SAMPLES_PER_GROUP = 3;

/**
 * The regulators' view of recruiter reports: grouped by the number, link or name they name; and the reporters'
 * data rights over the number they left.
 */
@Injectable()
export class RecruiterReportsService {
  constructor(
    private readonly repository: RecruiterReportsRepository,
    private readonly agencies: AgenciesService,
    private readonly flags: FlagsService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async groups(query: RecruiterReportGroupQueryDto): Promise<Page<RecruiterReportGroupDto>> {
    const after = decodeKeyset(query.cursor);
    const rows = await this.repository.groups({
      kind: query.kind,
      minReports: query.minReports,
      after: after && { lastAt: after.key, lastId: after.id },
      limit: query.limit + 1,
    });
    const shown = rows.slice(0, query.limit);
    const [samples, statuses, agencies] = await Promise.all([
      this.repository.samples(shown, SAMPLES_PER_GROUP),
      this.flags.statuses(shown.map((row) => row.flagId)),
      this.agencies.findByHotlines(shown.flatMap((row) => row.phones)),
    ]);
    const samplesOf = new Map<string, ReportSampleRow[]>();
    for (const sample of samples) {
      const key = `${sample.kind}:${sample.key}`;
      samplesOf.set(key, [...(samplesOf.get(key) ?? []), sample]);
    }
    return toPage(
      rows,
      query.limit,
      (row) => ({
        key: row.key,
        kind: row.kind,
        reports: row.reports,
        firstAt: row.firstAt.toISOString(),
        lastAt: row.lastAt.toISOString(),
        flagId: row.flagId,
        flagStatus: statuses.get(row.flagId) ?? 'open',
        names: row.names,
        phones: row.phones,
        links: row.links,
        registeredAgencies: agencies
          .filter((agency) => row.phones.includes(agency.hotlineKey))
          .map((agency) => checked(agency, 'hotline')),
        samples: (samplesOf.get(`${row.kind}:${row.key}`) ?? []).map((sample) => ({
          id: sample.id,
          createdAt: sample.createdAt.toISOString(),
          recruiterName: sample.recruiterName,
          recruiterPhone: sample.recruiterPhone,
          recruiterLink: sample.recruiterLink,
          channel: sample.channel,
          country: sample.countryCode,
          promised: sample.promised,
          askedAmountVnd: sample.askedAmountVnd === null ? null : Number(sample.askedAmountVnd),
          paidAmountVnd: sample.paidAmountVnd === null ? null : Number(sample.paidAmountVnd),
          detail: sample.detail,
          reporterPhone: sample.reporterPhoneEncrypted
            ? this.cipher.decrypt(sample.reporterPhoneEncrypted)
            : null,
        })),
      }),
      (row) => [row.sortKey, row.lastId],
    );
  }

  /** The reports where this phone was left for a call back (the reporter's data export). */
  async exportForReporter(phoneHash: string): Promise<ReporterReportExportDto[]> {
    const rows = await this.repository.reportsOfReporter(phoneHash);
    return rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      recruiterName: row.recruiterName,
      recruiterPhone: row.recruiterPhone,
      recruiterLink: row.recruiterLink,
      promised: row.promised,
      callBackConsentAt: row.reporterConsentAt.toISOString(),
    }));
  }

  /** The phone as a reporter left it for a call back, for a phone known only from its reports. */
  async reporterPhoneOf(phoneHash: string): Promise<string | undefined> {
    const sealed = await this.repository.sealedReporterPhone(phoneHash);
    return sealed ? this.cipher.decrypt(sealed) : undefined;
  }

  /**
   * Gives the call-back numbers of reports filed before they had a keyed hash (migration
   * 1796530000000-RecruiterReporterPhoneHash) their hash, so the reporters' data rights find them. The hash
   * needs the application's key, hence here rather than in the migration. Answers how many; a number that does
   * not open is left as it is.
   */
  async hashLegacyReporterPhones(batch = 500): Promise<number> {
    let hashed = 0;
    let after: string | null = null;
    for (;;) {
      const rows = await this.repository.unhashedReporterPhones(after, batch);
      if (rows.length === 0) return hashed;
      after = rows[rows.length - 1].id;
      const hashes = rows.flatMap(({ id, sealed }) => {
        try {
          return [{ id, hash: this.cipher.lookupHash(this.cipher.decrypt(sealed)) }];
        } catch {
          return [];
        }
      });
      await this.repository.setReporterHashes(hashes);
      hashed += hashes.length;
    }
  }

  /** Erasure, in its transaction: the phone leaves every report it was left on; the reports stay. */
  forgetReporter(tx: Tx, phoneHash: string): Promise<number> {
    return this.repository.forgetReporter(tx, phoneHash);
  }
}
