import 'reflect-metadata';

import { dataSourceOptions, loadConfig, loadDotEnv } from '@app/core';
import { DataSource } from 'typeorm';

import { DEMO_AGENCIES, DEMO_DEPARTURES, DEMO_JOB_ORDERS } from './demo-data';

/** Loads the demo data into an empty database; returns false (and changes nothing) otherwise. */
export async function seedDemoData(dataSource: DataSource): Promise<boolean> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`LOCK TABLE agencies IN EXCLUSIVE MODE`);
    const [{ count }]: { count: number }[] = await manager.query(
      `SELECT count(*)::int AS count FROM agencies`,
    );
    if (count > 0) return false;

    const agencyIds = new Map<string, string>();
    for (const agency of DEMO_AGENCIES) {
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO agencies (name, license_number, license_issued_on, license_status, enterprise_code, province_code,
           address, hotline, website, founded_year, is_public_sending_centre)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          agency.name,
          agency.licenseNumber,
          agency.licenseIssuedOn,
          agency.licenseStatus,
          agency.enterpriseCode,
          agency.provinceCode,
          agency.address,
          agency.hotline,
          agency.website,
          agency.foundedYear,
          agency.isPublicSendingCentre ?? false,
        ],
      );
      agencyIds.set(agency.key, id);
    }

    for (const order of DEMO_JOB_ORDERS) {
      const { serviceFee, training, deposit, airfare, other } = order.costs;
      await manager.query(
        `INSERT INTO job_orders (agency_id, title, occupation, description, requirements, country_code, work_location,
           industry_code, program_code, openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency,
           salary_vnd_estimate, contract_months, service_fee_vnd, training_fee_vnd, deposit_vnd, airfare_vnd,
           other_cost_vnd, total_cost_vnd, registration_status, approved_headcount, registration_number,
           registration_approved_on, publication_status, published_at, views)
         SELECT $1, $2::text, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::numeric, $15::text,
           round($14::numeric * r.vnd_per_unit), $16, $17, $18, $19, $20, $21, $22, $23::registration_status, $24,
           CASE WHEN $23::registration_status = 'approved' THEN 'DEMO-' || substr(md5($2::text), 1, 6) END,
           CASE WHEN $23::registration_status = 'approved' THEN current_date - 30 END,
           $25::publication_status,
           CASE WHEN $25::publication_status = 'published' THEN now() - make_interval(days => $26::int) END, $27
         FROM exchange_rates r WHERE r.currency = $15`,
        [
          agencyIds.get(order.agency),
          order.title,
          order.occupation,
          order.description,
          order.requirements,
          order.country,
          order.workLocation,
          order.industry,
          order.program,
          order.openings,
          order.gender,
          order.birthYears[0],
          order.birthYears[1],
          order.salary[0],
          order.salary[1],
          order.contractMonths,
          serviceFee,
          training,
          deposit,
          airfare,
          other,
          serviceFee + training + deposit + airfare + other,
          order.registration,
          order.approvedHeadcount ?? null,
          order.publication,
          order.daysAgo,
          order.views,
        ],
      );
    }
    await manager.query(
      `INSERT INTO departure_reports (agency_id, month, country_code, total, women)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[])`,
      [
        DEMO_DEPARTURES.map((report) => agencyIds.get(report.agency)),
        DEMO_DEPARTURES.map((report) => report.month),
        DEMO_DEPARTURES.map((report) => report.country),
        DEMO_DEPARTURES.map((report) => report.total),
        DEMO_DEPARTURES.map((report) => report.women),
      ],
    );
    return true;
  });
}

async function main(): Promise<void> {
  loadDotEnv();
  const dataSource = await new DataSource(dataSourceOptions(loadConfig())).initialize();
  try {
    console.log(
      (await seedDemoData(dataSource)) ? 'Demo data loaded.' : 'Database not empty: demo data skipped.',
    );
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
