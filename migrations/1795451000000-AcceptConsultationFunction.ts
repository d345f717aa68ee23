import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accepting a consultation request in one round trip. The same steps as a client-side transaction (claim
 * the Idempotency-Key, lock the phone and order, find a request of the last 24 hours or store the new one
 * with its consent, first timeline entry and outbox row, remember the answer under the key), but each
 * round trip costs a socket write and a wakeup on both sides: four of them made the endpoint a fifth as
 * fast. A VOLATILE plpgsql function takes a new snapshot per statement, so after the advisory lock it sees
 * what the previous holder committed.
 */
export class AcceptConsultationFunction1795451000000 implements MigrationInterface {
  name = 'AcceptConsultationFunction1795451000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION accept_consultation(
        p_id uuid, p_tracking_code text, p_job_order_id uuid, p_agency_id uuid, p_full_name_encrypted text,
        p_phone_encrypted text, p_phone_hash character(64), p_province_code text, p_birth_year smallint,
        p_gender applicant_gender, p_message_encrypted text, p_ip_hash character(64), p_policy_version text,
        p_queue text, p_job_id text, p_scope text, p_key text, p_request_hash character(64))
      RETURNS TABLE (result_kind text, result_code text, result_status text)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        stored_hash text;
        stored_response jsonb;
      BEGIN
        IF p_key IS NOT NULL THEN
          -- A concurrent holder of the same key makes this wait for its commit, then conflict.
          INSERT INTO idempotency_keys (scope, key, request_hash) VALUES (p_scope, p_key, p_request_hash)
            ON CONFLICT (scope, key) DO NOTHING;
          IF NOT FOUND THEN
            SELECT k.request_hash, k.response INTO stored_hash, stored_response
              FROM idempotency_keys k WHERE k.scope = p_scope AND k.key = p_key;
            IF stored_hash IS DISTINCT FROM p_request_hash THEN
              RETURN QUERY SELECT 'key-reused', NULL::text, NULL::text;
            ELSIF stored_response IS NULL THEN
              RETURN QUERY SELECT 'in-progress', NULL::text, NULL::text;
            ELSE
              RETURN QUERY SELECT 'replayed', stored_response->>'trackingCode', stored_response->>'status';
            END IF;
            RETURN;
          END IF;
        END IF;

        PERFORM pg_advisory_xact_lock(hashtextextended(p_phone_hash || ':' || p_job_order_id::text, 0));
        SELECT r.tracking_code, r.status::text INTO result_code, result_status
          FROM consultation_requests r
          WHERE r.phone_hash = p_phone_hash AND r.job_order_id = p_job_order_id
            AND r.created_at > now() - interval '24 hours'
          ORDER BY r.created_at LIMIT 1;
        IF FOUND THEN
          result_kind := 'duplicate';
        ELSE
          INSERT INTO consultation_requests (id, tracking_code, job_order_id, agency_id, full_name_encrypted,
            phone_encrypted, phone_hash, province_code, birth_year, gender, message_encrypted, ip_hash)
          VALUES (p_id, p_tracking_code, p_job_order_id, p_agency_id, p_full_name_encrypted, p_phone_encrypted,
            p_phone_hash, p_province_code, p_birth_year, p_gender, p_message_encrypted, p_ip_hash);
          INSERT INTO consents (request_id, purpose, policy_version, granted_at)
            VALUES (p_id, 'consultation_routing', p_policy_version, now());
          INSERT INTO consultation_events (request_id, status) VALUES (p_id, 'received');
          INSERT INTO outbox (queue, job_id, payload)
            VALUES (p_queue, p_job_id, jsonb_build_object('requestId', p_id));
          result_kind := 'created';
          result_code := p_tracking_code;
          result_status := 'received';
        END IF;

        IF p_key IS NOT NULL THEN
          UPDATE idempotency_keys
            SET response = jsonb_build_object('trackingCode', result_code, 'status', result_status)
            WHERE scope = p_scope AND key = p_key;
        END IF;
        RETURN NEXT;
      END $$
    `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION accept_consultation`);
  }
}
