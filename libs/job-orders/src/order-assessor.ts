import { assessOrder, ComplianceAssessment } from '@app/compliance';
import { ReferenceService } from '@app/reference';
import { Injectable } from '@nestjs/common';

import { JobOrder } from './job-order.entity';

export type Assess = (order: JobOrder, agencyIsPublicSendingCentre: boolean) => ComplianceAssessment;

/** Judges orders against the legal rules at the exchange rates configured now. */
@Injectable()
export class OrderAssessor {
  constructor(private readonly reference: ReferenceService) {}

  async prepare(): Promise<Assess> {
    const [countries, rates] = await Promise.all([
      this.reference.countries(),
      this.reference.exchangeRates(),
    ]);
    const regions = new Map(countries.map((country) => [country.code, country.region]));
    const now = new Date();
    return (order, agencyIsPublicSendingCentre) =>
      assessOrder(
        {
          ...order,
          countryRegion: regions.get(order.countryCode)!,
          agencyIsPublicSendingCentre,
          texts: {
            title: order.title,
            occupation: order.occupation,
            description: order.description,
            requirements: order.requirements,
          },
        },
        rates,
        now,
      );
  }
}
