import { formatStep } from '../client';
import type { FlowProgress } from '../model/progress';

/**
 * Live step lines for `weft run`. On a terminal the block of lines is redrawn in place; anywhere
 * else each step gets a new line only when its line changes, so logs stay readable.
 */
export class ProgressView {
  private drawn = 0;
  private readonly printed = new Map<string, string>();
  private readonly tty: boolean;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.tty = out.isTTY === true && process.env.TERM !== 'dumb';
  }

  show(progress: FlowProgress): void {
    const lines = progress.steps.map((s) => ({ id: s.id, text: formatStep(s) }));
    if (this.tty) {
      const width = this.out.columns > 10 ? this.out.columns - 1 : 200;
      let frame = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
      for (const l of lines) frame += `\x1b[2K${l.text.slice(0, width)}\n`;
      frame += '\x1b[J';
      this.out.write(frame);
      this.drawn = lines.length;
      return;
    }
    for (const l of lines) {
      if (this.printed.get(l.id) === l.text) continue;
      this.printed.set(l.id, l.text);
      this.out.write(`${l.text}\n`);
    }
  }

  /** A message that is not a step line (e.g. `cancelling…`), printed above the live block. */
  note(text: string): void {
    if (this.tty && this.drawn > 0) {
      this.out.write(`\x1b[${this.drawn}F\x1b[J${text}\n`);
      this.drawn = 0;
    } else this.out.write(`${text}\n`);
  }
}
