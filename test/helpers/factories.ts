import { randomInt } from 'node:crypto';

import { Client } from 'pg';

import { hashPassword } from '@app/accounts';

export interface AgencyFixture {
  name?: string;
  licenseNumber?: string;
  licenseStatus?: string;
  provinceCode?: string;
}

export async function createAgency(db: Client, fixture: AgencyFixture = {}): Promise<string> {
  const serial = randomInt(1e9);
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO agencies (name, license_number, license_status, enterprise_code, province_code)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [
      fixture.name ?? `Công ty Thử nghiệm ${serial}`,
      fixture.licenseNumber ?? `TEST-${serial}/LĐTBXH-GP`,
      fixture.licenseStatus ?? 'active',
      String(serial).padStart(10, '0'),
      fixture.provinceCode ?? 'ha-noi',
    ],
  );
  return rows[0].id;
}

export interface JobOrderFixture {
  agencyId: string;
  title?: string;
  occupation?: string;
  workLocation?: string;
  country?: string;
  industry?: string;
  program?: string;
  gender?: 'male' | 'female' | 'any';
  birthYearFrom?: number;
  birthYearTo?: number;
  salaryAmount?: number;
  salaryCurrency?: string;
  salaryVndEstimate?: number;
  serviceFeeVnd?: number;
  depositVnd?: number;
  registrationStatus?: string;
  publicationStatus?: string;
  publishedAt?: Date;
  views?: number;
}

export async function createJobOrder(db: Client, fixture: JobOrderFixture): Promise<string> {
  const serviceFee = fixture.serviceFeeVnd ?? 30_000_000;
  const deposit = fixture.depositVnd ?? 0;
  const publication = fixture.publicationStatus ?? 'published';
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO job_orders (agency_id, title, occupation, country_code, work_location, industry_code, program_code,
       openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency, salary_vnd_estimate,
       contract_months, service_fee_vnd, deposit_vnd, total_cost_vnd, registration_status, publication_status,
       published_at, views)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 10, $8, $9, $10, $11, $12, $13, 36, $14, $15, $16, $17, $18, $19, $20)
     RETURNING id`,
    [
      fixture.agencyId,
      fixture.title ?? 'Đơn hàng thử nghiệm',
      fixture.occupation ?? 'Công nhân',
      fixture.country ?? 'JP',
      fixture.workLocation ?? 'Osaka',
      fixture.industry ?? 'manufacturing',
      fixture.program ?? 'jp_technical_intern',
      fixture.gender ?? 'any',
      fixture.birthYearFrom ?? 1985,
      fixture.birthYearTo ?? 2005,
      fixture.salaryAmount ?? 180000,
      fixture.salaryCurrency ?? 'JPY',
      fixture.salaryVndEstimate ?? 30_000_000,
      serviceFee,
      deposit,
      serviceFee + deposit,
      fixture.registrationStatus ?? 'approved',
      publication,
      publication === 'published' ? (fixture.publishedAt ?? new Date()) : null,
      fixture.views ?? 0,
    ],
  );
  return rows[0].id;
}

/** A body for POST /agency/job-orders: a valid draft with its service fee at the cap, overridable by field. */
export const jobOrderDraft = (overrides: Record<string, unknown> = {}) => ({
  title: 'Tuyển 16 Nam Chế biến thực phẩm tại Gunma',
  occupation: 'Chế biến thực phẩm',
  description: 'Làm việc trong nhà máy chế biến cơm hộp.',
  country: 'JP',
  workLocation: 'Gunma',
  industry: 'food_processing',
  program: 'jp_technical_intern',
  openings: 16,
  gender: 'male',
  birthYearFrom: 1990,
  birthYearTo: new Date().getUTCFullYear() - 18,
  salary: { amount: 180000, currency: 'JPY' },
  contractMonths: 36,
  // 180,000 JPY at the seeded 170 VND/JPY, for 36 months: the general cap of 3 months' salary.
  costs: { serviceFeeVnd: 3 * 180_000 * 170, trainingVnd: 12_000_000 },
  ...overrides,
});

export async function createUser(
  db: Client,
  user: { role: string; agencyId?: string; email?: string },
): Promise<{ id: string; email: string; password: string }> {
  const email = user.email ?? `user-${randomInt(1e9)}@example.vn`;
  const password = `mật khẩu thử ${randomInt(1e9)}`;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, role, agency_id) VALUES ($1, $2, $3, $4) RETURNING id`,
    [email, await hashPassword(password), user.role, user.agencyId ?? null],
  );
  return { id: rows[0].id, email, password };
}
