import { AgenciesService, AgencyDetailDto, AgencyDto, AgencyPageDto, AgencyQueryDto } from '@app/agencies';
import { Page } from '@app/core';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('agencies')
@Controller('agencies')
export class AgenciesController {
  constructor(private readonly agencies: AgenciesService) {}

  @Get()
  @ApiOkResponse({
    type: AgencyPageDto,
    description: 'Licence lookup; shows the licence status whatever it is',
  })
  search(@Query() query: AgencyQueryDto): Promise<Page<AgencyDto>> {
    return this.agencies.search(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: AgencyDetailDto })
  @ApiNotFoundResponse()
  findOne(@Param('id') id: string): Promise<AgencyDetailDto> {
    return this.agencies.findById(id);
  }
}
