import { ApplicantRequestExportDto } from '@app/consultations';
import { JobAlertExportDto, JobAlertHistoryDto } from '@app/job-alerts';
import { ReviewDto } from '@app/ranking';
import { ReporterReportExportDto } from '@app/recruiters';
import { ApiProperty } from '@nestjs/swagger';

export class RetentionDto {
  @ApiProperty({
    description: 'Personal fields are erased this many months after a request was last touched',
  })
  months!: number;
}

/** Everything held about one phone. */
export class ApplicantDataDto {
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'E.164, while any request or job alert still holds it',
  })
  phone!: string | null;
  @ApiProperty({ type: RetentionDto }) retention!: RetentionDto;
  @ApiProperty({ type: [ApplicantRequestExportDto] }) requests!: ApplicantRequestExportDto[];
  @ApiProperty({ type: [ReviewDto] }) reviews!: ReviewDto[];
  @ApiProperty({
    type: [JobAlertExportDto],
    description: 'Saved job alerts, active or ended, with their consent',
  })
  alerts!: JobAlertExportDto[];
  @ApiProperty({ type: JobAlertHistoryDto, description: 'What the alerts matched and sent, and every stop' })
  alertHistory!: JobAlertHistoryDto;
  @ApiProperty({
    type: [ReporterReportExportDto],
    description: 'Reports of unlicensed recruiters where this phone was left for a call back',
  })
  recruiterReports!: ReporterReportExportDto[];
}

export class ErasureScheduledDto {
  @ApiProperty() erasureId!: string;
  @ApiProperty({ enum: ['scheduled'] }) status!: 'scheduled';
}
