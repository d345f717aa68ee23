import { RankingService, TopAgenciesDto, TopAgenciesQueryDto } from '@app/ranking';
import { Controller, Get, Header, Query } from '@nestjs/common';
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
  @Header('content-type', 'application/json; charset=utf-8')
  top(@Query() query: TopAgenciesQueryDto): Promise<Buffer> {
    // Serialised once per stored ranking, not once per read.
    return this.ranking.topJson(query.country, query.limit);
  }
}
