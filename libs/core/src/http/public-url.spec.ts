import { unsafeUrlReason } from './public-url';

describe('unsafeUrlReason', () => {
  it.each([
    ['http://93.184.216.34/hook', 'must be https'],
    ['https://127.0.0.1/hook', 'private or loopback address'],
    ['https://10.1.2.3/hook', 'private or loopback address'],
    ['https://192.168.1.10/hook', 'private or loopback address'],
    ['https://169.254.169.254/latest/meta-data', 'private or loopback address'],
    ['https://[::1]/hook', 'private or loopback address'],
    ['https://[::ffff:127.0.0.1]/hook', 'private or loopback address'],
    ['https://user:pw@93.184.216.34/hook', 'must not carry credentials'],
    ['ftp://93.184.216.34/', 'must be https'],
    ['not a url', 'not a URL'],
  ])('refuses %s', async (url, reason) => {
    expect(await unsafeUrlReason(url, false)).toBe(reason);
  });

  it('accepts a public https address, and private http ones only when allowed', async () => {
    expect(await unsafeUrlReason('https://93.184.216.34/hook', false)).toBeUndefined();
    expect(await unsafeUrlReason('http://127.0.0.1:8080/hook', true)).toBeUndefined();
  });
});
