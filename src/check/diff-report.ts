// `portabi diff` reports: changes → the generic ReportResults the check reporters draw
// (report/*.ts), one section (SARIF: one run) per ABI compared. Pure functions from values to
// text. Levels: breaking → error, source-only → warning, compatible → note, so SARIF and
// GitHub show them with their usual weight.
import type { Provenance } from '../abi/model.js';
import { countByClass, type Change, type ChangeClass, type ChangeKind, type ConfigMacroDelta } from './diff.js';
import { formatWhy, type FindingSeverity } from './finding.js';
import { renderGithub } from './report/github.js';
import { code, escapeCell, escapeHtml } from './report/markdown.js';
import type { ReportResult, ReportRule } from './report/result.js';
import { sarifLog } from './report/sarif.js';
import { renderText } from './report/text.js';

export type DiffFormat = 'text' | 'json' | 'markdown' | 'sarif' | 'github';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown', 'sarif', 'github'];

/** `--fail-on`: which changes fail the run. */
export type DiffFailOn = 'breaking' | 'any' | 'none';
export const DIFF_FAIL_ON: readonly DiffFailOn[] = ['breaking', 'any', 'none'];

export function parseDiffFailOn(s: string): DiffFailOn | null {
  return (DIFF_FAIL_ON as readonly string[]).includes(s) ? (s as DiffFailOn) : null;
}

/** 0 when nothing fails the run, 1 otherwise (2, usage or input error, is the CLI's). */
export function diffExitCode(changes: readonly { class: ChangeClass }[], failOn: DiffFailOn): 0 | 1 {
  if (failOn === 'none') return 0;
  return changes.some((c) => failOn === 'any' || c.class === 'breaking') ? 1 : 0;
}

export const CLASS_LEVEL: Record<ChangeClass, FindingSeverity> = { breaking: 'error', 'source-only': 'warning', compatible: 'note' };

/** What one side of a comparison was, for headings and the JSON report. */
export interface SideLabel {
  kind: 'tree' | 'git' | 'snapshot';
  /** Directory, revision or snapshot file, as given. */
  spec: string;
}

/** The changes of one ABI (target and configuration). */
export interface AbiDiffResult {
  target: string;
  /** The Kconfig file of this --config-matrix entry, or null. */
  config: string | null;
  old: SideLabel;
  new: SideLabel;
  changes: Change[];
  /** Configuration macros whose values differ between the sides. */
  configDeltas: ConfigMacroDelta[];
}

const RULE = (id: ChangeKind, name: string, shortDescription: string, defaultLevel: FindingSeverity, fullDescription?: string): ReportRule => ({
  id, name, shortDescription, defaultLevel, ...(fullDescription ? { fullDescription } : {}),
});

export const DIFF_RULES: readonly ReportRule[] = [
  RULE('removed', 'ItemRemoved', 'A type, constant, initializer, function or macro was removed', 'error'),
  RULE('added', 'ItemAdded', 'A type, constant, initializer, function or macro was added', 'note'),
  RULE('renamed', 'ItemRenamed', 'An item was renamed; its layout or value is unchanged', 'warning'),
  RULE('type-kind', 'TypeKindChanged', 'A type changed kind (struct, union, enum, typedef)', 'error'),
  RULE('size', 'TypeSizeChanged', 'sizeof a type changed', 'error'),
  RULE('align', 'TypeAlignmentChanged', '_Alignof a type changed', 'error'),
  RULE('opaque', 'TypeBecameOpaque', 'A complete type became incomplete (opaque)', 'error'),
  RULE('completed', 'TypeBecameComplete', 'An opaque type became complete', 'note'),
  RULE('alias', 'TypedefTargetChanged', 'A typedef now names another type', 'error'),
  RULE('alias-spelling', 'TypedefSpellingChanged', 'A typedef is spelled differently but names the same type', 'warning'),
  RULE('field-removed', 'FieldRemoved', 'A member was removed from a struct or union', 'error'),
  RULE('field-added', 'FieldAdded', 'A member was added to a struct or union', 'note'),
  RULE('field-renamed', 'FieldRenamed', 'A member was renamed; same place, width and type', 'warning'),
  RULE('field-offset', 'FieldOffsetChanged', 'offsetof a member (or the bit offset of a bit-field) changed', 'error'),
  RULE('field-width', 'FieldWidthChanged', 'The width of a member or the bit-width of a bit-field changed', 'error'),
  RULE('field-bitfield', 'FieldBitFieldChanged', 'A member became or stopped being a bit-field', 'error'),
  RULE('field-type', 'FieldTypeChanged', 'The declared type of a member changed', 'error'),
  RULE('field-type-spelling', 'FieldTypeSpellingChanged', 'A member is declared with another spelling of the same type', 'warning'),
  RULE('value', 'ConstantValueChanged', 'The value of a macro constant changed', 'error'),
  RULE('enum-value', 'EnumValueChanged', 'The value of an enumerator changed', 'error'),
  RULE('value-type', 'ConstantTypeChanged', 'The C type of a constant changed (same value)', 'error'),
  RULE('constant-source', 'ConstantSourceChanged', 'A constant moved between a macro and an enumerator (same value)', 'warning'),
  RULE('bytes', 'InitializerBytesChanged', 'The object image an initializer macro produces changed', 'error'),
  RULE('initializer-type', 'InitializerTypeChanged', 'The object type an initializer macro initializes changed', 'error'),
  RULE('initializer-type-spelling', 'InitializerTypeSpellingChanged', 'An initializer names another spelling of the same type', 'warning'),
  RULE('signature', 'SignatureChanged', 'A function prototype changed', 'error'),
  RULE('signature-spelling', 'SignatureSpellingChanged', 'A prototype is spelled differently but is the same type', 'warning'),
  RULE('linkage', 'FunctionLinkageChanged', 'A function became static (its symbol is gone) or stopped being static', 'error'),
  RULE('macro-class', 'MacroClassChanged', 'An object-like macro changed class (string, floating, type, empty, not a constant)', 'error'),
  RULE('macro-value', 'MacroValueChanged', 'The value of a string, floating or type macro, or the expansion of an initializer macro without bytes, changed', 'error'),
];

function abiLabel(r: AbiDiffResult): string {
  return r.config ? `${r.target}, ${r.config}` : r.target;
}

function sideText(s: SideLabel): string {
  return s.kind === 'git' ? `git:${s.spec}` : s.spec;
}

function causeLine(c: Change): string | null {
  if (!c.cause) return null;
  const ms = c.cause.macros.map((m) => `${m.name} ${m.old ?? 'undefined'} → ${m.new ?? 'undefined'}`).join(', ');
  if (c.cause.configOnly) return `caused only by a configuration difference${ms ? `: ${ms}` : ''}`;
  return ms ? `involves configuration: ${ms}` : null;
}

function whyLines(prefix: string, loc: string | null, w: Provenance | undefined): string[] {
  const out: string[] = [];
  if (loc) out.push(`${prefix}: ${loc}`);
  for (const l of formatWhy(w)) out.push(`${prefix}: ${l}`);
  return out;
}

/** One change as a report result: located at the new definition (the old one for removals),
 *  the other side's definition and both provenance chains as related locations and details. */
export function changeToResult(c: Change, abi?: string): ReportResult {
  const subject = c.field !== undefined ? `${c.item}.${c.field}` : c.item;
  const r: ReportResult = {
    ruleId: c.kind,
    level: CLASS_LEVEL[c.class],
    title: `${c.class} (${c.kind}): ${subject}${abi ? ` [${abi}]` : ''}`,
    message: `${c.class}: ${c.message}`,
    loc: c.newLoc ?? c.oldLoc,
    item: c.item,
  };
  if (c.field !== undefined) r.field = c.field;
  if (c.old !== undefined) r.expected = c.unit === 'bits' ? `${c.old} bits` : c.old;
  if (c.new !== undefined) r.actual = c.unit === 'bits' ? `${c.new} bits` : c.new;
  const related: { loc: string; message: string }[] = [];
  if (c.oldLoc && c.newLoc) related.push({ loc: c.oldLoc, message: 'old definition' });
  for (const [side, w] of [['old', c.oldWhy], ['new', c.newWhy]] as const) {
    for (const step of w?.chain ?? []) related.push({ loc: step.loc, message: `${side}: macro ${step.macro}` });
    for (const x of w?.conditions ?? []) related.push({ loc: x.loc, message: `${side}: #${x.directive} ${x.text}` });
  }
  if (related.length) r.related = related;
  const details: string[] = [...whyLines('old', c.oldLoc, c.oldWhy), ...whyLines('new', c.newLoc, c.newWhy)];
  if (c.because?.length) details.push(`follows from: ${c.because.join(', ')}`);
  const cause = causeLine(c);
  if (cause) details.push(cause);
  if (abi) details.push(`ABI: ${abi}`);
  r.details = details;
  return r;
}

function classSummary(changes: readonly Change[]): string {
  const n = countByClass(changes);
  return `${n.breaking} breaking, ${n['source-only']} source-only, ${n.compatible} compatible`;
}

export interface DiffRenderContext {
  /** Repository root: SARIF and GitHub paths are relative to it. */
  baseDir: string;
  cwd?: string;
  toolVersion: string;
  color?: boolean;
}

// ---- text ------------------------------------------------------------------------------------

export function renderDiffText(runs: readonly AbiDiffResult[], ctx: DiffRenderContext): string {
  return runs
    .map((r) => {
      const results = r.changes.map((c) => changeToResult(c));
      const heading = `portabi diff ${sideText(r.old)} → ${sideText(r.new)} on ${abiLabel(r)}`;
      return renderText(results, { color: ctx.color ?? false, heading, summary: r.changes.length ? classSummary(r.changes) : 'no ABI changes' });
    })
    .join('\n');
}

// ---- json ------------------------------------------------------------------------------------

export const DIFF_JSON_SCHEMA_VERSION = 1;

export interface JsonChange {
  class: ChangeClass;
  kind: ChangeKind;
  section: Change['section'];
  item: string;
  field: string | null;
  renamedFrom: string | null;
  old: string | null;
  new: string | null;
  unit: 'bytes' | 'bits' | null;
  message: string;
  oldLoc: string | null;
  newLoc: string | null;
  oldWhy: Provenance | null;
  newWhy: Provenance | null;
  because: string[];
  cause: Change['cause'] | null;
}

export function toJsonChange(c: Change): JsonChange {
  return {
    class: c.class,
    kind: c.kind,
    section: c.section,
    item: c.item,
    field: c.field ?? null,
    renamedFrom: c.renamedFrom ?? null,
    old: c.old ?? null,
    new: c.new ?? null,
    unit: c.unit ?? null,
    message: c.message,
    oldLoc: c.oldLoc,
    newLoc: c.newLoc,
    oldWhy: c.oldWhy ?? null,
    newWhy: c.newWhy ?? null,
    because: c.because ?? [],
    cause: c.cause ?? null,
  };
}

export function renderDiffJson(runs: readonly AbiDiffResult[]): string {
  const all = runs.flatMap((r) => r.changes);
  const n = countByClass(all);
  return (
    JSON.stringify(
      {
        schemaVersion: DIFF_JSON_SCHEMA_VERSION,
        summary: { breaking: n.breaking, sourceOnly: n['source-only'], compatible: n.compatible },
        runs: runs.map((r) => {
          const k = countByClass(r.changes);
          return {
            target: r.target,
            config: r.config,
            old: r.old,
            new: r.new,
            configDeltas: r.configDeltas,
            summary: { breaking: k.breaking, sourceOnly: k['source-only'], compatible: k.compatible },
            changes: r.changes.map(toJsonChange),
          };
        }),
      },
      null,
      2,
    ) + '\n'
  );
}

// ---- markdown --------------------------------------------------------------------------------

const ICON: Record<ChangeClass, string> = { breaking: '❌', 'source-only': '⚠️', compatible: '➕' };

function cellCode(s: string | undefined): string {
  if (s === undefined || s === '') return '';
  return code(shortHex(s).replace(/\r?\n/g, ' ')).replace(/\|/g, '\\|');
}

function withUnit(v: string | undefined, c: Change): string | undefined {
  return v !== undefined && c.unit === 'bits' ? `${v} bits` : v;
}

function shortHex(s: string): string {
  return s.length > 48 && /^[0-9a-f]+$/.test(s) ? `${s.slice(0, 44)}… (${s.length / 2} bytes)` : s;
}

export interface DiffMarkdownOptions {
  /** Table rows per ABI beyond this are left out (details list all). Default 100. */
  maxRows?: number;
  /** Details blocks are added while the comment stays under this many characters (GitHub
   *  comments hold 65536); the rest are counted. Default 60000. */
  maxChars?: number;
}

/** A pull-request comment: the summary table (one row per ABI) first, then per ABI a table of
 *  its changes, breaking first, then each change folded in a <details> block. */
export function renderDiffMarkdown(runs: readonly AbiDiffResult[], opts: DiffMarkdownOptions = {}): string {
  const maxRows = opts.maxRows ?? 100;
  const maxChars = opts.maxChars ?? 60000;
  const first = runs[0];
  const out: string[] = [`### portabi diff${first ? `: ${code(sideText(first.old))} → ${code(sideText(first.new))}` : ''}`, ''];
  const all = runs.flatMap((r) => r.changes);
  const n = countByClass(all);
  out.push(n.breaking ? `**${classSummary(all)}**` : all.length ? `✅ No breaking changes (${classSummary(all)}).` : '✅ No ABI changes.', '');
  out.push('| ABI | ❌ breaking | ⚠️ source-only | ➕ compatible |', '|---|---:|---:|---:|');
  for (const r of runs) {
    const k = countByClass(r.changes);
    out.push(`| ${escapeCell(abiLabel(r))} | ${k.breaking} | ${k['source-only']} | ${k.compatible} |`);
  }
  out.push('');
  for (const r of runs) {
    if (!r.changes.length) continue;
    out.push(`<details>`, `<summary>${escapeHtml(abiLabel(r))}: ${escapeHtml(classSummary(r.changes))}</summary>`, '');
    out.push('| | item | field | change | old | new | where |', '|---|---|---|---|---|---|---|');
    for (const c of r.changes.slice(0, maxRows)) {
      out.push(`| ${ICON[c.class]} | ${cellCode(c.item)} | ${cellCode(c.field)} | ${escapeCell(c.kind)} | ${cellCode(withUnit(c.old, c))} | ${cellCode(withUnit(c.new, c))} | ${cellCode(c.newLoc ?? c.oldLoc ?? undefined)} |`);
    }
    if (r.changes.length > maxRows) out.push('', `_${r.changes.length - maxRows} more not shown in the table._`);
    out.push('');
    let size = out.reduce((n, l) => n + l.length + 1, 0);
    let left = 0;
    for (const c of r.changes) {
      const res = changeToResult(c);
      const block = ['<details>', `<summary>${ICON[c.class]} ${escapeHtml(res.title)}</summary>`, '', escapeHtml(c.message), ''];
      for (const d of res.details ?? []) block.push(`- ${escapeHtml(d)}`);
      block.push('', '</details>', '');
      const n = block.reduce((k, l) => k + l.length + 1, 0);
      if (left || size + n > maxChars) {
        left++;
        continue;
      }
      out.push(...block);
      size += n;
    }
    if (left) out.push(`_${left} more changes not detailed here (a comment holds 65536 characters); the json or sarif report lists all._`, '');
    out.push('</details>', '');
  }
  return out.join('\n');
}

// ---- sarif, github ----------------------------------------------------------------------------

export function renderDiffSarif(runs: readonly AbiDiffResult[], ctx: DiffRenderContext): string {
  const sarifRuns = runs.map((r) => {
    const log = sarifLog(r.changes.map((c) => changeToResult(c, abiLabel(r))), { baseDir: ctx.baseDir, cwd: ctx.cwd ?? ctx.baseDir, rules: DIFF_RULES, toolVersion: ctx.toolVersion });
    const run = (log.runs as Record<string, unknown>[])[0]!;
    run.automationDetails = { id: `portabi-diff/${r.target}/${r.config ?? 'default'}/` };
    return run;
  });
  return JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: sarifRuns }, null, 2) + '\n';
}

export function renderDiffGithub(runs: readonly AbiDiffResult[], ctx: DiffRenderContext): string {
  return runs.map((r) => renderGithub(r.changes.map((c) => changeToResult(c, runs.length > 1 ? abiLabel(r) : undefined)), { baseDir: ctx.baseDir, cwd: ctx.cwd ?? ctx.baseDir })).join('');
}

export function renderDiffReport(format: DiffFormat, runs: readonly AbiDiffResult[], ctx: DiffRenderContext): string {
  switch (format) {
    case 'text':
      return renderDiffText(runs, ctx);
    case 'json':
      return renderDiffJson(runs);
    case 'markdown':
      return renderDiffMarkdown(runs);
    case 'sarif':
      return renderDiffSarif(runs, ctx);
    case 'github':
      return renderDiffGithub(runs, ctx);
  }
}
