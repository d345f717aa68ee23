import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it('sends HSTS outside development only', () => {
    expect(securityHeaders({ hsts: true }).api['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    const development = securityHeaders({ hsts: false });
    expect(development.api).not.toHaveProperty('strict-transport-security');
    expect(development.docs).not.toHaveProperty('strict-transport-security');
  });

  it('forbids framing, sniffing and referrers everywhere, and lets only the docs run same-origin scripts', () => {
    const { api, docs } = securityHeaders({ hsts: true });
    for (const headers of [api, docs]) {
      expect(headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    expect(api['content-security-policy']).toMatch(/^default-src 'none';/);
    expect(api['content-security-policy']).not.toContain('script-src');
    expect(docs['content-security-policy']).toContain("script-src 'self';");
  });
});
