// Which `#if` branches were active at a token of the preprocessed output: what selected a
// declaration. The preprocessor gives each taken branch the range of output tokens it covers
// (ConditionRecord.firstToken / endToken); branches nest, so the active ones at a token are
// a stack, and the output splits into segments with one stack each. Include guards are left
// out: they say nothing about the configuration.
import type { ConditionRecord } from './pp-types.js';

const NONE: readonly ConditionRecord[] = [];

export class ConditionIndex {
  /** Segment i starts at output token `starts[i]`; `active[i]` holds from there on. */
  private readonly starts: number[] = [];
  private readonly active: (readonly ConditionRecord[])[] = [];

  constructor(records: readonly ConditionRecord[]) {
    const stack: ConditionRecord[] = [];
    const mark = (at: number) => {
      const n = this.starts.length;
      const now = stack.length ? stack.slice() : NONE;
      if (n && this.starts[n - 1] === at) this.active[n - 1] = now;
      else {
        this.starts.push(at);
        this.active.push(now);
      }
    };
    const closeBefore = (at: number) => {
      while (stack.length && stack[stack.length - 1]!.endToken! <= at) {
        const end = stack.pop()!.endToken!;
        mark(end);
      }
    };
    // Records come in the order their branches were entered, so by firstToken.
    for (const r of records) {
      if (r.firstToken === undefined || r.endToken === undefined || r.includeGuard) continue;
      closeBefore(r.firstToken);
      stack.push(r);
      mark(r.firstToken);
    }
    closeBefore(Infinity);
  }

  /** The branches active at output token `tokenIndex`, outermost first. */
  at(tokenIndex: number): readonly ConditionRecord[] {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= tokenIndex) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? NONE : this.active[found]!;
  }
}
