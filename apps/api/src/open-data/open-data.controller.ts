import { acceptsGzip, ifNoneMatch, ProblemException } from '@app/core';
import {
  DATASET_NAMES,
  DatasetName,
  FORMATS,
  LICENSE,
  OpenDataCatalogueDto,
  OpenDataFormat,
  OpenDataQueryDto,
  OpenDataService,
} from '@app/open-data';
import { Controller, Get, Param, PipeTransform, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
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

interface OpenDataFileName {
  name: DatasetName;
  format: OpenDataFormat;
}

/** Every file by the name the path gives it, `agencies.csv` to `job-orders.json`. */
const FILES = new Map(
  DATASET_NAMES.flatMap((name) =>
    FORMATS.map((format): [string, OpenDataFileName] => [`${name}.${format}`, { name, format }]),
  ),
);

/** A file that is not one of FILES is a 404, as any unknown path is. */
const parseFileName: PipeTransform<string, OpenDataFileName> = {
  transform(file) {
    const known = FILES.get(file);
    if (!known) throw ProblemException.notFound();
    return known;
  },
};

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

  @Get(':file')
  @ApiParam({
    name: 'file',
    enum: [...FILES.keys()],
    description:
      'agencies: verified agencies and their licence status; departures: departures by month and ' +
      'destination, of whom women; job-orders: published orders of active agencies, without personal data',
  })
  @ApiProduces('text/csv', 'application/json')
  @ApiOkResponse({
    description:
      'The file, streamed; CC BY 4.0. CSV: RFC 4180, UTF-8 with a byte-order mark; text cells starting with ' +
      '= + - @ get a leading apostrophe. JSON: one array of objects, named as in the data dictionary.',
    headers: FILE_HEADERS,
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/json': { schema: { type: 'array', items: { type: 'object' } } },
    },
  })
  @ApiResponse({ status: 304, description: 'Not modified: If-None-Match names the current ETag' })
  @ApiProblems({ 404: ['OPEN_DATA_SNAPSHOT_NOT_FOUND'], 429: ['RATE_LIMITED'] })
  async file(
    @Param('file', parseFileName) { name, format }: OpenDataFileName,
    @Query() query: OpenDataQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
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
