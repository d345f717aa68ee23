import { acceptsGzip, ifNoneMatch } from '@app/core';
import {
  DatasetName,
  LICENSE,
  OpenDataCatalogueDto,
  OpenDataFormat,
  OpenDataQueryDto,
  OpenDataService,
} from '@app/open-data';
import { applyDecorators, Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ContentObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ApiProblems } from '../openapi';

const CATALOGUE_PATH = '/api/v1/open-data';

const FILE_HEADERS = {
  ETag: {
    description: 'Changes whenever the data do; send it back in If-None-Match',
    schema: { type: 'string' },
  },
  Link: {
    description: 'The licence (rel="license") and the data dictionary (rel="describedby")',
    schema: { type: 'string' },
  },
  'Content-Disposition': {
    description: 'The file name, with the dataset and the day',
    schema: { type: 'string' },
  },
};

/** What a file route says in the OpenAPI document. */
function OpenDataFile(format: OpenDataFormat, what: string): MethodDecorator {
  const content: ContentObject =
    format === 'csv'
      ? { 'text/csv': { schema: { type: 'string' } } }
      : { 'application/json': { schema: { type: 'array', items: { type: 'object' } } } };
  return applyDecorators(
    ApiProduces(format === 'csv' ? 'text/csv' : 'application/json'),
    ApiOkResponse({
      description:
        `${what}, streamed; CC BY 4.0. ` +
        (format === 'csv'
          ? 'RFC 4180, UTF-8 with a byte-order mark; text cells starting with = + - @ get a leading apostrophe.'
          : 'One JSON array of objects, named as in the data dictionary.'),
      headers: FILE_HEADERS,
      content,
    }),
    ApiResponse({ status: 304, description: 'Not modified: If-None-Match names the current ETag' }),
    ApiProblems({ 404: ['OPEN_DATA_SNAPSHOT_NOT_FOUND'], 429: ['RATE_LIMITED'] }),
  );
}

/**
 * Open data: licences, monthly departures and published orders as CSV and JSON under CC BY 4.0, for anyone,
 * without an account. Each file is streamed (live) or read chunk by chunk (a day's snapshot), never held.
 */
@ApiTags('open data')
@Controller('open-data')
export class OpenDataController {
  constructor(private readonly openData: OpenDataService) {}

  @Get()
  @ApiOkResponse({
    type: OpenDataCatalogueDto,
    description: 'The datasets, their formats, data dictionaries and snapshots, the licence and attribution',
  })
  catalogue(): Promise<OpenDataCatalogueDto> {
    return this.openData.catalogue();
  }

  @Get('agencies.csv')
  @OpenDataFile('csv', 'Verified agencies and their licence status')
  agenciesCsv(@Query() query: OpenDataQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send('agencies', 'csv', query, request, reply);
  }

  @Get('agencies.json')
  @OpenDataFile('json', 'Verified agencies and their licence status')
  agenciesJson(@Query() query: OpenDataQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send('agencies', 'json', query, request, reply);
  }

  @Get('departures.csv')
  @OpenDataFile('csv', 'Departures by month and destination, of whom women')
  departuresCsv(
    @Query() query: OpenDataQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.send('departures', 'csv', query, request, reply);
  }

  @Get('departures.json')
  @OpenDataFile('json', 'Departures by month and destination, of whom women')
  departuresJson(
    @Query() query: OpenDataQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.send('departures', 'json', query, request, reply);
  }

  @Get('job-orders.csv')
  @OpenDataFile('csv', 'Published orders of active agencies, without personal data')
  jobOrdersCsv(@Query() query: OpenDataQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send('job-orders', 'csv', query, request, reply);
  }

  @Get('job-orders.json')
  @OpenDataFile('json', 'Published orders of active agencies, without personal data')
  jobOrdersJson(
    @Query() query: OpenDataQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.send('job-orders', 'json', query, request, reply);
  }

  private async send(
    name: DatasetName,
    format: OpenDataFormat,
    query: OpenDataQueryDto,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const file = query.date
      ? await this.openData.snapshot(
          name,
          format,
          query.date,
          acceptsGzip(request.headers['accept-encoding']),
        )
      : await this.openData.live(name, format);
    // The same on a 304 as on a 200: a cache refreshes its stored headers from it.
    const common = {
      'cache-control': file.cacheControl,
      link: `<${LICENSE.url}>; rel="license", <${CATALOGUE_PATH}>; rel="describedby"`,
      // Public data without credentials: scripts on other sites (notebooks, newsrooms' charts) may read it.
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'ETag, Link, Content-Disposition',
      'cross-origin-resource-policy': 'cross-origin',
      ...(file.etag ? { etag: file.etag } : {}),
      ...(file.varyOnEncoding ? { vary: 'Accept-Encoding' } : {}),
    };
    if (ifNoneMatch(request.headers['if-none-match'], file.etag))
      return reply.code(304).headers(common).send();
    // Opened before any header is set: a refusal (429) or a failing database is a plain problem answer.
    const body = await file.open();
    void reply.headers({
      ...common,
      'content-type': file.mediaType,
      'content-disposition': `${format === 'csv' ? 'attachment' : 'inline'}; filename="${file.filename}"`,
      ...(file.contentEncoding ? { 'content-encoding': file.contentEncoding } : {}),
      ...(file.contentLength === undefined ? {} : { 'content-length': String(file.contentLength) }),
    });
    return reply.code(200).send(body);
  }
}
