import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionOptionsFromEnv, connectOptions } from '../../interpreter/temporal';
import { weft } from '../integration/cli/weft';
import { checkLedger, cluster, fixture, LEDGER_PLUGIN, newLedger, removeLedgers } from './helpers';
import { makeCa, makeLeaf } from './stack';

/**
 * The frontend requires mutual TLS. Weft reaches it through the README's variables only
 * (TEMPORAL_ADDRESS, TEMPORAL_TLS_CERT/KEY/CA, TEMPORAL_TLS_SERVER_NAME), with a client
 * certificate this test makes with openssl; a client without one, or with one from a CA the
 * cluster does not trust, is refused.
 */
const certs = mkdtempSync(join(tmpdir(), 'weft-mtls-'));

afterAll(() => {
  rmSync(certs, { recursive: true, force: true });
  removeLedgers();
});

function env(cert: { cert: string; key: string }) {
  const { address, namespace, tls } = cluster();
  return {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TLS_CERT: cert.cert,
    TEMPORAL_TLS_KEY: cert.key,
    TEMPORAL_TLS_CA: tls.ca,
    TEMPORAL_TLS_SERVER_NAME: tls.serverName,
  };
}

/** Whether a client with these settings gets an answer from the frontend. */
async function answers(settings: Parameters<typeof connectOptions>[0]): Promise<boolean> {
  try {
    const connection = await Connection.connect({
      ...connectOptions(settings),
      connectTimeout: '5s',
    });
    await connection.workflowService.getSystemInfo({});
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

describe('mTLS between Weft and the frontend', () => {
  const state = cluster();
  const trusted = { cert: state.tls.ca, key: state.tls.caKey };

  it('weft run completes with a client certificate signed by the cluster CA', async () => {
    const client = makeLeaf(certs, 'weft-client', trusted);
    const ledger = newLedger();
    const workflowId = `mtls-${randomUUID().slice(0, 8)}`;
    const run = await weft(
      [
        'run',
        fixture('steps.flow.yaml'),
        '--plugins',
        LEDGER_PLUGIN,
        '--input',
        '{"workMs":0}',
        '--workflow-id',
        workflowId,
        '--json',
      ],
      { env: { ...process.env, ...env(client), WEFT_LEDGER_DIR: ledger } },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.last()).toMatchObject({ status: 'completed', output: { mark: 'c' } });
    const check = checkLedger(ledger, [workflowId], ['a', 'b', 'c']);
    expect(check.lost).toEqual([]);
    expect(check.duplicated).toEqual([]);
  });

  it('refuses a client without a certificate, and one whose CA it does not trust', async () => {
    const settings = connectionOptionsFromEnv(env(makeLeaf(certs, 'ok', trusted)));
    if (!settings) throw new Error('no settings');
    expect(await answers(settings)).toBe(true);

    const files = settings.tls === true || !settings.tls ? {} : settings.tls;
    expect(
      await answers({ ...settings, tls: { ca: files.ca, serverName: files.serverName } }),
    ).toBe(false);
    expect(await answers({ ...settings, tls: undefined })).toBe(false);

    const stranger = makeLeaf(certs, 'stranger', makeCa(join(certs, 'other'), 'other-ca'));
    const strangerSettings = connectionOptionsFromEnv(env(stranger));
    if (!strangerSettings) throw new Error('no settings');
    expect(await answers(strangerSettings)).toBe(false);
  });
});
