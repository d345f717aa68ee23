/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110 §13.1.2): `*`, or any listed tag equal to it
 * under the weak comparison (`W/` prefixes ignored). A GET that matches is answered 304 Not Modified.
 */
export function ifNoneMatch(header: string | string[] | undefined, etag: string | undefined): boolean {
  if (!header || !etag) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}

/** Whether `Accept-Encoding` accepts gzip (listed, or by `*`, with a q above 0). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = Number.isFinite(q) ? q : 0;
    else if (coding === '*') any = Number.isFinite(q) ? q : 0;
  }
  return (gzip ?? any ?? 0) > 0;
}
