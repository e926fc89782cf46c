import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICES, type ServiceName, type ServiceSpec, serviceConfig } from '../../cluster/stack';

/**
 * The cluster tier's per-process configs: the server's development-postgres12.yaml with 4
 * shards, every port distinct across the four processes, and mTLS required by the frontend.
 */
let next = 20_000;
const services = Object.fromEntries(
  SERVICES.map((name) => [
    name,
    {
      name,
      ports: {
        grpc: next++,
        membership: next++,
        metrics: next++,
        pprof: next++,
        ...(name === 'frontend' ? { http: next++ } : {}),
      },
      configDir: `services/${name}`,
      log: `logs/${name}.log`,
      pidFile: `services/${name}.pid`,
    },
  ]),
) as Record<ServiceName, ServiceSpec>;
const tls = { ca: '/t/ca.pem', cert: '/t/c.pem', key: '/t/c.key', serverName: 'localhost' };
const config = (self: ServiceName) =>
  parse(serviceConfig({ postgresPort: 5999, services, dynamicConfig: '/t/dc.yaml', tls }, self));

describe('cluster service configs', () => {
  it('give each process its own metrics and pprof ports, and all the same service ports', () => {
    const own = SERVICES.map((s) => {
      const c = config(s);
      return [c.global.metrics.prometheus.listenAddress, c.global.pprof.port];
    });
    expect(new Set(own.map(([m]) => m)).size).toBe(4);
    expect(new Set(own.map(([, p]) => p)).size).toBe(4);
    expect(config('history').services).toEqual(config('frontend').services);
    expect(config('matching').services.frontend.rpc).toEqual({
      grpcPort: services.frontend.ports.grpc,
      membershipPort: services.frontend.ports.membership,
      bindOnLocalHost: true,
      httpPort: services.frontend.ports.http,
    });
  });

  it('run 4 history shards on PostgreSQL (postgres12) for both stores', () => {
    const { persistence } = config('history');
    expect(persistence.numHistoryShards).toBe(4);
    for (const store of Object.values(persistence.datastores) as {
      sql: { pluginName: string; connectAddr: string };
    }[]) {
      expect(store.sql).toMatchObject({ pluginName: 'postgres12', connectAddr: '127.0.0.1:5999' });
    }
  });

  it('make the frontend require client certificates, and give the system worker one', () => {
    const { tls: t } = config('frontend').global;
    expect(t.frontend.server).toEqual({
      certFile: tls.cert,
      keyFile: tls.key,
      clientCaFiles: [tls.ca],
      requireClientAuth: true,
    });
    expect(t.systemWorker).toMatchObject({ certFile: tls.cert, keyFile: tls.key });
  });
});
