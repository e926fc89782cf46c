import type { ActivityManifest, StepVisit } from '../../model';
import type { Report } from '../report';

/** One flow body in the document: the root ('' key) or a child under `flows:`. */
export interface FlowBodyRef {
  key: string;
  body: Record<string, unknown>;
  /** The body's pointer in the document: '' or `/flows/<key>`. */
  pointer: string;
}

export interface RuleStep extends StepVisit {
  /** The flow body the step belongs to. */
  flow: FlowBodyRef;
  /** The step as a record (rules only see steps that are mappings). */
  value: Record<string, unknown>;
}

export interface RuleContext {
  doc: Record<string, unknown>;
  flows: FlowBodyRef[];
  /** Every step of every flow body, in document order, collected in one walk. */
  steps: RuleStep[];
  manifest?: ActivityManifest;
  report: Report;
  /** The 1-based line of a pointer, for messages that refer to another place in the file. */
  lineOf(pointer: string): number;
}

/** A semantic check beyond the schema. Rules must be linear in the size of the flow and never throw. */
export interface Rule {
  name: string;
  check(ctx: RuleContext): void;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isExpressionString(v: unknown): v is string {
  return typeof v === 'string' && v.includes('${');
}
