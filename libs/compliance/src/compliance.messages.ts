import {
  defineFieldMessages,
  defineProblemMessages,
  Lang,
  Message,
  ProblemCode,
  ProblemCodesOf,
  ProblemException,
} from '@app/core';
import { HttpStatus } from '@nestjs/common';

import type { Violation } from './compliance.engine';
import catalogue from './compliance.texts.json';
import { RuleBook, RULES, ViolationCode } from './compliance.rules';

export interface ViolationMessages {
  /** The problem, when this is the first rule the order violates. */
  problem: Record<Lang, Message>;
  /** The short text beside the field concerned. */
  field: Record<Lang, string>;
}

/**
 * Registers with core each rule's problem (its code is the problem code) and the text beside its field
 * (its code is the field constraint), and returns the codes.
 */
export function defineViolationMessages<Code extends string>(
  rules: RuleBook<Code>,
  messages: Readonly<Record<Code, ViolationMessages>>,
): ProblemCodesOf<Record<Code, Record<Lang, Message>>> {
  const codes = Object.keys(rules) as Code[];
  const missing = codes.filter((code) => !messages[code]);
  if (missing.length) throw new Error(`Compliance rules without messages: ${missing.join(', ')}`);
  const each = <T>(part: (of: ViolationMessages) => T) =>
    Object.fromEntries(codes.map((code) => [code, part(messages[code])])) as Record<Code, T>;
  defineFieldMessages(each(({ field }) => field));
  return defineProblemMessages(each(({ problem }) => problem));
}

const VIOLATION_MESSAGES: Record<ViolationCode, ViolationMessages> = catalogue;

export const VIOLATION_PROBLEMS = defineViolationMessages(RULES, VIOLATION_MESSAGES);

declare module '@app/core' {
  interface ProblemCatalogues {
    compliance: typeof VIOLATION_PROBLEMS;
  }
}

/**
 * The 422 that refuses to publish: `code` is the first violated rule (by rule number), `errors` point at
 * each rule's field, `violations` lists them all.
 */
export function violationsProblem<Code extends string = ViolationCode>(
  violations: readonly Violation<Code>[],
  rules: RuleBook<Code> = RULES as RuleBook<Code>,
): ProblemException {
  const sorted = [...violations].sort((a, b) => a.rule - b.rule);
  return new ProblemException(
    HttpStatus.UNPROCESSABLE_ENTITY,
    // A rule's code is a problem code: defineViolationMessages registered it.
    sorted[0].code as string as ProblemCode,
    {},
    sorted.map(({ code }) => ({ field: rules[code].field, constraint: code })),
    {},
    { violations: sorted },
  );
}
