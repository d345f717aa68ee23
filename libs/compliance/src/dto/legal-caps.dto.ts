import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';

const upperCase = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.toUpperCase() : value;

/** A case as a job order describes it; the bounds are those of an order's own fields. */
export class LegalCapsQueryDto {
  @ApiProperty({ example: 'JP', description: 'Destination, ISO 3166-1 alpha-2 (GET /reference/countries)' })
  @Transform(upperCase)
  @Matches(/^[A-Z]{2}$/)
  country!: string;

  @ApiProperty({ example: 'jp_technical_intern', description: 'A code of GET /reference/programs' })
  @Matches(/^[a-z0-9_]{1,40}$/)
  program!: string;

  @ApiPropertyOptional({
    example: 'food_processing',
    description:
      'A code of GET /reference/industries. Some caps depend on it (domestic work, agriculture, fishing); ' +
      'without it the answer is for an industry with no rule of its own, and `industryMatters` says whether ' +
      'the industry would change it',
  })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,40}$/)
  industry?: string;

  @ApiProperty({ example: 36, description: 'Contract length in months' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(120)
  contractMonths!: number;

  @ApiProperty({
    example: 180000,
    description: 'Base salary per month, overtime excluded; at most 2 decimals',
  })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(1e10)
  salaryAmount!: number;

  @ApiProperty({ example: 'JPY', description: 'ISO 4217; VND or a currency with a configured exchange rate' })
  @Transform(upperCase)
  @Matches(/^[A-Z]{3}$/)
  salaryCurrency!: string;
}

export class CapRuleDto {
  @ApiProperty({ example: 'general', description: 'The row of the rule table that applies' })
  rule!: string;
  @ApiProperty({
    example: 'Thông tư 21/2021/TT-BLĐTBXH (sửa đổi bởi Thông tư 02/2024/TT-BLĐTBXH), Điều 5 khoản 1',
  })
  reference!: string;
  @ApiProperty({ description: 'The rule in words, in the language of Accept-Language (vi, en)' })
  description!: string;
  @ApiProperty({ description: 'Whom the row applies to, in words' }) scope!: string;
}

export class ServiceFeeCapDto extends CapRuleDto {
  @ApiProperty({
    example: 91_800_000,
    description: 'Whole đồng; an order passes at this fee and fails one over',
  })
  maxVnd!: number;
  @ApiProperty({ example: 3, description: 'Months of base salary' }) months!: number;
}

export class DepositCapDto extends CapRuleDto {
  @ApiProperty({ example: 0, description: 'Whole đồng; 0 when no deposit may be taken' }) maxVnd!: number;
}

export class BrokerageCapDto extends CapRuleDto {
  @ApiProperty({ example: 0, enum: [0], description: 'Always 0 (Law 69/2020 Art. 7.8)' }) maxVnd!: 0;
}

export class MinimumSalaryDto extends CapRuleDto {
  @ApiProperty({ example: 600 }) usd!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'In đồng, rounded up; null without a USD rate' })
  vnd!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 554.19,
    description: 'The least salary in the salary currency, to the cent, that publishing accepts',
  })
  inSalaryCurrency!: number | null;
}

export class CapsSalaryDto {
  @ApiProperty({ example: 180000 }) amount!: number;
  @ApiProperty({ example: 'JPY' }) currency!: string;
  @ApiProperty({ example: 170, description: 'VND per unit, as configured (1 for VND)' }) vndPerUnit!: number;
  @ApiProperty({ example: 30_600_000, description: 'The salary in whole đồng, rounded down' }) vnd!: number;
}

export class LegalCapsDto {
  @ApiProperty({ example: 'JP' }) country!: string;
  @ApiProperty({ example: 'jp_technical_intern' }) program!: string;
  @ApiProperty({ nullable: true, type: String, example: 'food_processing' }) industry!: string | null;
  @ApiProperty({ example: 36 }) contractMonths!: number;
  @ApiProperty({ type: CapsSalaryDto }) salary!: CapsSalaryDto;
  @ApiProperty({ type: ServiceFeeCapDto }) serviceFee!: ServiceFeeCapDto;
  @ApiProperty({ type: DepositCapDto }) deposit!: DepositCapDto;
  @ApiProperty({ type: BrokerageCapDto }) brokerage!: BrokerageCapDto;
  @ApiProperty({
    type: MinimumSalaryDto,
    nullable: true,
    description: 'The legal minimum base salary, where the destination has one (rule 8)',
  })
  minimumSalary!: MinimumSalaryDto | null;
  @ApiProperty({ description: 'Whether another industry would change a cap of this country and programme' })
  industryMatters!: boolean;
}
