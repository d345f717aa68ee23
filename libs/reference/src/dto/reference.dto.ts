import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class TaxonomyItemDto {
  @ApiProperty() code!: string;
  @ApiProperty() nameVi!: string;
  @ApiProperty() nameEn!: string;
}

export class CountryDto extends TaxonomyItemDto {
  @ApiProperty({ description: 'Region used by the legal caps' }) region!: string;
}

export class ProgramDto extends TaxonomyItemDto {
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
}

export class TaxonomyListDto {
  @ApiProperty({ type: [TaxonomyItemDto] }) items!: TaxonomyItemDto[];
}

export class CountryListDto {
  @ApiProperty({ type: [CountryDto] }) items!: CountryDto[];
}

export class ProgramListDto {
  @ApiProperty({ type: [ProgramDto] }) items!: ProgramDto[];
}

/** VND per unit of each currency: `{ rates: { JPY: 170.5, EUR: 27500 } }`. */
export class ExchangeRatesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { JPY: 170.5, EUR: 27500 },
  })
  @IsObject()
  rates!: Record<string, number>;
}
