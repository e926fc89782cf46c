import type { Client } from '@temporalio/client';
import {
  defineSearchAttributeKey,
  type SearchAttributePair,
  SearchAttributeType,
} from '@temporalio/common';
import { ClientError } from './errors';

/** The keyword attribute that carries the flow name, when the server has it registered. */
export const FLOW_SEARCH_ATTRIBUTE = 'WeftFlow';

// temporal.api.enums.v1.IndexedValueType, by number.
const TYPES: Record<number, SearchAttributeType> = {
  1: SearchAttributeType.TEXT,
  2: SearchAttributeType.KEYWORD,
  3: SearchAttributeType.INT,
  4: SearchAttributeType.DOUBLE,
  5: SearchAttributeType.BOOL,
  6: SearchAttributeType.DATETIME,
  7: SearchAttributeType.KEYWORD_LIST,
};

const known = new WeakMap<Client, Promise<Map<string, SearchAttributeType> | undefined>>();

/**
 * The namespace's search attributes and their types, asked once per client. Undefined when the
 * server will not say (e.g. no operator permission): callers then fall back to untyped values.
 */
export function registeredSearchAttributes(
  client: Client,
): Promise<Map<string, SearchAttributeType> | undefined> {
  let p = known.get(client);
  if (!p) {
    p = client.connection.operatorService
      .listSearchAttributes({ namespace: client.options.namespace })
      .then((res) => {
        const map = new Map<string, SearchAttributeType>();
        for (const [name, t] of Object.entries({
          ...res.systemAttributes,
          ...res.customAttributes,
        })) {
          const type = TYPES[Number(t)];
          if (type) map.set(name, type);
        }
        return map;
      })
      .catch(() => undefined);
    known.set(client, p);
  }
  return p;
}

function coerce(name: string, type: SearchAttributeType, value: unknown): unknown {
  switch (type) {
    case SearchAttributeType.DATETIME:
      return new Date(String(value));
    case SearchAttributeType.KEYWORD_LIST:
      return Array.isArray(value) ? value.map(String) : [String(value)];
    case SearchAttributeType.INT:
    case SearchAttributeType.DOUBLE:
      if (typeof value !== 'number') {
        throw new ClientError('WEFT_INVALID_INPUT', `search attribute ${name} needs a number`);
      }
      return value;
    case SearchAttributeType.BOOL:
      return Boolean(value);
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** Typed pairs for the start request; the flow name goes in WeftFlow when it exists. */
export function searchAttributePairs(
  flowName: string,
  values: Record<string, unknown>,
  registered: Map<string, SearchAttributeType>,
): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [];
  if (registered.get(FLOW_SEARCH_ATTRIBUTE) === SearchAttributeType.KEYWORD) {
    pairs.push({
      key: defineSearchAttributeKey(FLOW_SEARCH_ATTRIBUTE, SearchAttributeType.KEYWORD),
      value: flowName,
    });
  }
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    const type = registered.get(name);
    if (!type) {
      throw new ClientError(
        'WEFT_INVALID_INPUT',
        `search attribute ${name} is not registered on this namespace (temporal operator search-attribute create --name ${name} --type Keyword)`,
      );
    }
    pairs.push({
      key: defineSearchAttributeKey(name, type),
      value: coerce(name, type, value),
    } as SearchAttributePair);
  }
  return pairs;
}
