import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PRELOADED_MODULES, WORKFLOWS_PATH } from '../../../interpreter/worker/bundle';

/**
 * The worker preloads the interpreter once per worker thread, and every cached workflow shares
 * its modules (PRELOADED_MODULES). A module-level variable would then be shared by every flow the
 * worker runs: one flow could see another's state, and replay could depend on what else ran.
 * These checks keep module scope free of per-workflow state.
 */

const ROOT = join(import.meta.dirname, '../../..');
const SANDBOX_DIRS = ['interpreter/workflow', 'interpreter/model'];

/** Module-level objects that are allowed to change, and why each one is safe to share. */
const SHARED_STATE: Record<string, string> = {
  'interpreter/workflow/expressions/segments.ts cache':
    'parsed templates keyed by their text: a pure function of the key, never mutated, bounded',
  'interpreter/workflow/expressions/evaluate.ts compiled':
    'parsed JSONata keyed by its text: evaluation state lives in each evaluate() call, bounded',
  'interpreter/workflow/expressions/fast.ts sequences':
    'a WeakSet marking arrays one evaluation made: keys are that workflow’s own objects',
  'interpreter/workflow/expressions/fast.ts constructed': 'as `sequences`',
  'interpreter/workflow/expressions/fast.ts closures': 'as `sequences`',
  'interpreter/workflow/expressions/evaluate.ts unsafeRegex':
    'per parsed expression, whether a regex in it can backtrack catastrophically: a pure function of the key',
  'interpreter/model/regex-safety.ts cache':
    'regex analyses keyed by pattern and flags: a pure function of the key, step-counted (never timed), bounded',
  'interpreter/model/regex-meter.ts built':
    'the RegExp JSONata has just built, read by the exit hook in the same synchronous stretch: never across an await',
  'interpreter/model/regex-safety.ts degrees':
    'regex degrees keyed by pattern and flags: a pure function of the key, step-counted (never timed), bounded',
  'interpreter/workflow/expressions/evaluate.ts wrappers':
    'the budget-checking wrappers of JSONata’s builtins: one entry, a pure function of JSONata',
};

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (
    ts.isAsExpression(n) ||
    ts.isSatisfiesExpression(n) ||
    ts.isParenthesizedExpression(n) ||
    ts.isTypeAssertionExpression(n)
  ) {
    n = n.expression;
  }
  return n;
}

const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** What in one module's top level could hold state shared between workflows. */
function moduleStateProblems(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const problems: string[] = [];
  const where = (node: ts.Node) =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  for (const statement of source.statements) {
    if (
      ts.isImportDeclaration(statement) ||
      ts.isExportDeclaration(statement) ||
      ts.isFunctionDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement)
    ) {
      continue;
    }
    if (ts.isClassDeclaration(statement)) {
      for (const member of statement.members) {
        const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
        const isStatic = modifiers.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (
          isStatic &&
          (ts.isPropertyDeclaration(member) || ts.isClassStaticBlockDeclaration(member))
        ) {
          problems.push(`${where(member)} static class state`);
        }
      }
      continue;
    }
    if (!ts.isVariableStatement(statement)) {
      problems.push(`${where(statement)} top-level statement with side effects`);
      continue;
    }
    if (!(statement.declarationList.flags & ts.NodeFlags.Const)) {
      problems.push(`${where(statement)} module-level let/var`);
      continue;
    }
    for (const decl of statement.declarationList.declarations) {
      if (!decl.initializer) continue;
      const name = decl.name.getText();
      const init = unwrap(decl.initializer);
      if (ts.isNewExpression(init) && !(`${file} ${name}` in SHARED_STATE)) {
        problems.push(`${where(decl)} ${name}: a mutable object at module level`);
      }
      const literal = ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init);
      if (literal && !isExported(statement)) {
        // Exported values are deep-frozen by the SDK when shared; the rest must freeze themselves.
        problems.push(`${where(decl)} ${name}: a literal object at module level, not frozen`);
      }
    }
  }
  return problems;
}

function sandboxFiles(): string[] {
  return SANDBOX_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => relative(ROOT, join(e.parentPath, e.name))),
  ).sort();
}

describe('module state in the shared sandbox', () => {
  it('preloads the interpreter entry, so these rules are what keeps flows apart', () => {
    expect(PRELOADED_MODULES).toContain(WORKFLOWS_PATH);
  });

  it('has no per-workflow state at module level in the interpreter or the model', () => {
    const files = sandboxFiles();
    expect(files.length).toBeGreaterThan(20);
    const problems = files.flatMap((f) =>
      moduleStateProblems(f, readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(problems).toEqual([]);
  });

  it('names every allowed piece of shared state that still exists', () => {
    for (const entry of Object.keys(SHARED_STATE)) {
      const [file, name] = entry.split(' ') as [string, string];
      expect(readFileSync(join(ROOT, file), 'utf8')).toMatch(new RegExp(`^const ${name}\\b`, 'm'));
    }
  });

  it('catches the kinds of state that would leak between flows', () => {
    const text = [
      'let runs = 0;',
      'const seen = new Map<string, number>();',
      'const frame = { bindings: {} };',
      'export const LIMITS = { depth: 1 };',
      'const frozen = Object.freeze({ a: 1 });',
      'class Counter { static count = 0; }',
      'register();',
    ].join('\n');
    expect(moduleStateProblems('x.ts', text)).toEqual([
      'x.ts:1 module-level let/var',
      'x.ts:2 seen: a mutable object at module level',
      'x.ts:3 frame: a literal object at module level, not frozen',
      'x.ts:6 static class state',
      'x.ts:7 top-level statement with side effects',
    ]);
  });
});
