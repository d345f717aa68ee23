import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

import type { ConsultationSettings } from './consultations.settings';
import { signWebhookBody, WebhookSender } from './webhook-sender';

describe('WebhookSender', () => {
  let server: Server;
  let port: number;
  const received: { url?: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const sockets = new Set<Socket>();
  let reply: (respond: (status: number) => void) => void = (respond) => respond(200);
  const senders: WebhookSender[] = [];

  const sender = (allowPrivate: boolean, responseTimeoutMs = 3000) => {
    const created = new WebhookSender({
      webhookAllowPrivate: allowPrivate,
      webhooks: { connectTimeoutMs: 2000, responseTimeoutMs },
    } as ConsultationSettings);
    senders.push(created);
    return created;
  };
  const message = (url: string) => {
    const body = JSON.stringify({ event: 'consultation.assigned', deliveryId: 'delivery-1' });
    return { url, body, signature: signWebhookBody('a shared secret', body), deliveryId: 'delivery-1' };
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString() });
        reply((status) => response.writeHead(status).end('a body the sender never reads'));
      });
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    received.length = 0;
    reply = (respond) => respond(200);
  });

  afterAll(async () => {
    await Promise.all(senders.map((created) => created.close()));
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a webhook whose name resolves to a loopback address when it connects, and says why', async () => {
    const named = await sender(false).send(message(`https://localhost:${port}/hook`));
    expect(named).toMatchObject({ ok: false, error: 'refused: private or loopback address' });
    const literal = await sender(false).send(message(`https://[::7f00:1]:${port}/hook`));
    expect(literal).toMatchObject({ ok: false, error: 'refused: private or loopback address' });
    const plain = await sender(false).send(message(`http://example.com:${port}/hook`));
    expect(plain).toMatchObject({ ok: false, error: 'refused: must be https' });
    expect(received).toHaveLength(0);
  });

  it('POSTs the signed body with its delivery id over kept-alive connections (WEBHOOK_ALLOW_PRIVATE)', async () => {
    const pooled = sender(true);
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await pooled.send(message(`http://localhost:${port}/hook`)));
    expect(results.map((result) => [result.ok, result.status])).toEqual(new Array(10).fill([true, 200]));
    expect(received[0].headers).toMatchObject({
      'content-type': 'application/json',
      'x-delivery-id': 'delivery-1',
      'x-signature': signWebhookBody('a shared secret', received[0].body),
    });
    // undici hands a connection back a moment after the answer ends: two serve ten sends in turn.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('names a failure in a few words: a status, a refused connection, a timeout; never a body', async () => {
    reply = (respond) => respond(503);
    expect(await sender(true).send(message(`http://127.0.0.1:${port}/hook`))).toMatchObject({
      ok: false,
      status: 503,
      error: 'HTTP 503',
    });
    reply = (respond) => respond(302);
    expect((await sender(true).send(message(`http://127.0.0.1:${port}/hook`))).error).toBe('HTTP 302');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await sender(true).send(message(`http://127.0.0.1:${closedPort}/hook`))).error).toBe(
      'connection refused',
    );

    reply = () => undefined; // never answers
    const started = Date.now();
    const hanging = await sender(true, 300).send(message(`http://127.0.0.1:${port}/hook`));
    expect(hanging).toMatchObject({ ok: false, error: 'no answer within 300 ms' });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('ends sends in flight as aborted when it closes (the worker stops)', async () => {
    reply = () => undefined;
    const closing = sender(true);
    const pending = closing.send(message(`http://127.0.0.1:${port}/hook`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await closing.close();
    expect(await pending).toMatchObject({ ok: false, aborted: true });
  });
});
