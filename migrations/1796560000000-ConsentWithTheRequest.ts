import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A request's consent (purpose `consultation_routing`) is a column of the request, granted at its creation,
 * instead of a `consents` row: `accept_consultations()` writes one row, two index entries and one foreign-key
 * check fewer per request. Requests stored before keep their `consents` row; the applicant's export reads both
 * (ConsultationsRepository.findExportForPhone).
 */
export class ConsentWithTheRequest1796560000000 implements MigrationInterface {
  name = 'ConsentWithTheRequest1796560000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "consultation_requests" ADD "consent_policy_version" character varying(20)`,
    );
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION accept_consultations(p_items jsonb, p_policy_version text, p_queue text, p_scope text)
      RETURNS TABLE (idx integer, result_kind text, result_code text, result_status text, result_key text)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        claimed text[] := '{}';
        hashes character(64)[];
        offers text[];
        rekeys jsonb;
      BEGIN
        -- Each item arrives sealed under a key: one its caller knew for the phone, or a fresh one it offers.
        -- The phone keeps the key it has (ensure_applicant_keys, the applicants' own statement); an item
        -- sealed under any other is answered 'rekey' with the kept key and takes no further part here.
        SELECT array_agg(t.phone_hash ORDER BY t.i), array_agg(CASE WHEN t.key_offered THEN t.key_wrapped END ORDER BY t.i)
        INTO hashes, offers
        FROM jsonb_to_recordset(p_items) AS t(i integer, phone_hash character(64), key_wrapped text, key_offered boolean);
        WITH kept AS MATERIALIZED (SELECT * FROM ensure_applicant_keys(hashes, offers))
        SELECT coalesce(jsonb_agg(e.item) FILTER (WHERE k.key_wrapped IS NOT DISTINCT FROM e.item->>'key_wrapped'), '[]'),
          coalesce(jsonb_agg(jsonb_build_object('i', e.item->'i', 'key', k.key_wrapped))
            FILTER (WHERE k.key_wrapped IS DISTINCT FROM e.item->>'key_wrapped'), '[]')
        INTO p_items, rekeys
        FROM jsonb_array_elements(p_items) AS e(item)
        LEFT JOIN kept k ON k.phone_hash = (e.item->>'phone_hash')::character(64);
        RETURN QUERY SELECT (r->>'i')::integer, 'rekey'::text, NULL::text, NULL::text, r->>'key'
          FROM jsonb_array_elements(rekeys) AS r;
        IF jsonb_array_length(p_items) = 0 THEN RETURN; END IF;

        IF jsonb_path_exists(p_items, '$[*] ? (@.key != null)') THEN
          -- A concurrent holder of a key makes this wait for its commit; the key is then not claimed.
          WITH ins AS (
            INSERT INTO idempotency_keys (scope, key, request_hash)
            SELECT p_scope, f.key, f.request_hash FROM (
              SELECT DISTINCT ON (t.key) t.key, t.request_hash
              FROM jsonb_to_recordset(p_items) AS t(i integer, key text, request_hash character(64))
              WHERE t.key IS NOT NULL ORDER BY t.key, t.i) f
            ORDER BY f.key
            ON CONFLICT (scope, key) DO NOTHING RETURNING key)
          SELECT coalesce(array_agg(ins.key), '{}') INTO claimed FROM ins;
        END IF;

        PERFORM pg_advisory_xact_lock(l.lock) FROM (
          SELECT DISTINCT hashtextextended(t.phone_hash || ':' || t.job_order_id::text, 0) AS lock
          FROM jsonb_to_recordset(p_items) AS t(phone_hash character(64), job_order_id uuid, key text)
          WHERE t.key IS NULL OR t.key = ANY (claimed)
          ORDER BY 1) l;

        RETURN QUERY
        WITH items AS (
          SELECT t.*, row_number() OVER (PARTITION BY t.key ORDER BY t.i) AS key_rank
          FROM jsonb_to_recordset(p_items) AS t(i integer, id uuid, tracking_code text, job_order_id uuid,
            agency_id uuid, full_name_encrypted text, phone_encrypted text, phone_hash character(64),
            province_code text, birth_year smallint, gender applicant_gender, message_encrypted text,
            ip_hash character(64), job_id text, key text, request_hash character(64))
        ),
        going AS (
          SELECT * FROM items it WHERE it.key IS NULL OR (it.key = ANY (claimed) AND it.key_rank = 1)
        ),
        leaders AS (
          SELECT DISTINCT ON (g.phone_hash, g.job_order_id) g.*, e.tracking_code AS earlier_code,
            e.status AS earlier_status
          FROM going g LEFT JOIN LATERAL (
            SELECT r.tracking_code::text AS tracking_code, r.status::text AS status FROM consultation_requests r
            WHERE r.phone_hash = g.phone_hash AND r.job_order_id = g.job_order_id
              AND r.created_at > now() - interval '24 hours'
            ORDER BY r.created_at LIMIT 1) e ON true
          ORDER BY g.phone_hash, g.job_order_id, g.i
        ),
        fresh AS (SELECT * FROM leaders WHERE earlier_code IS NULL),
        new_requests AS (
          INSERT INTO consultation_requests (id, tracking_code, job_order_id, agency_id, full_name_encrypted,
            phone_encrypted, phone_hash, province_code, birth_year, gender, message_encrypted, ip_hash,
            consent_policy_version)
          SELECT f.id, f.tracking_code, f.job_order_id, f.agency_id, f.full_name_encrypted, f.phone_encrypted,
            f.phone_hash, f.province_code, f.birth_year, f.gender, f.message_encrypted, f.ip_hash, p_policy_version
          FROM fresh f ORDER BY f.i
          RETURNING id
        ),
        new_outbox AS (
          INSERT INTO outbox (queue, job_id, payload)
          SELECT p_queue, f.job_id, jsonb_build_object('requestId', f.id) FROM fresh f ORDER BY f.i
        ),
        decided AS (
          SELECT g.i, g.key, g.request_hash,
            CASE WHEN l.i = g.i AND l.earlier_code IS NULL THEN 'created' ELSE 'duplicate' END AS kind,
            coalesce(l.earlier_code, l.tracking_code) AS code,
            coalesce(l.earlier_status, 'received') AS status
          FROM going g JOIN leaders l ON l.phone_hash = g.phone_hash AND l.job_order_id = g.job_order_id
        ),
        answers AS (
          UPDATE idempotency_keys k
          SET response = jsonb_build_object('trackingCode', d.code, 'status', d.status, 'duplicate', d.kind = 'duplicate')
          FROM decided d WHERE d.key IS NOT NULL AND k.scope = p_scope AND k.key = d.key
        )
        SELECT it.i,
          CASE
            WHEN d.i IS NOT NULL THEN d.kind
            WHEN first.i IS NOT NULL THEN
              CASE WHEN first.request_hash <> it.request_hash THEN 'key-reused'
                WHEN first.kind = 'duplicate' THEN 'replayed-duplicate' ELSE 'replayed' END
            WHEN s.request_hash IS DISTINCT FROM it.request_hash THEN 'key-reused'
            WHEN s.response IS NULL THEN 'in-progress'
            WHEN (s.response->>'duplicate')::boolean THEN 'replayed-duplicate'
            ELSE 'replayed'
          END,
          CASE
            WHEN d.i IS NOT NULL THEN d.code
            WHEN first.i IS NOT NULL THEN
              CASE WHEN first.request_hash = it.request_hash THEN first.code END
            WHEN s.request_hash = it.request_hash THEN s.response->>'trackingCode'
          END,
          CASE
            WHEN d.i IS NOT NULL THEN d.status
            WHEN first.i IS NOT NULL THEN
              CASE WHEN first.request_hash = it.request_hash THEN first.status END
            WHEN s.request_hash = it.request_hash THEN s.response->>'status'
          END,
          NULL::text
        FROM items it
        LEFT JOIN decided d ON d.i = it.i
        LEFT JOIN decided first ON d.i IS NULL AND first.key = it.key
        LEFT JOIN idempotency_keys s ON d.i IS NULL AND first.i IS NULL AND s.scope = p_scope AND s.key = it.key
        ORDER BY it.i;
      END $$
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION accept_consultations(p_items jsonb, p_policy_version text, p_queue text, p_scope text)
      RETURNS TABLE (idx integer, result_kind text, result_code text, result_status text, result_key text)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        claimed text[] := '{}';
        hashes character(64)[];
        offers text[];
        rekeys jsonb;
      BEGIN
        -- Each item arrives sealed under a key: one its caller knew for the phone, or a fresh one it offers.
        -- The phone keeps the key it has (ensure_applicant_keys, the applicants' own statement); an item
        -- sealed under any other is answered 'rekey' with the kept key and takes no further part here.
        SELECT array_agg(t.phone_hash ORDER BY t.i), array_agg(CASE WHEN t.key_offered THEN t.key_wrapped END ORDER BY t.i)
        INTO hashes, offers
        FROM jsonb_to_recordset(p_items) AS t(i integer, phone_hash character(64), key_wrapped text, key_offered boolean);
        WITH kept AS MATERIALIZED (SELECT * FROM ensure_applicant_keys(hashes, offers))
        SELECT coalesce(jsonb_agg(e.item) FILTER (WHERE k.key_wrapped IS NOT DISTINCT FROM e.item->>'key_wrapped'), '[]'),
          coalesce(jsonb_agg(jsonb_build_object('i', e.item->'i', 'key', k.key_wrapped))
            FILTER (WHERE k.key_wrapped IS DISTINCT FROM e.item->>'key_wrapped'), '[]')
        INTO p_items, rekeys
        FROM jsonb_array_elements(p_items) AS e(item)
        LEFT JOIN kept k ON k.phone_hash = (e.item->>'phone_hash')::character(64);
        RETURN QUERY SELECT (r->>'i')::integer, 'rekey'::text, NULL::text, NULL::text, r->>'key'
          FROM jsonb_array_elements(rekeys) AS r;
        IF jsonb_array_length(p_items) = 0 THEN RETURN; END IF;

        IF jsonb_path_exists(p_items, '$[*] ? (@.key != null)') THEN
          -- A concurrent holder of a key makes this wait for its commit; the key is then not claimed.
          WITH ins AS (
            INSERT INTO idempotency_keys (scope, key, request_hash)
            SELECT p_scope, f.key, f.request_hash FROM (
              SELECT DISTINCT ON (t.key) t.key, t.request_hash
              FROM jsonb_to_recordset(p_items) AS t(i integer, key text, request_hash character(64))
              WHERE t.key IS NOT NULL ORDER BY t.key, t.i) f
            ORDER BY f.key
            ON CONFLICT (scope, key) DO NOTHING RETURNING key)
          SELECT coalesce(array_agg(ins.key), '{}') INTO claimed FROM ins;
        END IF;

        PERFORM pg_advisory_xact_lock(l.lock) FROM (
          SELECT DISTINCT hashtextextended(t.phone_hash || ':' || t.job_order_id::text, 0) AS lock
          FROM jsonb_to_recordset(p_items) AS t(phone_hash character(64), job_order_id uuid, key text)
          WHERE t.key IS NULL OR t.key = ANY (claimed)
          ORDER BY 1) l;

        RETURN QUERY
        WITH items AS (
          SELECT t.*, row_number() OVER (PARTITION BY t.key ORDER BY t.i) AS key_rank
          FROM jsonb_to_recordset(p_items) AS t(i integer, id uuid, tracking_code text, job_order_id uuid,
            agency_id uuid, full_name_encrypted text, phone_encrypted text, phone_hash character(64),
            province_code text, birth_year smallint, gender applicant_gender, message_encrypted text,
            ip_hash character(64), job_id text, key text, request_hash character(64))
        ),
        going AS (
          SELECT * FROM items it WHERE it.key IS NULL OR (it.key = ANY (claimed) AND it.key_rank = 1)
        ),
        leaders AS (
          SELECT DISTINCT ON (g.phone_hash, g.job_order_id) g.*, e.tracking_code AS earlier_code,
            e.status AS earlier_status
          FROM going g LEFT JOIN LATERAL (
            SELECT r.tracking_code::text AS tracking_code, r.status::text AS status FROM consultation_requests r
            WHERE r.phone_hash = g.phone_hash AND r.job_order_id = g.job_order_id
              AND r.created_at > now() - interval '24 hours'
            ORDER BY r.created_at LIMIT 1) e ON true
          ORDER BY g.phone_hash, g.job_order_id, g.i
        ),
        fresh AS (SELECT * FROM leaders WHERE earlier_code IS NULL),
        new_requests AS (
          INSERT INTO consultation_requests (id, tracking_code, job_order_id, agency_id, full_name_encrypted,
            phone_encrypted, phone_hash, province_code, birth_year, gender, message_encrypted, ip_hash)
          SELECT f.id, f.tracking_code, f.job_order_id, f.agency_id, f.full_name_encrypted, f.phone_encrypted,
            f.phone_hash, f.province_code, f.birth_year, f.gender, f.message_encrypted, f.ip_hash
          FROM fresh f ORDER BY f.i
          RETURNING id
        ),
        new_consents AS (
          INSERT INTO consents (request_id, purpose, policy_version, granted_at)
          SELECT n.id, 'consultation_routing', p_policy_version, now() FROM new_requests n
        ),
        new_outbox AS (
          INSERT INTO outbox (queue, job_id, payload)
          SELECT p_queue, f.job_id, jsonb_build_object('requestId', f.id) FROM fresh f ORDER BY f.i
        ),
        decided AS (
          SELECT g.i, g.key, g.request_hash,
            CASE WHEN l.i = g.i AND l.earlier_code IS NULL THEN 'created' ELSE 'duplicate' END AS kind,
            coalesce(l.earlier_code, l.tracking_code) AS code,
            coalesce(l.earlier_status, 'received') AS status
          FROM going g JOIN leaders l ON l.phone_hash = g.phone_hash AND l.job_order_id = g.job_order_id
        ),
        answers AS (
          UPDATE idempotency_keys k
          SET response = jsonb_build_object('trackingCode', d.code, 'status', d.status, 'duplicate', d.kind = 'duplicate')
          FROM decided d WHERE d.key IS NOT NULL AND k.scope = p_scope AND k.key = d.key
        )
        SELECT it.i,
          CASE
            WHEN d.i IS NOT NULL THEN d.kind
            WHEN first.i IS NOT NULL THEN
              CASE WHEN first.request_hash <> it.request_hash THEN 'key-reused'
                WHEN first.kind = 'duplicate' THEN 'replayed-duplicate' ELSE 'replayed' END
            WHEN s.request_hash IS DISTINCT FROM it.request_hash THEN 'key-reused'
            WHEN s.response IS NULL THEN 'in-progress'
            WHEN (s.response->>'duplicate')::boolean THEN 'replayed-duplicate'
            ELSE 'replayed'
          END,
          CASE
            WHEN d.i IS NOT NULL THEN d.code
            WHEN first.i IS NOT NULL THEN
              CASE WHEN first.request_hash = it.request_hash THEN first.code END
            WHEN s.request_hash = it.request_hash THEN s.response->>'trackingCode'
          END,
          CASE
            WHEN d.i IS NOT NULL THEN d.status
            WHEN first.i IS NOT NULL THEN
              CASE WHEN first.request_hash = it.request_hash THEN first.status END
            WHEN s.request_hash = it.request_hash THEN s.response->>'status'
          END,
          NULL::text
        FROM items it
        LEFT JOIN decided d ON d.i = it.i
        LEFT JOIN decided first ON d.i IS NULL AND first.key = it.key
        LEFT JOIN idempotency_keys s ON d.i IS NULL AND first.i IS NULL AND s.scope = p_scope AND s.key = it.key
        ORDER BY it.i;
      END $$
    `);
    await queryRunner.query(`ALTER TABLE "consultation_requests" DROP COLUMN "consent_policy_version"`);
  }
}
