import { AgenciesService, AgencyDto, AgencyPageDto, AgencyQueryDto } from '@app/agencies';
import { Page } from '@app/core';
import { AgencyProfileDto, RankingService } from '@app/ranking';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('agencies')
@Controller('agencies')
export class AgenciesController {
  constructor(
    private readonly agencies: AgenciesService,
    private readonly ranking: RankingService,
  ) {}

  @Get()
  @ApiOkResponse({
    type: AgencyPageDto,
    description: 'Licence lookup; shows the licence status whatever it is',
  })
  search(@Query() query: AgencyQueryDto): Promise<Page<AgencyDto>> {
    // The public's lookup: a read replica may serve it (the regulator's console reads the primary).
    return this.agencies.search(query, 'replica');
  }

  @Get(':id')
  @ApiOkResponse({
    type: AgencyProfileDto,
    description: 'Profile, licence, ranking breakdown and review summary',
  })
  @ApiNotFoundResponse()
  findOne(@Param('id') id: string): Promise<AgencyProfileDto> {
    return this.ranking.agencyProfile(id);
  }
}
