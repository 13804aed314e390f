// `portabi gen rust`: a `#![no_std]`-compatible Rust module (core only) for a header set and a
// target, from the IR, the AbiContext (layouts) and the ABI model (constants, initializers,
// provenance). Sections: constants, enums, types, `extern "C"`, initializers, async wrappers,
// layout assertions, and the async runtime (runtime.rs). Deterministic: declaration order,
// sorted model maps, no timestamps.
import { relative } from 'node:path';
import type { AbiContext } from '../../abi/context.js';
import { enumValues } from '../../abi/enum-values.js';
import type { AbiModel } from '../../abi/model.js';
import type { Loc } from '../../parse/diagnostics.js';
import type { TranslationUnitIR } from '../../parse/ir.js';
import type { AsyncSpec } from '../async/model.js';
import { runtimeBelowMarker } from '../runtime-source.js';
import { emitAssertions } from './asserts.js';
import { emitAsync } from './async.js';
import { emitConstants } from './consts.js';
import { rustIdent } from './names.js';
import { RustItems } from './types.js';

export interface RustGenInput {
  ir: TranslationUnitIR;
  ctx: AbiContext;
  model: AbiModel;
  /** Whether a declaration at this location is the user's (system headers are emitted only
   *  as far as the user's declarations need them). */
  isUserLoc: (loc: Loc) => boolean;
  async: AsyncSpec[];
  /** Locations in doc comments are printed relative to this directory. */
  relativeTo: string;
  /** Headers, for the module's doc comment. */
  headers: string[];
  /** `#[link(name = ...)]` on the extern block, when given. */
  link?: string | null;
  newtypeEnums?: boolean | string[];
  /** Registry slots: operations that can be pending at once. */
  maxOps?: number;
  /** Inline bytes of a bytes / string callback result. */
  maxBytes?: number;
}

export const DEFAULT_MAX_OPS = 64;
export const DEFAULT_MAX_BYTES = 64;

/** The runtime module's text (below the marker of runtime.rs). */
export function rustRuntimeSource(): string {
  return runtimeBelowMarker('src/generate/rust/runtime.rs');
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');
}

export function generateRust(input: RustGenInput): { text: string; problems: string[] } {
  const { ir, ctx, model } = input;
  const items = new RustItems({ ir, ctx, isUserLoc: input.isUserLoc, relativeTo: input.relativeTo, newtypeEnums: input.newtypeEnums ?? false });
  const problems = items.problems;
  const isUserLocString = (loc: string): boolean => {
    const m = /^(.*):(\d+):(\d+)$/.exec(loc);
    return m ? input.isUserLoc({ file: m[1]!, line: Number(m[2]), col: Number(m[3]) }) : false;
  };

  // Enums: named (or typedef-named) ones as types; anonymous ones as constants of their type.
  const anonEnumConsts: string[] = [];
  ir.enums.forEach((e, id) => {
    if (!e.complete || !input.isUserLoc(e.loc)) return;
    if (e.name || Object.values(ir.typedefs).some((td) => td.type.kind === 'enum' && td.type.id === id)) {
      items.emitEnum(id);
      return;
    }
    const v = enumValues(e, ctx);
    if (!v.ok) {
      problems.push(`anonymous enum at ${items.loc(e.loc)}: ${v.reason}`);
      return;
    }
    for (const x of v.enumerators) {
      const at = e.enumerators.find((y) => y.name === x.name)!.loc;
      if (!items.values.claim(rustIdent(x.name))) {
        anonEnumConsts.push(`// ${x.name} (enumerator of an anonymous enum = ${x.value}): not emitted, the name is taken in the module`);
        continue;
      }
      anonEnumConsts.push(`/// enumerator of an anonymous enum (\`${x.type}\`) — ${items.loc(at)}\npub const ${rustIdent(x.name)}: ${items.intType(x.type)} = ${x.value};`);
    }
  });
  // Records and typedefs of the user's headers.
  ir.records.forEach((r, id) => {
    if (input.isUserLoc(r.loc) && r.name && items.names.recordId(id) === id) items.record(id);
  });
  for (const td of Object.values(ir.typedefs)) if (input.isUserLoc(td.loc)) items.typedef(td.name);

  // Functions.
  const externs: string[] = [];
  for (const fn of Object.values(ir.functions)) {
    if (!input.isUserLoc(fn.loc) || fn.storage === 'static') continue;
    const e = items.externFn(fn);
    if (typeof e === 'string') externs.push(e);
    else {
      externs.push(`// ${fn.name}: not bound (${e.unsupported})`);
      problems.push(`${fn.name}: not bound (${e.unsupported})`);
    }
  }

  const { constants, initializers } = emitConstants(items, model, isUserLocString);

  // Async wrappers.
  const wrappers: string[] = [];
  for (const spec of input.async) {
    const fn = ir.functions[spec.symbol];
    if (!fn) continue;
    const w = emitAsync(items, fn, spec, { maxBytes: input.maxBytes ?? DEFAULT_MAX_BYTES }, problems);
    if (Array.isArray(w)) wrappers.push(...w);
    else {
      wrappers.push(`// ${spec.symbol}: no async wrapper (${w.unsupported})`);
      problems.push(`${spec.symbol}: async wrapper not generated (${w.unsupported})`);
    }
  }

  const asserts = emitAssertions(items.checks, items.enumChecks);
  const headers = input.headers.map((h) => (relative(input.relativeTo, h) || h).split('\\').join('/'));
  const out: string[] = [
    '// Generated by `portabi gen rust`. Do not edit: regenerate instead (`portabi gen`; `portabi gen --check` verifies).',
    `//! Bindings for ${headers.map((h) => `\`${h}\``).join(', ')} on \`${ctx.target.name}\`: types, layouts and constants`,
    '//! computed by portabi from the C headers, checked at compile time by the layout assertions',
    '//! at the end. core only (`#![no_std]`-compatible); no heap allocation anywhere.',
    '#![allow(non_camel_case_types, non_upper_case_globals, non_snake_case, clippy::all)]',
    '',
    '// ---- constants ----',
    ...[...constants, ...anonEnumConsts].flatMap((c) => [c, '']),
    '// ---- enums ----',
    ...items.enumItems.flatMap((c) => [c, '']),
    '// ---- types ----',
    ...items.typeItems.flatMap((c) => [c, '']),
    '// ---- functions ----',
    `${input.link ? `#[link(name = ${JSON.stringify(input.link)})]\n` : ''}unsafe extern "C" {`,
    indent(externs.join('\n'), 4),
    '}',
    '',
    '// ---- initializers: the target\'s bytes, computed by portabi ----',
    ...initializers.flatMap((c) => [c, '']),
    '// ---- async wrappers ----',
    `/// Operations that can be pending at once (portabi.yaml \`max-ops\`).\nstatic PORTABI_REGISTRY: portabi_rt::Registry<${input.maxOps ?? DEFAULT_MAX_OPS}> = portabi_rt::Registry::new();`,
    '',
    '/// Registry counters: live operations and ignored (late) callbacks.',
    'pub fn portabi_async_stats() -> portabi_rt::Stats {',
    '    PORTABI_REGISTRY.stats()',
    '}',
    '',
    ...wrappers.flatMap((c) => [c, '']),
    `// ---- layout assertions for ${ctx.target.name} (the numbers are portabi's) ----`,
    ...asserts.flatMap((c) => [c, '']),
    '// ---- runtime (copied from portabi: src/generate/rust/runtime.rs) ----',
    'pub mod portabi_rt {',
    indent(rustRuntimeSource().trimEnd(), 4),
    '}',
    '',
  ];
  return { text: out.join('\n').replace(/\n{3,}/g, '\n\n'), problems };
}
