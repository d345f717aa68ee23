/**
 * Baseline for the ranking benchmark: a bare Fastify server answering GET /agencies/top with a fixed body,
 * the api's own answer saved to a file, so both send the same bytes. No Nest, no validation, no cache.
 *
 *   node dist/bench/bare-ranking-server.js <port> <body file>
 */
import { readFileSync } from 'node:fs';

import { fastify } from 'fastify';

const [port, file] = process.argv.slice(2);
const body = readFileSync(file);
const app = fastify({ logger: false });
app.get('/agencies/top', (_request, reply) => {
  void reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
app.get('/health', (_request, reply) => {
  void reply.send({ ok: true });
});
app.listen({ port: Number(port), host: '127.0.0.1' }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
