import {
  defineQuery,
  defineSignal,
  defineUpdate,
  log,
  patched,
  setDefaultSignalHandler,
  setHandler,
} from '@temporalio/workflow';
import { PROGRESS_QUERY } from '../model/progress';
import { truthy } from '../model/truthiness';
import type { CompiledSignal, CompiledUpdate } from '../model/types';
import { VARS_QUERY } from '../model/wire';
import { ERROR_TYPES, toApplicationFailure, toFlowFailure } from './errors';
import {
  resolveExpressionSync,
  resolveTemplate,
  resolveTemplateNow,
  resolveTemplateSync,
} from './expressions';
import { PATCHES } from './patches';
import { type Frame, type Run, TOP_FRAME } from './run';
import { checkSchema } from './schema';
import { checkSchemaSubset } from './schema-subset';
import { runSteps } from './sequence';

async function applyHandler(
  run: Run,
  handler: CompiledSignal,
  frame: Frame,
  id: string,
): Promise<void> {
  for (const [path, template] of Object.entries(handler.set ?? {})) {
    const now = resolveTemplateNow(template, run.root(frame), id);
    run.store(path, now instanceof Promise ? await now : now, id);
  }
}

/**
 * Registers the flow's queries, signals and updates and the built-in `weft.progress` and
 * `weft.vars` queries.
 * Called once, before the first step, so messages that arrive with the start are handled.
 */
export function registerMessages(run: Run): void {
  const flow = run.flow;
  setHandler(defineQuery(PROGRESS_QUERY), () => run.progress.snapshot(run.vars));
  setHandler(defineQuery(VARS_QUERY), () => run.vars);

  for (const [name, expression] of Object.entries(flow.queries ?? {})) {
    setHandler(defineQuery(name), () =>
      resolveTemplateSync(expression, run.root(TOP_FRAME), `query:${name}`),
    );
  }

  // Named handlers come first: setting the default handler hands it every signal buffered so
  // far, and a signal that arrived with the start must reach its own handler (its `set` and
  // steps). Runs from before that order replay the old one: see `oldOrderApplies`.
  const signals = Object.entries(flow.signals ?? {});
  let registering = true;
  let namedFirst: boolean | undefined;
  // setHandler delivers buffered signals synchronously, so a delivery while registering is a
  // signal that arrived with the start: the only case where the order changes what happens. The
  // patch is checked then and only then, so other runs carry no marker; a marker costs a history
  // event and memory per cached flow outside the V8 heap (bench/FINDINGS.md F3).
  const oldOrderApplies = (): boolean => {
    if (!registering) return false;
    namedFirst ??= patched(PATCHES.signalHandlersFirst);
    return !namedFirst;
  };

  for (const [name, handler] of signals) {
    const id = `signal:${name}`;
    let invocations = 0;
    setHandler(defineSignal<[unknown]>(name), async (payload) => {
      if (oldOrderApplies()) {
        // What the default handler did with it before the patch: buffered for a `wait`, no more.
        run.receiveSignal(name, payload);
        return;
      }
      const problem = signalPayloadProblem(handler.input, payload);
      if (problem) {
        // A signal cannot be rejected; an invalid one is dropped and logged, the flow goes on.
        log.warn(`signal '${name}' ignored: ${ERROR_TYPES.invalidPayload}: ${problem}`);
        return;
      }
      // Each delivery is an iteration of the handler: its steps get `#n` ids, so two deliveries
      // running at once never share an activityId.
      const frame: Frame = { ...TOP_FRAME, payload, iteration: [invocations++] };
      try {
        await applyHandler(run, handler, frame, id);
        run.receiveSignal(name, payload);
        if (handler.steps.length > 0) await runSteps(handler.steps, run, frame);
      } catch (err) {
        throw toApplicationFailure(toFlowFailure(err, id).error);
      }
    });
  }
  registering = false;

  // Signals without a handler (a `wait` may still want them) are buffered too.
  setDefaultSignalHandler((name, ...args) => run.receiveSignal(name, args[0]));

  for (const [name, handler] of Object.entries(flow.updates ?? {})) {
    registerUpdate(run, name, handler);
  }
}

/**
 * Whether a signal is dropped decides whether its handler runs, so the full check applies only to
 * runs patched for it. The patch is asked only when the old and the new check disagree, so the
 * common signal leaves no marker.
 */
function signalPayloadProblem(
  schema: CompiledSignal['input'],
  payload: unknown,
): string | undefined {
  const now = checkSchema(schema, payload);
  const before = checkSchemaSubset(schema, payload);
  if ((now === undefined) === (before === undefined)) return now;
  return patched(PATCHES.messageSchemaKeywords) ? now : before;
}

function registerUpdate(run: Run, name: string, handler: CompiledUpdate): void {
  const id = `update:${name}`;
  let invocations = 0;
  // The validator never runs on replay (a rejected update leaves no history, an accepted one is
  // replayed as accepted), so the full check needs no patch here.
  const validator = (payload: unknown): void => {
    const problem = checkSchema(handler.input, payload);
    if (problem) throw new Error(`${ERROR_TYPES.invalidPayload}: ${problem}`);
    if (handler.validate !== undefined) {
      const frame: Frame = { ...TOP_FRAME, payload };
      if (!truthy(resolveExpressionSync(handler.validate, run.root(frame), id))) {
        throw new Error(`update '${name}' rejected: ${handler.validate} is false`);
      }
    }
  };
  setHandler(
    defineUpdate<unknown, [unknown]>(name),
    async (payload) => {
      const frame: Frame = { ...TOP_FRAME, payload, iteration: [invocations++] };
      try {
        await applyHandler(run, handler, frame, id);
        if (handler.steps.length > 0) await runSteps(handler.steps, run, frame);
        return handler.output === undefined
          ? undefined
          : await resolveTemplate(handler.output, run.root(frame), id);
      } catch (err) {
        throw toApplicationFailure(toFlowFailure(err, id).error);
      }
    },
    { validator },
  );
}
