import { HttpPolicy, HttpPolicyError } from '../activities';
import { UsageError } from './command';

/** `--allow-http <host | host:port | CIDR>`, repeatable: a parseArgs option. */
export const ALLOW_HTTP_OPTION = { 'allow-http': { type: 'string', multiple: true } } as const;

export const ALLOW_HTTP_USAGE = '[--allow-http <host|host:port|CIDR>]…';

/** The rules as given, checked now (together with WEFT_ALLOW_HTTP) so a typo is a usage error. */
export function allowHttpRules(values: { 'allow-http'?: string[] | undefined }): string[] {
  const rules = values['allow-http'] ?? [];
  try {
    HttpPolicy.from(rules);
  } catch (err) {
    if (err instanceof HttpPolicyError) throw new UsageError(err.message);
    throw err;
  }
  return rules;
}
