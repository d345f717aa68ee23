import { metricsRegistry, metricsText } from '@app/core';
import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

import { MetricsGuard } from './metrics.guard';

@ApiExcludeController()
@Controller('metrics')
@UseGuards(MetricsGuard)
export class MetricsController {
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    // With API_PROCESSES above 1, every process's metrics, added up (libs/core/src/metrics/metrics.ts).
    return metricsText();
  }
}
