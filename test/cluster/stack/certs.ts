import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onPath } from '../../../interpreter/temporal';
import { ClusterSetupError } from './errors';

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    throw new ClusterSetupError(
      'WEFT_CLUSTER_OPENSSL_MISSING',
      `openssl ${args.slice(0, 2).join(' ')} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}): ${String(r.stderr).trim()}`,
    );
  }
}

export interface CertPair {
  cert: string;
  key: string;
}

/** A self-signed CA: EC P-256, ten days, enough for any test run. */
export function makeCa(dir: string, name: string): CertPair {
  if (!onPath('openssl')) {
    throw new ClusterSetupError(
      'WEFT_CLUSTER_OPENSSL_MISSING',
      'openssl is not on PATH; the cluster tier makes its TLS certificates with it (apt-get install -y openssl)',
    );
  }
  mkdirSync(dir, { recursive: true });
  const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', pair.key], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      pair.key,
      '-out',
      pair.cert,
      '-days',
      '10',
      '-subj',
      `/CN=${name}`,
    ],
    dir,
  );
  return pair;
}

/**
 * A leaf signed by `ca`, usable as server and client (Temporal's system worker presents one):
 * SAN localhost and 127.0.0.1.
 */
export function makeLeaf(dir: string, name: string, ca: CertPair): CertPair {
  const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(
    ext,
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', pair.key], dir);
  openssl(['req', '-new', '-key', pair.key, '-out', csr, '-subj', `/CN=${name}`], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-out',
      pair.cert,
      '-days',
      '10',
      '-extfile',
      ext,
    ],
    dir,
  );
  return pair;
}
