import { didYouMean } from '../suggest';
import { isRecord, type Rule } from './context';

/** A child flow reference that looks like a file path rather than a name under `flows:`. */
export function isFlowFileReference(ref: string): boolean {
  return ref.startsWith('./') || ref.startsWith('../') || /\.(ya?ml|json)$/i.test(ref);
}

/** A `flow:` step names a flow under `flows:` (files are resolved by the compiler, node side). */
export const unknownChildFlows: Rule = {
  name: 'unknown-child-flows',
  check({ doc, steps, report }) {
    const names = isRecord(doc.flows) ? Object.keys(doc.flows) : [];
    for (const s of steps) {
      if (s.kind !== 'flow') continue;
      const ref = s.value.flow;
      if (typeof ref !== 'string' || ref === '' || isFlowFileReference(ref)) continue;
      if (names.includes(ref)) continue;
      report(
        'WEFT026',
        `${s.pointer}/flow`,
        `unknown child flow "${ref}": define it under flows:, or give a relative file path such as ./${ref}.flow.yaml.${didYouMean(ref, names)}`,
      );
    }
  },
};
