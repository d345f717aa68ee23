import { IsText } from '@app/core';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export const LICENSE_DECISIONS = ['active', 'suspended', 'revoked'] as const;
export type LicenseDecision = (typeof LICENSE_DECISIONS)[number];

export class LicenseDecisionDto {
  @ApiProperty({
    enum: LICENSE_DECISIONS,
    description:
      'active verifies a pending agency or reinstates a suspended one; suspended and revoked hide every listing at once',
  })
  @IsIn(LICENSE_DECISIONS)
  status!: LicenseDecision;

  @ApiProperty({ description: 'Recorded with the decision and shown with the licence' })
  @IsText(3, 2000)
  reason!: string;
}
