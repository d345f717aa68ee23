import { isPublicAddress, unsafeUrlReason } from './public-url';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['10.1.2.3', 'IPv4 private'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'this network'],
    ['192.0.2.1', 'documentation'],
    ['::1', 'IPv6 loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'IPv6 link-local'],
    ['fd00::1', 'unique local'],
    ['ff02::1', 'multicast'],
    ['::7f00:1', 'IPv4-compatible 127.0.0.1, hex'],
    ['::127.0.0.1', 'IPv4-compatible 127.0.0.1, dotted'],
    ['::a9fe:a9fe', 'IPv4-compatible 169.254.169.254'],
    ['::ffff:127.0.0.1', 'IPv4-mapped, dotted'],
    ['::ffff:7f00:1', 'IPv4-mapped, hex'],
    ['::ffff:0:a00:1', 'IPv4-translated 10.0.0.1'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 169.254.169.254'],
    ['64:ff9b::127.0.0.1', 'NAT64 loopback, dotted'],
    ['64:ff9b:1::a9fe:a9fe', 'local-use NAT64'],
    ['64:ff9b:1:a9fe:a9:fe00::', 'local-use NAT64, /48 layout'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:a9fe:a9fe::1', '6to4 of 169.254.169.254'],
    ['2001:0:a00:1::1', 'Teredo with a private server'],
    ['2001:0:5db8:d822::ffff:80ff:fffe', 'Teredo with the obfuscated client 127.0.0.1'],
    ['2001:db8::5efe:a00:1', 'documentation'],
    ['2600:1f18::5efe:a00:1', 'ISATAP 10.0.0.1'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['not an address', 'garbage'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ['93.184.216.34'],
    ['8.8.8.8'],
    ['2606:4700:4700::1111'],
    ['::ffff:93.184.216.34'],
    ['64:ff9b::5db8:d822'],
    ['2002:5db8:d822::1'],
    ['2001:0:5db8:d822::a247:27dd'],
  ])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('unsafeUrlReason', () => {
  it.each([
    ['http://93.184.216.34/hook', 'must be https'],
    ['https://127.0.0.1/hook', 'private or loopback address'],
    ['https://10.1.2.3/hook', 'private or loopback address'],
    ['https://192.168.1.10/hook', 'private or loopback address'],
    ['https://169.254.169.254/latest/meta-data', 'private or loopback address'],
    ['https://[::1]/hook', 'private or loopback address'],
    ['https://[::ffff:127.0.0.1]/hook', 'private or loopback address'],
    ['https://[::7f00:1]/hook', 'private or loopback address'],
    ['https://[64:ff9b::a9fe:a9fe]/latest/meta-data', 'private or loopback address'],
    ['https://[2002:7f00:1::]/hook', 'private or loopback address'],
    ['https://user:pw@93.184.216.34/hook', 'must not carry credentials'],
    ['ftp://93.184.216.34/', 'must be https'],
    ['not a url', 'not a URL'],
  ])('refuses %s', async (url, reason) => {
    expect(await unsafeUrlReason(url, false)).toBe(reason);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const resolve = () =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 },
        { address: '64:ff9b::a00:1', family: 6 },
      ]);
    expect(await unsafeUrlReason('https://hooks.example.com/', false, resolve)).toBe(
      'private or loopback address',
    );
  });

  it('accepts a public https address, and private http ones only when allowed', async () => {
    expect(await unsafeUrlReason('https://93.184.216.34/hook', false)).toBeUndefined();
    expect(await unsafeUrlReason('https://[64:ff9b::5db8:d822]/hook', false)).toBeUndefined();
    expect(await unsafeUrlReason('http://127.0.0.1:8080/hook', true)).toBeUndefined();
  });
});
