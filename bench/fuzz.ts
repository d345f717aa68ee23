/**
 * Property-based fuzzing of the whole OpenAPI document (`npm run fuzz`; not part of `npm test`).
 *
 * `npm run fuzz` builds; this creates a fresh database with the demo data and a few fixtures of its own, and starts the real api
 * and worker on 127.0.0.1 (with bench/fuzz-egress-guard.ts preloaded: nothing they do reaches past this
 * machine). It signs in as agency_admin, agency_staff, regulator and admin, proves a phone with a one-time code
 * read from a local SMS receiver (SMS_PROVIDER=http) for an applicant token, then reads /api/docs-json and, for
 * every operation and every caller (those five and anonymous), lets fast-check generate requests from the
 * operation's own schemas: valid ones (examples, ids seen in earlier answers, values within the bounds),
 * invalid ones (a missing or unknown field, a wrong type, a value out of bounds, null) and hostile ones (NUL
 * bytes, huge strings, JSON nested 5,000 deep or with thousands of keys, malformed JSON, other content types,
 * LIKE wildcards, unicode oddities, path segments that do not decode or are too long, forged tokens).
 *
 * Each answer must keep the document and the contract (docs/design.md, "Conventions every endpoint follows"): no 5xx; a
 * status the operation declares; an error as application/problem+json whose `code` is one the operation
 * declares for that status (`x-problem-codes`), that names no library and does not echo the request; a 2xx
 * body with the properties, types and enums of its schema; `X-Content-Type-Options: nosniff` on every answer.
 * A break is shrunk by fast-check to a minimal request and printed with the answer; the command exits 1 if
 * there is any. bench/fuzz.md has the figures of the last runs.
 *
 * FUZZ_REQUESTS (default 12000) and FUZZ_SECONDS (default 900) bound the run, FUZZ_SEED replays one,
 * FUZZ_CONCURRENCY (default 4) is the number of operations fuzzed at once, FUZZ_KEEP=1 keeps the database,
 * FUZZ_TRACE=<file> writes one line per request.
 */
import 'reflect-metadata';

import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, WriteStream } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Agent, request } from 'undici';

import { hashPassword } from '@app/accounts';

import { seedDemoData } from '../scripts/seed';
import { benchEnv, migratedDatabase, REDIS_URL, ROOT, stop, waitForHttp } from './common';
import { dropDatabase, freePort } from './consultations-fault';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 12_000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 900);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);
const HOST = '127.0.0.1';
const YEAR = new Date().getUTCFullYear();
/** Shrinking a break sends at most this many more requests. */
const SHRINK_REQUESTS = 150;
/** Requests per operation and caller before the budget goes to the callers the guards admit. */
const PROBE_RUNS = 6;
const APPLICANT_PHONE = '0987654321';

// ---------------------------------------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: Json[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  example?: Json;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface ResponseObject {
  content?: Record<string, { schema?: Schema }>;
  'x-problem-codes'?: string[];
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, ResponseObject>;
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface Op {
  name: string;
  method: string;
  path: string;
  operation: Operation;
}

let schemas: Record<string, Schema> = {};

/** A schema with its $ref followed and a single allOf merged in, as DTO properties use them. */
function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...resolve(allOf[0]), ...rest };
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------------------
// Ids seen in answers, for path parameters and id fields
// ---------------------------------------------------------------------------------------------------------

const pools = new Map<string, string[]>();
/** Our own agency and users: not given to operations that change things, so the run keeps its callers. */
const protectedIds = new Set<string>();

function remember(pool: string, value: unknown): void {
  if (typeof value !== 'string' || !value || value.length > 100) return;
  const values = pools.get(pool) ?? [];
  if (values.includes(value)) return;
  values.push(value);
  if (values.length > 200) values.shift();
  pools.set(pool, values);
}

const NESTED_POOLS: Record<string, string> = {
  agency: 'agencies',
  jobOrder: 'job-orders',
  order: 'job-orders',
  user: 'users',
};

/** Ids, tracking codes and verification ids of an answer, each under the collection it belongs to. */
function harvest(pool: string | undefined, value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) harvest(pool, item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'id' && pool) remember(pool, item);
    else if (key === 'trackingCode') remember('trackingCode', item);
    else if (key === 'verificationId') remember('phone-verifications', item);
    else if (key === 'items') harvest(pool, item);
    else if (typeof item === 'object' && item !== null) harvest(NESTED_POOLS[key], item);
  }
}

/** The collection a path's items belong to: its last literal segment (`/regulator/flags/{id}` → flags). */
function collectionOf(path: string): string | undefined {
  return path
    .split('/')
    .filter((segment) => segment && !segment.startsWith('{'))
    .filter(
      (segment) =>
        !['resolve', 'license', 'registration', 'takedown', 'submit', 'publish', 'close', 'confirm'].includes(
          segment,
        ),
    )
    .at(-1);
}

function poolPick(pool: string, mutating: boolean): fc.Arbitrary<string> {
  return fc.nat().map((n) => {
    const values = (pools.get(pool) ?? []).filter((id) => !mutating || !protectedIds.has(id));
    return values.length ? values[n % values.length] : '00000000-0000-4000-8000-000000000000';
  });
}

// ---------------------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------------------

/** Strings that broke, or could break, something somewhere. */
const HOSTILE_STRINGS: string[] = [
  'a\u0000b',
  '\u0000',
  '%',
  '_',
  '%_%',
  '\\',
  '\\%',
  "' OR 1=1 --",
  '"; DROP TABLE agencies; --',
  '$1',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'a\r\nSet-Cookie: x=1',
  '\u202Eevil',
  '\u200B',
  '\uFEFF',
  'a\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '\uD800',
  'Ｈà Ｎội',
  'Nghe\u0300 An'.normalize('NFD'),
  '1e309',
  '-1',
  'NaN',
  'Infinity',
  '0x10',
  'null',
  'true',
  ' ',
  '',
  'x'.repeat(5_000),
  'ệ'.repeat(30_000),
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom('a\u0000b', '%', '_', 'Nghệ\u0000An', '\\', '%_') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 250, maxLength: 400 }) },
);

/** Webhook and website URLs: every one the SSRF guard must refuse; none leaves the machine anyway. */
const SAFE_URLS = [
  'http://127.0.0.1:9/hook',
  'https://localhost/hook',
  'https://[::1]/hook',
  'https://10.0.0.1/hook',
  'https://169.254.169.254/latest/meta-data',
  'https://[::ffff:127.0.0.1]/hook',
  'https://[::7f00:1]/hook',
  'https://[64:ff9b::a9fe:a9fe]/hook',
  'https://0.0.0.0/hook',
  'https://2130706433/hook',
  'https://0x7f.1/hook',
  'ftp://127.0.0.1/hook',
  'javascript:alert(1)',
];

const PROVINCES = ['Hà Nội', 'Nghệ An', 'Hà Tĩnh', 'TP. Hồ Chí Minh', 'Bac Giang', 'Hà Tây', 'Thanh Hóa'];
const CURRENCIES = ['JPY', 'EUR', 'USD', 'TWD', 'KRW', 'VND', 'XXX'];

/** Our callers' credentials and the codes the SMS receiver got, so that sign-ins and confirmations succeed now and then. */
const credentials: { email: string; password: string }[] = [];
const smsCodes: string[] = [];

const phone = fc.oneof(
  fc.constant(APPLICANT_PHONE),
  fc.integer({ min: 10_000_000, max: 99_999_999 }).map((n) => `09${n}`),
  fc.integer({ min: 10_000_000, max: 99_999_999 }).map((n) => `+84 3${n}`),
);

/** Values of a field the document describes only loosely, known by its name. */
function byName(name: string, schema: Schema, mutating: boolean): fc.Arbitrary<Json> | undefined {
  if (schema.type === 'array' || schema.type === 'object' || schema.properties) return undefined;
  const key = name.toLowerCase();
  if (key === 'url' || key === 'website' || schema.format === 'uri') return fc.constantFrom(...SAFE_URLS);
  if (key.endsWith('phone')) return phone;
  if (key === 'province' || key === 'provinces') return fc.constantFrom(...PROVINCES);
  if (key === 'currency') return fc.constantFrom(...CURRENCIES);
  if (key === 'month') {
    return fc
      .tuple(fc.integer({ min: 2015, max: YEAR + 1 }), fc.integer({ min: 1, max: 12 }))
      .map(([year, month]) => `${year}-${String(month).padStart(2, '0')}`);
  }
  if (key === 'birthyear' || key === 'birthyearfrom') return fc.integer({ min: 1960, max: YEAR - 18 });
  if (key === 'birthyearto') return fc.integer({ min: YEAR - 40, max: YEAR - 18 });
  if (key === 'code' && schema.pattern === '^\\d{6}$') {
    return fc.oneof(
      fc.nat().map((n) => smsCodes[smsCodes.length - 1 - (n % 3)] ?? '000000'),
      fc.stringMatching(/^\d{6}$/),
    );
  }
  if (key === 'email' && credentials.length) {
    return fc.oneof(fc.constantFrom(...credentials.map((c) => c.email)), fc.emailAddress());
  }
  if (key === 'password' && credentials.length) {
    return fc.oneof(
      fc.constantFrom(...credentials.map((c) => c.password)),
      fc.string({ minLength: 12, maxLength: 40 }),
    );
  }
  const pool = { jobOrderId: 'job-orders', agencyId: 'agencies', actor: 'users' }[name];
  if (pool)
    return fc.oneof(
      { weight: 4, arbitrary: poolPick(pool, mutating) },
      { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
    );
  return undefined;
}

/** A value the schema accepts (mostly: the document cannot say everything the services check). */
function valid(raw: Schema | undefined, name = '', mutating = false, depth = 0): fc.Arbitrary<Json> {
  const schema = resolve(raw);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const named = byName(name, schema, mutating);
  const generated = generate(schema, mutating, depth, false, name);
  const choices: fc.WeightedArbitrary<Json>[] = [{ weight: 3, arbitrary: named ?? generated }];
  if (named) choices.push({ weight: 1, arbitrary: generated });
  if (schema.example !== undefined && !named)
    choices.push({ weight: 2, arbitrary: fc.constant(schema.example) });
  return fc.oneof(...choices);
}

/** A value made of the document's examples where it has them: the likeliest to pass the services' checks. */
function typical(raw: Schema | undefined, name = '', mutating = false, depth = 0): fc.Arbitrary<Json> {
  const schema = resolve(raw);
  // Never an example URL: a real host would be looked up (the egress guard refuses it, but still).
  if (/^(url|website)$/i.test(name) || schema.format === 'uri') return fc.constantFrom(...SAFE_URLS);
  if (schema.example !== undefined && !(schema.type === 'array' && name === 'provinces')) {
    return fc.constant(schema.example);
  }
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  return byName(name, schema, mutating) ?? generate(schema, mutating, depth, true, name);
}

function generate(
  schema: Schema,
  mutating: boolean,
  depth: number,
  examples: boolean,
  name = '',
): fc.Arbitrary<Json> {
  switch (schema.type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid({ version: 4 });
      if (schema.format === 'email') {
        return fc.emailAddress().filter((email) => email.length <= (schema.maxLength ?? 200));
      }
      if (schema.format === 'date' || schema.format === 'date-time') {
        return fc
          .date({ min: new Date('2015-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
          .map((date) => (schema.format === 'date' ? date.toISOString().slice(0, 10) : date.toISOString()));
      }
      if (schema.format === 'uri') return fc.constantFrom(...SAFE_URLS);
      if (schema.pattern) {
        const pattern = new RegExp(schema.pattern);
        return fc.stringMatching(pattern).filter((s) => s.length <= (schema.maxLength ?? 1000));
      }
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 60, minLength + 300);
      const short = Math.max(minLength, Math.min(maxLength, 40));
      // Within the bounds but hostile all the same: what validation lets through reaches the database.
      const fitting = HOSTILE_STRINGS.filter((text) => text.length >= minLength && text.length <= maxLength);
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ minLength, maxLength }) },
        { weight: 2, arbitrary: fc.string({ minLength, maxLength: short, unit: 'grapheme' }) },
        { weight: 1, arbitrary: fc.string({ minLength, maxLength: short, unit: 'binary' }) },
        ...(fitting.length ? [{ weight: 2, arbitrary: fc.constantFrom(...fitting) }] : []),
      );
    }
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc
        .integer({
          min: Math.ceil((schema.minimum ?? 0) * 100),
          max: Math.floor(Math.min(schema.maximum ?? 1e9, 1e12) * 100),
        })
        .map((cents) => cents / 100);
    case 'boolean':
      return fc.boolean();
    case 'array':
      // Items take the array's name: `provinces` holds provinces.
      return fc.array((examples ? typical : valid)(schema.items, name, mutating, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, (schema.minItems ?? 0) + 4),
      });
    default:
      return object(schema, mutating, depth, examples);
  }
}

function object(schema: Schema, mutating: boolean, depth: number, examples = false): fc.Arbitrary<Json> {
  if (depth > 6) return fc.constant({});
  if (!schema.properties && typeof schema.additionalProperties === 'object') {
    const values = valid(schema.additionalProperties, '', mutating, depth + 1);
    return fc.dictionary(fc.constantFrom(...CURRENCIES), values, { maxKeys: 4 });
  }
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<Json>> = {};
  for (const [key, property] of Object.entries(properties)) {
    model[key] = (examples ? typical : valid)(property, key, mutating, depth + 1);
  }
  const required = (schema.required ?? []).filter((key) => key in properties);
  return fc.record(model, { requiredKeys: required });
}

/** A value the schema refuses, or one at the edge of what it accepts. */
function invalid(raw: Schema | undefined, depth = 0): fc.Arbitrary<Json> {
  const schema = resolve(raw);
  const wrongType: fc.Arbitrary<Json> = fc.constantFrom<Json>(
    null,
    true,
    12.5,
    '12abc',
    [],
    {},
    [1, 'a'],
    -0,
  );
  const choices: fc.Arbitrary<Json>[] = [wrongType, hostileString];
  if (schema.type === 'string') {
    if (schema.maxLength !== undefined) choices.push(fc.constant('x'.repeat(schema.maxLength + 1)));
    if (schema.minLength) choices.push(fc.constant('x'.repeat(schema.minLength - 1)));
    choices.push(fc.string({ maxLength: 20 }));
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const edges: Json[] = [1.5, 1e21, -1e21, 2 ** 53, 2 ** 31, -(2 ** 31) - 1, 0, -1];
    if (schema.minimum !== undefined) edges.push(schema.minimum - 1, schema.minimum);
    if (schema.maximum !== undefined) edges.push(schema.maximum + 1, schema.maximum);
    choices.push(fc.constantFrom(...edges), fc.constantFrom('1', ' 1', '1e3'));
  }
  if (schema.enum)
    choices.push(fc.constantFrom<Json>('NOT_IN_ENUM', JSON.stringify(schema.enum[0]).toUpperCase()));
  if (schema.type === 'array') {
    choices.push(fc.array(invalid(schema.items, depth + 1), { minLength: 1, maxLength: 3 }));
    choices.push(fc.constant(Array.from({ length: (schema.maxItems ?? 100) + 1 }, () => 'Hà Nội')));
  }
  if ((schema.properties || schema.type === 'object') && depth < 4) choices.push(mutated(schema, depth + 1));
  return fc.oneof(...choices);
}

/** A hostile string in place of a string (or, within an array or object, of one of its strings). */
function hostileFor(raw: Schema | undefined): fc.Arbitrary<Json> {
  const schema = resolve(raw);
  if (schema.type === 'array')
    return fc.tuple(typical(schema.items), hostileString).map(([item, text]) => [item, text]);
  if (schema.properties) return mutated(schema, 1, true);
  return hostileString;
}

/** A valid object with one thing wrong: a field missing, unknown, null, or invalid. */
function mutated(schema: Schema, depth = 0, examples = false): fc.Arbitrary<Json> {
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  const base = object(schema, false, depth, examples) as fc.Arbitrary<Record<string, Json>>;
  const mutations: fc.Arbitrary<Json>[] = [
    base.map((value) => ({ ...value, unexpected: 1 })),
    base.map((value) => {
      // A "__proto__" key of the JSON text, not the prototype of the object.
      const copy: Record<string, Json> = { ...value };
      Object.defineProperty(copy, '__proto__', {
        value: { admin: true },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      return copy;
    }),
  ];
  if (keys.length) {
    mutations.push(
      fc.tuple(base, fc.constantFrom(...keys)).map(([value, key]) => {
        const { [key]: _dropped, ...rest } = value;
        return rest;
      }),
      fc.tuple(base, fc.constantFrom(...keys)).map(([value, key]) => ({ ...value, [key]: null })),
      fc
        .constantFrom(...keys)
        .chain((key) => fc.tuple(base, fc.constant(key), invalid(properties[key], depth + 1)))
        .map(([value, key, wrong]) => ({ ...value, [key]: wrong })),
      // A hostile string where the schema takes one, in an otherwise typical body: it reaches the services.
      fc
        .constantFrom(...keys)
        .chain((key) => fc.tuple(base, fc.constant(key), hostileFor(properties[key])))
        .map(([value, key, wrong]) => ({ ...value, [key]: wrong })),
    );
  }
  return fc.oneof(...mutations);
}

/** Bodies no schema describes: broken or hostile JSON, too deep, too many keys, too large. */
const RAW_BODIES: fc.Arbitrary<string> = fc.constantFrom(
  '{"a":',
  '{a:1}',
  "{'a':1}",
  '[',
  '',
  'nul',
  '{"x":1}garbage',
  '\u0000',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '[]',
  '1',
  '"text"',
  'true',
  'null',
  '{"a":1,"a":2}',
  '['.repeat(33) + ']'.repeat(33),
  '['.repeat(5000) + ']'.repeat(5000),
  '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
  JSON.stringify(Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]))),
  JSON.stringify({ title: 'x'.repeat(70_000) }),
  JSON.stringify({ title: 'x'.repeat(60_000) }),
  `{"title":"${'\\u0000'.repeat(100)}"}`,
);

const CONTENT_TYPES: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 20, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constant('application/json; charset=utf-8') },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | undefined>(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/JSON',
      'application/json; charset=latin1',
      'application/xml',
      undefined,
    ),
  },
);

/** encodeURIComponent for any string: a lone surrogate goes as U+FFFD instead of throwing. */
function percentEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-_.!~*'()]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

function asQueryValue(value: Json): string[] {
  if (Array.isArray(value))
    return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  if (typeof value === 'string') return [value];
  return [value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)];
}

/** Header values HTTP can carry: Latin-1 without control characters. */
function asHeaderValue(value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
}

// ---------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------

type Role = 'anonymous' | 'agency_admin' | 'agency_staff' | 'regulator' | 'admin' | 'applicant';
const ROLES: Role[] = ['anonymous', 'agency_admin', 'agency_staff', 'regulator', 'admin', 'applicant'];
const tokens: Partial<Record<Role, string>> = {};

interface FuzzRequest {
  kind: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  body?: string;
}

function forgedToken(): string {
  const token = tokens.admin ?? 'a.b.c';
  const [, payload] = token.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${payload}.`;
}

function authorization(role: Role): fc.Arbitrary<string | undefined> {
  if (role !== 'anonymous') return fc.constant(`Bearer ${tokens[role]}`);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'Bearer garbage',
        'Bearer a.b.c',
        'Basic dXNlcjpwYXNz',
        'Bearer ',
        'bearer x',
      ),
    },
    { weight: 1, arbitrary: fc.constant(null).map(() => `Bearer ${forgedToken()}`) },
  );
}

const LANGUAGES = fc.constantFrom<string | undefined>(
  undefined,
  'vi',
  'en',
  'en-US,en;q=0.9',
  'fr',
  '*;q=abc',
);

/**
 * A path segment that URL clients resolve away before sending (`.`, `..`, or either with `%2e` for a dot: RFC 3986
 * §5.2.4, and WHATWG's URL parser). A request with one in a path parameter reaches another route than the
 * operation's, so the answer cannot be judged against the operation; Schemathesis leaves them out for the same
 * reason.
 */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

function pathArbitrary(op: Op): fc.Arbitrary<{ path: string; kind: string }> {
  const parameters = (op.operation.parameters ?? []).filter((p) => p.in === 'path');
  const mutating = op.method !== 'GET';
  const values = parameters.map((parameter) => {
    const pool =
      parameter.name === 'id'
        ? collectionOf(op.path.slice(0, op.path.indexOf(`{${parameter.name}}`)))
        : parameter.name;
    return fc
      .oneof(
        {
          weight: 8,
          arbitrary: poolPick(pool ?? parameter.name, mutating).map((v) => ['pool', percentEncode(v)]),
        },
        { weight: 2, arbitrary: fc.uuid({ version: 4 }).map((v) => ['uuid', v]) },
        { weight: 2, arbitrary: hostileString.map((v) => ['hostile', percentEncode(v)]) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('%zz', '%E0%A4%A', '%C0%AE', 'x'.repeat(201), '%00')
            .map((v) => ['raw', v]),
        },
      )
      .filter(([, value]) => !DOT_SEGMENT.test(value)) as fc.Arbitrary<[string, string]>;
  });
  return fc.tuple(...values).map((chosen) => {
    let path = op.path;
    parameters.forEach((parameter, i) => (path = path.replace(`{${parameter.name}}`, chosen[i][1])));
    return { path, kind: chosen.map(([kind]) => kind).join(',') || 'fixed' };
  });
}

function queryArbitrary(op: Op): fc.Arbitrary<[string, string][]> {
  const parameters = (op.operation.parameters ?? []).filter((p) => p.in === 'query');
  if (!parameters.length) return fc.constant([]);
  const entries = parameters.map((parameter) => {
    const value = fc.oneof(
      { weight: 6, arbitrary: valid(parameter.schema, parameter.name) },
      { weight: 2, arbitrary: invalid(parameter.schema) },
      {
        weight: 1,
        arbitrary: fc.array(valid(parameter.schema, parameter.name), { minLength: 2, maxLength: 3 }),
      },
    );
    const present = parameter.required
      ? fc.oneof({ weight: 12, arbitrary: value }, { weight: 1, arbitrary: fc.constant(undefined) })
      : fc.option(value, { nil: undefined, freq: 2 });
    return present.map((v): [string, string][] =>
      v === undefined ? [] : asQueryValue(v).map((s) => [parameter.name, s]),
    );
  });
  const extra = fc.oneof(
    { weight: 10, arbitrary: fc.constant<[string, string][]>([]) },
    { weight: 1, arbitrary: fc.constant<[string, string][]>([['unexpected', '1']]) },
    { weight: 1, arbitrary: fc.constant<[string, string][]>([['__proto__', 'x']]) },
  );
  const independent = fc
    .tuple(fc.tuple(...entries), extra)
    .map(([chosen, more]) => [...chosen.flat(), ...more]);
  // One parameter hostile, the required ones typical, the rest absent (`/agencies?licenseNumber=a%00b`).
  const focused = fc
    .constantFrom(...parameters)
    .chain((target) =>
      fc
        .tuple(
          hostileString,
          fc.tuple(
            ...parameters.filter((p) => p.required && p !== target).map((p) => typical(p.schema, p.name)),
          ),
        )
        .map(([text, required]): [string, string][] => [
          [target.name, text],
          ...parameters
            .filter((p) => p.required && p !== target)
            .flatMap((p, i) => asQueryValue(required[i]).map((v): [string, string] => [p.name, v])),
        ]),
    );
  return fc.oneof({ weight: 2, arbitrary: independent }, { weight: 1, arbitrary: focused });
}

function bodyArbitrary(op: Op): fc.Arbitrary<{ body?: string; contentType?: string; kind: string }> {
  const schema = op.operation.requestBody?.content?.['application/json']?.schema;
  if (!schema) return fc.constant({ kind: 'no body' });
  const json = fc.oneof(
    { weight: 4, arbitrary: valid(schema).map((v) => ({ kind: 'valid body', body: JSON.stringify(v) })) },
    { weight: 3, arbitrary: typical(schema).map((v) => ({ kind: 'typical body', body: JSON.stringify(v) })) },
    {
      weight: 4,
      arbitrary: mutated(resolve(schema), 0, true).map((v) => ({
        kind: 'typical body, one field wrong',
        body: JSON.stringify(v),
      })),
    },
    { weight: 4, arbitrary: invalid(schema).map((v) => ({ kind: 'invalid body', body: JSON.stringify(v) })) },
    { weight: 1, arbitrary: RAW_BODIES.map((body) => ({ kind: 'raw body', body })) },
  );
  return fc.tuple(json, CONTENT_TYPES).map(([{ kind, body }, contentType]) => ({ kind, body, contentType }));
}

function requestArbitrary(op: Op, role: Role): fc.Arbitrary<FuzzRequest> {
  const idempotency = (op.operation.parameters ?? []).find((p) => p.in === 'header');
  const header = idempotency
    ? fc.option(
        fc.oneof(valid(idempotency.schema), hostileString.map(asHeaderValue), fc.constant('x'.repeat(201))),
        { nil: undefined },
      )
    : fc.constant(undefined);
  return fc
    .record({
      path: pathArbitrary(op),
      query: queryArbitrary(op),
      body: bodyArbitrary(op),
      authorization: authorization(role),
      language: LANGUAGES,
      header,
    })
    .map(({ path, query, body, authorization, language, header }) => {
      const headers: Record<string, string> = {};
      if (authorization !== undefined) headers.authorization = authorization;
      if (language !== undefined) headers['accept-language'] = language;
      if (body.contentType !== undefined && body.body !== undefined)
        headers['content-type'] = body.contentType;
      if (header !== undefined && idempotency)
        headers[idempotency.name] = typeof header === 'string' ? header : JSON.stringify(header);
      return { kind: `path ${path.kind}; ${body.kind}`, path: path.path, query, headers, body: body.body };
    });
}

// ---------------------------------------------------------------------------------------------------------
// Sending and judging
// ---------------------------------------------------------------------------------------------------------

let baseUrl = '';
const dispatcher = new Agent({ connections: CONCURRENCY * 2, keepAliveTimeout: 10_000 });
/** FUZZ_TRACE=<file>: one line per request (status, caller, method, URL, what was generated). */
const trace = process.env.FUZZ_TRACE ? createWriteStream(process.env.FUZZ_TRACE) : undefined;
const counts = { total: 0, byRole: new Map<string, number>(), byStatus: new Map<number, number>() };
const successes = new Map<string, number>();

interface Answer {
  status: number;
  contentType: string;
  text: string;
  nosniff: boolean;
}

function urlOf(path: string, query: [string, string][]): string {
  const search = query.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

async function send(op: Op, role: Role, req: FuzzRequest): Promise<Answer> {
  const url = urlOf(req.path, req.query);
  if (new URL(url).hostname !== HOST) throw new Error(`refusing to send to ${url}`);
  counts.total++;
  counts.byRole.set(role, (counts.byRole.get(role) ?? 0) + 1);
  try {
    const response = await request(url, {
      method: op.method as 'GET',
      headers: req.headers,
      body: req.body,
      dispatcher,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const text = await response.body.text();
    counts.byStatus.set(response.statusCode, (counts.byStatus.get(response.statusCode) ?? 0) + 1);
    trace?.write(
      `${response.statusCode} ${role} ${op.method} ${url.slice(baseUrl.length, 300)} ${req.kind}\n`,
    );
    const contentType = String(response.headers['content-type'] ?? '');
    const nosniff = response.headers['x-content-type-options'] === 'nosniff';
    return { status: response.statusCode, contentType, text, nosniff };
  } catch (error) {
    counts.byStatus.set(0, (counts.byStatus.get(0) ?? 0) + 1);
    return {
      status: 0,
      contentType: '',
      text: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      nosniff: false,
    };
  }
}

interface Violation {
  key: string;
  detail: string;
}

/** Text of a request long and odd enough that finding it in an error means the error echoes the request. */
function echoable(req: FuzzRequest): string[] {
  const texts = [...req.query.map(([, value]) => value), ...req.path.split('/').map(safeDecode)];
  try {
    const collect = (value: unknown): void => {
      if (typeof value === 'string') texts.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(req.body === undefined ? undefined : JSON.parse(req.body));
  } catch {
    // not JSON: nothing to collect
  }
  return texts.filter(
    (text) => text.length >= 12 && /[^\w .:-]/.test(text) && !/^[\w.-]+@[\w.-]+$/.test(text),
  );
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Library names and stack frames an error must never show. */
const LEAKS =
  /fastify|FST_|nestjs|class-validator|typeorm|QueryFailedError|postgres|ioredis|\bat \S+ \(|node_modules/i;

function judge(op: Op, req: FuzzRequest, answer: Answer): Violation | undefined {
  const fail = (what: string, detail = '') => ({ key: `${op.name} → ${what}`, detail });
  if (answer.status === 0) return fail('no answer', answer.text);
  let body: unknown;
  try {
    body = answer.text ? JSON.parse(answer.text) : undefined;
  } catch {
    body = undefined;
  }
  const code = (body as { code?: unknown } | undefined)?.code;
  if (answer.status >= 500) return fail(`${answer.status} ${String(code)}`, answer.text.slice(0, 300));
  const declared = op.operation.responses[String(answer.status)] ?? op.operation.responses.default;
  if (!declared)
    return fail(
      `undeclared ${answer.status} ${typeof code === 'string' ? code : ''}`.trim(),
      answer.text.slice(0, 300),
    );
  if (answer.status >= 400) {
    if (!answer.contentType.startsWith('application/problem+json')) {
      return fail(`${answer.status} not problem+json (${answer.contentType})`, answer.text.slice(0, 300));
    }
    if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(code))
      return fail(`${answer.status} without a code`, answer.text.slice(0, 300));
    if ((body as { status?: unknown }).status !== answer.status)
      return fail(`${answer.status} ${code} with another status in the body`);
    const codes = declared['x-problem-codes'];
    if (codes && !codes.includes(code))
      return fail(`${answer.status} ${code} not declared (declared: ${codes.join(', ')})`);
    if (LEAKS.test(answer.text))
      return fail(`${answer.status} ${code} names a library`, answer.text.slice(0, 300));
    const echoed = echoable(req).find((text) => answer.text.includes(JSON.stringify(text).slice(1, -1)));
    if (echoed) return fail(`${answer.status} ${code} echoes the request`, echoed.slice(0, 100));
    if (!answer.nosniff) return fail(`${answer.status} ${code} without X-Content-Type-Options: nosniff`);
    return undefined;
  }
  if (!answer.nosniff) return fail(`${answer.status} without X-Content-Type-Options: nosniff`);
  if (answer.status >= 200 && answer.status < 300) {
    successes.set(op.name, (successes.get(op.name) ?? 0) + 1);
    const schema = declared.content?.['application/json']?.schema;
    if (!schema) return answer.status === 204 && answer.text ? fail('204 with a body') : undefined;
    if (!answer.contentType.startsWith('application/json'))
      return fail(`${answer.status} as ${answer.contentType}`);
    const problem = conformance(schema, body, '$');
    if (problem)
      return fail(`${answer.status} body ${problem.replace(/\[\d+\]/g, '[]')}`, answer.text.slice(0, 300));
    harvest(collectionOf(op.path), body);
  }
  return undefined;
}

/** Where a value breaks its schema: required properties, types, enums, nullability. */
function conformance(raw: Schema | undefined, value: unknown, at: string): string | undefined {
  if (!raw) return undefined;
  if (raw.oneOf || raw.anyOf) {
    const options = (raw.oneOf ?? raw.anyOf)!;
    return options.some((option) => !conformance(option, value, at)) ? undefined : `${at} matches no option`;
  }
  if (raw.allOf && raw.allOf.length > 1) {
    for (const part of raw.allOf) {
      const problem = conformance(part, value, at);
      if (problem) return problem;
    }
  }
  const schema = resolve(raw);
  if (value === null) return schema.nullable || schema.type === 'null' ? undefined : `${at} is null`;
  if (schema.enum && !schema.enum.some((option) => option === value))
    return `${at} = ${JSON.stringify(value)} not in enum`;
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return `${at} is not a string`;
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) return `${at} is not a date-time`;
      return undefined;
    case 'integer':
      return Number.isInteger(value) ? undefined : `${at} is not an integer`;
    case 'number':
      return typeof value === 'number' ? undefined : `${at} is not a number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${at} is not a boolean`;
    case 'array':
      if (!Array.isArray(value)) return `${at} is not an array`;
      for (const [i, item] of value.entries()) {
        const problem = conformance(schema.items, item, `${at}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    default: {
      if (!schema.properties && !schema.type) return undefined;
      if (typeof value !== 'object' || Array.isArray(value) || value === undefined)
        return `${at} is not an object`;
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in record)) return `${at}.${key} is missing`;
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (record[key] === undefined) continue;
        const problem = conformance(property, record[key], `${at}.${key}`);
        if (problem) return problem;
      }
      if (typeof schema.additionalProperties === 'object') {
        for (const [key, item] of Object.entries(record)) {
          const problem = conformance(schema.additionalProperties, item, `${at}.${key}`);
          if (problem) return problem;
        }
      }
      return undefined;
    }
  }
}

interface Finding {
  violation: Violation;
  role: Role;
  seen: number;
  request: FuzzRequest;
  answer?: Answer;
  op: Op;
}

const findings = new Map<string, Finding>();

class Broken extends Error {
  constructor(
    readonly violation: Violation,
    readonly answer: Answer,
  ) {
    super(violation.key);
  }
}

/** The statuses each operation-caller pair has seen: pairs that only ever get 401 or 403 get no more. */
const statusesOf = new Map<string, Set<number>>();

async function fuzzPair(op: Op, role: Role, runs: number, deadline: number, phase: string): Promise<void> {
  let left = runs;
  let seed = SEED ^ hash(`${op.name} ${role} ${phase}`);
  const statuses = statusesOf.get(`${op.name} ${role}`) ?? new Set<number>();
  statusesOf.set(`${op.name} ${role}`, statuses);
  while (left > 0 && Date.now() < deadline) {
    let shrinking = -1;
    let last: Broken | undefined;
    const property = fc.asyncProperty(requestArbitrary(op, role), async (req) => {
      if (shrinking >= SHRINK_REQUESTS) return true;
      if (shrinking >= 0) shrinking++;
      const answer = await send(op, role, req);
      statuses.add(answer.status);
      const violation = judge(op, req, answer);
      if (!violation) return true;
      const known = findings.get(violation.key);
      if (known && shrinking < 0) {
        known.seen++;
        return true;
      }
      if (shrinking < 0) shrinking = 0;
      last = new Broken(violation, answer);
      throw last;
    });
    const details = await fc.check(property, {
      numRuns: left,
      seed,
      interruptAfterTimeLimit: Math.max(1, deadline - Date.now()),
      markInterruptAsFailure: false,
    });
    left -= details.numRuns;
    seed = (seed * 31 + 7) | 0;
    if (!details.failed || !details.counterexample) break;
    const [request] = details.counterexample;
    const broken = (details.errorInstance instanceof Broken ? details.errorInstance : last)!;
    const known = findings.get(broken.violation.key);
    if (known) known.seen++;
    else
      findings.set(broken.violation.key, {
        violation: broken.violation,
        role,
        seen: 1,
        request,
        answer: broken.answer,
        op,
      });
  }
}

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) | 0;
  return h;
}

// ---------------------------------------------------------------------------------------------------------
// The world: database, fixtures, api, worker, SMS receiver, callers
// ---------------------------------------------------------------------------------------------------------

interface SmsReceiver {
  server: Server;
  url: string;
  texts: { to: string; text: string }[];
}

async function startSmsReceiver(): Promise<SmsReceiver> {
  const texts: { to: string; text: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const text = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to: string; text: string };
        texts.push(text);
        const code = /\b(\d{6})\b/.exec(text.text)?.[1];
        if (code) smsCodes.push(code);
        if (smsCodes.length > 50) smsCodes.shift();
      } catch {
        // not a text
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { server, url: `http://${HOST}:${(server.address() as AddressInfo).port}/sms`, texts };
}

function startChild(script: string, env: NodeJS.ProcessEnv, log: WriteStream): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      '-r',
      join(ROOT, 'scripts', 'register-dist-paths.js'),
      '-r',
      join(ROOT, 'dist', 'bench', 'fuzz-egress-guard.js'),
      join(ROOT, 'dist', script),
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  return child;
}

interface Fixtures {
  agencyId: string;
  publishedOrderIds: string[];
  users: Record<
    'agency_admin' | 'agency_staff' | 'regulator' | 'admin',
    { id: string; email: string; password: string }
  >;
}

async function createFixtures(dataSource: DataSource): Promise<Fixtures> {
  const serial = randomBytes(4).toString('hex');
  const [{ id: agencyId }]: { id: string }[] = await dataSource.query(
    `INSERT INTO agencies (name, license_number, license_status, enterprise_code, province_code)
     VALUES ($1, $2, 'active', $3, 'ha-noi') RETURNING id`,
    [
      `Công ty Thử nghiệm Fuzz ${serial}`,
      `FUZZ-${serial}/LĐTBXH-GP`,
      String(parseInt(serial, 16)).padStart(10, '0').slice(0, 10),
    ],
  );
  const publishedOrderIds: string[] = [];
  const states: [string, string][] = [
    ['approved', 'published'],
    ['approved', 'published'],
    ['approved', 'published'],
    ['draft', 'draft'],
    ['submitted', 'draft'],
    ['approved', 'draft'],
  ];
  for (const [index, [registration, publication]] of states.entries()) {
    const [{ id }]: { id: string }[] = await dataSource.query(
      `INSERT INTO job_orders (agency_id, title, occupation, country_code, work_location, industry_code, program_code,
         openings, gender, birth_year_from, birth_year_to, salary_amount, salary_currency, salary_vnd_estimate,
         contract_months, service_fee_vnd, deposit_vnd, total_cost_vnd, registration_status, publication_status,
         approved_headcount, published_at)
       VALUES ($1, $2, 'Công nhân', 'JP', 'Osaka', 'manufacturing', 'jp_technical_intern', 20, 'any', 1960, $3,
         180000, 'JPY', 30000000, 36, 30000000, 0, 30000000, $4::registration_status, $5::publication_status, 50,
         CASE WHEN $5::publication_status = 'published' THEN now() END)
       RETURNING id`,
      [agencyId, `Đơn hàng fuzz ${index + 1}: đóng gói thực phẩm`, YEAR - 18, registration, publication],
    );
    if (publication === 'published') publishedOrderIds.push(id);
    remember('job-orders', id);
  }
  const users = {} as Fixtures['users'];
  for (const role of ['agency_admin', 'agency_staff', 'regulator', 'admin'] as const) {
    const email = `fuzz-${role.replace('_', '-')}-${serial}@example.vn`;
    const password = `mật khẩu fuzz ${serial} ${role}`;
    const [{ id }]: { id: string }[] = await dataSource.query(
      `INSERT INTO users (email, password_hash, role, agency_id) VALUES ($1, $2, $3, $4) RETURNING id`,
      [email, await hashPassword(password), role, role.startsWith('agency') ? agencyId : null],
    );
    users[role] = { id, email, password };
    credentials.push({ email, password });
    protectedIds.add(id);
  }
  // Users the admin may change at will.
  for (let i = 0; i < 3; i++) {
    const [{ id }]: { id: string }[] = await dataSource.query(
      `INSERT INTO users (email, password_hash, role, agency_id) VALUES ($1, $2, 'agency_staff', $3) RETURNING id`,
      [`fuzz-spare-${i}-${serial}@example.vn`, await hashPassword(`mật khẩu dự phòng ${serial}`), agencyId],
    );
    remember('users', id);
  }
  protectedIds.add(agencyId);
  const agencies: { id: string }[] = await dataSource.query(`SELECT id FROM agencies`);
  for (const { id } of agencies) remember('agencies', id);
  return { agencyId, publishedOrderIds, users };
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: unknown }> {
  const response = await request(`${baseUrl}${path}`, {
    method: method as 'GET',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher,
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function expectStatus(
  what: string,
  status: number,
  answer: { status: number; body: unknown },
): Promise<void> {
  if (answer.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return Promise.resolve();
}

async function signInEveryone(fixtures: Fixtures, sms: SmsReceiver): Promise<void> {
  for (const [role, user] of Object.entries(fixtures.users)) {
    const answer = await call('POST', '/api/v1/auth/login', { email: user.email, password: user.password });
    await expectStatus(`sign-in as ${role}`, 200, answer);
    tokens[role as Role] = (answer.body as { accessToken: string }).accessToken;
  }
  const started = await call('POST', '/api/v1/phone-verifications', { phone: APPLICANT_PHONE });
  await expectStatus('phone verification', 202, started);
  const { verificationId } = started.body as { verificationId: string };
  const deadline = Date.now() + 30_000;
  let code: string | undefined;
  while (!code && Date.now() < deadline) {
    code = sms.texts.map(({ text }) => /\b(\d{6})\b/.exec(text)?.[1]).find(Boolean);
    if (!code) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!code) throw new Error('no one-time code reached the SMS receiver within 30 s (is the worker up?)');
  const confirmed = await call('POST', `/api/v1/phone-verifications/${verificationId}/confirm`, { code });
  await expectStatus('one-time code', 200, confirmed);
  tokens.applicant = (confirmed.body as { applicantToken: string }).applicantToken;

  // Something for the path parameters to find: a request of the applicant, a report, a suspension.
  for (const jobOrderId of fixtures.publishedOrderIds) {
    const accepted = await call('POST', '/api/v1/consultations', {
      jobOrderId,
      fullName: 'Nguyễn Văn Fuzz',
      phone: APPLICANT_PHONE,
      province: 'Nghệ An',
      birthYear: YEAR - 25,
      consent: true,
    });
    await expectStatus('consultation request', 202, accepted);
    harvest(undefined, accepted.body);
  }
  const report = await call('POST', `/api/v1/job-orders/${fixtures.publishedOrderIds[0]}/reports`, {
    reason: 'excessive_fees',
    detail: 'Thu phí quá cao',
  });
  if (report.status !== 202) console.warn(`fuzz: the setup report answered ${report.status}`);
  const suspension = await call(
    'POST',
    '/api/v1/regulator/recruitment-suspensions',
    {
      country: 'KR',
      provinces: ['Hà Tĩnh'],
      from: `${YEAR}-01-01`,
      to: `${YEAR + 1}-12-31`,
      reason: 'Fuzz fixture',
    },
    tokens.regulator,
  );
  if (suspension.status === 201) harvest('recruitment-suspensions', suspension.body);
  for (const [path, role] of [
    ['/api/v1/regulator/flags', 'regulator'],
    ['/api/v1/regulator/job-orders', 'regulator'],
    ['/api/v1/admin/users', 'admin'],
    ['/api/v1/agency/job-orders', 'agency_admin'],
    ['/api/v1/agency/consultations', 'agency_admin'],
    ['/api/v1/me/consultations', 'applicant'],
  ] as [string, Role][]) {
    const answer = await call('GET', path, undefined, tokens[role]);
    if (answer.status === 200) harvest(collectionOf(path), answer.body);
  }
}

async function cleanRedis(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------------------

async function runPairs(
  pairs: { op: Op; role: Role }[],
  runs: number,
  deadline: number,
  phase: string,
  onDone: () => void,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < pairs.length && Date.now() < deadline) {
        const { op, role } = pairs[next++];
        await fuzzPair(op, role, runs, deadline, phase);
        onDone();
      }
    }),
  );
}

function shuffled<T>(items: T[], seed: number): T[] {
  const result = [...items];
  let state = seed || 1;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}

function reproduction(finding: Finding): string {
  const { request: req, role, op } = finding;
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) =>
      name === 'authorization' && role !== 'anonymous' ? [name, `Bearer <${role} token>`] : [name, value],
    ),
  );
  const body =
    req.body === undefined
      ? undefined
      : req.body.length > 400
        ? `${req.body.slice(0, 400)}… (${req.body.length} characters)`
        : req.body;
  const url = urlOf(req.path, req.query).replace(baseUrl, '');
  const shownUrl = url.length > 400 ? `${url.slice(0, 400)}… (${url.length} characters)` : url;
  return JSON.stringify({ method: op.method, url: shownUrl, headers, body }, null, 2);
}

function summary(started: number, log: string, refused: number): number {
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const format = (n: number) => n.toLocaleString('en-US');
  console.log(
    `\nfuzz: ${format(counts.total)} requests in ${seconds} s (seed ${SEED}; FUZZ_SEED=${SEED} replays it)`,
  );
  console.log(
    `by caller: ${ROLES.map((role) => `${role} ${format(counts.byRole.get(role) ?? 0)}`).join(', ')}`,
  );
  const statuses = [...counts.byStatus].sort(([a], [b]) => a - b);
  console.log(
    `by status: ${statuses.map(([status, n]) => `${status || 'no answer'} ${format(n)}`).join(', ')}`,
  );
  const operations = allOps.map((op) => op.name);
  const without = operations.filter((name) => !successes.has(name));
  console.log(
    `operations: ${operations.length}, ${operations.length - without.length} answered 2xx at least once`,
  );
  if (without.length) console.log(`  never 2xx: ${without.join('; ')}`);
  console.log(`outbound connections or lookups refused by the egress guard: ${refused}`);
  console.log(`api and worker log: ${log}`);
  console.log(`violations: ${findings.size}`);
  let i = 0;
  for (const finding of findings.values()) {
    console.log(`\n${++i}. ${finding.violation.key} [${finding.role}] (seen ${finding.seen}×)`);
    console.log(`   minimal request: ${reproduction(finding).replace(/\n/g, '\n   ')}`);
    if (finding.answer) {
      console.log(
        `   answer: ${finding.answer.status} ${finding.answer.contentType} ${finding.answer.text.slice(0, 400)}`,
      );
    }
    if (finding.violation.detail) console.log(`   detail: ${finding.violation.detail}`);
  }
  if (counts.total < 10_000)
    console.log(`\nfewer than 10,000 requests (${counts.total}): raise FUZZ_SECONDS`);
  return findings.size ? 1 : 0;
}

let allOps: Op[] = [];

async function main(): Promise<number> {
  const started = Date.now();
  const database = `xkld_fuzz_${randomBytes(4).toString('hex')}`;
  const logPath = join(tmpdir(), `${database}.log`);
  const log = createWriteStream(logPath);
  const sms = await startSmsReceiver();
  const port = await freePort();
  baseUrl = `http://${HOST}:${port}`;
  const env = benchEnv(database, {
    HOST,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SMS_PROVIDER: 'http',
    SMS_HTTP_URL: sms.url,
    SMS_HTTP_SECRET: randomBytes(16).toString('hex'),
    WEBHOOK_ALLOW_PRIVATE: 'false',
    // Deep enough to pass the limits now and then; their 429s are declared and seen all the same.
    RATE_LIMIT_CONSULTATIONS_PER_IP_PER_HOUR: '2000',
    RATE_LIMIT_CONSULTATIONS_PER_PHONE_PER_HOUR: '200',
    RATE_LIMIT_OTP_PER_IP_PER_HOUR: '2000',
    RATE_LIMIT_OTP_PER_PHONE_PER_HOUR: '200',
    METRICS_TOKEN: randomBytes(24).toString('hex'),
  });
  let api: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let refused = 0;
  const countRefusals = (chunk: Buffer) => {
    refused += chunk.toString('utf8').split('fuzz-egress-guard: refused').length - 1;
  };
  try {
    console.log(`fuzz: database ${database}, api on ${baseUrl}, seed ${SEED}`);
    const dataSource = await migratedDatabase(database);
    let fixtures: Fixtures;
    try {
      await seedDemoData(dataSource);
      fixtures = await createFixtures(dataSource);
    } finally {
      await dataSource.destroy();
    }
    api = startChild('apps/api/src/main.js', env, log);
    worker = startChild('apps/worker/src/main.js', env, log);
    api.stderr!.on('data', countRefusals);
    worker.stderr!.on('data', countRefusals);
    await waitForHttp(`${baseUrl}/api/v1/health/live`);
    await signInEveryone(fixtures, sms);

    const document = (await call('GET', '/api/docs-json')).body as OpenApi;
    schemas = document.components.schemas;
    allOps = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          name: `${method.toUpperCase()} ${path}`,
          method: method.toUpperCase(),
          path,
          operation,
        })),
      );
    const pairs = shuffled(
      allOps.flatMap((op) => ROLES.map((role) => ({ op, role }))),
      SEED,
    );
    const deadline = started + SECONDS * 1000;
    let done = 0;
    let total = pairs.length;
    const progress = setInterval(() => {
      console.log(
        `fuzz: ${counts.total} requests, ${done}/${total} operation-caller runs, ${findings.size} violations`,
      );
    }, 15_000);
    try {
      // First every operation with every caller; then the rest of the budget where the caller gets past the
      // guards (anonymous on public operations, each role on its own).
      console.log(`fuzz: ${allOps.length} operations × ${ROLES.length} callers, ${PROBE_RUNS} requests each`);
      await runPairs(pairs, PROBE_RUNS, deadline, 'probe', () => done++);
      const admitted = pairs.filter(({ op, role }) =>
        [...(statusesOf.get(`${op.name} ${role}`) ?? [])].some((status) => status !== 401 && status !== 403),
      );
      const runs = Math.max(1, Math.ceil((REQUESTS - counts.total) / Math.max(1, admitted.length)));
      total += admitted.length;
      console.log(
        `fuzz: ${admitted.length} operation-caller pairs get past the guards, ${runs} requests each`,
      );
      await runPairs(admitted, runs, deadline, 'focus', () => done++);
    } finally {
      clearInterval(progress);
    }
    if (api.exitCode !== null) console.log(`fuzz: the api exited with ${api.exitCode}`);
    if (worker.exitCode !== null) console.log(`fuzz: the worker exited with ${worker.exitCode}`);
    return summary(started, logPath, refused);
  } finally {
    await stop(api);
    await stop(worker);
    await new Promise((resolve) => sms.server.close(resolve));
    await dispatcher.close();
    log.end();
    trace?.end();
    if (process.env.FUZZ_KEEP !== '1') {
      await dropDatabase(database).catch(() => undefined);
      await cleanRedis(`bench-${database}`).catch(() => undefined);
    }
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
