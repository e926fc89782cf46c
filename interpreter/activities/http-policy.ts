import { BlockList, isIP } from 'node:net';
import { nonRetryable } from './errors';

/** The environment variable that adds allow rules to every registry (comma or space separated). */
export const ALLOW_HTTP_ENV = 'WEFT_ALLOW_HTTP';

/** The failure type of a request the policy refuses; never retried. */
export const HTTP_FORBIDDEN = 'HttpForbidden';

/**
 * Address ranges a flow may not reach unless a rule allows them: the machine itself, its local
 * networks and the cloud metadata endpoints (169.254.169.254, fd00:ec2::254), which is what a
 * flow from an untrusted author would use to read the server's own files or credentials.
 */
const RESERVED: { subnet: string; prefix: number; type: 'ipv4' | 'ipv6'; kind: string }[] = [
  { subnet: '0.0.0.0', prefix: 8, type: 'ipv4', kind: 'unspecified' },
  { subnet: '127.0.0.0', prefix: 8, type: 'ipv4', kind: 'loopback' },
  { subnet: '169.254.0.0', prefix: 16, type: 'ipv4', kind: 'link-local' },
  { subnet: '10.0.0.0', prefix: 8, type: 'ipv4', kind: 'private' },
  { subnet: '172.16.0.0', prefix: 12, type: 'ipv4', kind: 'private' },
  { subnet: '192.168.0.0', prefix: 16, type: 'ipv4', kind: 'private' },
  { subnet: '100.64.0.0', prefix: 10, type: 'ipv4', kind: 'private (carrier-grade NAT)' },
  { subnet: '192.0.0.0', prefix: 24, type: 'ipv4', kind: 'reserved' },
  { subnet: '198.18.0.0', prefix: 15, type: 'ipv4', kind: 'reserved' },
  { subnet: '224.0.0.0', prefix: 4, type: 'ipv4', kind: 'multicast' },
  { subnet: '240.0.0.0', prefix: 4, type: 'ipv4', kind: 'reserved' },
  { subnet: '::', prefix: 128, type: 'ipv6', kind: 'unspecified' },
  { subnet: '::1', prefix: 128, type: 'ipv6', kind: 'loopback' },
  { subnet: 'fe80::', prefix: 10, type: 'ipv6', kind: 'link-local' },
  { subnet: 'fc00::', prefix: 7, type: 'ipv6', kind: 'private' },
  { subnet: 'ff00::', prefix: 8, type: 'ipv6', kind: 'multicast' },
  // NAT64 and 6to4 carry an IPv4 address inside; what they lead to is checked below.
  { subnet: '64:ff9b::', prefix: 96, type: 'ipv6', kind: 'NAT64' },
  { subnet: '2002::', prefix: 16, type: 'ipv6', kind: '6to4' },
];

const reserved = RESERVED.map((r) => {
  const list = new BlockList();
  list.addSubnet(r.subnet, r.prefix, r.type);
  return { list, kind: r.kind };
});

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** Why an address is refused by default (`loopback`, `link-local`…), or undefined if public. */
export function reservedKind(address: string): string | undefined {
  const type = family(address);
  // BlockList matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 ranges itself.
  return reserved.find((r) => r.list.check(address, type))?.kind;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

interface NameRule {
  host: string;
  port?: number;
}

/** Thrown for a bad `--allow-http` value, with what was expected. */
export class HttpPolicyError extends Error {
  override name = 'HttpPolicyError';
  readonly code = 'WEFT_ALLOW_HTTP';
}

/**
 * Where `http.request` and `sse.consume` may connect. Public addresses are always allowed;
 * loopback, link-local, private, unspecified and reserved ones only when a rule allows them. A
 * rule is a host name or IP (any port), `host:port` (`[::1]:8080` for IPv6) or a CIDR block.
 * Addresses are checked after DNS resolution, at connect time, on every redirect hop, so a name
 * that resolves (or re-resolves) to a refused address is refused too.
 */
export class HttpPolicy {
  private readonly names: NameRule[] = [];
  private readonly blocks = new BlockList();
  private readonly blockPorts: { list: BlockList; port: number }[] = [];
  readonly rules: readonly string[];

  constructor(rules: readonly string[] = []) {
    this.rules = [...rules];
    for (const rule of rules) this.addRule(rule);
  }

  /** The rules from `--allow-http` flags plus those in WEFT_ALLOW_HTTP. */
  static from(flags: readonly string[] = [], env = process.env): HttpPolicy {
    return new HttpPolicy([...flags, ...splitRules(env[ALLOW_HTTP_ENV])]);
  }

  private addRule(raw: string): void {
    const rule = raw.trim();
    const bad = () =>
      new HttpPolicyError(
        `--allow-http: '${raw}' is not a host, host:port, IP address or CIDR block (e.g. localhost, 127.0.0.1:8080, [::1]:8080, 10.0.0.0/8)`,
      );
    if (rule === '') throw bad();
    const cidr = /^([^/]+)\/(\d{1,3})$/.exec(rule);
    if (cidr) {
      const address = stripBrackets(cidr[1]!);
      const prefix = Number(cidr[2]);
      const v = isIP(address);
      if (v === 0 || prefix > (v === 4 ? 32 : 128)) throw bad();
      this.blocks.addSubnet(address, prefix, v === 4 ? 'ipv4' : 'ipv6');
      return;
    }
    const hostPort = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(rule);
    const host = stripBrackets(hostPort ? hostPort[1]! : rule).toLowerCase();
    const port = hostPort ? Number(hostPort[2]) : undefined;
    if (port !== undefined && (port < 1 || port > 65535)) throw bad();
    const v = isIP(host);
    if (v !== 0) {
      if (port === undefined) this.blocks.addAddress(host, v === 4 ? 'ipv4' : 'ipv6');
      else {
        const list = new BlockList();
        list.addAddress(host, v === 4 ? 'ipv4' : 'ipv6');
        this.blockPorts.push({ list, port });
      }
      return;
    }
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(host)) throw bad();
    this.names.push(port === undefined ? { host } : { host, port });
  }

  /** A rule names this host (and port): it may be reached whatever it resolves to. */
  allowsName(host: string, port: number): boolean {
    const h = stripBrackets(host).toLowerCase().replace(/\.$/, '');
    return this.names.some((r) => r.host === h && (r.port === undefined || r.port === port));
  }

  /**
   * Undefined when `address` may be connected to for `host:port`, otherwise the reason it may
   * not (the kind of address it is).
   */
  refusal(host: string, port: number, address: string): string | undefined {
    const kind = reservedKind(address);
    if (kind === undefined) return undefined;
    if (this.allowsName(host, port)) return undefined;
    const type = family(address);
    if (this.blocks.check(address, type)) return undefined;
    if (this.blockPorts.some((b) => b.port === port && b.list.check(address, type))) {
      return undefined;
    }
    return kind;
  }

  /** Throws the HttpForbidden failure when `address` is refused for `host:port`. */
  check(url: string, host: string, port: number, address: string): void {
    const kind = this.refusal(host, port, address);
    if (kind !== undefined) throw forbidden(url, host, port, address, kind);
  }
}

/** The non-retryable failure of a refused request; its message names the flag that allows it. */
export function forbidden(url: string, host: string, port: number, address: string, kind: string) {
  const plainHost = stripBrackets(host);
  const via = plainHost === address ? '' : ` (${plainHost} resolves to it)`;
  const name = isIP(plainHost) === 6 ? `[${plainHost}]` : plainHost;
  return nonRetryable(
    HTTP_FORBIDDEN,
    `request to ${url} refused: ${address} is a ${kind} address${via}, which flows may not reach by default; allow it on the worker with --allow-http ${name}:${port} (or ${ALLOW_HTTP_ENV})`,
    { url, address, kind },
  );
}

export function splitRules(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}
