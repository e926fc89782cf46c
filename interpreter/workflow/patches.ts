/**
 * Every change to how the interpreter behaves (which commands it issues, in which order) must be
 * guarded so running flows replay unchanged:
 *
 *   if (patched(PATCHES.someChange)) { new behaviour } else { old behaviour }
 *
 * Add the id here with the date and what changed; once no run older than the change can still be
 * replayed, switch to deprecatePatch() and later drop the old branch. Recorded histories in
 * test/histories must keep replaying (test/replay), and test/replay/fixtures shows that an
 * unguarded change is caught.
 *
 * Baseline: the histories in test/histories were re-recorded before the first release, when
 * template resolution became synchronous (that changed the order in which parallel branches
 * schedule their first commands; the replay test caught it). No run predates the baseline, so
 * the map is empty; every change from here on adds an entry.
 */
export const PATCHES = {
  /**
   * 2026-11-26: named signal handlers are registered before the default one. Registering the
   * default first flushed every buffered signal to it, so a signal that arrived with the start
   * (signal-with-start, or sent before the first workflow task) skipped its `set` and steps.
   * Checked only when a signal was delivered while the named handlers were being registered
   * (it arrived with the start), so other runs get no marker event. Until 2026-11-26 (same day)
   * every flow that declares signals checked it; the markers in those histories are simply
   * unmatched now, which Temporal allows (test/histories still replay).
   */
  signalHandlersFirst: 'weft-signal-handlers-first',
  /**
   * 2026-12-01: payloads over the server's limit (the flow output, an activity or child flow
   * input, the continue-as-new carry, a store that pushes vars past it) fail the run with
   * PayloadTooLarge, compensations included; the server used to terminate the run or fail its
   * workflow tasks. Checked only when a payload is over the limit (limits.ts).
   */
  payloadLimits: 'weft-payload-limits',
  /**
   * 2026-12-01: `parallel` with `mode: race` starts its branches in order, each once the one
   * before waits on the server, so a branch that finishes without waiting wins before the others
   * start (three `set` branches used to all run). Checked by every race step.
   */
  raceFirstFinisher: 'weft-race-first-finisher',
  /**
   * 2026-12-01: a failed activity's DSL error carries `retryState` and, when settled, `attempts`
   * (visible to `catch` and in the run's failure). Checked only when an activity fails.
   */
  activityRetryState: 'weft-activity-retry-state',
  /**
   * 2026-12-01: a top-level `forEach` continues as new between iterations when the server
   * suggests it (it never did, so a long loop hit the history limit and was terminated). Checked
   * only when continue-as-new is suggested during a top-level forEach.
   */
  forEachContinueAsNew: 'weft-for-each-continue-as-new',
  /**
   * 2026-12-01: a run whose history nears the server's limit (where it cannot continue as new)
   * fails with HistoryTooLarge before its next step, compensations included, instead of being
   * terminated. Checked only past the threshold (limits.ts).
   */
  historyLimit: 'weft-history-limit',
  /**
   * 2026-12-01: expressions get a work and memory budget (expressions/budget.ts): items and
   * characters builtins and operators make count as work, sizes are checked before allocation,
   * and a budget error fails for good (no fallback from the fast path to JSONata). JSONata's
   * evaluator also gets checking builtins (and Buffer-free $base64encode/$base64decode, which
   * failed the run before) and an exit hook, which change its promise turns. Checked on the
   * fast path only when a budget trips; before every evaluation on JSONata's evaluator.
   */
  expressionBudget: 'weft-expression-budget',
  /**
   * 2026-12-01: a signal's payload is checked against every keyword of its `input` schema
   * (pattern, oneOf, minItems, …; model/message-schema.ts), lengths count code points and
   * `enum`/`const` ignore key order, as ajv does; the old check enforced a subset and let the rest
   * pass (schema-subset.ts). Checked only when the two checks disagree on a delivered signal.
   * Updates need no patch: their validator never runs on replay.
   */
  messageSchemaKeywords: 'weft-message-schema-keywords',
  /**
   * 2026-12-01: an activity call whose compiled options set neither startToClose nor
   * scheduleToClose gets the DSL's default startToClose (1m, model/step-kinds.ts), not the
   * interpreter's own 10m. The compiler always sets one (every recorded history carries it), so
   * only a hand-built input reaches this. Checked only then.
   */
  defaultStartToClose: 'weft-default-start-to-close',
  /**
   * 2026-12-01: failures are read by the one wire decoder (model/wire.ts) that the client and the
   * API use too: an application failure with an empty type is 'Error', and a carried FlowError's
   * `step` is kept only when it is a string. Checked only when a failure has an empty type or a
   * carried non-string step, which Weft's own activities and flows never raise.
   */
  wireFlowError: 'weft-wire-flow-error',
  /**
   * 2026-12-02: one truthiness rule (model/truthiness.ts, JSONata's boolean cast) for `if`,
   * `while`, `when`, wait conditions and update validators. `if`, `while` and `when` took a
   * function value as true; the rule says false. Checked only when the two casts disagree (a
   * function value), see expressions/truthiness.ts.
   */
  oneTruthiness: 'weft-one-truthiness',
  /**
   * 2026-12-02: one expression work budget (EXPRESSION_BUDGET.work) counted in the same units on
   * the synchronous path and on JSONata's evaluator (a node as JSONata visits it, an item, a run
   * of characters), so an expression trips at the same point whichever path runs it. The old
   * limits were 1 000 000 units on the synchronous path and 250 000 on JSONata's, where a node
   * cost 1000. Both meters count side by side; checked only when one of them trips and the other
   * has not (expressions/budget.ts).
   * With it, the synchronous path also answers as JSONata's evaluator does where they differed
   * (test/unit/workflow/expression-paths.property.test.ts): a comparison with an absent operand
   * is absent, not false; a tail call's empty or singleton result reaches $map and friends
   * unwrapped; and past depth 250, or past JSONata's sequence length in a range or an array
   * constructor, it hands the expression to JSONata's evaluator (which runs tail calls in a
   * loop, and raises D1011, D2014 or D2015), where it used to fail with WEFT01 or WEFT04. Each
   * is checked only where the answers differ (Budget.oneRules).
   */
  oneWorkBudget: 'weft-one-work-budget',
  /**
   * 2026-12-02: an activity declared external with positional `args:` (an activities file) is
   * called with its input object's members as separate arguments, in the declared order, as the
   * other SDKs' activities expect; before, the input object was the one argument. Checked only
   * by steps and compensations whose compiled call has `args`, so other runs get no marker.
   */
  externalArgs: 'weft-external-args',
  /**
   * 2026-12-02: an expression holding a regex literal that can backtrack catastrophically
   * (model/regex-safety.ts, WEFT100 at validation) fails with ExpressionError before it runs. One
   * RegExp exec cannot be interrupted by the work budget, and the SDK's 5 s vm timeout only fails
   * the workflow task, which Temporal retries until the run times out. Only a compiled flow built
   * by hand (or validated before WEFT100) reaches this; checked only when an expression holds such
   * a regex.
   */
  safeRegex: 'weft-safe-regex',
  /**
   * 2026-12-02: a regex-taking builtin ($match, $replace, $split, $contains) whose regex can
   * backtrack polynomially (model/regex-safety.ts regexDegree d > 1: `\s*\s*$`, `\d+\d+$`) is
   * charged its worst case, n^d / REGEX_STEPS_PER_UNIT for a string of n characters, against the
   * expression work budget before it runs, and fails with WEFT01 when that is over; before, the
   * exec ran (on a few hundred thousand characters, for minutes: the SDK's vm timeout failed the
   * workflow task and Temporal retried it). Checked only when that charge makes the budget trip.
   */
  regexBudget: 'weft-regex-budget',
} as const satisfies Record<string, string>;
