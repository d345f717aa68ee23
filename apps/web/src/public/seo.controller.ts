import { JobOrderQueryDto, JobOrdersService } from '@app/job-orders';
import { Controller, Get, Header, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { WebExceptionFilter, WebPages } from '../web-pages';

const SITEMAP_MAX_URLS = 10_000;
const SITEMAP_MAX_AGE_MS = 10 * 60_000;
const STATIC_PATHS = ['/', '/doanh-nghiep', '/xep-hang', '/thong-ke', '/tra-cuu', '/kiem-tra', '/muc-tran'];

/** For search engines: robots.txt and a sitemap of the published orders. */
@ApiExcludeController()
@Controller()
@UseFilters(WebExceptionFilter)
export class SeoController {
  private sitemap?: { origin: string; xml: string; at: number };

  constructor(
    private readonly jobOrders: JobOrdersService,
    private readonly pages: WebPages,
  ) {}

  @Get('robots.txt')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  robots(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    const page = this.pages.context(request, reply);
    return [
      'User-agent: *',
      'Allow: /',
      'Disallow: /api/',
      'Disallow: /agency/',
      'Disallow: /regulator/',
      'Disallow: /admin/',
      'Disallow: /dang-nhap',
      'Disallow: /tra-cuu',
      'Disallow: /don-hang/*/tu-van',
      'Disallow: /don-hang/*/bao-cao',
      `Sitemap: ${page.origin}/sitemap.xml`,
      '',
    ].join('\n');
  }

  @Get('sitemap.xml')
  @Header('content-type', 'application/xml; charset=utf-8')
  @Header('cache-control', 'public, max-age=600')
  async sitemapXml(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { origin } = this.pages.context(request, reply);
    if (this.sitemap && this.sitemap.origin === origin && Date.now() - this.sitemap.at < SITEMAP_MAX_AGE_MS) {
      return this.sitemap.xml;
    }
    const urls = STATIC_PATHS.map((path) => `<url><loc>${origin}${path}</loc></url>`);
    let cursor: string | undefined;
    do {
      const page = await this.jobOrders.searchPublic(
        Object.assign(new JobOrderQueryDto(), { limit: 100, cursor, sort: 'newest' as const }),
      );
      for (const order of page.items) {
        urls.push(
          `<url><loc>${origin}/don-hang/${order.id}</loc><lastmod>${order.publishedAt.slice(0, 10)}</lastmod></url>`,
        );
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor && urls.length < SITEMAP_MAX_URLS);
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>\n`;
    this.sitemap = { origin, xml, at: Date.now() };
    return xml;
  }
}
