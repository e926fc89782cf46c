/**
 * The little Gherkin the Serverless Workflow conformance kit (CTK) uses: features, scenarios,
 * steps and their `"""` doc strings. Nothing else of Gherkin (outlines, tables, backgrounds) is
 * in the kit, so anything else is an error here rather than a silently skipped line.
 */

export interface GherkinStep {
  keyword: string;
  text: string;
  docString?: string;
  line: number;
}

export interface Scenario {
  feature: string;
  name: string;
  file: string;
  line: number;
  steps: GherkinStep[];
}

const KEYWORDS = /^(Given|When|Then|And|But)\s+(.*)$/;

export function parseFeature(text: string, file: string): Scenario[] {
  const lines = text.split(/\r?\n/);
  const scenarios: Scenario[] = [];
  let feature = '';
  let current: Scenario | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('Feature:')) {
      feature = line.slice('Feature:'.length).trim();
      continue;
    }
    if (line.startsWith('Scenario:')) {
      current = {
        feature,
        name: line.slice('Scenario:'.length).trim(),
        file,
        line: i + 1,
        steps: [],
      };
      scenarios.push(current);
      continue;
    }
    const m = KEYWORDS.exec(line);
    if (m && current) {
      const step: GherkinStep = {
        keyword: m[1] as string,
        text: (m[2] as string).trim(),
        line: i + 1,
      };
      const next = lines[i + 1]?.trim() ?? '';
      if (next.startsWith('"""')) {
        // The doc string's indentation is that of its opening quotes.
        const indent = (lines[i + 1] as string).indexOf('"""');
        const body: string[] = [];
        let j = i + 2;
        for (; j < lines.length && (lines[j] as string).trim() !== '"""'; j++) {
          body.push((lines[j] as string).slice(Math.min(indent, leading(lines[j] as string))));
        }
        if (j >= lines.length) throw new Error(`${file}:${i + 2}: unclosed doc string`);
        step.docString = body.join('\n');
        i = j;
      }
      current.steps.push(step);
      continue;
    }
    if (!current) continue; // the feature's free-text description
    throw new Error(`${file}:${i + 1}: unexpected Gherkin line: ${line}`);
  }
  return scenarios;
}

function leading(line: string): number {
  return line.length - line.trimStart().length;
}
