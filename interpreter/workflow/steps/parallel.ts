import { CancellationScope } from '@temporalio/workflow';
import type { Executor } from './types';

/**
 * Branches share `vars`, each runs in its own cancellation scope. all: every branch, and the
 * first failure cancels the rest. any: the first success wins (all failed: the first failure).
 * race: the first branch to finish wins, success or failure. Losers are cancelled; with `all`
 * the step then waits for them to stop, with any and race it goes on at once (a loser's activity
 * must heartbeat to learn of its cancellation).
 * Value: all -> {branch: last value}; any and race -> the winner's value.
 */
export const parallel: Executor<'parallel'> = async (step, { frame, runSteps }) => {
  const names = Object.keys(step.branches);
  if (names.length === 0) return {};
  const scopes = names.map(() => new CancellationScope());
  const runs = names.map((name, i) =>
    (scopes[i] as CancellationScope).run(() => runSteps(step.branches[name] ?? [], frame)),
  );
  // Losing branches settle after the decision; their outcome is deliberately ignored.
  for (const p of runs) p.catch(() => undefined);
  const cancelOthers = (winner: number) => {
    scopes.forEach((scope, i) => {
      if (i !== winner) scope.cancel();
    });
  };
  return new Promise<unknown>((resolve, reject) => {
    const values: Record<string, unknown> = {};
    let pending = names.length;
    let firstError: unknown;
    let decided = false;
    const decide = (winner: number, settle: () => void) => {
      if (decided) return;
      decided = true;
      cancelOthers(winner);
      settle();
    };
    runs.forEach((p, i) => {
      const name = names[i] as string;
      p.then(
        (value) => {
          pending--;
          if (step.mode === 'all') {
            values[name] = value;
            if (pending === 0) decide(-1, () => resolve(values));
          } else decide(i, () => resolve(value));
        },
        (err) => {
          pending--;
          if (firstError === undefined) firstError = err;
          if (step.mode === 'any' && pending > 0) return;
          if (step.mode === 'all') {
            // Wait for the cancelled branches to stop, so a step that still finished registers
            // its compensation before the saga runs.
            decide(i, () => {
              Promise.allSettled(runs).then(() => reject(err), reject);
            });
          } else decide(i, () => reject(step.mode === 'any' ? firstError : err));
        },
      );
    });
  });
};
