import type { LookupAddress } from 'node:dns';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { Agent, request } from 'undici';

import { unsafeUrlReason, UnsafeAddressError } from './public-url';
import { createOutboundDispatcher, safeFetch } from './safe-fetch';

describe('outbound calls to addresses users gave', () => {
  let server: Server;
  let port: number;
  const received: IncomingHttpHeaders[] = [];
  const dispatchers: Agent[] = [];

  const dispatcher = (allowPrivate: boolean, resolve: (host: string) => Promise<LookupAddress[]>) => {
    const created = createOutboundDispatcher({ allowPrivate, resolve });
    dispatchers.push(created);
    return created;
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.headers);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  beforeEach(() => {
    received.length = 0;
  });

  afterAll(async () => {
    await Promise.all(dispatchers.map((created) => created.close()));
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses at connect time a name that passed the check and then resolves to a private address', async () => {
    const answers: LookupAddress[][] = [
      [{ address: '93.184.216.34', family: 4 }],
      [{ address: '127.0.0.1', family: 4 }],
    ];
    const rebinding = () => Promise.resolve(answers.shift() ?? []);
    expect(await unsafeUrlReason('https://rebind.example.test/hook', false, rebinding)).toBeUndefined();

    const failure = await request(`http://rebind.example.test:${port}/hook`, {
      method: 'POST',
      body: '{}',
      dispatcher: dispatcher(false, rebinding),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UnsafeAddressError);
    expect(received).toHaveLength(0);
  });

  it('connects only to the address it vetted, with the name in the Host header', async () => {
    let lookups = 0;
    const resolve = () => (lookups++, Promise.resolve([{ address: '127.0.0.1', family: 4 }]));
    const pinned = dispatcher(true, resolve);
    const { statusCode, body } = await request(`http://hooks.example.test:${port}/a`, { dispatcher: pinned });
    await body.text();
    expect(statusCode).toBe(200);
    expect(received[0].host).toBe(`hooks.example.test:${port}`);
    expect(lookups).toBe(1);
  });

  it('refuses IPv4-embedded IPv6 literals, which skip the lookup, before connecting', async () => {
    const never = () => Promise.reject(new Error('an IP literal is not resolved'));
    for (const host of ['[::7f00:1]', '[::ffff:127.0.0.1]', '[64:ff9b::7f00:1]', '127.0.0.1']) {
      const failure = await request(`http://${host}:${port}/`, {
        dispatcher: dispatcher(false, never),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UnsafeAddressError);
    }
    expect(received).toHaveLength(0);
  });

  it('safeFetch names the refusal: a loopback name, a literal, http, credentials', async () => {
    const reasons = await Promise.all(
      [
        `https://localhost:${port}/hook`,
        `https://[::7f00:1]:${port}/hook`,
        `http://93.184.216.34/hook`,
        `https://user:pw@93.184.216.34/hook`,
      ].map((url) =>
        safeFetch(url, { method: 'POST' }, { allowPrivate: false }).then(
          () => 'sent',
          (error: unknown) => (error instanceof UnsafeAddressError ? error.reason : String(error)),
        ),
      ),
    );
    expect(reasons).toEqual([
      'private or loopback address',
      'private or loopback address',
      'must be https',
      'must not carry credentials',
    ]);
    expect(received).toHaveLength(0);
  });

  it('reaches a loopback receiver when private targets are allowed (development, tests)', async () => {
    const response = await safeFetch(
      `http://127.0.0.1:${port}/hook`,
      { method: 'POST', body: '{}' },
      {
        allowPrivate: true,
      },
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(received).toHaveLength(1);
  });
});
