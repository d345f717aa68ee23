/**
 * `npm run bench:ranking`: the agency ranking at 500 agencies and 2,000,000+ consultation events.
 *
 * Builds (once; kept between runs) a database `xkld_bench_ranking` with 500 agencies (15 suspended),
 * 5,000 job orders over four destinations, 800,000 consultation requests with their timelines (received,
 * assigned, contacted, closed: about 2.3 million consultation_events rows), reviews, departure reports and
 * a few incidents. The bulk rows are written with triggers off (session_replication_role = replica), so
 * nothing is queued for the folder: the ranking comes from the full recompute, which is what is measured.
 * Then it times the incremental path on 20,000 fresh events, and load-tests GET /api/v1/agencies/top
 * (the real api as a child process) against a bare Fastify server sending the api's own response, in the
 * same run. Targets: recompute under 30 s, reads at least 50% of the bare throughput.
 *
 * BENCH_REQUESTS (800000), BENCH_SECONDS (15), BENCH_REGENERATE=1 to rebuild the data.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { RankingRepository } from '../libs/ranking/src/ranking.repository';
import { benchEnv, load, LoadResult, migratedDatabase, report, startNode, stop, waitForHttp } from './common';
import { freePort } from './consultations-fault';

const DATABASE = 'xkld_bench_ranking';
const AGENCIES = 500;
const ORDERS_PER_AGENCY = 10;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 800_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const INCREMENTAL_EVENTS = 20_000;
const TARGET_RECOMPUTE_S = 30;
const TARGET_RATIO = 0.5;

const log = (message: string) => console.log(`[bench] ${message}`);

async function generate(dataSource: DataSource): Promise<void> {
  const [{ events }]: { events: number }[] = await dataSource.query(
    `SELECT count(*)::int AS events FROM consultation_events`,
  );
  if (events >= 2_000_000 && process.env.BENCH_REGENERATE !== '1') {
    log(`database holds ${events} consultation events: keeping them`);
    return;
  }
  const started = Date.now();
  await dataSource.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    await tx.query(`SELECT setseed(0.42)`);
    await tx.query(
      `TRUNCATE reviews, consultation_events, consents, webhook_deliveries, consultation_requests, departure_reports,
         flags, ranking_events, ranking_incidents, ranking_contacts, ranking_counters, ranking_stats, ranking_scores,
         job_orders, agencies CASCADE`,
    );
    await tx.query(
      `INSERT INTO agencies (name, license_number, license_status, enterprise_code, province_code)
       SELECT 'Công ty Nhân lực ' || i, i || '/LĐTBXH-GP', CASE WHEN i % 33 = 0 THEN 'suspended' ELSE 'active' END::license_status,
         lpad(i::text, 10, '0'), 'ha-noi'
       FROM generate_series(1, ${AGENCIES}) i`,
    );
    await tx.query(
      `INSERT INTO job_orders (agency_id, title, occupation, country_code, work_location, industry_code, program_code,
         openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency, salary_vnd_estimate,
         contract_months, service_fee_vnd, total_cost_vnd, registration_status, publication_status, published_at,
         approved_headcount)
       SELECT a.id, 'Đơn hàng ' || k, 'Công nhân', c.code, 'Osaka', 'manufacturing', 'jp_technical_intern', 10, 'any',
         1985, 2005, 180000, 'JPY', 30000000, 36, 30000000, 30000000,
         CASE WHEN random() < 0.85 THEN 'approved' ELSE 'source_preparation' END::registration_status,
         CASE WHEN random() < 0.8 THEN 'published' WHEN random() < 0.5 THEN 'closed' ELSE 'taken_down' END::publication_status,
         now() - interval '30 days', 10 + floor(random() * 90)::int
       FROM agencies a CROSS JOIN generate_series(1, ${ORDERS_PER_AGENCY}) k
       CROSS JOIN LATERAL (SELECT (ARRAY['JP', 'TW', 'KR', 'DE'])[1 + (k % 4)] AS code) c`,
    );
    await tx.query(`CREATE TEMP TABLE bench_orders ON COMMIT DROP AS
      SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, agency_id FROM job_orders`);
    // Skewed towards some agencies' orders; phones and addresses repeat, as real traffic does.
    await tx.query(
      `INSERT INTO consultation_requests (tracking_code, job_order_id, agency_id, full_name_encrypted, phone_encrypted,
         phone_hash, province_code, birth_year, ip_hash, status, assigned_at, first_contacted_at, closed_at, created_at)
       SELECT 'R' || lpad(i::text, 9, '0'), o.id, o.agency_id, 'x', 'x',
         md5('p' || (i % 650000)) || md5('q' || (i % 650000)), 'nghe-an', 2000,
         md5('ip' || (i % 400000)) || md5('iq' || (i % 400000)),
         CASE WHEN s.u < 0.05 THEN 'received' WHEN s.u < 0.33 THEN 'assigned' WHEN s.u < 0.75 THEN 'contacted'
           ELSE 'closed' END::consultation_status,
         CASE WHEN s.u >= 0.05 THEN s.created + interval '2 minutes' END,
         CASE WHEN s.u >= 0.33 THEN s.created + interval '2 minutes' + s.delay END,
         CASE WHEN s.u >= 0.75 THEN s.created + interval '2 minutes' + 2 * s.delay END,
         s.created
       FROM generate_series(1, ${REQUESTS}) i
       -- i * 0 keeps the subquery correlated: evaluated once per row, not once for all.
       CROSS JOIN LATERAL (SELECT random() + i * 0 AS u, now() - random() * interval '365 days' AS created,
         random() * random() * interval '72 hours' AS delay,
         floor(power(random(), 2) * ${AGENCIES * ORDERS_PER_AGENCY})::int + i * 0 AS pick) s
       JOIN bench_orders o ON o.n = s.pick`,
    );
    await tx.query(
      `INSERT INTO consultation_events (request_id, status, at)
       SELECT id, 'received'::consultation_event_status, created_at FROM consultation_requests
       UNION ALL SELECT id, 'assigned', assigned_at FROM consultation_requests WHERE assigned_at IS NOT NULL
       UNION ALL SELECT id, 'contacted', first_contacted_at FROM consultation_requests WHERE first_contacted_at IS NOT NULL
       UNION ALL SELECT id, 'closed', closed_at FROM consultation_requests WHERE closed_at IS NOT NULL`,
    );
    await tx.query(
      `INSERT INTO reviews (request_id, agency_id, country_code, phone_hash, fees, contract, training, responsiveness)
       SELECT r.id, r.agency_id, o.country_code, r.phone_hash, 1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int,
         1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int
       FROM consultation_requests r JOIN job_orders o ON o.id = r.job_order_id
       WHERE r.first_contacted_at IS NOT NULL AND random() < 0.1
       ON CONFLICT DO NOTHING`,
    );
    await tx.query(
      `INSERT INTO departure_reports (agency_id, month, country_code, total, women)
       SELECT a.id, to_char(now() - m * interval '1 month', 'YYYY-MM'), c, floor(random() * 30)::int, 0
       FROM agencies a CROSS JOIN generate_series(1, 12) m CROSS JOIN unnest(ARRAY['JP', 'TW']) c`,
    );
    await tx.query(
      `INSERT INTO ranking_incidents (agency_id, kind, subject_id, occurred_at)
       SELECT agency_id, 'takedown', id, now() - random() * interval '36 months' FROM job_orders
       WHERE publication_status = 'taken_down'`,
    );
  });
  await dataSource.query(`VACUUM ANALYZE`);
  const [counts]: { requests: number; events: number; reviews: number }[] = await dataSource.query(
    `SELECT (SELECT count(*) FROM consultation_requests)::int AS requests,
       (SELECT count(*) FROM consultation_events)::int AS events, (SELECT count(*) FROM reviews)::int AS reviews`,
  );
  log(
    `generated ${counts.requests} requests, ${counts.events} consultation events, ${counts.reviews} reviews ` +
      `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** Moves received requests along through the real triggers, then times folding what they queued. */
async function incremental(dataSource: DataSource, repository: RankingRepository): Promise<string> {
  await dataSource.query(
    `WITH moved AS (
       UPDATE consultation_requests SET status = 'contacted', assigned_at = now() - interval '3 hours',
         first_contacted_at = now() - interval '1 hour'
       WHERE id IN (SELECT id FROM consultation_requests WHERE status = 'received' LIMIT ${INCREMENTAL_EVENTS / 2})
       RETURNING id)
     INSERT INTO consultation_events (request_id, status)
     SELECT id, s::consultation_event_status FROM moved, unnest(ARRAY['assigned', 'contacted']) s ORDER BY id, s`,
  );
  const [{ queued }]: { queued: number }[] = await dataSource.query(
    `SELECT count(*)::int AS queued FROM ranking_events`,
  );
  const started = Date.now();
  let folded = 0;
  for (;;) {
    const batch = await repository.fold(5000, new Date());
    folded += batch ?? 0;
    if (!batch) break;
  }
  const seconds = (Date.now() - started) / 1000;
  return `incremental: ${folded} of ${queued} queued events folded in ${seconds.toFixed(2)} s (${Math.round(folded / seconds)} events/s, batches of 5000, each rescoring every scope)`;
}

async function main(): Promise<void> {
  const dataSource = await migratedDatabase(DATABASE);
  const repository = new RankingRepository(dataSource);
  let apiChild;
  let bareChild;
  try {
    await generate(dataSource);
    const [{ events }]: { events: number }[] = await dataSource.query(
      `SELECT count(*)::int AS events FROM consultation_events`,
    );
    const recomputes: number[] = [];
    for (let run = 0; run < 2; run++) {
      const started = Date.now();
      const result = await repository.recomputeAll(new Date());
      recomputes.push((Date.now() - started) / 1000);
      log(
        `full recompute ${run + 1}: ${recomputes[run].toFixed(2)} s (${result.contacts} people, ${result.consumedEvents} queued events consumed)`,
      );
    }
    const incrementalLine = await incremental(dataSource, repository);
    log(incrementalLine);

    const apiPort = await freePort();
    const barePort = await freePort();
    apiChild = startNode(
      'apps/api/src/main.js',
      benchEnv(DATABASE, { PORT: String(apiPort), LOG_LEVEL: 'silent' }),
    );
    const api = `http://127.0.0.1:${apiPort}`;
    await waitForHttp(`${api}/api/v1/health/live`);
    const path = '/api/v1/agencies/top?limit=20';
    const sample = await (await fetch(api + path)).text();
    const page = JSON.parse(sample) as { items: unknown[] };
    if (page.items.length !== 20) throw new Error(`expected 20 ranked agencies, got ${page.items.length}`);
    const file = join(mkdtempSync(join(tmpdir(), 'ranking-bench-')), 'top.json');
    writeFileSync(file, sample);
    bareChild = startNode('bench/bare-ranking-server.js', benchEnv(DATABASE), [String(barePort), file]);
    const bare = `http://127.0.0.1:${barePort}`;
    await waitForHttp(`${bare}/health`);

    await load('warm-up bare', { url: `${bare}/agencies/top`, duration: 3 });
    await load('warm-up api', { url: api + path, duration: 3 });
    const baseline = await load('bare fastify GET /agencies/top', {
      url: `${bare}/agencies/top`,
      duration: SECONDS,
    });
    const scenarios: LoadResult[] = [
      await load('api GET /agencies/top?limit=20', { url: api + path, duration: SECONDS }),
      await load('api GET /agencies/top (4 scopes)', {
        url: api,
        duration: SECONDS,
        requests: ['', '?country=JP', '?country=TW&limit=50', '?country=KR&limit=10'].map((query) => ({
          method: 'GET',
          path: `/api/v1/agencies/top${query}`,
        })),
      }),
    ];
    report(baseline, scenarios);
    const ratio = scenarios[0].requestsPerSecond / baseline.requestsPerSecond;
    const recompute = Math.max(...recomputes);
    log(`${events} consultation events, ${AGENCIES} agencies, body ${Buffer.byteLength(sample)} bytes`);
    log(
      `full recompute: ${recomputes.map((s) => s.toFixed(2)).join(' s, ')} s (target < ${TARGET_RECOMPUTE_S} s: ${recompute < TARGET_RECOMPUTE_S ? 'met' : 'NOT met'})`,
    );
    log(
      `reads: ${ratio.toFixed(2)} of bare (target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
  } finally {
    await stop(apiChild);
    await stop(bareChild);
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
