import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { Client } from 'pg';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'test-replica.sh');

/**
 * The streaming replica of the test cluster (scripts/test-replica.sh). CI starts it and names it in
 * TEST_REPLICA_URL; without that variable a developer's run starts one itself, and removes it at the end, while
 * a CI run (CI set) fails: the replica tests never silently become tests of the primary.
 */
export class TestReplica {
  private constructor(
    /** Server URL, without a database. */
    readonly url: string,
    private readonly startedHere: boolean,
  ) {}

  static async start(): Promise<TestReplica> {
    const given = process.env.TEST_REPLICA_URL;
    if (given) {
      const replica = new TestReplica(given.replace(/\/+$/, ''), false);
      if (!(await replica.isStandby())) {
        throw new Error(
          `TEST_REPLICA_URL (${given}) is not a running standby: scripts/test-replica.sh start`,
        );
      }
      return replica;
    }
    if (process.env.CI) {
      throw new Error('TEST_REPLICA_URL is not set: .ci/run starts the replica with scripts/test-replica.sh');
    }
    const url = 'postgres://postgres@127.0.0.1:5433';
    const running = await new TestReplica(url, false).isStandby();
    const started = run('start');
    return new TestReplica(started, !running);
  }

  databaseUrl(database: string): string {
    return `${this.url}/${database}`;
  }

  /** Stops the replica (pg_ctl stop -m fast); `resume` starts it again, catching up by streaming. */
  stop(): void {
    run('stop', this.port);
  }

  resume(): void {
    run('start', this.port);
  }

  /** Stops the replica if this run started it, and deletes its copy of the cluster (as large as the cluster). */
  release(): void {
    if (this.startedHere) run('remove', this.port);
  }

  /** One statement on the replica, in `database`, as the superuser (replay control, checks). */
  async query<R extends object>(database: string, sql: string, params: unknown[] = []): Promise<R[]> {
    const client = new Client({ connectionString: this.databaseUrl(database) });
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  }

  private get port(): string {
    return new URL(this.url).port || '5432';
  }

  private async isStandby(): Promise<boolean> {
    try {
      const [row] = await this.query<{ standby: boolean }>(
        'postgres',
        'SELECT pg_is_in_recovery() AS standby',
      );
      return row.standby;
    } catch {
      return false;
    }
  }
}

function run(command: 'start' | 'stop' | 'remove', port?: string): string {
  return execFileSync(SCRIPT, [command], {
    env: { ...process.env, ...(port ? { TEST_REPLICA_PORT: port } : {}) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300_000,
  }).trim();
}
