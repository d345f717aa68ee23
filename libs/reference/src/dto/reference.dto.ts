import { ApiProperty } from '@nestjs/swagger';

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
