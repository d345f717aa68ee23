import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

import type { FastifyInstance } from 'fastify';

/** apps/web, from its sources (tests, ts-node) or from its build in dist/apps/web/src. */
export const WEB_ROOT = existsSync(join(__dirname, '..', 'views'))
  ? join(__dirname, '..')
  : join(__dirname, '..', '..', '..', '..', 'apps', 'web');

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
}

/**
 * The pages' static files, read once at boot and served under a name carrying a hash of their content
 * (`app.3f2a1b9c0d.css`), so a browser may keep each for a year: a changed file is a new name.
 */
export class WebAssets {
  private readonly byUrl = new Map<string, Asset>();
  private readonly urls = new Map<string, string>();

  constructor(directory = join(WEB_ROOT, 'assets')) {
    for (const name of readdirSync(directory)) {
      const type = TYPES[extname(name)];
      if (!type) continue;
      const body = readFileSync(join(directory, name));
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
      const url = `/assets/${name.replace(/(\.[a-z]+)$/, `.${hash}$1`)}`;
      this.urls.set(name, url);
      this.byUrl.set(url, { body, gzip: gzipSync(body, { level: 9 }), type });
    }
  }

  /** The fingerprinted URL of a file of apps/web/assets. */
  url(name: string): string {
    const url = this.urls.get(name);
    if (!url) throw new Error(`unknown asset ${name}`);
    return url;
  }

  /** Bytes of an asset as sent (gzip), for the page-weight budget. */
  compressedSize(name: string): number {
    return this.byUrl.get(this.url(name))!.gzip.length;
  }

  register(fastify: FastifyInstance): void {
    fastify.get<{ Params: { file: string } }>('/assets/:file', (request, reply) => {
      const asset = this.byUrl.get(`/assets/${request.params.file}`);
      if (!asset) {
        return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      }
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      void reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('vary', 'Accept-Encoding');
      if (gzip) void reply.header('content-encoding', 'gzip');
      return reply.send(gzip ? asset.gzip : asset.body);
    });
  }
}
