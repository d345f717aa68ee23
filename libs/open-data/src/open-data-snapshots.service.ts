import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createGzip, Gzip } from 'node:zlib';

import { boundHeapGrowth } from '@app/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { DATASET_NAMES, DatasetName, DATASETS, FORMATS, OpenDataFormat } from './datasets';
import { csvLines, csvStart, JSON_END, JSON_START, jsonKeys, jsonLines } from './encoders';
import { OPEN_DATA_SETTINGS, OpenDataSettings } from './open-data.settings';
import { OpenDataService, PIECE_ROWS, vietnamDate } from './open-data.service';
import { SnapshotsRepository } from './snapshots.repository';

/**
 * Stored chunks of the gzip stream. PostgreSQL sends a bytea as hex text, twice its size: 48 KiB makes a
 * 96 KB string, under V8's large-object size (see PIECE_ROWS), so serving a snapshot leaves only young
 * garbage; 1,500 chunks hold the snapshot of a million orders.
 */
const CHUNK_BYTES = 48 * 1024;
/** Rows per query while writing a snapshot (inside one transaction: the batch size only bounds memory). */
const SNAPSHOT_BATCH_ROWS = 2000;
const DAY_MS = 86_400_000;

/**
 * The daily snapshots: once a day (Vietnam time) each dataset is written as CSV and JSON, gzip-compressed,
 * into PostgreSQL, where every api process can serve it; after the retention they are dropped.
 *
 * A dataset's two files come from one read of its rows in one REPEATABLE READ transaction, so both show
 * the data as of one instant, and they become visible together when it commits. Rows are read in batches
 * and compressed on the way, so memory holds a batch and a chunk, however large the dataset.
 */
@Injectable()
export class OpenDataSnapshots {
  private readonly logger = new Logger(OpenDataSnapshots.name);

  constructor(
    private readonly openData: OpenDataService,
    private readonly repository: SnapshotsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OPEN_DATA_SETTINGS.token) private readonly settings: OpenDataSettings,
  ) {}

  /** Takes the day's snapshot of every dataset that has none yet, then drops the expired ones. */
  async takeDaily(date = vietnamDate()): Promise<{ taken: DatasetName[]; dropped: number }> {
    const taken: DatasetName[] = [];
    for (const name of DATASET_NAMES) if (await this.take(name, date)) taken.push(name);
    const oldest = new Date(Date.parse(date) - (this.settings.snapshotRetentionDays - 1) * DAY_MS);
    const dropped = await this.repository.deleteBefore(oldest.toISOString().slice(0, 10));
    return { taken, dropped };
  }

  /**
   * Writes one dataset's snapshot of `date` (data as they are now); false when it exists already or another
   * worker is writing it.
   */
  async take(name: DatasetName, date: string): Promise<boolean> {
    const unbound = boundHeapGrowth();
    try {
      return await this.snapshot(name, date);
    } finally {
      unbound();
    }
  }

  private snapshot(name: DatasetName, date: string): Promise<boolean> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      if (!(await this.repository.tryLock(tx, name, date))) return false;
      if (await this.repository.exists(tx, name, date)) return false;
      const started = Date.now();
      const spec = DATASETS[name];
      const names = await this.openData.referenceNames();
      const keys = jsonKeys(spec.fields);
      const sinks = {} as Record<OpenDataFormat, SnapshotSink>;
      for (const format of FORMATS) {
        const id = await this.repository.create(tx, name, format, date);
        sinks[format] = new SnapshotSink((seq, data) => this.repository.addChunk(tx, id, seq, data), id);
      }
      await sinks.csv.write(csvStart(spec.fields));
      await sinks.json.write(JSON_START);
      let rowCount = 0;
      for await (const batch of this.openData.batches(name, SNAPSHOT_BATCH_ROWS, tx)) {
        // In small pieces, as the live export (see PIECE_ROWS): no string or buffer of a whole batch.
        for (let i = 0; i < batch.length; i += PIECE_ROWS) {
          const rows = batch.slice(i, i + PIECE_ROWS).map((row) => spec.cells(row, names));
          await sinks.csv.write(csvLines(spec.fields, rows));
          await sinks.json.write(jsonLines(spec.fields, keys, rows, rowCount === 0));
          rowCount += rows.length;
        }
      }
      await sinks.json.write(JSON_END);
      for (const format of FORMATS) {
        const sink = sinks[format];
        await sink.end();
        await this.repository.complete(tx, sink.id, { rowCount, ...sink.figures() });
      }
      this.logger.log(
        {
          dataset: name,
          date,
          rows: rowCount,
          ms: Date.now() - started,
          storedBytes: sinks.csv.figures().gzipBytes + sinks.json.figures().gzipBytes,
        },
        'open data snapshot taken',
      );
      return true;
    });
  }
}

/** One file of a snapshot: hashed, counted and gzip-compressed as it is written, stored chunk by chunk. */
class SnapshotSink {
  private readonly gzip: Gzip = createGzip();
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private gzipBytes = 0;
  private readonly stored: Promise<void>;

  constructor(
    store: (seq: number, data: Buffer) => Promise<void>,
    readonly id: string,
  ) {
    // Drains the compressor into chunks; while a chunk is being stored nothing is read from it, so it
    // stops accepting input and `write` waits (backpressure, not buffering).
    this.stored = (async () => {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let seq = 0;
      const flush = async () => {
        if (!pendingBytes) return;
        const data = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await store(seq++, data);
      };
      for await (const piece of this.gzip as AsyncIterable<Buffer>) {
        pending.push(piece);
        pendingBytes += piece.length;
        this.gzipBytes += piece.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
      await flush();
    })();
    // Surfaced by end(); caught here so that it is never an unhandled rejection meanwhile.
    this.stored.catch(() => undefined);
  }

  async write(text: string): Promise<void> {
    if (!text) return;
    const data = Buffer.from(text);
    this.hash.update(data);
    this.bytes += data.length;
    if (!this.gzip.write(data)) await Promise.race([once(this.gzip, 'drain'), this.stored]);
  }

  async end(): Promise<void> {
    this.gzip.end();
    await this.stored;
  }

  private sha256?: string;

  /** Once ended: the file's size, the stored size and the file's SHA-256. */
  figures(): { bytes: number; gzipBytes: number; sha256: string } {
    this.sha256 ??= this.hash.digest('hex');
    return { bytes: this.bytes, gzipBytes: this.gzipBytes, sha256: this.sha256 };
  }
}
