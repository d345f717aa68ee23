import { Page } from '@app/core';
import {
  JobOrderDetailDto,
  JobOrderDto,
  JobOrderPageDto,
  JobOrderQueryDto,
  JobOrdersService,
} from '@app/job-orders';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('job orders')
@Controller('job-orders')
export class JobOrdersController {
  constructor(private readonly jobOrders: JobOrdersService) {}

  @Get()
  @ApiOkResponse({
    type: JobOrderPageDto,
    description: 'Published orders of active agencies, keyset-paginated',
  })
  search(@Query() query: JobOrderQueryDto): Promise<Page<JobOrderDto>> {
    return this.jobOrders.searchPublic(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: JobOrderDetailDto, description: 'Counts a view' })
  @ApiNotFoundResponse({ description: 'Unknown, unpublished, or of an agency that is not active' })
  findOne(@Param('id') id: string): Promise<JobOrderDetailDto> {
    return this.jobOrders.findPublicById(id);
  }
}
