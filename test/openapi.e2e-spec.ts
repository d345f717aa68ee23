import { problemMessage } from '@app/core';
import request from 'supertest';

import { TestContext } from './helpers/context';

interface Operation {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<
    string,
    { content?: Record<string, { schema?: { $ref?: string } }>; 'x-problem-codes'?: string[] }
  >;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document, read freely
type Schema = Record<string, any>;

/** The OpenAPI document as served: every operation's 4xx answers, formats and bounds (issue 11). */
describe('OpenAPI document', () => {
  let ctx: TestContext;
  let document: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  let operations: [string, Operation][];

  beforeAll(async () => {
    ctx = await TestContext.create();
    document = (await request(ctx.http).get('/api/docs-json').expect(200)).body;
    operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]): [string, Operation] => [
          `${method.toUpperCase()} ${path}`,
          op,
        ]),
      );
  });

  afterAll(async () => {
    await ctx.close();
  });

  const statuses = (op: Operation) => Object.keys(op.responses);
  const fourXx = (op: Operation) => statuses(op).filter((status) => /^4\d\d$/.test(status));

  it('has the Problem schema', () => {
    expect(document.components.schemas.Problem).toMatchObject({
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: { code: { type: 'string' }, errors: { type: 'array' } },
    });
    expect(operations.length).toBeGreaterThan(40);
  });

  it('describes the JSON API only: the web pages stay out of the document', () => {
    const outside = Object.keys(document.paths).filter((path) => !/^\/api\/v1\/|^\/metrics$/.test(path));
    expect(outside).toEqual([]);
  });

  it('declares every 4xx answer of every operation as problem+json with registered codes', () => {
    const broken = operations.flatMap(([name, op]) =>
      fourXx(op).flatMap((status) => {
        const response = op.responses[status];
        const codes = response['x-problem-codes'] ?? [];
        const problems: string[] = [];
        if (response.content?.['application/problem+json']?.schema?.$ref !== '#/components/schemas/Problem') {
          problems.push('not a Problem');
        }
        if (!codes.length) problems.push('no codes');
        problems.push(
          ...codes.filter((code) => !problemMessage(code, 'en')).map((code) => `unknown ${code}`),
        );
        return problems.map((problem) => `${name} ${status}: ${problem}`);
      }),
    );
    expect(broken).toEqual([]);
  });

  it('declares a success answer for every operation', () => {
    expect(
      operations.filter(([, op]) => !statuses(op).some((s) => /^2\d\d$/.test(s))).map(([n]) => n),
    ).toEqual([]);
  });

  it('declares 401 for every guarded operation, and 403 for every role-restricted one', () => {
    const guarded = operations.filter(([, op]) => op.security?.length);
    expect(guarded.length).toBeGreaterThan(25);
    expect(guarded.filter(([, op]) => !op.responses['401']).map(([name]) => name)).toEqual([]);
    const roleRestricted = guarded.filter(([name]) =>
      /^\w+ \/api\/v1\/(agency|regulator|admin)\//.test(name),
    );
    expect(roleRestricted.filter(([, op]) => !op.responses['403']).map(([name]) => name)).toEqual([]);
    // An operation that answers 401 says how to authenticate.
    expect(
      operations.filter(([, op]) => op.responses['401'] && !op.security?.length).map(([n]) => n),
    ).toEqual(['POST /api/v1/auth/login']);
  });

  it('declares 400 for every operation with input, and 404 for every one with a path parameter', () => {
    const withInput = operations.filter(([, op]) => op.requestBody || op.parameters?.length);
    expect(withInput.filter(([, op]) => !op.responses['400']).map(([name]) => name)).toEqual([]);
    const withPathParameter = operations.filter(([, op]) => op.parameters?.some((p) => p.in === 'path'));
    expect(withPathParameter.filter(([, op]) => !op.responses['404']).map(([name]) => name)).toEqual([]);
    const withBody = operations.filter(([, op]) => op.requestBody);
    expect(withBody.filter(([, op]) => !op.responses['413'] || !op.responses['415']).map(([n]) => n)).toEqual(
      [],
    );
    expect(
      operations
        .filter(([, op]) => op.responses['400'] && !op.requestBody && !op.parameters?.length)
        .map(([n]) => n),
    ).toEqual([]);
  });

  it("declares the services' own problems", () => {
    const codes = (name: string, status: number) =>
      operations.find(([n]) => n === name)?.[1].responses[status]?.['x-problem-codes'];
    expect(codes('POST /api/v1/consultations', 422)).toEqual(
      expect.arrayContaining(['IDEMPOTENCY_KEY_REUSED', 'AGE_OUT_OF_RANGE', 'LOCALITY_SUSPENDED']),
    );
    expect(codes('POST /api/v1/consultations', 429)).toEqual(['RATE_LIMITED']);
    expect(codes('POST /api/v1/auth/login', 401)).toEqual(['INVALID_CREDENTIALS']);
    expect(codes('POST /api/v1/agency/job-orders/{id}/publish', 422)).toEqual(
      expect.arrayContaining(['FEE_OVER_CAP', 'DEPOSIT_OVER_CAP', 'SALARY_BELOW_MINIMUM']),
    );
    expect(codes('POST /api/v1/phone-verifications/{id}/confirm', 410)).toEqual(['OTP_EXPIRED']);
    expect(codes('POST /api/v1/regulator/flags/{id}/resolve', 409)).toEqual(['INVALID_TRANSITION']);
    expect(codes('GET /api/v1/job-orders', 400)).toEqual(['VALIDATION_FAILED', 'INVALID_CURSOR']);
    const limited = operations.find(([n]) => n === 'POST /api/v1/auth/login')![1].responses['429'] as Schema;
    expect(limited.headers['Retry-After']).toBeDefined();
  });

  it('marks Idempotency-Key as one optional header with its bounds', () => {
    const op = operations.find(([name]) => name === 'POST /api/v1/consultations')![1];
    const headers = op.parameters!.filter((p) => p.in === 'header');
    expect(headers).toEqual([
      expect.objectContaining({
        name: 'Idempotency-Key',
        required: false,
        schema: expect.objectContaining({ maxLength: 200 }),
      }),
    ]);
  });

  it('carries formats and bounds from the validation decorators', () => {
    const schemas = document.components.schemas;
    expect(schemas.LoginDto.properties.email).toMatchObject({
      type: 'string',
      format: 'email',
      maxLength: 200,
    });
    expect(schemas.CreateUserDto.properties.password).toMatchObject({ minLength: 12, maxLength: 200 });
    expect(schemas.CreateUserDto.properties.agencyId).toMatchObject({ format: 'uuid' });
    expect(schemas.CreateConsultationDto.properties).toMatchObject({
      jobOrderId: { type: 'string', format: 'uuid' },
      fullName: { minLength: 2, maxLength: 100 },
      birthYear: { type: 'integer', minimum: 1940, maximum: 2100 },
      gender: { enum: ['male', 'female'] },
      consent: { enum: [true] },
    });
    expect(schemas.CreateConsultationDto.additionalProperties).toBe(false);
    expect(schemas.CreateJobOrderDto.properties.salary).toBeDefined();
    expect(schemas.MoneyInputDto.properties.currency).toMatchObject({ pattern: '^[A-Z]{3}$' });
    expect(schemas.CreateSuspensionDto.properties.provinces).toMatchObject({
      type: 'array',
      minItems: 1,
      items: { type: 'string', maxLength: 80 },
    });
    expect(schemas.AgencySignupDto.properties.website).toMatchObject({ format: 'uri', maxLength: 200 });
    expect(schemas.ReviewRatingsDto.properties.fees).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 5,
    });
    // PartialType: the same bounds, nothing required.
    expect(schemas.UpdateJobOrderDto.properties.openings).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 10000,
    });
    expect(schemas.UpdateJobOrderDto.required ?? []).toEqual([]);

    const list = operations.find(([name]) => name === 'GET /api/v1/job-orders')![1];
    const parameter = (name: string) => list.parameters!.find((p) => p.name === name)!;
    expect(parameter('limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(parameter('agencyId').schema).toMatchObject({ format: 'uuid' });
    expect(parameter('q').schema).toMatchObject({ minLength: 1, maxLength: 100 });
    expect(parameter('sort').schema).toMatchObject({ enum: ['newest', 'salary', 'popular'] });
  });

  it('bounds every string and number of every request', () => {
    const unbounded: string[] = [];
    const visit = (where: string, schema: Schema | undefined, seen = new Set<string>()): void => {
      if (!schema) return;
      if (schema.$ref) {
        const name = String(schema.$ref).split('/').pop()!;
        if (!seen.has(name)) visit(name, document.components.schemas[name], new Set([...seen, name]));
        return;
      }
      for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? [])]) visit(where, part, seen);
      if (
        schema.type === 'string' &&
        !schema.enum &&
        !schema.format &&
        !schema.pattern &&
        !schema.maxLength
      ) {
        unbounded.push(where);
      }
      if ((schema.type === 'integer' || schema.type === 'number') && !schema.enum) {
        if (schema.maximum === undefined && schema.additionalProperties === undefined) unbounded.push(where);
      }
      for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
        visit(`${where}.${name}`, property, seen);
      }
      if (schema.items) visit(`${where}[]`, schema.items, seen);
    };
    for (const [name, op] of operations) {
      for (const parameter of op.parameters ?? [])
        visit(`${name} ${parameter.in}:${parameter.name}`, parameter.schema);
      const body = (op.requestBody as Schema | undefined)?.content?.['application/json']?.schema;
      visit(`${name} body`, body);
    }
    // Path parameters are ids and codes the services check themselves (an unknown one is a 404).
    expect(unbounded.filter((where) => !/ path:/.test(where))).toEqual([]);
  });
});
