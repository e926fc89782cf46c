import { CancellationScope, condition, patched } from '@temporalio/workflow';
import type { CompiledStepOf } from '../../model/types';
import { PATCHES } from '../patches';
import type { Executor, StepContext } from './types';

/**
 * Resolves once every piece of workflow code that can run without the server has run. Temporal
 * checks a blocked condition only after the activation's microtasks drain; `condition` evaluates
 * its function once eagerly, so it answers false that first time. The first await moves the wait
 * into a microtask, so a call made while a job is being applied waits for the drain too.
 */
async function quiesce(): Promise<void> {
  await Promise.resolve();
  let checked = false;
  await condition(() => {
    const drained = checked;
    checked = true;
    return drained;
  });
}

/**
 * `race`: the first branch to finish wins and no other runs on. Branches start in order, each
 * once the one before waits on the server (an activity, a timer, a signal) or has finished, so a
 * branch that finishes without waiting (`set`, `log`, `fail`) wins before the next one starts.
 * Started losers are cancelled, and branches not started yet never start. Commands still all go
 * out in the same workflow task: the branches run at the same time on the server.
 */
function race(
  step: CompiledStepOf<'parallel'>,
  { frame, runSteps }: StepContext,
): Promise<unknown> {
  const names = Object.keys(step.branches);
  const scopes: CancellationScope[] = [];
  let decided = false;
  return new Promise<unknown>((resolve, reject) => {
    const settle = (winner: number, settleWith: () => void) => {
      if (decided) return;
      decided = true;
      scopes.forEach((scope, i) => {
        if (i !== winner) scope.cancel();
      });
      settleWith();
    };
    const start = async () => {
      for (let i = 0; i < names.length && !decided; i++) {
        const scope = new CancellationScope();
        scopes.push(scope);
        scope
          .run(() => runSteps(step.branches[names[i] as string] ?? [], frame))
          .then(
            (value) => settle(i, () => resolve(value)),
            (err) => settle(i, () => reject(err)),
          );
        if (i < names.length - 1) await quiesce();
      }
    };
    start().catch((err) => settle(-1, () => reject(err)));
  });
}

/**
 * Branches share `vars`, each runs in its own cancellation scope. all: every branch, and the
 * first failure cancels the rest. any: the first success wins (all failed: the first failure).
 * race: the first branch to finish wins, success or failure, and no other goes on (see `race`
 * for the start order that makes this hold for branches that never wait). Losers are cancelled; with `all`
 * the step then waits for them to stop, with any and race it goes on at once (a loser's activity
 * must heartbeat to learn of its cancellation).
 * Value: all -> {branch: last value}; any and race -> the winner's value.
 */
export const parallel: Executor<'parallel'> = async (step, ctx) => {
  const { frame, runSteps } = ctx;
  const names = Object.keys(step.branches);
  if (names.length === 0) return {};
  if (step.mode === 'race' && patched(PATCHES.raceFirstFinisher)) return race(step, ctx);
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
