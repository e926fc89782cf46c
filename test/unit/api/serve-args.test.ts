import { describe, expect, it } from 'vitest';
import { hostAllowed, originAllowed } from '../../../interpreter/api/request-guard';
import { parseServeArgs } from '../../../interpreter/cli/serve';

describe('--allowed-host (issue 12: DNS rebinding)', () => {
  it('is repeatable and shared by serve and dev', () => {
    const a = parseServeArgs(['--allowed-host', 'weft.lan', '--allowed-host', '.example.com']);
    expect(a.allowedHosts).toEqual(['weft.lan', '.example.com']);
    expect(parseServeArgs([]).allowedHosts).toEqual([]);
  });

  it.each(['http://weft.lan', 'weft.lan:8787', 'weft.lan/x', ''])(
    'refuses %j with a usage error that shows the form',
    (value) => {
      expect(() => parseServeArgs(['--allowed-host', value])).toThrow(/host name without scheme/);
    },
  );
});

describe('the request guard', () => {
  const opts = { boundHost: '127.0.0.1', allowedHosts: ['weft.lan', '.corp.example'] };

  it.each([
    ['127.0.0.1:8787', true],
    ['localhost', true],
    ['[::1]:8787', true],
    ['127.9.9.9:1', true],
    ['weft.lan:8787', true],
    ['a.corp.example', true],
    ['corp.example', true],
    ['evil.example', false],
    ['localhost.evil.example', false],
    ['xcorp.example', false],
    ['10.0.0.5:8787', false],
    ['127.0.0.1@evil.example', false],
  ])('Host %s allowed: %s', (host, ok) => {
    expect(hostAllowed(host, opts)).toBe(ok);
  });

  it('allows IP literals only when bound to every interface', () => {
    expect(hostAllowed('10.0.0.5:8787', { boundHost: '0.0.0.0' })).toBe(true);
    expect(hostAllowed('[fe80::1]:8787', { boundHost: '::' })).toBe(true);
    expect(hostAllowed('evil.example', { boundHost: '0.0.0.0' })).toBe(false);
    expect(hostAllowed('10.0.0.5', { boundHost: '10.0.0.5' })).toBe(true);
  });

  it('accepts an Origin only when it is this Host, or listed with --cors', () => {
    const o = { ...opts, corsOrigins: ['https://app.example'] };
    expect(originAllowed('http://127.0.0.1:8787', '127.0.0.1:8787', o)).toBe(true);
    expect(originAllowed('http://127.0.0.1:8788', '127.0.0.1:8787', o)).toBe(false);
    expect(originAllowed('https://app.example', '127.0.0.1:8787', o)).toBe(true);
    expect(originAllowed('null', '127.0.0.1:8787', o)).toBe(false);
    expect(originAllowed('file://', '127.0.0.1:8787', o)).toBe(false);
  });
});
