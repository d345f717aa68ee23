/**
 * The published ranking formula. These numbers are bound into the SQL that computes the stored scores
 * (ranking.repository.ts) and shown as they are in GET /agencies/top, so what is published is what runs.
 */
export const RANKING_FORMULA = {
  version: 1,
  score: '100 × (0.30 compliance + 0.25 responsiveness + 0.20 outcomes + 0.15 reviews + 0.10 activity)',
  weights: { compliance: 0.3, responsiveness: 0.25, outcomes: 0.2, reviews: 0.15, activity: 0.1 },
  eligibility: 'Only agencies whose licence is active are ranked.',
  components: {
    compliance:
      'max(0, 1 − 0.25 × incidents in the last 24 months); incidents: job orders taken down, registrations ' +
      'rejected, upheld flags or reports, licence suspensions and revocations. Counted for the agency as a ' +
      'whole, also in the per-country rankings.',
    responsiveness:
      '(people × (0.7 × reachedWithin24h / people + 0.3 × speed) + 10 × 0.5) / (people + 10), where ' +
      'speed = max(0, 1 − median hours from assignment to first contact / 48), or 0 when nobody was contacted ' +
      'yet. A person still waiting counts as not yet reached. Shrunk towards 0.5 by 10 pseudo-people.',
    outcomes:
      'min(1, departures reported / approved headcount of the agency’s approved orders); 0 without ' +
      'approved headcount.',
    reviews:
      '(bayes − 1) / 4 with bayes = (10 × 3.5 + sum of review means) / (10 + reviews): a Bayesian average ' +
      'of the four ratings (fees as promised, contract explained, training, responsiveness) with prior ' +
      'mean m = 3.5 stars and weight C = 10 reviews.',
    activity: 'min(1, open orders / 10); open: published with an approved registration.',
  },
  counting:
    'People are distinct phone numbers per agency (and destination): many requests from one phone count ' +
    'once, as reached if any was, with the fastest first contact. Each person is counted under the ' +
    'address of their first request, and an address counts at most 3 people per agency; reviews count ' +
    'only from counted people. Duplicate, rate-limited and rejected requests are never assigned, so never ' +
    'counted. Reviews come only from requests the agency contacted, once per request and per phone.',
  parameters: {
    incidentWindowMonths: 24,
    incidentPenalty: 0.25,
    contactWithinHours: 24,
    medianZeroAtHours: 48,
    reachedWeight: 0.7,
    speedWeight: 0.3,
    responsivenessPrior: { value: 0.5, weight: 10 },
    reviewPrior: { m: 3.5, C: 10 },
    openOrdersForFullActivity: 10,
    peoplePerAddress: 3,
  },
} as const;

export type RankingFormula = typeof RANKING_FORMULA;
