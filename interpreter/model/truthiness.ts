/**
 * The one truthiness rule: how a value decides `if`, `while`, `when`, a `wait` condition and an
 * update's `validate`, and how expressions cast inside themselves (`and`, `or`, `? :`, filters,
 * `$boolean`). It is JSONata's boolean cast, so a condition means the same whether it is written
 * as `${ x }` or `${ $boolean(x) }`. schema/README.md (Truthiness) states it for users.
 *
 * False: undefined (a missing value), null, false, 0, NaN, the empty string, an empty object, a
 * function, and an array none of whose items is true (the empty array among them). True:
 * everything else.
 *
 * Pure: the sandbox, Node and the browser share it.
 */

/** JSONata's function values: its builtins and lambdas, as its evaluator hands them back. */
export function isJsonataFunction(value: object): boolean {
  const f = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown };
  return f._jsonata_function === true || f._jsonata_lambda === true;
}

/**
 * Whether `value` counts as true. `isFunction` tells function values apart from objects; an
 * evaluator with its own closures passes its own test.
 */
export function truthy(
  value: unknown,
  isFunction: (value: object) => boolean = isJsonataFunction,
): boolean {
  if (Array.isArray(value)) return value.some((item) => truthy(item, isFunction));
  switch (typeof value) {
    case 'string':
      return value.length > 0;
    case 'number':
      return value !== 0 && !Number.isNaN(value);
    case 'boolean':
      return value;
    case 'object':
      return value !== null && !isFunction(value) && Object.keys(value).length > 0;
    default:
      // undefined, functions, and what JSON cannot carry.
      return false;
  }
}
