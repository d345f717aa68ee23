import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { AgenciesService, DepartureReportsService } from '@app/agencies';
import { boundHeapGrowth, Caches, keysetBatches, ProblemException, Tx } from '@app/core';
import { JobOrdersService } from '@app/job-orders';
import { ReferenceService } from '@app/reference';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';

import {
  ATTRIBUTION,
  DATASET_NAMES,
  DatasetName,
  DATASETS,
  DatasetSpec,
  FORMATS,
  LICENSE,
  MEDIA_TYPES,
  OpenDataFormat,
  ReferenceNames,
  SCHEMA_VERSION,
} from './datasets';
import { OpenDataCatalogueDto } from './dto/open-data.dto';
import { csvLines, csvStart, JSON_END, JSON_START, jsonKeys, jsonLines } from './encoders';
import { OPEN_DATA_SETTINGS, OpenDataSettings } from './open-data.settings';
import { SnapshotRow, SnapshotsRepository } from './snapshots.repository';

/**
 * Rows per query of a live export. Measured with `npm run bench:open-data` (bench/open-data.md): larger
 * batches gain little throughput and cost memory per export in flight.
 */
export const EXPORT_BATCH_ROWS = 1000;
/** Stored chunks (48 KiB each) per query while serving a snapshot. */
const SNAPSHOT_CHUNKS_PER_READ = 4;
/** Retry-After of a 429 when every export slot is taken: a whole export takes seconds. */
const BUSY_RETRY_AFTER_SECONDS = 10;
const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** Today in Vietnam (UTC+7, no daylight saving): the day a live file or a snapshot is named after. */
export function vietnamDate(at = Date.now()): string {
  return new Date(at + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** One file to answer with: what to put in the headers, and its body, opened only if it is sent. */
export interface OpenDataFile {
  /** A strong ETag for a snapshot (its bytes never change), a weak one for live data; none without Redis. */
  etag?: string;
  /** Live data: cached only if revalidated. A snapshot: kept for good. */
  cacheControl: string;
  mediaType: string;
  /** `xkld-job-orders-2026-12-04.csv`: the dataset and the day. */
  filename: string;
  /** `gzip` when the stored gzip stream is sent as it is. */
  contentEncoding?: 'gzip';
  contentLength?: number;
  /** Whether the answer depends on Accept-Encoding (a snapshot's does). */
  varyOnEncoding: boolean;
  open(): Promise<Readable>;
}

/**
 * The open datasets: the catalogue with its data dictionary, live exports streamed from PostgreSQL, and the
 * daily snapshots (written by OpenDataSnapshots in the worker).
 */
@Injectable()
export class OpenDataService {
  private exporting = 0;

  constructor(
    private readonly agencies: AgenciesService,
    private readonly departures: DepartureReportsService,
    private readonly jobOrders: JobOrdersService,
    private readonly reference: ReferenceService,
    private readonly snapshots: SnapshotsRepository,
    private readonly caches: Caches,
    @Inject(OPEN_DATA_SETTINGS.token) private readonly settings: OpenDataSettings,
  ) {}

  /** The rows of a dataset in batches, as the live export and the snapshot read them. */
  batches(name: DatasetName, size: number, tx?: Tx): AsyncGenerator<unknown[]> {
    switch (name) {
      case 'agencies':
        return this.agencies.openData(size, tx);
      case 'departures':
        return this.departures.openData(size, tx);
      case 'job-orders':
        return this.jobOrders.openData(size, tx);
    }
  }

  async referenceNames(): Promise<ReferenceNames> {
    const [provinces, countries, industries, programs] = await Promise.all([
      this.reference.provinces(),
      this.reference.countries(),
      this.reference.industries(),
      this.reference.programs(),
    ]);
    const byCode = (items: { code: string; nameVi: string }[]) =>
      new Map(items.map((item) => [item.code, item.nameVi]));
    return {
      provinces: byCode(provinces),
      countries: byCode(countries),
      industries: byCode(industries),
      programs: byCode(programs),
    };
  }

  /**
   * Today's live file of a dataset. Its ETag follows the events that change the dataset (one Redis read, no
   * row read) and the day, which bounds how long an announcement Redis missed can leave it unchanged.
   */
  async live(name: DatasetName, format: OpenDataFormat): Promise<OpenDataFile> {
    const spec = DATASETS[name];
    // Read before the rows: rows read after it are at least as new as what it names (see Caches.version).
    const version = await this.caches.version(spec.changedBy);
    const today = vietnamDate();
    const etag =
      version &&
      `W/"${createHash('sha256')
        .update(`${SCHEMA_VERSION}\n${name}\n${format}\n${today}\n${version.token}`)
        .digest('base64url')
        .slice(0, 27)}"`;
    return {
      etag,
      cacheControl: 'public, no-cache',
      mediaType: MEDIA_TYPES[format],
      filename: `xkld-${name}-${today}.${format}`,
      varyOnEncoding: false,
      open: () => this.openLive(spec, format),
    };
  }

  /** A day's snapshot of a dataset; 404 OPEN_DATA_SNAPSHOT_NOT_FOUND when there is none. */
  async snapshot(
    name: DatasetName,
    format: OpenDataFormat,
    date: string,
    acceptsGzip: boolean,
  ): Promise<OpenDataFile> {
    const row = await this.snapshots.find(name, format, date);
    if (!row) throw new ProblemException(HttpStatus.NOT_FOUND, 'OPEN_DATA_SNAPSHOT_NOT_FOUND');
    // Each coding is its own representation, with its own strong validator.
    const etag = `"${row.sha256.slice(0, 32)}${acceptsGzip ? '-gz' : ''}"`;
    return {
      etag,
      cacheControl: 'public, max-age=31536000, immutable',
      mediaType: MEDIA_TYPES[format],
      filename: `xkld-${name}-${date}.${format}`,
      contentEncoding: acceptsGzip ? 'gzip' : undefined,
      contentLength: acceptsGzip ? row.gzipBytes : row.bytes,
      varyOnEncoding: true,
      open: () => Promise.resolve(this.openSnapshot(row, acceptsGzip)),
    };
  }

  /** The catalogue: every dataset with its formats, data dictionary, snapshots and licence. */
  async catalogue(): Promise<OpenDataCatalogueDto> {
    const [snapshots, versions] = await Promise.all([
      this.snapshots.list(),
      Promise.all(DATASET_NAMES.map((name) => this.caches.version(DATASETS[name].changedBy))),
    ]);
    const base = '/api/v1/open-data';
    return {
      title: { vi: 'Dữ liệu mở về xuất khẩu lao động', en: 'Open data on labour export' },
      license: { ...LICENSE },
      attribution: { ...ATTRIBUTION },
      generatedAt: new Date().toISOString(),
      snapshotRetentionDays: this.settings.snapshotRetentionDays,
      datasets: DATASET_NAMES.map((name, i) => {
        const spec = DATASETS[name];
        const days = new Map<string, SnapshotRow[]>();
        for (const row of snapshots.filter((snapshot) => snapshot.dataset === name)) {
          days.set(row.snapshotDate, [...(days.get(row.snapshotDate) ?? []), row]);
        }
        return {
          name,
          title: spec.title,
          description: spec.description,
          updatedAt: versions[i]?.changedAt?.toISOString() ?? null,
          formats: FORMATS.map((format) => ({
            format,
            mediaType: MEDIA_TYPES[format],
            href: `${base}/${name}.${format}`,
          })),
          fields: spec.fields.map((field) => ({
            name: field.name,
            type: field.kind,
            nullable: field.nullable,
            description: field.description,
          })),
          snapshots: [...days].map(([date, rows]) => ({
            date,
            createdAt: rows[0].createdAt.toISOString(),
            rows: rows[0].rowCount,
            files: rows.map((row) => ({
              format: row.format,
              href: `${base}/${name}.${row.format}?date=${date}`,
              bytes: row.bytes,
              gzipBytes: row.gzipBytes,
              sha256: row.sha256,
            })),
          })),
        };
      }),
    };
  }

  /**
   * Streams the dataset from PostgreSQL: a batch is read, encoded and handed on only as the client takes
   * what came before (Readable.from pulls from the generator on demand), so memory holds a batch or two
   * whatever the size. The first batch is read before answering, so a failing database is a 500, not a
   * truncated 200. Exports in flight are capped per process.
   */
  private async openLive(spec: DatasetSpec<unknown>, format: OpenDataFormat): Promise<Readable> {
    if (this.exporting >= this.settings.maxConcurrentExports) {
      throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, 'RATE_LIMITED', {}, undefined, {
        'retry-after': String(BUSY_RETRY_AFTER_SECONDS),
      });
    }
    this.exporting++;
    const unbound = boundHeapGrowth();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.exporting--;
      unbound();
    };
    try {
      const names = await this.referenceNames();
      const batches = this.batches(spec.name, EXPORT_BATCH_ROWS);
      const first = await batches.next();
      const stream = Readable.from(encode(spec, format, names, first, batches), {
        objectMode: false,
        highWaterMark: 64 * 1024,
      });
      stream.once('close', release);
      return stream;
    } catch (error) {
      release();
      throw error;
    }
  }

  /** A snapshot's gzip stream, chunk by chunk, as stored, or decompressed on the way out. */
  private openSnapshot(row: SnapshotRow, asGzip: boolean): Readable {
    const chunks = keysetBatches<{ seq: number; data: Buffer }>(
      (after) => this.snapshots.chunks(row.id, after?.seq ?? -1, SNAPSHOT_CHUNKS_PER_READ),
      SNAPSHOT_CHUNKS_PER_READ,
    );
    const stored = Readable.from(
      (async function* () {
        for await (const batch of chunks) for (const chunk of batch) yield chunk.data;
      })(),
      { objectMode: false, highWaterMark: 64 * 1024 },
    );
    if (asGzip) return stored;
    const gunzip = createGunzip();
    stored.once('error', (error) => gunzip.destroy(error));
    gunzip.once('close', () => stored.destroy());
    return stored.pipe(gunzip);
  }
}

/**
 * Rows per piece of encoded text. A piece must stay well under V8's large-object size (128 KB): a string or
 * buffer above it is allocated in the old generation and freed only by a full collection, so a million rows
 * in pieces of a thousand would grow the heap by hundreds of megabytes of garbage before one runs
 * (measured: +200 MB of RSS for the CSV export, +35 MB in pieces; bench/README.md). 32 rows of the widest
 * dataset (job orders as JSON, about 1 kB a row, two bytes a character in V8) stay near 64 KB.
 */
export const PIECE_ROWS = 32;

/** The file's bytes in small pieces: the header, the rows, the end. */
export async function* encode(
  spec: DatasetSpec<unknown>,
  format: OpenDataFormat,
  names: ReferenceNames,
  first: IteratorResult<unknown[], unknown>,
  rest: AsyncIterator<unknown[]>,
): AsyncGenerator<Buffer> {
  const keys = jsonKeys(spec.fields);
  yield Buffer.from(format === 'csv' ? csvStart(spec.fields) : JSON_START);
  let start = true;
  try {
    for (let batch = first; !batch.done; batch = await rest.next()) {
      for (let i = 0; i < batch.value.length; i += PIECE_ROWS) {
        const rows = batch.value.slice(i, i + PIECE_ROWS).map((row) => spec.cells(row, names));
        yield Buffer.from(
          format === 'csv' ? csvLines(spec.fields, rows) : jsonLines(spec.fields, keys, rows, start),
        );
        start = false;
      }
    }
  } finally {
    // Stopped early (the client went away): the batches stop being read.
    await rest.return?.();
  }
  if (format === 'json') yield Buffer.from(JSON_END);
}
