/**
 * Demo data built from a public Vietnamese labour-export portal page (its five job-order cards, their
 * birth-year ranges and view counts, and its May 2023 departure figures) plus a handful more markets.
 * Licence numbers start with "DEMO-": they are fictional.
 * The records are in demo-data.json; the database's enum types check their states when the seed inserts them.
 */
import type { GenderRequirement, PublicationStatus, RegistrationStatus } from '@app/job-orders';
import type { LicenseStatus } from '@app/agencies';

import demo from './demo-data.json';

export interface DemoAgency {
  key: string;
  name: string;
  licenseNumber: string;
  licenseIssuedOn: string;
  licenseStatus: LicenseStatus;
  enterpriseCode: string;
  provinceCode: string;
  address: string;
  hotline: string;
  website: string | null;
  foundedYear: number;
  isPublicSendingCentre?: boolean;
}

export interface DemoJobOrder {
  agency: string;
  title: string;
  occupation: string;
  country: string;
  workLocation: string;
  industry: string;
  program: string;
  openings: number;
  gender: GenderRequirement;
  birthYears: [number, number];
  salary: [number, string];
  contractMonths: number;
  costs: { serviceFee: number; training: number; deposit: number; airfare: number; other: number };
  registration: RegistrationStatus;
  approvedHeadcount?: number;
  publication: PublicationStatus;
  daysAgo: number;
  views: number;
  requirements: string;
  description: string;
}

export const DEMO_AGENCIES = demo.agencies as DemoAgency[];
export const DEMO_JOB_ORDERS = demo.jobOrders as DemoJobOrder[];

export interface DemoDepartureReport {
  agency: string;
  month: string;
  country: string;
  total: number;
  women: number;
}

/**
 * The May 2023 departures of the source page (9,765 workers, 3,576 women), spread over the demo agencies.
 * The page names nine markets; the remaining 139 workers (17 women) went to "other markets", recorded here
 * under Germany, Russia and Australia.
 */
export const DEMO_DEPARTURES: readonly DemoDepartureReport[] = demo.departures;
