import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ranking events captured where they happen: triggers write `ranking_events` (and the dated
 * `ranking_incidents`) in the producer's own transaction, so an event exists exactly when its change
 * committed, and no producer code needs to know about the ranking. Each payload carries what the folder
 * needs, read at that moment; the full recompute derives the same figures from the same columns.
 *
 * - consultation_events `assigned` → lead_assigned; `contacted` or `closed` (closing sets the first
 *   contact too) → lead_contacted with the delay from assignment to first contact in milliseconds;
 * - reviews → review with the sum of its four ratings;
 * - departure_reports and job_orders → counts: deltas of departures, approved headcount and open
 *   (published, approved) orders per agency and destination;
 * - job orders taken down or with a rejected registration, upheld flags, and licences going from active to
 *   suspended or revoked → an incident; any licence change → licence (the agency enters or leaves the ranking).
 */
export class RankingTriggers1796151000100 implements MigrationInterface {
  name = 'RankingTriggers1796151000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`INSERT INTO ranking_state (id, version) VALUES (1, 0)`);

    await queryRunner.query(`
      CREATE FUNCTION ranking_emit_counts(p_agency uuid, p_country character(2), p_departures integer,
        p_headcount integer, p_open integer) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF p_departures <> 0 OR p_headcount <> 0 OR p_open <> 0 THEN
          INSERT INTO ranking_events (agency_id, country_code, kind, payload) VALUES (p_agency, p_country, 'counts',
            jsonb_build_object('departures', p_departures, 'headcount', p_headcount, 'open', p_open));
        END IF;
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION ranking_record_incident(p_agency uuid, p_kind text, p_subject uuid) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO ranking_incidents (agency_id, kind, subject_id, occurred_at) VALUES (p_agency, p_kind, p_subject, now());
        INSERT INTO ranking_events (agency_id, kind, payload) VALUES (p_agency, 'incident', jsonb_build_object('kind', p_kind));
      END $$`);

    await queryRunner.query(`
      CREATE FUNCTION ranking_on_consultation_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        r record;
      BEGIN
        SELECT cr.agency_id, o.country_code, cr.phone_hash, cr.ip_hash, cr.created_at, cr.assigned_at,
            cr.first_contacted_at
          INTO r FROM consultation_requests cr JOIN job_orders o ON o.id = cr.job_order_id WHERE cr.id = NEW.request_id;
        IF NOT FOUND OR r.assigned_at IS NULL THEN
          RETURN NULL;
        END IF;
        IF NEW.status = 'assigned' THEN
          INSERT INTO ranking_events (agency_id, country_code, kind, payload) VALUES (r.agency_id, r.country_code,
            'lead_assigned', jsonb_build_object('requestId', NEW.request_id, 'createdAt', r.created_at,
              'phoneHash', r.phone_hash, 'ipHash', r.ip_hash));
        ELSIF r.first_contacted_at IS NOT NULL THEN
          INSERT INTO ranking_events (agency_id, country_code, kind, payload) VALUES (r.agency_id, r.country_code,
            'lead_contacted', jsonb_build_object('requestId', NEW.request_id, 'createdAt', r.created_at,
              'phoneHash', r.phone_hash, 'ipHash', r.ip_hash,
              'delayMs', floor(extract(epoch FROM r.first_contacted_at - r.assigned_at) * 1000)::bigint));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ranking_consultation_events AFTER INSERT ON consultation_events
      FOR EACH ROW WHEN (NEW.status IN ('assigned', 'contacted', 'closed'))
      EXECUTE FUNCTION ranking_on_consultation_event()`);

    await queryRunner.query(`
      CREATE FUNCTION ranking_on_review() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        r record;
      BEGIN
        SELECT created_at, ip_hash INTO r FROM consultation_requests WHERE id = NEW.request_id;
        INSERT INTO ranking_events (agency_id, country_code, kind, payload) VALUES (NEW.agency_id, NEW.country_code,
          'review', jsonb_build_object('requestId', NEW.request_id, 'createdAt', r.created_at,
            'phoneHash', NEW.phone_hash, 'ipHash', r.ip_hash,
            'points', NEW.fees + NEW.contract + NEW.training + NEW.responsiveness));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ranking_reviews AFTER INSERT ON reviews FOR EACH ROW EXECUTE FUNCTION ranking_on_review()`);

    await queryRunner.query(`
      CREATE FUNCTION ranking_on_departure_report() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.agency_id = NEW.agency_id AND OLD.country_code = NEW.country_code THEN
          PERFORM ranking_emit_counts(NEW.agency_id, NEW.country_code, NEW.total - OLD.total, 0, 0);
          RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' THEN
          PERFORM ranking_emit_counts(OLD.agency_id, OLD.country_code, -OLD.total, 0, 0);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          PERFORM ranking_emit_counts(NEW.agency_id, NEW.country_code, NEW.total, 0, 0);
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ranking_departure_reports AFTER INSERT OR UPDATE OR DELETE ON departure_reports
      FOR EACH ROW EXECUTE FUNCTION ranking_on_departure_report()`);

    await queryRunner.query(`
      CREATE FUNCTION ranking_on_job_order() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_headcount integer := 0;
        old_open integer := 0;
        new_headcount integer := 0;
        new_open integer := 0;
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          old_headcount := CASE WHEN OLD.registration_status = 'approved' THEN coalesce(OLD.approved_headcount, 0) ELSE 0 END;
          old_open := CASE WHEN OLD.publication_status = 'published' AND OLD.registration_status = 'approved' THEN 1 ELSE 0 END;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          new_headcount := CASE WHEN NEW.registration_status = 'approved' THEN coalesce(NEW.approved_headcount, 0) ELSE 0 END;
          new_open := CASE WHEN NEW.publication_status = 'published' AND NEW.registration_status = 'approved' THEN 1 ELSE 0 END;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.agency_id = NEW.agency_id AND OLD.country_code = NEW.country_code THEN
          PERFORM ranking_emit_counts(NEW.agency_id, NEW.country_code, 0, new_headcount - old_headcount, new_open - old_open);
        ELSE
          IF TG_OP <> 'INSERT' THEN
            PERFORM ranking_emit_counts(OLD.agency_id, OLD.country_code, 0, -old_headcount, -old_open);
          END IF;
          IF TG_OP <> 'DELETE' THEN
            PERFORM ranking_emit_counts(NEW.agency_id, NEW.country_code, 0, new_headcount, new_open);
          END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          IF NEW.publication_status = 'taken_down'
              AND (TG_OP = 'INSERT' OR OLD.publication_status IS DISTINCT FROM 'taken_down') THEN
            PERFORM ranking_record_incident(NEW.agency_id, 'takedown', NEW.id);
          END IF;
          IF NEW.registration_status = 'rejected'
              AND (TG_OP = 'INSERT' OR OLD.registration_status IS DISTINCT FROM 'rejected') THEN
            PERFORM ranking_record_incident(NEW.agency_id, 'registration_rejected', NEW.id);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ranking_job_orders_insert_delete AFTER INSERT OR DELETE ON job_orders
      FOR EACH ROW EXECUTE FUNCTION ranking_on_job_order()`);
    // View and consultation counters update job_orders all the time: only what the ranking reads fires.
    await queryRunner.query(`
      CREATE TRIGGER ranking_job_orders_update AFTER UPDATE ON job_orders FOR EACH ROW
      WHEN (OLD.registration_status IS DISTINCT FROM NEW.registration_status
        OR OLD.publication_status IS DISTINCT FROM NEW.publication_status
        OR OLD.approved_headcount IS DISTINCT FROM NEW.approved_headcount
        OR OLD.agency_id IS DISTINCT FROM NEW.agency_id OR OLD.country_code IS DISTINCT FROM NEW.country_code)
      EXECUTE FUNCTION ranking_on_job_order()`);

    await queryRunner.query(`
      CREATE FUNCTION ranking_on_agency() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.license_status = 'active' AND NEW.license_status IN ('suspended', 'revoked') THEN
          PERFORM ranking_record_incident(NEW.id, 'licence_' || NEW.license_status::text, NEW.id);
        END IF;
        INSERT INTO ranking_events (agency_id, kind, payload)
          VALUES (NEW.id, 'licence', jsonb_build_object('status', NEW.license_status));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ranking_agencies_insert AFTER INSERT ON agencies FOR EACH ROW EXECUTE FUNCTION ranking_on_agency()`);
    await queryRunner.query(`
      CREATE TRIGGER ranking_agencies_licence AFTER UPDATE ON agencies FOR EACH ROW
      WHEN (OLD.license_status IS DISTINCT FROM NEW.license_status) EXECUTE FUNCTION ranking_on_agency()`);

    await queryRunner.query(`
      CREATE FUNCTION ranking_on_flag_upheld() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ranking_record_incident(NEW.agency_id, 'flag_upheld', NEW.id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ranking_flags_insert AFTER INSERT ON flags FOR EACH ROW WHEN (NEW.status = 'upheld')
      EXECUTE FUNCTION ranking_on_flag_upheld()`);
    await queryRunner.query(`
      CREATE TRIGGER ranking_flags_upheld AFTER UPDATE ON flags FOR EACH ROW
      WHEN (NEW.status = 'upheld' AND OLD.status IS DISTINCT FROM 'upheld') EXECUTE FUNCTION ranking_on_flag_upheld()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER ranking_flags_upheld ON flags`);
    await queryRunner.query(`DROP TRIGGER ranking_flags_insert ON flags`);
    await queryRunner.query(`DROP FUNCTION ranking_on_flag_upheld()`);
    await queryRunner.query(`DROP TRIGGER ranking_agencies_licence ON agencies`);
    await queryRunner.query(`DROP TRIGGER ranking_agencies_insert ON agencies`);
    await queryRunner.query(`DROP FUNCTION ranking_on_agency()`);
    await queryRunner.query(`DROP TRIGGER ranking_job_orders_update ON job_orders`);
    await queryRunner.query(`DROP TRIGGER ranking_job_orders_insert_delete ON job_orders`);
    await queryRunner.query(`DROP FUNCTION ranking_on_job_order()`);
    await queryRunner.query(`DROP TRIGGER ranking_departure_reports ON departure_reports`);
    await queryRunner.query(`DROP FUNCTION ranking_on_departure_report()`);
    await queryRunner.query(`DROP TRIGGER ranking_reviews ON reviews`);
    await queryRunner.query(`DROP FUNCTION ranking_on_review()`);
    await queryRunner.query(`DROP TRIGGER ranking_consultation_events ON consultation_events`);
    await queryRunner.query(`DROP FUNCTION ranking_on_consultation_event()`);
    await queryRunner.query(`DROP FUNCTION ranking_record_incident(uuid, text, uuid)`);
    await queryRunner.query(`DROP FUNCTION ranking_emit_counts(uuid, character, integer, integer, integer)`);
    await queryRunner.query(`DELETE FROM ranking_state`);
  }
}
