/**
 * Preloaded (`node -r`) into the api and the worker that `npm run fuzz` starts: whatever the fuzzer makes
 * them store (a webhook URL, a website), no connection and no name lookup leaves this machine. A TCP
 * connection may only go to a loopback address, and only `localhost` and literal addresses resolve; anything
 * else fails as an unreachable host would, and is counted on stderr as `fuzz-egress-guard: refused …`.
 */
import dns from 'node:dns';
import net from 'node:net';

function isLoopback(host: string): boolean {
  const address = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    address === 'localhost' ||
    address === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(address) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(address)
  );
}

function refuse(what: string): NodeJS.ErrnoException {
  process.stderr.write(`fuzz-egress-guard: refused ${what}\n`);
  const error: NodeJS.ErrnoException = new Error(`fuzz egress guard: ${what} is not on this machine`);
  error.code = 'ENOTFOUND';
  return error;
}

type ConnectArgs = Parameters<net.Socket['connect']>;
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with its socket below
const connect = net.Socket.prototype.connect as (this: net.Socket, ...args: unknown[]) => net.Socket;

/** The host a Socket#connect call targets, or undefined for a Unix socket. */
function targetHost(args: unknown[]): string | undefined {
  // net.connect passes its normalised [options, callback] array.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { path?: string; host?: string };
    return options.path ? undefined : (options.host ?? 'localhost');
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  return undefined;
}

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
  const host = targetHost(args);
  if (host !== undefined && !isLoopback(host)) {
    const error = refuse(`a connection to ${host}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
} as net.Socket['connect'];

const lookup = dns.lookup as (...args: unknown[]) => void;
dns.lookup = function guardedLookup(hostname: string, ...rest: unknown[]) {
  if (net.isIP(hostname) || isLoopback(hostname)) return lookup(hostname, ...rest);
  const callback = rest.at(-1) as (error: NodeJS.ErrnoException) => void;
  const error = refuse(`a lookup of ${hostname}`);
  process.nextTick(() => callback(error));
} as typeof dns.lookup;

const lookupAsync = dns.promises.lookup.bind(dns.promises) as (...args: unknown[]) => Promise<unknown>;
dns.promises.lookup = function guardedLookupAsync(hostname: string, ...rest: unknown[]) {
  if (net.isIP(hostname) || isLoopback(hostname)) return lookupAsync(hostname, ...rest);
  return Promise.reject(refuse(`a lookup of ${hostname}`));
} as typeof dns.promises.lookup;

const resolvers = dns.promises as unknown as Record<string, (hostname: string) => Promise<unknown>>;
for (const name of ['resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  resolvers[name] = (hostname: string) => Promise.reject(refuse(`a DNS query for ${hostname}`));
}
