import { didYouMean } from '../suggest';
import { isRecord, type Rule } from './context';

/** `wait.signal` must name a signal declared under `signals:` of the same flow body. */
export const undeclaredSignals: Rule = {
  name: 'undeclared-signals',
  check({ steps, report }) {
    for (const s of steps) {
      if (s.kind !== 'wait' || !isRecord(s.value.wait)) continue;
      const name = s.value.wait.signal;
      if (typeof name !== 'string') continue;
      const declared = isRecord(s.flow.body.signals) ? Object.keys(s.flow.body.signals) : [];
      if (declared.includes(name)) continue;
      report(
        'WEFT025',
        `${s.pointer}/wait/signal`,
        `signal "${name}" is not declared.${didYouMean(name, declared)}`,
        { hint: `declare it under signals:, e.g. signals: { ${name}: {} }` },
      );
    }
  },
};
