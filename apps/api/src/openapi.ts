import { JwtAuthGuard, RolesGuard } from '@app/accounts';
import { ApplicantGuard } from '@app/applicants';
import { ProblemCode, problemMessage } from '@app/core';
import { HttpStatus, INestApplication, RequestMethod } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS, OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * The OpenAPI document says what the server does, from the same metadata the server runs on:
 *
 * - `describeValidation` copies the class-validator constraints of every DTO (lengths, ranges, integers,
 *   formats, patterns, enums, optionality) into its @nestjs/swagger property metadata, as the swagger CLI
 *   plugin's class-validator shim would at compile time (the plugin needs the Nest CLI; the build is plain
 *   tsc). What a DTO's @ApiProperty states explicitly wins, except `number`, which @IsInt narrows to
 *   `integer`.
 * - `describeProblems` gives every route its 4xx answers as `application/problem+json` documents (the
 *   `Problem` schema) with their stable codes: those its shape implies (a body, a query, a path parameter,
 *   a header, guards) and those it declares with @ApiProblems for what its services throw.
 */

/** The 4xx statuses an operation may declare. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 414 | 415 | 422 | 429 | 431;

export type ProblemCodes = Partial<Record<ProblemStatus, readonly ProblemCode[]>>;

const API_PROBLEMS = 'xkld:apiProblems';
const DESCRIBED = Symbol('problemResponsesDescribed');

/**
 * The problems a route answers beyond those its shape implies (see describeProblems), by status:
 * `@ApiProblems({ 409: ['INVALID_TRANSITION'], 429: ['RATE_LIMITED'] })`.
 */
export function ApiProblems(problems: ProblemCodes): MethodDecorator {
  return (_target, _key, descriptor) => {
    const known = (Reflect.getMetadata(API_PROBLEMS, descriptor.value as object) ?? {}) as ProblemCodes;
    const merged: Record<number, readonly ProblemCode[] | undefined> = { ...known };
    for (const [status, codes] of Object.entries(problems)) {
      merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...codes])];
    }
    Reflect.defineMetadata(API_PROBLEMS, merged, descriptor.value as object);
    return descriptor;
  };
}

export const PROBLEM_SCHEMA_NAME = 'Problem';

export const PROBLEM_SCHEMA = {
  type: 'object',
  description:
    'RFC 9457 problem details. `code` is stable; `title` and `detail` follow Accept-Language (vi, en). ' +
    'Some problems add members, such as `violations` when a job order breaks the legal rules.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', example: 'urn:xkld:problem:validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', example: 'VALIDATION_FAILED' },
    errors: {
      type: 'array',
      description: 'The fields at fault, named as in the request (`salary.currency`, `provinces.0`)',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

const TITLES: Partial<Record<number, string>> = {
  400: 'The request is malformed or fails validation',
  401: 'No valid token',
  403: 'The token does not grant this',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'Gone',
  413: 'The body is over 64 KiB',
  414: 'The URL or a path parameter is too long',
  415: 'The body is not JSON',
  422: 'Refused by a business rule',
  429: 'Rate limited; retry after Retry-After seconds',
  431: 'The request head (its URL included) is over 16 KiB',
};

type ResponseEntry = { description?: string; [key: string]: unknown };
type Responses = Record<string, ResponseEntry>;
type RouteArgs = Record<string, { index: number; data?: unknown }>;
/** A class, as metadata is keyed by it. */
type Class = abstract new (...args: never[]) => unknown;

/** Adds the problem responses to every route's swagger metadata; call before SwaggerModule.createDocument. */
export function describeProblems(app: INestApplication): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller || Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, controller)) continue;
      // A controller with exception filters of its own (the web pages) does not answer problem+json.
      if (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, controller)) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, handler)) continue;
        describeRoute(controller, key, handler);
      }
    }
  }
}

/** The problems a route answers, by status: those its shape implies, then those it declares. */
export function problemsOf(
  controller: Class,
  key: string,
  handler: object,
): Map<ProblemStatus, ProblemCode[]> {
  const problems = new Map<ProblemStatus, ProblemCode[]>();
  const add = (status: ProblemStatus, ...codes: ProblemCode[]) =>
    problems.set(status, [...new Set([...(problems.get(status) ?? []), ...codes])]);

  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, key) ?? {}) as RouteArgs;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, key) ??
    []) as unknown[];
  for (const [argKey, { index, data }] of Object.entries(args)) {
    const paramType = Number(argKey.split(':')[0]) as RouteParamtypes;
    if (paramType === RouteParamtypes.BODY) {
      add(400, 'VALIDATION_FAILED', 'MALFORMED_JSON', 'JSON_TOO_DEEP', 'JSON_TOO_MANY_KEYS');
      add(413, 'PAYLOAD_TOO_LARGE');
      add(415, 'UNSUPPORTED_MEDIA_TYPE');
    } else if (paramType === RouteParamtypes.QUERY) {
      add(400, 'VALIDATION_FAILED');
      if (isPageQuery(types[index])) add(400, 'INVALID_CURSOR');
      // Past 8 KiB a URL is a 414; past the 16 KiB head Node's parser reads, a 431.
      add(414, 'URI_TOO_LONG');
      add(431, 'HEADERS_TOO_LARGE');
    } else if (paramType === RouteParamtypes.PARAM) {
      // A path that does not decode is a 400; an unknown or malformed id, a 404.
      add(400, 'BAD_REQUEST');
      add(404, 'NOT_FOUND');
      add(414, 'URI_TOO_LONG');
      add(431, 'HEADERS_TOO_LARGE');
    } else if (paramType === RouteParamtypes.HEADERS && data !== undefined) {
      add(400, 'VALIDATION_FAILED');
      add(431, 'HEADERS_TOO_LARGE');
    }
  }
  const guards = [
    ...((Reflect.getMetadata(GUARDS_METADATA, controller) ?? []) as unknown[]),
    ...((Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as unknown[]),
  ];
  if (guards.includes(JwtAuthGuard) || guards.includes(ApplicantGuard)) add(401, 'UNAUTHENTICATED');
  if (guards.includes(RolesGuard)) add(403, 'FORBIDDEN');

  const declared = (Reflect.getMetadata(API_PROBLEMS, handler) ?? {}) as ProblemCodes;
  for (const [status, codes] of Object.entries(declared)) add(Number(status) as ProblemStatus, ...codes);
  return problems;
}

function describeRoute(controller: Class, key: string, handler: object): void {
  if ((handler as Record<symbol, unknown>)[DESCRIBED]) return;
  Object.defineProperty(handler, DESCRIBED, { value: true });
  const own = (Reflect.getMetadata(DECORATORS.API_RESPONSE, handler) ?? {}) as Responses;
  const ofClass = (Reflect.getMetadata(DECORATORS.API_RESPONSE, controller) ?? {}) as Responses;
  const declared: Responses = { ...ofClass, ...own };
  const problems = problemsOf(controller, key, handler);
  // A 4xx declared with a plain @ApiXxxResponse is a problem too, its codes named in its description.
  for (const [status, response] of Object.entries(declared)) {
    if (!/^4\d\d$/.test(status) || problems.has(Number(status) as ProblemStatus)) continue;
    const named = (
      response.description?.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b[A-Z]{4,}\b/g) ?? []
    ).filter((code) => problemMessage(code, 'en') !== undefined) as ProblemCode[];
    problems.set(
      Number(status) as ProblemStatus,
      named.length ? [...new Set(named)] : [GENERIC_CODES[status] ?? 'BAD_REQUEST'],
    );
  }
  if (!problems.size) return;

  const responses: Responses = { ...own };
  // Swagger falls back to the route's own status when a method declares no response: keep it.
  if (!Object.keys(declared).some((status) => /^[23]\d\d$/.test(status))) {
    responses[String(successStatus(handler))] = { description: '' };
  }
  for (const [status, codes] of [...problems].sort(([a], [b]) => a - b)) {
    const text = declared[status]?.description?.trim() || TITLES[status] || 'Refused';
    const { type: _type, ...rest } = declared[status] ?? {};
    responses[status] = {
      ...rest,
      description: `${text.replace(/\.$/, '')}. Codes: ${codes.map((code) => `\`${code}\``).join(', ')}`,
      content: {
        'application/problem+json': { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}` } },
      },
      'x-problem-codes': codes,
      ...(status === 429
        ? {
            headers: {
              'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } },
            },
          }
        : {}),
    };
  }
  Reflect.defineMetadata(DECORATORS.API_RESPONSE, responses, handler);
}

const GENERIC_CODES: Record<string, ProblemCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

function successStatus(handler: object): number {
  const explicit = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  if (explicit) return explicit;
  return Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST
    ? HttpStatus.CREATED
    : HttpStatus.OK;
}

/**
 * A query that documents a `cursor` (PageQueryDto's, inherited or through a mapped type such as
 * IntersectionType): Reflect.getMetadata reads the property list along the prototype chain.
 */
function isPageQuery(type: unknown): boolean {
  if (typeof type !== 'function') return false;
  const properties = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, type.prototype as object) as
    | string[]
    | undefined;
  return !!properties?.includes(':cursor');
}

/** Adds the Problem schema and marks every validated DTO as closed (unknown fields are a 400). */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  schemas[PROBLEM_SCHEMA_NAME] = structuredClone(PROBLEM_SCHEMA) as never;
  const validated = new Set([...validatedClasses()].map((target) => target.name));
  for (const [name, schema] of Object.entries(schemas)) {
    if (validated.has(name) && 'properties' in schema && !('additionalProperties' in schema)) {
      schema.additionalProperties = false;
    }
  }
  return document;
}

// ---------------------------------------------------------------------------------------------------
// class-validator → @nestjs/swagger property metadata

type PropertyMetadata = Record<string, unknown>;

/**
 * class-validator's metadata by class. Its storage has no public list of classes; its map is read here, and
 * test/openapi.e2e-spec.ts fails if a version moves it (the document would lose its constraints).
 */
function validationMetadatas(): Map<Class, ValidationMetadata[]> {
  const storage = getMetadataStorage() as unknown as { validationMetadatas?: unknown };
  const map = storage.validationMetadatas as Map<Class, ValidationMetadata[]> | undefined;
  // Duck-typed: under jest the map comes from another realm than this module's Map.
  return typeof map?.entries === 'function' ? map : new Map<Class, ValidationMetadata[]>();
}

function validatedClasses(): Set<Class> {
  return new Set(validationMetadatas().keys());
}

/** Copies every DTO's class-validator constraints into its swagger property metadata. Idempotent. */
export function describeValidation(): void {
  for (const [target, metadatas] of validationMetadatas()) {
    if (typeof target !== 'function') continue;
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const metadata of metadatas) {
      if (!metadata.propertyName) continue;
      byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
    }
    for (const [property, constraints] of byProperty) describeProperty(target, property, constraints);
  }
}

function describeProperty(target: Class, property: string, constraints: ValidationMetadata[]): void {
  const prototype = target.prototype as object;
  const existing = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, property) as
    | PropertyMetadata
    | undefined;
  const derived: PropertyMetadata = {};
  const items: PropertyMetadata = {};
  for (const constraint of constraints) {
    const into = constraint.each ? items : derived;
    Object.assign(into, schemaOf(constraint, constraints));
  }
  if (constraints.some((c) => c.type === ValidationTypes.CONDITIONAL_VALIDATION)) derived.required = false;

  const base: PropertyMetadata = existing
    ? { ...existing }
    : { type: Reflect.getMetadata('design:type', prototype, property) as unknown, required: true };
  const merged: PropertyMetadata = { ...derived, ...base };
  // An explicit @ApiProperty says `number` for every number; @IsInt knows better.
  if (
    derived.type === 'integer' &&
    (base.type === Number || base.type === 'number' || base.type === undefined)
  ) {
    merged.type = 'integer';
  }
  if (derived.required === false) merged.required = false;
  if (Object.keys(items).length) {
    const baseItems = (base.items ?? {}) as PropertyMetadata;
    merged.items = { ...items, ...baseItems };
    if (!merged.isArray && merged.type !== 'array') merged.isArray = true;
    if (merged.type === Array) merged.type = items.type ?? 'string';
  }
  Reflect.defineMetadata(DECORATORS.API_MODEL_PROPERTIES, merged, prototype, property);
  const names = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, prototype) ?? []) as string[];
  if (!names.includes(`:${property}`)) {
    Reflect.defineMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, [...names, `:${property}`], prototype);
  }
}

/** What one constraint says in OpenAPI terms; constraints it cannot express say nothing. */
function schemaOf(constraint: ValidationMetadata, all: ValidationMetadata[]): PropertyMetadata {
  const args = (constraint.constraints ?? []) as unknown[];
  switch (constraint.name) {
    case 'isString':
      return { type: 'string' };
    case 'isInt':
      return { type: 'integer' };
    case 'isNumber':
      return { type: 'number' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isObject':
      return { type: 'object' };
    case 'isEmail':
      return { type: 'string', format: 'email' };
    case 'isUuid':
      return { type: 'string', format: 'uuid' };
    case 'isUrl':
      return { type: 'string', format: 'uri' };
    case 'isIso8601': {
      const dateOnly = all.some(
        (c) => c.name === 'matches' && String(c.constraints?.[0]) === String(/^\d{4}-\d{2}-\d{2}$/),
      );
      return { type: 'string', format: dateOnly ? 'date' : 'date-time' };
    }
    case 'minLength':
      return { minLength: args[0] };
    case 'maxLength':
      return { maxLength: args[0] };
    case 'isLength':
      return { minLength: args[0], ...(args[1] === undefined ? {} : { maxLength: args[1] }) };
    case 'min':
      return { minimum: args[0] };
    case 'max':
      return { maximum: args[0] };
    case 'matches':
      return { pattern: args[0] instanceof RegExp ? args[0].source : String(args[0]) };
    case 'isIn':
      return { enum: [...(args[0] as unknown[])] };
    case 'isEnum':
      return { enum: Object.values(args[0] as object) };
    case 'equals':
      return { enum: [args[0]] };
    case 'arrayMinSize':
      return { minItems: args[0] };
    case 'arrayMaxSize':
      return { maxItems: args[0] };
    case 'isArray':
      return { isArray: true };
    default:
      return {};
  }
}
