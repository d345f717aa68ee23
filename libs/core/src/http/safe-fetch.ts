import { isIP, LookupFunction } from 'node:net';

import { Agent, buildConnector, Dispatcher, fetch, request, RequestInit, Response } from 'undici';

import {
  isPublicAddress,
  Resolve,
  systemResolve,
  UnsafeAddressError,
  unsafeUrlFormReason,
  vetHost,
} from './public-url';

export interface OutboundDispatcherOptions extends Omit<Agent.Options, 'connect'> {
  /** Let private and loopback targets through (development and tests); names are still resolved once. */
  allowPrivate: boolean;
  /** Milliseconds to establish a connection (undici's default: 10 s). */
  connectTimeout?: number;
  /** How names are resolved; tests stand in a resolver that answers what they need. */
  resolve?: Resolve;
}

/**
 * An undici dispatcher (a pool of keep-alive connections per origin) for calls to addresses users gave us:
 * every connection it opens resolves the name once, checks every address, and connects only to those, so a
 * name cannot pass a check and then resolve to a private address for the connection (DNS rebinding). IP
 * literals, which skip the lookup, are checked before connecting. TLS still verifies the certificate against
 * the name. Use it with `safeFetch`, or with undici's `request`/`Pool` options for throughput.
 */
export function createOutboundDispatcher({
  allowPrivate,
  connectTimeout,
  resolve = systemResolve,
  ...agentOptions
}: OutboundDispatcherOptions): Agent {
  const lookup: LookupFunction = (hostname, options, callback) => {
    vetHost(hostname, allowPrivate, resolve).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const wanted = family ? addresses.filter((address) => address.family === family) : addresses;
        if (wanted.length === 0) return callback(new UnsafeAddressError('host does not resolve'), '', 0);
        if (options.all) return callback(null, wanted);
        callback(null, wanted[0].address, wanted[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
  const connector = buildConnector({ lookup, timeout: connectTimeout });
  return new Agent({
    ...agentOptions,
    connect: (options, callback) => {
      if (!allowPrivate && isIP(options.hostname) && !isPublicAddress(options.hostname)) {
        return callback(new UnsafeAddressError('private or loopback address'), null);
      }
      connector(options, callback);
    },
  });
}

const shared = new Map<boolean, Agent>();

/** One dispatcher per process for each policy, for callers that do not keep their own. */
export function sharedOutboundDispatcher(allowPrivate: boolean): Agent {
  let dispatcher = shared.get(allowPrivate);
  if (!dispatcher) shared.set(allowPrivate, (dispatcher = createOutboundDispatcher({ allowPrivate })));
  return dispatcher;
}

export interface SafeFetchOptions {
  allowPrivate: boolean;
  /** A dispatcher of `createOutboundDispatcher` (the shared one of the policy otherwise). */
  dispatcher?: Dispatcher;
}

/**
 * `fetch` for URLs users gave us (webhooks, SMS gateways): https only (http too when private targets are
 * allowed), no credentials in the URL, no redirects, and connections only to vetted addresses. A refusal
 * rejects with an `UnsafeAddressError` naming the reason, never a bare "fetch failed".
 */
export async function safeFetch(
  url: string,
  init: RequestInit,
  options: SafeFetchOptions,
): Promise<Response> {
  const reason = unsafeUrlFormReason(url, options.allowPrivate);
  if (reason) throw new UnsafeAddressError(reason);
  try {
    return await fetch(url, {
      ...init,
      redirect: 'error',
      dispatcher: options.dispatcher ?? sharedOutboundDispatcher(options.allowPrivate),
    });
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    throw cause instanceof UnsafeAddressError ? cause : error;
  }
}

export type SafeRequestOptions = Omit<NonNullable<Parameters<typeof request>[1]>, 'dispatcher'>;

/**
 * undici's `request` (without fetch's WHATWG layers: the choice for many calls a second) under the rules of
 * `safeFetch`: https only (http too when private targets are allowed), no credentials in the URL, no
 * redirects (a 3xx is answered as it is), and connections only to addresses the dispatcher vetted. A refusal
 * rejects with an `UnsafeAddressError`. The caller consumes or dumps the body.
 */
export async function safeRequest(
  url: string,
  init: SafeRequestOptions,
  options: SafeFetchOptions,
): Promise<Dispatcher.ResponseData> {
  const reason = unsafeUrlFormReason(url, options.allowPrivate);
  if (reason) throw new UnsafeAddressError(reason);
  try {
    return await request(url, {
      ...init,
      maxRedirections: 0,
      dispatcher: options.dispatcher ?? sharedOutboundDispatcher(options.allowPrivate),
    });
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    throw cause instanceof UnsafeAddressError ? cause : error;
  }
}
