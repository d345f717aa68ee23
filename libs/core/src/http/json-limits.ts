import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

import { defineProblemMessages } from '../problem/messages';
import { ProblemException } from '../problem/problem.exception';

export const JSON_LIMIT_PROBLEMS = defineProblemMessages({
  JSON_TOO_DEEP: {
    vi: { title: 'Dữ liệu JSON lồng quá sâu', detail: 'Dữ liệu JSON chỉ được lồng tối đa {maxDepth} cấp.' },
    en: { title: 'JSON nested too deep', detail: 'JSON may be nested at most {maxDepth} levels deep.' },
  },
  JSON_TOO_MANY_KEYS: {
    vi: {
      title: 'Dữ liệu JSON có quá nhiều trường',
      detail: 'Dữ liệu JSON chỉ được có tối đa {maxKeys} trường.',
    },
    en: { title: 'Too many JSON fields', detail: 'JSON may hold at most {maxKeys} fields in all.' },
  },
});

declare module '../problem/messages' {
  interface ProblemCatalogues {
    jsonLimits: typeof JSON_LIMIT_PROBLEMS;
  }
}

export interface JsonLimits {
  /** Nesting levels of objects and arrays; the body itself is level 1. */
  maxDepth: number;
  /** Object keys in the whole body. */
  maxKeys: number;
}

/** Which limit a parsed body exceeds, if any: one walk without recursion, stopping at the first excess. */
export function jsonLimitExceeded(body: unknown, limits: JsonLimits): keyof JsonLimits | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const nodes: object[] = [body];
  const depths: number[] = [1];
  let keys = 0;
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > limits.maxDepth) return 'maxDepth';
    if (Array.isArray(node)) {
      for (const item of node as unknown[]) {
        if (typeof item === 'object' && item !== null) {
          nodes.push(item);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in node) {
      if (++keys > limits.maxKeys) return 'maxKeys';
      const item = (node as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) {
        nodes.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/**
 * Refuses a parsed body nested deeper or holding more keys than `limits` with a 400, before any pipe,
 * guard or handler walks it (a body nested 5,000 deep overflowed the stack of recursive code: a 500 on
 * every route). Parsing itself is safe: V8's JSON.parse does not recurse, and the body size is bounded.
 */
export function limitJsonBodies(fastify: FastifyInstance, limits: JsonLimits): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const exceeded = jsonLimitExceeded(request.body, limits);
    if (!exceeded) return done();
    done(
      exceeded === 'maxDepth'
        ? new ProblemException(HttpStatus.BAD_REQUEST, 'JSON_TOO_DEEP', { maxDepth: limits.maxDepth })
        : new ProblemException(HttpStatus.BAD_REQUEST, 'JSON_TOO_MANY_KEYS', { maxKeys: limits.maxKeys }),
    );
  });
}
