import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook delivery per agency: each endpoint's circuit (state, consecutive failures, last errors, counters)
 * and, per delivery, when it may next be tried and which worker holds it; the undelivered rows, oldest first
 * per agency, are the dispatcher's queue.
 */
export class WebhookCircuits1796401723146 implements MigrationInterface {
  name = 'WebhookCircuits1796401723146';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "circuit_state" character varying(10) NOT NULL DEFAULT 'closed'
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "circuit_opened_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "next_probe_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "consecutive_failures" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "last_success_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "last_failure_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "recent_errors" jsonb NOT NULL DEFAULT '[]'
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "delivered_total" bigint NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "failed_total" bigint NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "circuit_opens" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks"
            ADD "circuit_closes" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD "leased_until" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_webhook_deliveries_pending" ON "webhook_deliveries" ("agency_id", "created_at")
            WHERE delivered_at IS NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_webhook_deliveries_pending"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP COLUMN "leased_until"
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP COLUMN "next_attempt_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "circuit_closes"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "circuit_opens"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "failed_total"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "delivered_total"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "recent_errors"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "last_failure_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "last_success_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "consecutive_failures"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "next_probe_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "circuit_opened_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "agency_webhooks" DROP COLUMN "circuit_state"
        `);
  }
}
