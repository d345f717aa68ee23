import { ReplicaReads } from '@app/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { createApiApp } from '../apps/api/src/bootstrap';
import { TestContext } from './helpers/context';
import { createAgency, createJobOrder, createUser } from './helpers/factories';
import { TestReplica } from './helpers/replica';

/**
 * Public reads through a real streaming replica of the test cluster (scripts/test-replica.sh; .ci/run starts
 * it). The file's database, cloned on the primary, reaches the replica by replay like any other write.
 *
 * What a read was served by is seen in what it answers: with the replica's replay paused, rows changed on
 * the primary without any announcement (nothing fences them) keep their old values on the replica only.
 */
describe('read replica (DATABASE_REPLICA_URLS)', () => {
  /** Lenient, so that a paused replica stays in use for the whole of a test unless something else says no. */
  const MAX_LAG_SECONDS = 60;
  let replica: TestReplica;
  let ctx: TestContext;

  beforeAll(async () => {
    replica = await TestReplica.start();
    ctx = await TestContext.create({
      env: (database) => ({
        DATABASE_REPLICA_URLS: replica.databaseUrl(database),
        DATABASE_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
        // Pages are kept a minute: a page filled from a stale replica would show for that long.
        LISTING_CACHE_TTL_SECONDS: '60',
      }),
    });
  }, 300_000);

  afterAll(async () => {
    await resumeReplay().catch(() => undefined);
    await ctx?.close();
    replica?.release();
  });

  const pauseReplay = () => replica.query('postgres', 'SELECT pg_wal_replay_pause()');
  const resumeReplay = () => replica.query('postgres', 'SELECT pg_wal_replay_resume()');
  const onReplica = <R extends object>(sql: string, params: unknown[] = []) =>
    replica.query<R>(ctx.database, sql, params);

  /** Waits until the replica has replayed every commit of the primary so far, this file's database included. */
  async function caughtUp(): Promise<void> {
    const { rows } = await ctx.db.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    await ctx.waitFor(
      async () => {
        try {
          const [{ done }] = await onReplica<{ done: boolean }>(
            'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
            [rows[0].lsn],
          );
          return done || undefined;
        } catch {
          return undefined; // the database itself is not replayed yet
        }
      },
      30_000,
      'the replica to catch up',
    );
  }

  const until = (condition: () => boolean, timeoutMs: number, what: string) =>
    ctx.waitFor(() => Promise.resolve(condition() || undefined), timeoutMs, what);
  const replicaInUse = (app: NestFastifyApplication) =>
    until(() => app.get(ReplicaReads).status()[0]?.used ?? false, 10_000, 'the replica to be in use');

  const detail = (app: NestFastifyApplication, id: string) =>
    request(app.getHttpServer()).get(`/api/v1/job-orders/${id}`);
  const listed = async (q: string) =>
    (await request(ctx.http).get('/api/v1/job-orders').query({ q }).expect(200)).body.items.map(
      (item: { title: string }) => item.title,
    );

  it("serves the public's reads from the replica, and the consoles' from the primary", async () => {
    const agency = await createAgency(ctx.db, { name: 'Công ty Bản Sao Cũ' });
    const order = await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn bản sao cũ' });
    const regulator = await createUser(ctx.db, { role: 'regulator' });
    const token = await ctx.login(regulator.email, regulator.password);
    await caughtUp();
    await detail(ctx.api, order).expect(200); // the first public read starts the replica checks
    await replicaInUse(ctx.api);

    await pauseReplay();
    try {
      await ctx.db.query(`UPDATE job_orders SET title = 'Đơn bản sao mới' WHERE id = $1`, [order]);
      await ctx.db.query(`UPDATE agencies SET name = 'Công ty Bản Sao Mới' WHERE id = $1`, [agency]);

      // The public's order, listing, agency lookup and profile: the replica's rows.
      expect((await detail(ctx.api, order).expect(200)).body.title).toBe('Đơn bản sao cũ');
      expect(await listed('ban sao')).toEqual(['Đơn bản sao cũ']);
      // The replica's own sessions show the reads: this file's database, the api's pool, an order query.
      const sessions = await onReplica<{ query: string }>(
        `SELECT query FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'xkld' AND pid <> pg_backend_pid()`,
      );
      // (pg_stat_activity keeps the first 1 kB of each query: the order's columns, not always the FROM.)
      expect(sessions.some(({ query }) => /job_orders|\bo\.title\b/.test(query))).toBe(true);
      const lookup = await request(ctx.http).get('/api/v1/agencies').query({ q: 'Bản Sao' }).expect(200);
      expect(lookup.body.items.map((item: { name: string }) => item.name)).toEqual(['Công ty Bản Sao Cũ']);
      const profile = await request(ctx.http).get(`/api/v1/agencies/${agency}`).expect(200);
      expect(profile.body.name).toBe('Công ty Bản Sao Cũ');

      // The regulator's console reads what was just written: the primary.
      const primaryRead = await ctx.as(token).get('/regulator/agencies?q=B%E1%BA%A3n%20Sao').expect(200);
      expect(primaryRead.body.items.map((item: { name: string }) => item.name)).toEqual([
        'Công ty Bản Sao Mới',
      ]);
    } finally {
      await resumeReplay();
    }
    await caughtUp();
    expect((await detail(ctx.api, order).expect(200)).body.title).toBe('Đơn bản sao mới');
  });

  it("hides a suspended agency's listings within 5 s while the replica lags behind the decision", async () => {
    const agency = await createAgency(ctx.db);
    const order = await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn tạm đình chỉ' });
    const regulator = await createUser(ctx.db, { role: 'regulator' });
    const token = await ctx.login(regulator.email, regulator.password);
    await caughtUp();
    await detail(ctx.api, order).expect(200);
    await replicaInUse(ctx.api);
    // Served by the replica and kept in the listing cache for a minute.
    expect(await listed('tam dinh chi')).toEqual(['Đơn tạm đình chỉ']);

    await pauseReplay();
    try {
      await ctx
        .as(token)
        .post(`/regulator/agencies/${agency}/license`, {
          status: 'suspended',
          reason: 'Thu phí sai quy định',
        })
        .expect(200);
      const decided = Date.now();
      await ctx.waitFor(
        async () => ((await listed('tam dinh chi')).length === 0 ? true : undefined),
        5000,
        'the listing to hide the order',
      );
      await ctx.waitFor(
        async () => ((await detail(ctx.api, order)).status === 404 ? true : undefined),
        Math.max(0, 5000 - (Date.now() - decided)),
        'the order page to be gone',
      );
      const profile = await request(ctx.http).get(`/api/v1/agencies/${agency}`).expect(200);
      expect(profile.body.licenseStatus).toBe('suspended');
      expect(Date.now() - decided).toBeLessThan(5000);

      // Not because the replica was out of use: it still holds the agency active, and is within its lag
      // bound; the reads after the decision waited for a replica that has replayed it (the primary's WAL
      // position after the commit, passed with the announcement).
      const [stale] = await onReplica<{ status: string }>(
        'SELECT license_status AS status FROM agencies WHERE id = $1',
        [agency],
      );
      expect(stale.status).toBe('active');
      expect(ctx.api.get(ReplicaReads).status()[0].used).toBe(true);
    } finally {
      await resumeReplay();
    }
  });

  it('reads the primary while the replica lags beyond the bound, and again the replica once it has caught up', async () => {
    const agency = await createAgency(ctx.db);
    const order = await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn độ trễ cũ' });
    await caughtUp();
    // A second api whose bound is 2 s, beside the file's (60 s), both reading the same replica. Public reads
    // only: bearer tokens are verified by one global strategy, which closing this app would break.
    Object.assign(process.env, { DATABASE_REPLICA_MAX_LAG_SECONDS: '2' });
    const strict = await createApiApp();
    Object.assign(process.env, { DATABASE_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS) });
    try {
      await strict.listen(0, '127.0.0.1');
      await detail(strict, order).expect(200);
      await replicaInUse(strict);
      await detail(ctx.api, order).expect(200);
      await replicaInUse(ctx.api);

      await pauseReplay();
      try {
        await ctx.db.query(`UPDATE job_orders SET title = 'Đơn độ trễ mới' WHERE id = $1`, [order]);
        const strictReplica = () => strict.get(ReplicaReads).status()[0];
        await until(() => !strictReplica().used, 10_000, 'the strict api to stop reading the replica');
        expect(strictReplica().lagSeconds).toBeGreaterThan(2);
        expect((await detail(strict, order).expect(200)).body.title).toBe('Đơn độ trễ mới');
        expect((await detail(ctx.api, order).expect(200)).body.title).toBe('Đơn độ trễ cũ');
      } finally {
        await resumeReplay();
      }
      await replicaInUse(strict);
      expect(strict.get(ReplicaReads).status()[0].lagSeconds).toBeLessThan(2);
    } finally {
      await strict.close();
    }
  });

  it('reads the primary while the replica is stopped, without an error', async () => {
    const agency = await createAgency(ctx.db);
    const order = await createJobOrder(ctx.db, { agencyId: agency, title: 'Đơn máy chủ dừng cũ' });
    await caughtUp();
    await detail(ctx.api, order).expect(200);
    await replicaInUse(ctx.api);
    await pauseReplay();
    let stopped = false;
    try {
      await ctx.db.query(`UPDATE job_orders SET title = 'Đơn máy chủ dừng mới' WHERE id = $1`, [order]);
      expect((await detail(ctx.api, order).expect(200)).body.title).toBe('Đơn máy chủ dừng cũ');

      replica.stop();
      stopped = true;
      // The very next read: it fails on the replica and the primary answers it.
      expect((await detail(ctx.api, order).expect(200)).body.title).toBe('Đơn máy chủ dừng mới');
      expect(await listed('may chu dung')).toEqual(['Đơn máy chủ dừng mới']);
      await until(
        () => !ctx.api.get(ReplicaReads).status()[0].used,
        5000,
        'the check to find the replica down',
      );
      expect((await detail(ctx.api, order).expect(200)).body.title).toBe('Đơn máy chủ dừng mới');
    } finally {
      // Started again, the replica catches up by streaming (a restart does not keep the pause).
      if (stopped) replica.resume();
      else await resumeReplay();
    }
    await caughtUp();
    await replicaInUse(ctx.api);
    expect((await detail(ctx.api, order).expect(200)).body.title).toBe('Đơn máy chủ dừng mới');
  }, 120_000);
});
