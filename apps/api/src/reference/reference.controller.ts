import {
  CountryListDto,
  ProgramListDto,
  ReferenceService,
  TaxonomyItemDto,
  TaxonomyListDto,
} from '@app/reference';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

const item = ({ code, nameVi, nameEn }: TaxonomyItemDto): TaxonomyItemDto => ({ code, nameVi, nameEn });

@ApiTags('reference')
@Controller('reference')
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('provinces')
  @ApiOkResponse({
    type: TaxonomyListDto,
    description: 'The 34 provinces and cities in force since 1 July 2025',
  })
  async provinces(): Promise<TaxonomyListDto> {
    return { items: (await this.reference.provinces()).map(item) };
  }

  @Get('countries')
  @ApiOkResponse({ type: CountryListDto })
  async countries(): Promise<CountryListDto> {
    return { items: (await this.reference.countries()).map((c) => ({ ...item(c), region: c.region })) };
  }

  @Get('industries')
  @ApiOkResponse({ type: TaxonomyListDto })
  async industries(): Promise<TaxonomyListDto> {
    return { items: (await this.reference.industries()).map(item) };
  }

  @Get('programs')
  @ApiOkResponse({ type: ProgramListDto })
  async programs(): Promise<ProgramListDto> {
    return { items: (await this.reference.programs()).map((p) => ({ ...item(p), country: p.countryCode })) };
  }
}
