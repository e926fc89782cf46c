import jsonata from 'jsonata';
import { regexDegree } from './regex-safety';

/**
 * Metering regexes that can backtrack polynomially (regexDegree > 1). One RegExp exec cannot be
 * interrupted, so a scan is charged its worst case, n^degree steps for n characters, before it
 * runs, and refused when that is over the budget. JSONata builds every RegExp it runs through its
 * RegexEngine option, and hands a regex to builtins as a closure (wrapped again per call), so the
 * chokepoint is the RegExp itself: MeteredRegExp charges the first exec on each string, which
 * covers $match, $replace, $split, $contains and a regex applied directly (`s ~> /re/`).
 */

/**
 * Backtracking steps per work unit. Degree 2 on a few KB costs a fraction of the expression work
 * budget (500 000 units); the whole budget is about 11 000 characters at degree 2 and 500 at
 * degree 3, and a step costs a few nanoseconds, so the worst case let through stays far below the
 * workflow sandbox's 5 s vm timeout.
 */
export const REGEX_STEPS_PER_UNIT = 256;

/** Work units of the worst case of one scan. */
export function regexUnits(degree: number, length: number): number {
  return degree < 2 ? 0 : Math.ceil(length ** degree / REGEX_STEPS_PER_UNIT);
}

/** Why a scan is refused: the same words inside and outside the workflow. */
export function regexOverBudget(
  limit: number,
  pattern: string,
  degree: number,
  length: number,
): string {
  const re = pattern.length > 60 ? `${pattern.slice(0, 57)}...` : pattern;
  return `evaluation exceeded its work budget of ${limit} units: regex /${re}/ on a string of ${length} characters can backtrack for about n^${degree} steps (${regexUnits(degree, length)} units, one per ${REGEX_STEPS_PER_UNIT} steps), and one regex match cannot be interrupted once it runs. Make repetitions next to each other match different characters or anchor the regex with ^, check the string's length first, or match in an activity`;
}

/** Charges a scan's worst case (throws to refuse it). */
export type RegexCharge = (pattern: string, degree: number, length: number) => void;

// The RegExp JSONata has just built. JSONata calls the exit hook of a `regex` node in the same
// synchronous stretch as it builds the RegExp (no await between), which is where it is taken.
const built = new Map<'last', MeteredRegExp>();

/** JSONata's RegexEngine for metered evaluations: a RegExp that charges before it scans. */
export class MeteredRegExp extends RegExp {
  private charge: RegexCharge | undefined;
  private degree = 1;
  private scanned: string | undefined;

  constructor(re: RegExp) {
    super(re);
    built.set('last', this);
  }

  /** Meters this RegExp from now on. */
  meter(charge: RegexCharge): void {
    this.charge = charge;
    this.degree = regexDegree(this.source, this.flags);
  }

  override exec(str: string): RegExpExecArray | null {
    // A builtin's later execs continue the same scan (each start position is tried once).
    if (this.charge && this.degree > 1 && str !== this.scanned) {
      this.scanned = str;
      this.charge(this.source, this.degree, Math.max(0, str.length - this.lastIndex));
    }
    return super.exec(str);
  }
}

/**
 * For JSONata's exit hook: meters the RegExp a `regex` node just built. A node with a predicate
 * or a group awaits in between, so it is left alone (JSONata allows neither on a regex usefully).
 */
export function meterBuiltRegex(node: { type?: unknown }, charge: RegexCharge): void {
  if (node.type !== 'regex') return;
  const re = built.get('last');
  built.delete('last');
  if (!re || 'predicate' in node || 'group' in node) return;
  re.meter(charge);
}

/** The expression work budget's size (EXPRESSION_BUDGET.work), for evaluations without one. */
export const STANDALONE_REGEX_LIMIT = 500_000;

/**
 * JSONata for evaluations outside the workflow, which have no expression budget (start templates
 * in the API server, `weft test` expectations and mocks): the regexes of one evaluation together
 * may spend STANDALONE_REGEX_LIMIT units of worst case. Compile once per evaluation.
 */
export function meteredJsonata(text: string): jsonata.Expression {
  const expr = jsonata(text, { RegexEngine: MeteredRegExp as unknown as RegExpConstructor });
  let spent = 0;
  const charge: RegexCharge = (pattern, degree, length) => {
    spent += regexUnits(degree, length);
    if (spent > STANDALONE_REGEX_LIMIT) {
      throw {
        code: 'WEFT01',
        message: regexOverBudget(STANDALONE_REGEX_LIMIT, pattern, degree, length),
      };
    }
  };
  expr.assign(
    Symbol.for('jsonata.__evaluate_exit') as unknown as string,
    (node: { type?: unknown }) => meterBuiltRegex(node, charge),
  );
  return expr;
}
