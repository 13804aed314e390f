// Provenance as the ABI model prints it (`why`): the `#if` branches that selected a
// definition, each with the macros it tested. Include guards are not configuration and are
// left out (the preprocessor marks them, ConditionRecord.includeGuard).
import { formatLoc } from '../parse/diagnostics.js';
import type { ConditionRecord } from '../parse/pp-types.js';
import type { Provenance } from './model.js';

export type ConditionEntry = NonNullable<Provenance['conditions']>[number];

/** The selecting branches, outermost first, include guards left out; undefined when none. */
export function conditionEntries(records: readonly ConditionRecord[] | undefined): ConditionEntry[] | undefined {
  if (!records?.length) return undefined;
  const out: ConditionEntry[] = [];
  for (const c of records) {
    if (c.includeGuard) continue;
    out.push({ directive: c.directive, text: c.text, loc: formatLoc(c.loc), tested: c.tested });
  }
  return out.length ? out : undefined;
}
