import { DepartureReportsService, DepartureStatsDto, DepartureStatsQueryDto } from '@app/agencies';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly reports: DepartureReportsService) {}

  @Get('departures')
  @ApiOkResponse({
    type: DepartureStatsDto,
    description: "Agencies' departure reports for the month, by destination",
  })
  departures(@Query() query: DepartureStatsQueryDto): Promise<DepartureStatsDto> {
    return this.reports.monthlyStats(query.month);
  }
}
