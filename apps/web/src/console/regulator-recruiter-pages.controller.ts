import { RecruiterReportGroupQueryDto, RecruiterReportsService } from '@app/recruiters';
import { Controller, Get, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { formFields, listQuery } from '../forms';
import { ConsoleRoles, WebGuard, WebSession } from '../session';
import { WebExceptionFilter, WebPages } from '../web-pages';
import { consoleRequest } from './console';

/** The regulators' view of recruiter reports, grouped by the number, link or name they name. */
@ApiExcludeController()
@Controller('regulator/bao-cao-co')
@UseGuards(WebGuard)
@UseFilters(WebExceptionFilter)
@ConsoleRoles('regulator')
export class RegulatorRecruiterPagesController {
  constructor(
    private readonly reports: RecruiterReportsService,
    private readonly session: WebSession,
    private readonly pages: WebPages,
  ) {}

  @Get()
  async groups(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() raw: unknown) {
    const { page, frame } = await consoleRequest(this.pages, this.session, request, reply);
    const filters = formFields(raw);
    const query = listQuery(RecruiterReportGroupQueryDto, filters, ['kind', 'minReports', 'cursor'], 20);
    const result = await this.reports.groups(query);
    return reply.header('cache-control', 'no-store').view('regulator-recruiters', {
      title: page.t('rRecruiters'),
      console: frame,
      items: result.items,
      filters,
      nextHref: result.nextCursor
        ? page.href('/regulator/bao-cao-co', { ...filters, cursor: result.nextCursor })
        : null,
    });
  }
}
