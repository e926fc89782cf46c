import { describe, expect, it } from 'vitest';
import { HttpPolicy, HttpPolicyError, reservedKind } from '../../../interpreter/activities';

describe('HttpPolicy', () => {
  it('classifies the addresses refused by default, and leaves public ones alone', () => {
    expect(reservedKind('127.0.0.1')).toBe('loopback');
    expect(reservedKind('::1')).toBe('loopback');
    expect(reservedKind('::ffff:127.0.0.1')).toBe('loopback');
    expect(reservedKind('169.254.169.254')).toBe('link-local');
    expect(reservedKind('fe80::1')).toBe('link-local');
    expect(reservedKind('fd00:ec2::254')).toBe('private');
    expect(reservedKind('10.1.2.3')).toBe('private');
    expect(reservedKind('172.31.0.1')).toBe('private');
    expect(reservedKind('192.168.0.10')).toBe('private');
    expect(reservedKind('0.0.0.0')).toBe('unspecified');
    expect(reservedKind('::')).toBe('unspecified');
    expect(reservedKind('64:ff9b::7f00:1')).toBe('NAT64');
    expect(reservedKind('8.8.8.8')).toBeUndefined();
    expect(reservedKind('172.32.0.1')).toBeUndefined();
    expect(reservedKind('2001:4860:4860::8888')).toBeUndefined();
  });

  it('allows by name, by name and port, by address and by CIDR block', () => {
    const p = new HttpPolicy(['localhost', 'api.local:8080', '[::1]:9000', '10.0.0.0/8']);
    expect(p.refusal('localhost', 1234, '127.0.0.1')).toBeUndefined();
    expect(p.refusal('LOCALHOST.', 1234, '::1')).toBeUndefined();
    expect(p.refusal('api.local', 8080, '192.168.1.2')).toBeUndefined();
    expect(p.refusal('api.local', 8081, '192.168.1.2')).toBe('private');
    expect(p.refusal('[::1]', 9000, '::1')).toBeUndefined();
    expect(p.refusal('[::1]', 9001, '::1')).toBe('loopback');
    expect(p.refusal('db.internal', 5432, '10.9.8.7')).toBeUndefined();
    expect(p.refusal('metadata', 80, '169.254.169.254')).toBe('link-local');
  });

  it('reads WEFT_ALLOW_HTTP as well as the flags', () => {
    const p = HttpPolicy.from(['a.test'], { WEFT_ALLOW_HTTP: '127.0.0.1, 192.168.0.0/16' });
    expect(p.rules).toEqual(['a.test', '127.0.0.1', '192.168.0.0/16']);
    expect(p.refusal('x', 80, '192.168.3.4')).toBeUndefined();
  });

  it('rejects rules it cannot read, saying what it expects', () => {
    for (const bad of ['', 'http://x', '10.0.0.0/33', 'host:99999', 'a b', '::1/200']) {
      expect(() => new HttpPolicy([bad])).toThrow(HttpPolicyError);
    }
    expect(() => new HttpPolicy(['http://x'])).toThrow(/host, host:port, IP address or CIDR/);
  });
});
