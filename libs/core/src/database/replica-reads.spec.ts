import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import {
  chooseReplica,
  isReplicaFailure,
  lsnText,
  parseLsn,
  PrimaryPositions,
  ReplicaReads,
} from './replica-reads';

const SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';

describe('WAL positions', () => {
  it('reads pg_lsn text as a number and writes it as 16 hex digits that sort like the positions', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
    expect(lsnText(parseLsn('16/B374D848'))).toBe('00000016B374D848');
    const positions = ['0/FFFFFFFF', '1/0', 'A/1', '10/0'];
    expect(positions.map((p) => lsnText(parseLsn(p))).sort()).toEqual(
      positions.map((p) => lsnText(parseLsn(p))),
    );
    expect(() => parseLsn('not a position')).toThrow('not a WAL position');
  });
});

describe('PrimaryPositions (replica lag)', () => {
  it('measures the lag as the age of the newest primary state the replica has replayed', () => {
    const primary = new PrimaryPositions(60_000);
    primary.record(1000, 100n);
    primary.record(2000, 200n);
    primary.record(3000, 300n);
    expect(primary.lagMs(300n, 3100)).toBe(100);
    expect(primary.lagMs(250n, 3100)).toBe(1100);
    expect(primary.lagMs(100n, 3100)).toBe(2100);
    expect(primary.lagMs(99n, 3100)).toBe(Infinity);
  });

  it('finds no lag on an idle primary, however long ago its last write', () => {
    const primary = new PrimaryPositions(10_000);
    // The primary wrote at 0 and nothing since: its position stands still for a minute.
    for (let at = 0; at <= 60_000; at += 500) primary.record(at, 4242n);
    expect(primary.lagMs(4242n, 60_010)).toBe(10);
  });

  it('forgets states older than it keeps, but never the last one', () => {
    const primary = new PrimaryPositions(1000);
    primary.record(0, 10n);
    primary.record(5000, 20n);
    // The replica has 10 only: further behind than anything kept, so by more than the window.
    expect(primary.lagMs(10n, 5000)).toBe(Infinity);
    expect(primary.lagMs(20n, 9000)).toBe(4000);
  });
});

describe('chooseReplica', () => {
  const replica = (name: string, up: boolean, lagMs: number, replayed: bigint) => ({
    name,
    up,
    lagMs,
    replayed,
  });

  it('takes replicas that are up, within the bound and past the fence, in turn', () => {
    const replicas = [
      replica('a', true, 100, 50n),
      replica('down', false, 0, 90n),
      replica('lagging', true, 6000, 90n),
      replica('b', true, 200, 80n),
    ];
    expect([0, 1, 2].map((turn) => chooseReplica(replicas, 0n, 5000, turn)?.name)).toEqual(['a', 'b', 'a']);
    // Only b has replayed the last announcement of the read's events.
    expect(chooseReplica(replicas, 60n, 5000, 0)?.name).toBe('b');
    expect(chooseReplica(replicas, 81n, 5000, 0)).toBeUndefined();
    expect(chooseReplica([], 0n, 5000, 0)).toBeUndefined();
  });
});

describe('isReplicaFailure', () => {
  it('sends the primary what failed on the replica, but not a statement that is wrong', () => {
    expect(isReplicaFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isReplicaFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isReplicaFailure({ code: '57P01' })).toBe(true); // admin shutdown
    expect(isReplicaFailure({ code: '3D000' })).toBe(true); // database not replayed yet
    expect(isReplicaFailure({ code: '40001' })).toBe(true); // conflict with recovery
    expect(isReplicaFailure({ code: '42601' })).toBe(false); // syntax error
    expect(isReplicaFailure({ code: '22P02' })).toBe(false); // invalid input
    expect(isReplicaFailure({ code: '23505' })).toBe(false);
  });
});

describe('ReplicaReads on the primary alone', () => {
  it('runs reads as prepared statements, never more than 200 of them on a connection', async () => {
    // One connection, so every statement is prepared on the one that counts them.
    const dataSource = await new DataSource({
      type: 'postgres',
      url: `${SERVER_URL}/postgres`,
      extra: { max: 1 },
    }).initialize();
    const config = {
      databaseUrl: `${SERVER_URL}/postgres`,
      databaseReplicas: { urls: [], maxLagSeconds: 5 },
    };
    const reads = new ReplicaReads(config as unknown as AppConfig, dataSource);
    try {
      for (let k = 0; k < 250; k++) {
        expect(await reads.query(`SELECT $1::int + ${k} AS n`, [1])).toEqual([{ n: 1 + k }]);
      }
      const [{ prepared }]: { prepared: number }[] = await reads.query(
        `SELECT count(*)::int AS prepared FROM pg_prepared_statements`,
      );
      expect(prepared).toBe(200);
    } finally {
      await reads.onApplicationShutdown();
      await dataSource.destroy();
    }
  });
});
