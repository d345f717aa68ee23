import { RankingService, TopAgenciesDto, TopAgenciesQueryDto } from '@app/ranking';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('agencies')
@Controller('agencies')
export class RankingController {
  constructor(private readonly ranking: RankingService) {}

  // A static segment: the router prefers it to /agencies/:id whatever the registration order.
  @Get('top')
  @ApiOkResponse({
    type: TopAgenciesDto,
    description:
      'The stored ranking ("Top doanh nghiệp xklđ"), overall or for one destination, with its formula',
  })
  top(@Query() query: TopAgenciesQueryDto): Promise<TopAgenciesDto> {
    return this.ranking.top(query.country, query.limit);
  }
}
