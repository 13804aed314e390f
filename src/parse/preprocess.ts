// The C preprocessor (C17 6.10 plus the GNU extensions real headers use), on tokens.
//
// Design (after chibicc's preprocess.c): input is a stack of contexts. A file context is a
// tokenized file; directives are recognised only there. A macro context is the replacement
// of one invocation, to be rescanned. Expansion follows Prosser's algorithm: each token
// carries a hideset (hideset.ts) and a macro is not expanded by a token whose hideset names
// it. Arguments are fully expanded in isolation (a swapped, sealed stack) before
// substitution. Problems are diagnostics with locations; nothing is thrown.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, Loc } from './diagnostics.js';
import { diag } from './diagnostics.js';
import type { ExpansionStep } from './token.js';
import type {
  ConditionRecord,
  IncludeRecord,
  MacroDef,
  PPLineMarker,
  PragmaRecord,
  PreprocessLimits,
  PreprocessOptions,
  PreprocessResult,
} from './pp-types.js';
import { Hideset } from './hideset.js';
import { SourceFile, tokenize, tokenizeString, type PPToken } from './tokenize.js';
import { evaluatePPExpr, type PPExprTarget } from './pp-expr.js';
import { parseKconfig } from './kconfig.js';
import { COMMAND_LINE, inputFileProblem, inputProblemMessage, readInputFile, type InputProblem } from './input-file.js';
import { commandLineMacros } from './command-line-macros.js';
import { parsePackPragma } from './pragma-pack.js';

export const DEFAULT_LIMITS: PreprocessLimits = {
  maxIncludeDepth: 200,
  // Files entered (not skipped by a guard or #pragma once) per translation unit. The bench
  // TUs enter 1,482 (glibc armhf), 450 (newlib), 300 (musl); a file that includes itself
  // twice until __INCLUDE_LEVEL__ 40 would enter 2^40. 100,000 stops that in about a second.
  maxIncludes: 100_000,
  // Arguments within arguments, F(F(F(x))): each level is a few frames of recursion, and
  // node's stack ends somewhere between 800 and 1,000. The deepest in the bench TUs is 14
  // (glibc + Linux UAPI, linux/comedi.h); clang's own limit on nested brackets is 256.
  maxExpansionDepth: 256,
  maxOutputTokens: 4_000_000,
  maxLineLength: 64 * 1024 * 1024,
  // Macro bombs. The cost of an expansion is the tokens substitution produces (each rescan's
  // replacement list, argument pre-expansion included), plus a token per 16 bytes that # and
  // ## make and the length of the expansion chain each invocation copies. The largest real
  // ones, measured on the bench TUs (bench/common.ts): one expansion in the text, 2,460
  // (glibc + Linux UAPI: NI_COUNTER_NAMES_MAX, linux/comedi.h), 200 musl, 68 newlib; a whole
  // TU, 101,762 (glibc). Each macro of the final table expanded alone for the ABI model:
  // 53,380 (MAP_ASCII14SEG_ALPHANUM, linux/map_to_14segment.h), 785,535 for all 36,000 of
  // glibc's. A million per expansion is 19 times the largest and is reached in under a
  // second and ~220 MB (J(J(1)), 2^1024 tokens); the total, 10 times glibc's whole macro
  // table, bounds a file of many bombs to a few seconds.
  maxExpansionTokens: 1_000_000,
  maxTotalExpansionTokens: 8_000_000,
};

const EMPTY_HS = Hideset.empty();
const NO_TOKENS: PPToken[] = [];

interface FileCtx {
  kind: 0;
  src: SourceFile;
  /** The current logical line's tokens (never part of the next line), and where we are in it. */
  toks: PPToken[];
  i: number;
  /** Offset in `src` of the line after `toks`. */
  pos: number;
  /** Path as spelled for __FILE__ and line markers. */
  name: string;
  /** Normalized absolute path: identity for #pragma once and include guards. */
  key: string;
  dir: string;
  /** Index in the search list where the file was found (-1: relative / absolute / main). */
  dirIndex: number;
  conds: Cond[];
  lineDelta: number;
  presumedName: string | null;
  system: boolean;
  /** Include-guard detection: 0 nothing yet, 1 inside #ifndef X, 2 after its #endif, -1 no guard. */
  guardState: number;
  guardMacro: string;
  guardCond: Cond | null;
  /** The guard's taken branch, marked `includeGuard` when the file turns out guarded. */
  guardRecord: ConditionRecord | null;
}

interface MacroCtx {
  kind: 1;
  toks: PPToken[];
  i: number;
  /** Sealed: at the end, report eof instead of popping (argument pre-expansion, #if). */
  barrier: boolean;
}

type Ctx = FileCtx | MacroCtx;

interface Cond {
  taken: boolean;
  sawElse: boolean;
  loc: Loc;
  texts: string[];
  /** What the #if and each #elif tested: an #else depends on all of them. */
  tested: { name: string; value: string | null }[];
  record: ConditionRecord | null;
}

interface MacroInfo {
  pidx: Map<string, number>;
  /** Index of the variadic parameter in the argument list, -1 when not variadic. */
  va: number;
  paste: boolean;
}

const macroInfo = new WeakMap<MacroDef, MacroInfo>();
function infoOf(m: MacroDef): MacroInfo {
  let inf = macroInfo.get(m);
  if (!inf) {
    const pidx = new Map<string, number>();
    m.params.forEach((p, k) => pidx.set(p, k));
    let va = -1;
    if (m.variadic) {
      va = m.params.length;
      pidx.set(m.variadicName ?? '__VA_ARGS__', va);
    }
    const paste = m.body.some((t) => t.kind === 'punct' && (t.text === '##' || t.text === '%:%:'));
    inf = { pidx, va, paste };
    macroInfo.set(m, inf);
  }
  return inf;
}

const PLACEMARKER = 'placemarker' as const;
const PASTE: PPToken = { kind: 'punct', text: '##', loc: { file: '', line: 0, col: 0 }, space: false, bol: false };

const isPunct = (t: PPToken | undefined, s: string): boolean => t !== undefined && t.kind === 'punct' && t.text === s;
const isHash = (t: PPToken | undefined) => t !== undefined && t.kind === 'punct' && (t.text === '#' || t.text === '%:');
const isHashHash = (t: PPToken | undefined) => t !== undefined && t.kind === 'punct' && (t.text === '##' || t.text === '%:%:');

/** Spelling of a token run with single spaces where the source had whitespace. */
export function spell(toks: readonly PPToken[]): string {
  let s = '';
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (k > 0 && t.space) s += ' ';
    s += t.text;
  }
  return s;
}

function quoteString(s: string): string {
  return '"' + s.replace(/[\\"]/g, '\\$&') + '"';
}

const HAS_NAMES_ALL = [
  '__has_include', '__has_include_next', '__has_attribute', '__has_cpp_attribute', '__has_c_attribute',
  '__has_builtin', '__has_feature', '__has_extension', '__has_warning',
];
const PLAIN_BUILTINS = ['__FILE__', '__LINE__', '__COUNTER__', '__INCLUDE_LEVEL__', '__DATE__', '__TIME__', '__BASE_FILE__', '__TIMESTAMP__'];

interface SearchDir {
  path: string;
  system: boolean;
}

class Preprocessor {
  readonly diags: Diagnostic[] = [];
  readonly macros: Map<string, MacroDef>;
  readonly definitions: MacroDef[] = [];
  readonly pragmas: PragmaRecord[] = [];
  readonly includes: IncludeRecord[] = [];
  readonly markers: PPLineMarker[] = [];
  readonly conditions: ConditionRecord[] = [];
  readonly out: PPToken[] = [];
  readonly limits: PreprocessLimits;

  private stack: Ctx[] = [];
  private fileDepth = 0;
  /** Files entered by #include so far (limits.maxIncludes). */
  private entered = 0;
  private fatal = false;
  private inIf = 0;
  private argDepth = 0;
  private work = 0;
  /** The expansion being charged for the tokens substitution produces: the invocation of a
   *  macro written in the source (or in a directive line), where a macro bomb is reported. */
  private top: { name: string; loc: Loc; work: number; out: number; records: number } | null = null;
  /** The argDepth at which a macro name from the source starts a new charged expansion: 0 in
   *  the text, one more than the directive's in an #if / #include / #line / #pragma line. */
  private topDepth = 0;
  /** Set when an expansion went over its budget: every context reads as ended until the
   *  expansion is dropped (recoverTop), diagnostics pushed meanwhile included. */
  private dropping = false;
  private dropDiags = 0;
  private fatalDiag: Diagnostic | null = null;
  private counter = 0;
  private inBuiltin = false;
  private builtins = new Set<string>(PLAIN_BUILTINS);
  private activeConds: ConditionRecord[] = [];
  private condSnapshot: ConditionRecord[] | null = [];
  private once = new Set<string>();
  private guards = new Map<string, string>();
  private fileCache = new Map<string, SourceFile | null>();
  /** Why a file in fileCache (null there) could not be read, when the file system said. */
  private loadProblems = new Map<string, InputProblem>();
  private existsCache = new Map<string, boolean>();
  private resolveCache = new Map<string, { path: string; dirIndex: number } | null>();
  private dirs: SearchDir[] = [];
  private angleStart = 0;
  private exprTarget: PPExprTarget | null = null;
  private pushed = new Map<string, (MacroDef | undefined)[]>();
  private baseFile = '';
  private readonly eofTok: PPToken = { kind: 'eof', text: '', loc: { file: '', line: 0, col: 0 }, space: false, bol: true };

  constructor(readonly opts: PreprocessOptions, macros?: Map<string, MacroDef>) {
    this.limits = { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
    this.macros = macros ?? new Map();
    this.setupDirs();
  }

  // ---------------------------------------------------------------- search path

  private setupDirs(): void {
    const o = this.opts;
    const quote = o.quoteIncludePaths.map((p) => ({ path: trimSlash(p), system: false }));
    const user = o.includePaths.map((p) => ({ path: trimSlash(p), system: false }));
    const sys = o.systemIncludePaths.map((p) => ({ path: trimSlash(p), system: true }));
    // Like gcc: a non-system dir that is also a system dir is dropped; later duplicates too.
    const sysSet = new Set(sys.map((d) => path.resolve(d.path)));
    const seen = new Set<string>();
    const dedup = (list: SearchDir[], dropIfSystem: boolean) =>
      list.filter((d) => {
        const k = path.resolve(d.path);
        if (dropIfSystem && sysSet.has(k)) return false;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    const bracket = [...dedup(user, true), ...dedup(sys, false)];
    const bracketSet = new Set(bracket.map((d) => path.resolve(d.path)));
    const q = quote.filter((d) => !bracketSet.has(path.resolve(d.path)));
    this.dirs = [...q, ...bracket];
    this.angleStart = q.length;
  }

  private exists(p: string): boolean {
    let e = this.existsCache.get(p);
    if (e === undefined) {
      if (this.opts.fileExists) e = this.opts.fileExists(p);
      else {
        // As clang and gcc: a directory of the name is passed over and the search goes on;
        // anything else stops it, and a FIFO or device found is refused when it is opened.
        try {
          e = !fs.statSync(p).isDirectory();
        } catch {
          e = false;
        }
      }
      this.existsCache.set(p, e);
    }
    return e;
  }

  private resolve(name: string, angle: boolean, cur: FileCtx | null, next: boolean): { path: string; dirIndex: number } | null {
    if (path.isAbsolute(name)) return this.exists(name) ? { path: name, dirIndex: -1 } : null;
    let start: number;
    const curDir = cur ? cur.dir : '';
    if (next && cur) start = cur.dirIndex + 1;
    else if (angle) start = this.angleStart;
    else {
      const p = curDir === '' || curDir === '.' ? name : curDir + '/' + name;
      if (this.exists(p)) return { path: p, dirIndex: -1 };
      start = 0;
    }
    const ck = `${start}\0${name}`;
    const hit = this.resolveCache.get(ck);
    if (hit !== undefined) return hit;
    let r: { path: string; dirIndex: number } | null = null;
    for (let k = start; k < this.dirs.length; k++) {
      const p = this.dirs[k]!.path + '/' + name;
      if (this.exists(p)) {
        r = { path: p, dirIndex: k };
        break;
      }
    }
    this.resolveCache.set(ck, r);
    return r;
  }

  private load(p: string, key: string): SourceFile | null {
    let src = this.fileCache.get(key);
    if (src === undefined) {
      let buf: Buffer | null = null;
      if (this.opts.readFile) {
        buf = this.opts.readFile(p);
        // The hook (diff's sources, the model cache) says only that it could not read it; the
        // file system says why, when the file is there.
        const why = buf === null ? inputFileProblem(p) : null;
        if (why && why.kind !== 'missing') this.loadProblems.set(key, why);
      } else {
        const r = readInputFile(p);
        if (r.ok) buf = r.bytes;
        else this.loadProblems.set(key, r.problem);
      }
      const text = buf === null ? null : buf.toString('latin1');
      const shared = this.opts.sourceCache;
      src = text === null ? null : shared ? shared.source(key, text, this.diags, (sink) => this.sourceChecked(text, p, sink)) : this.sourceChecked(text, p);
      this.fileCache.set(key, src);
    }
    return src;
  }

  private sourceChecked(text: string, name: string, diags: Diagnostic[] = this.diags): SourceFile {
    const max = this.limits.maxLineLength;
    if (text.length > max) {
      // Find the first over-long line; diagnose it and blank it out.
      let start = 0;
      const parts: string[] = [];
      let changed = false;
      let line = 1;
      while (start <= text.length) {
        let e = text.indexOf('\n', start);
        if (e < 0) e = text.length;
        if (e - start > max) {
          diags.push(diag('error', `line longer than ${max} bytes; skipped`, { file: name, line, col: 1 }, 'line-too-long'));
          parts.push('');
          changed = true;
        } else parts.push(text.slice(start, e));
        start = e + 1;
        line++;
      }
      if (changed) text = parts.join('\n');
    }
    return new SourceFile(text, name, diags);
  }

  // ---------------------------------------------------------------- contexts

  private pushFile(src: SourceFile, name: string, key: string, dirIndex: number, system: boolean, from: Loc | null): void {
    const dir = path.dirname(name);
    this.stack.push({
      kind: 0, src, toks: NO_TOKENS, i: 0, pos: 0, name, key, dir, dirIndex, conds: [], lineDelta: 0, presumedName: null, system,
      guardState: 0, guardMacro: '', guardCond: null, guardRecord: null,
    });
    this.fileDepth++;
    const flags = from ? (system ? [1, 3] : [1]) : system ? [3] : [];
    this.markers.push({ tokenIndex: this.out.length, file: name, line: 1, flags });
  }

  /** The file's next token, lexing its next line when the current one is used up. */
  private peek(c: FileCtx): PPToken {
    if (c.i < c.toks.length) return c.toks[c.i]!;
    const l = c.src.line(c.pos);
    c.toks = l.tokens;
    c.i = 0;
    c.pos = l.next;
    return l.tokens[0]!;
  }

  private curFile(): FileCtx | null {
    for (let k = this.stack.length - 1; k >= 0; k--) {
      const c = this.stack[k]!;
      if (c.kind === 0) return c;
    }
    return this.fileStackTop;
  }
  /** The innermost file while the stack is swapped (argument pre-expansion, #if). */
  private fileStackTop: FileCtx | null = null;

  private leaveFile(c: FileCtx): void {
    for (const cd of c.conds) this.diags.push(diag('error', 'unterminated conditional directive', cd.loc, 'unterminated-if'));
    // balance the global active-condition stack
    for (let k = c.conds.length - 1; k >= 0; k--) if (c.conds[k]!.record) this.popActive();
    if (c.guardState === 2) {
      this.guards.set(c.key, c.guardMacro);
      // A guard's macro is defined by the end of its file; `#ifndef CONFIG_X` around a whole
      // file is configuration, not a guard, for provenance.
      if (c.guardRecord && this.macros.has(c.guardMacro)) c.guardRecord.includeGuard = true;
      // Not read again while the guard macro stays defined (a shared cache may serve other runs).
      if (!this.opts.sourceCache) c.src.forgetLines();
    }
    this.stack.pop();
    this.fileDepth--;
    const parent = this.curFile();
    if (parent && this.fileDepth > 0) {
      const nt = this.peek(parent);
      this.markers.push({
        tokenIndex: this.out.length,
        file: parent.presumedName ?? parent.name,
        line: nt.loc.line + parent.lineDelta,
        flags: parent.system ? [2, 3] : [2],
      });
    }
  }

  /**
   * Next unexpanded token. Directives in files are executed here. With `noCross`, the end
   * of a file is reported as eof instead of returning to the includer.
   */
  private next(noCross = false): PPToken {
    for (;;) {
      if (this.fatal || this.dropping) return this.eofTok;
      const c = this.stack[this.stack.length - 1];
      if (!c) return this.eofTok;
      if (c.kind === 1) {
        if (c.i < c.toks.length) return c.toks[c.i++]!;
        if (c.barrier) return this.eofTok;
        this.stack.pop();
        continue;
      }
      const t = this.peek(c);
      if (t.kind === 'eof') {
        if (noCross) return this.eofTok;
        this.leaveFile(c);
        continue;
      }
      if (t.bol && isHash(t)) {
        this.directive(c);
        continue;
      }
      c.i++;
      if (c.guardState !== 1 && c.guardState !== -1) c.guardState = -1;
      if (c.lineDelta !== 0 || c.presumedName !== null) {
        return { ...t, loc: { file: c.presumedName ?? t.loc.file, line: t.loc.line + c.lineDelta, col: t.loc.col } };
      }
      return t;
    }
  }

  private unget(t: PPToken): void {
    this.stack.push({ kind: 1, toks: [t], i: 0, barrier: false });
  }

  // ---------------------------------------------------------------- expansion

  /** Next fully macro-expanded token. */
  private expandNext(): PPToken {
    for (;;) {
      const t = this.next();
      if (t.kind !== 'ident') return t;
      if (this.tryExpand(t)) continue;
      return t;
    }
  }

  /** Fully expands a token list in isolation (argument pre-expansion, #if, #include). */
  expandAll(toks: PPToken[]): PPToken[] {
    if (this.argDepth >= this.limits.maxExpansionDepth) {
      const message = `macro arguments nested more than ${this.limits.maxExpansionDepth} levels deep`;
      if (this.top) this.dropTop(`expansion of macro '${this.top.name}': ${message}; it is dropped`, 'expansion-depth');
      else this.fatalAt(message, toks[0]?.loc ?? null, 'expansion-depth');
      return [];
    }
    const saved = this.stack;
    const savedTop = this.fileStackTop;
    this.fileStackTop = this.curFile();
    this.stack = [{ kind: 1, toks, i: 0, barrier: true }];
    this.argDepth++;
    const res: PPToken[] = [];
    for (;;) {
      const t = this.expandNext();
      if (t.kind === 'eof') break;
      res.push(t);
    }
    this.argDepth--;
    this.stack = saved;
    this.fileStackTop = savedTop;
    return res;
  }

  private fatalAt(message: string, loc: Loc | null, code: string): void {
    if (this.fatal) return;
    this.fatal = true;
    this.fatalDiag = diag('fatal', message, loc, code);
    this.diags.push(this.fatalDiag);
  }

  /** Charges `n` tokens of substitution to the current expansion (see DEFAULT_LIMITS). */
  private countWork(n: number, loc: Loc): void {
    if (this.dropping) return;
    this.work += n;
    const top = this.top;
    if (this.work > this.limits.maxTotalExpansionTokens) {
      const what = top ? `expanding macro '${top.name}', ` : '';
      this.fatalAt(`${what}macro expansions exceed ${this.limits.maxTotalExpansionTokens} tokens in total (macro bomb?)`, top?.loc ?? loc, 'macro-bomb');
    } else if (top && this.work - top.work > this.limits.maxExpansionTokens) {
      this.dropTop(`expansion of macro '${top.name}' exceeds ${this.limits.maxExpansionTokens} tokens (macro bomb?); it is dropped`, 'macro-bomb');
    }
  }

  /** The current expansion is an error, at its invocation: it is dropped (see recoverTop). */
  private dropTop(message: string, code: string): void {
    if (this.dropping || !this.top) return;
    this.diags.push(diag('error', message, this.top.loc, code));
    this.dropping = true;
    this.dropDiags = this.diags.length;
  }

  /** A macro name from the source (not from a replacement list, not in an argument) starts
   *  the expansion the next substitutions are charged to. */
  private beginTop(name: string, tok: PPToken): void {
    this.top = { name, loc: tok.loc, work: this.work, out: this.out.length, records: this.recordCount() };
  }

  private recordCount(): number {
    return this.markers.length + this.conditions.length + this.includes.length + this.pragmas.length;
  }

  /** Drops the expansion that went over its budget, once everything reading it has seen eof:
   *  its replacement contexts, the tokens it already put out and what was diagnosed since. */
  private recoverTop(): void {
    this.dropping = false;
    this.diags.length = this.dropDiags;
    for (let k = this.stack.length - 1; k >= 0 && this.stack[k]!.kind === 1; k--) this.stack.pop();
    const top = this.top;
    // (Unless a directive among its arguments recorded a position in the output since.)
    if (top && this.recordCount() === top.records) this.out.length = Math.min(this.out.length, top.out);
    this.top = null;
  }

  /**
   * Fully expands a directive's line (#if, #include, #line, #pragma) or a macro for the model:
   * the invocations in it are charged like those in the text. Null when one went over its
   * budget, or processing stopped: it has been diagnosed and the line means nothing.
   */
  expandLine(toks: PPToken[]): PPToken[] | null {
    const savedTop = this.top;
    const savedDepth = this.topDepth;
    this.top = null;
    this.topDepth = this.argDepth + 1;
    const res = this.expandAll(toks);
    this.top = savedTop;
    this.topDepth = savedDepth;
    if (!this.dropping) return this.fatal ? null : res;
    this.dropping = false;
    this.diags.length = this.dropDiags;
    return null;
  }

  /** `#ifdef`/`#elifdef` (positive) and `#ifndef`/`#elifndef`: the test, its text, what it read. */
  private definedCondition(
    line: readonly PPToken[],
    loc: Loc,
    positive: boolean,
  ): { taken: boolean; text: string; tested: { name: string; value: string | null }[] } {
    const n = line[0];
    if (!n || n.kind !== 'ident') {
      this.diags.push(diag('error', 'macro name must be an identifier', loc, 'pp-if'));
      return { taken: false, text: '', tested: [] };
    }
    return {
      taken: this.isDefined(n.text) === positive,
      text: (positive ? '' : '!') + `defined(${n.text})`,
      tested: [{ name: n.text, value: this.macroValue(n.text) }],
    };
  }

  private isDefined(name: string): boolean {
    return this.macros.has(name) || this.builtins.has(name);
  }

  private tryExpand(tok: PPToken): boolean {
    const name = tok.text;
    const hs = tok.hs ?? EMPTY_HS;
    if (hs.has(name)) return false;
    const m = this.macros.get(name);
    if (!m) return this.tryBuiltin(tok);
    if (!tok.expansion && this.argDepth === this.topDepth) this.beginTop(name, tok);
    const inf = infoOf(m);
    const step: ExpansionStep = { macro: name, definedAt: m.loc, invokedAt: tok.loc };
    const chain: readonly ExpansionStep[] = tok.expansion ? [...tok.expansion, step] : [step];
    // Each invocation copies the chain, and its hideset grows with it: a chain thousands of
    // macros deep (#define M1 M2, M2 M3, ...) costs its square.
    if (tok.expansion) this.countWork(tok.expansion.length, tok.loc);
    if (m.kind === 'object') {
      const nhs = hs.add(name);
      let res: PPToken[];
      if (inf.paste) res = this.subst(m, inf, [], chain, tok);
      else {
        const body = m.body;
        res = new Array<PPToken>(body.length);
        for (let k = 0; k < body.length; k++) {
          const b = body[k]!;
          res[k] = { kind: b.kind, text: b.text, loc: b.loc, space: b.space, bol: false, expansion: chain, hs: nhs };
        }
      }
      if (inf.paste) for (const r of res) r.hs = r.hs && r.hs !== EMPTY_HS ? r.hs.union(nhs) : nhs;
      this.rescan(res, tok);
      return true;
    }
    // function-like: only when followed by '('
    const lp = this.next(true);
    if (!isPunct(lp, '(')) {
      if (lp.kind !== 'eof') this.unget(lp);
      return false;
    }
    const args = this.readArgs(m, inf, tok);
    if (!args) return true;
    const nhs = hs.intersect(args.rparen.hs ?? EMPTY_HS).add(name);
    const res = this.subst(m, inf, args.args, chain, tok);
    for (const r of res) r.hs = r.hs && r.hs !== EMPTY_HS ? r.hs.union(nhs) : nhs;
    this.rescan(res, tok);
    return true;
  }

  /** Pushes a macro's replacement for rescanning in place of the name token `tok`, whose
   *  spacing and line position it takes. */
  private rescan(res: PPToken[], tok: PPToken): void {
    if (res.length > 0) {
      res[0]!.space = tok.space;
      res[0]!.bol = tok.bol;
    }
    this.countWork(res.length, tok.loc);
    this.stack.push({ kind: 1, toks: res, i: 0, barrier: false });
  }

  private readArgs(m: MacroDef, inf: MacroInfo, nameTok: PPToken): { args: PPToken[][]; rparen: PPToken } | null {
    const args: PPToken[][] = [];
    let cur: PPToken[] = [];
    let depth = 0;
    const np = m.params.length;
    for (;;) {
      const t = this.next(true);
      if (t.kind === 'eof') {
        if (!this.fatal && !this.dropping) this.diags.push(diag('error', `unterminated function-like macro invocation '${m.name}'`, nameTok.loc, 'unterminated-macro-call'));
        return null;
      }
      if (t.kind === 'punct') {
        if (t.text === '(') depth++;
        else if (t.text === ')') {
          if (depth === 0) {
            args.push(cur);
            return this.checkArgs(m, inf, args, nameTok) ? { args, rparen: t } : null;
          }
          depth--;
        } else if (t.text === ',' && depth === 0 && !(inf.va >= 0 && args.length === np)) {
          args.push(cur);
          cur = [];
          continue;
        }
      }
      cur.push(t);
    }
  }

  private checkArgs(m: MacroDef, inf: MacroInfo, args: PPToken[][], nameTok: PPToken): boolean {
    const np = m.params.length;
    if (inf.va >= 0) {
      if (args.length === np && np > 0) args.push([]); // F(a) for F(x, ...): empty variable part
      else if (np === 0 && args.length === 0) args.push([]);
      if (args.length < np + 1) {
        this.diags.push(diag('error', `too few arguments provided to function-like macro invocation '${m.name}'`, nameTok.loc, 'macro-args'));
        return false;
      }
      return true;
    }
    if (np === 0 && args.length === 1 && args[0]!.length === 0) {
      args.length = 0;
      return true;
    }
    if (args.length !== np) {
      this.diags.push(
        diag('error', `too ${args.length < np ? 'few' : 'many'} arguments provided to function-like macro invocation '${m.name}'`, nameTok.loc, 'macro-args'),
      );
      return false;
    }
    return true;
  }

  /** Builds the replacement of one invocation: substitution, `#`, `##`, __VA_OPT__. */
  private subst(m: MacroDef, inf: MacroInfo, args: PPToken[][], chain: readonly ExpansionStep[], nameTok: PPToken): PPToken[] {
    const expanded: (PPToken[] | undefined)[] = [];
    const exp = (k: number): PPToken[] => {
      let e = expanded[k];
      if (!e) {
        e = this.expandAll(args[k]!);
        expanded[k] = e;
      }
      return e;
    };
    const vaPresent = (): boolean => inf.va >= 0 && exp(inf.va).length > 0;
    const body = m.body;
    const fn = m.kind === 'function';
    const copyBody = (b: PPToken): PPToken => ({ kind: b.kind, text: b.text, loc: b.loc, space: b.space, bol: false, expansion: chain });
    const copyArg = (a: PPToken, space: boolean | null): PPToken => {
      const c: PPToken = { kind: a.kind, text: a.text, loc: a.loc, space: space ?? a.space, bol: false, expansion: a.expansion ?? chain };
      if (a.hs) c.hs = a.hs;
      return c;
    };
    const placemarker = (): PPToken => ({ kind: PLACEMARKER as unknown as 'other', text: '', loc: nameTok.loc, space: false, bol: false });
    const pidx = (t: PPToken | undefined): number => (fn && t && t.kind === 'ident' ? inf.pidx.get(t.text) ?? -1 : -1);
    /** Index of the ')' closing the __VA_OPT__ group starting at body[k] (the name). */
    const vaOptEnd = (k: number): number => {
      if (!isPunct(body[k + 1], '(')) return -1;
      let d = 0;
      for (let j = k + 1; j < body.length; j++) {
        if (isPunct(body[j], '(')) d++;
        else if (isPunct(body[j], ')') && --d === 0) return j;
      }
      return -1;
    };

    const run = (from: number, to: number): PPToken[] => {
      const items: PPToken[] = [];
      for (let k = from; k < to; k++) {
        const b = body[k]!;
        if (fn && isHash(b) && k + 1 < to) {
          const nb = body[k + 1]!;
          const idx = pidx(nb);
          if (idx >= 0) {
            items.push(this.stringize(args[idx]!, b, chain));
            k++;
            continue;
          }
          if (nb.kind === 'ident' && nb.text === '__VA_OPT__' && inf.va >= 0) {
            const e = vaOptEnd(k + 1);
            if (e > 0) {
              const inner = vaPresent() ? removePlacemarkers(run(k + 3, e)) : [];
              items.push(this.stringize(inner, b, chain));
              k = e;
              continue;
            }
          }
        }
        if (isHashHash(b)) {
          items.push(PASTE);
          continue;
        }
        // GNU: , ## __VA_ARGS__ swallows the comma when the variable arguments are empty
        if (fn && inf.va >= 0 && isPunct(b, ',') && isHashHash(body[k + 1]) && pidx(body[k + 2]) === inf.va) {
          const va = args[inf.va] ?? [];
          if (va.length === 0) {
            k += 2;
            continue;
          }
          items.push(copyBody(b));
          for (let j = 0; j < va.length; j++) items.push(copyArg(va[j]!, j === 0 ? body[k + 2]!.space : null));
          k += 2;
          continue;
        }
        const idx = pidx(b);
        if (idx >= 0) {
          const nearPaste = (k > from && isHashHash(body[k - 1])) || (k + 1 < to && isHashHash(body[k + 1]));
          const src = nearPaste ? args[idx]! : exp(idx);
          if (src.length === 0) items.push(placemarker());
          else for (let j = 0; j < src.length; j++) items.push(copyArg(src[j]!, j === 0 ? b.space : null));
          continue;
        }
        if (fn && b.kind === 'ident' && b.text === '__VA_OPT__' && inf.va >= 0) {
          const e = vaOptEnd(k);
          if (e > 0) {
            if (vaPresent()) {
              const inner = removePlacemarkers(run(k + 2, e));
              if (inner.length === 0) items.push(placemarker());
              else {
                inner[0]!.space = b.space;
                items.push(...inner);
              }
            } else items.push(placemarker());
            k = e;
            continue;
          }
        }
        items.push(copyBody(b));
      }
      // pastes
      const res: PPToken[] = [];
      for (let j = 0; j < items.length; j++) {
        const it = items[j]!;
        if (it !== PASTE) {
          res.push(it);
          continue;
        }
        const lhs = res.pop();
        const rhs = items[++j];
        if (!lhs || !rhs) continue;
        if ((lhs.kind as string) === PLACEMARKER) res.push(rhs);
        else if ((rhs.kind as string) === PLACEMARKER) res.push(lhs);
        else this.paste(lhs, rhs, res);
      }
      return res;
    };
    return removePlacemarkers(run(0, body.length));
  }

  private stringize(arg: PPToken[], hash: PPToken, chain: readonly ExpansionStep[]): PPToken {
    let s = '';
    for (let k = 0; k < arg.length; k++) {
      const t = arg[k]!;
      if (k > 0 && t.space) s += ' ';
      s += t.kind === 'string' || t.kind === 'char' ? t.text.replace(/[\\"]/g, '\\$&') : t.text;
    }
    // Text that # and ## make is charged too, a token per 16 bytes: S(S(S(x))) doubles it.
    this.countWork(s.length >> 4, hash.loc);
    return { kind: 'string', text: '"' + s + '"', loc: hash.loc, space: hash.space, bol: false, expansion: chain };
  }

  private paste(l: PPToken, r: PPToken, res: PPToken[]): void {
    const text = l.text + r.text;
    let kind = l.kind;
    let ok = false;
    if (l.kind === 'ident' && (r.kind === 'ident' || r.kind === 'number') && !/^(L|u8|u|U)$/.test(l.text)) ok = true;
    else if (l.kind === 'number' && (r.kind === 'ident' || r.kind === 'number')) ok = true;
    else {
      const { tokens, diagnostics } = tokenizeString(text, l.loc.file);
      if (tokens.length === 2 && diagnostics.length === 0 && !tokens[0]!.bad && tokens[0]!.text === text) {
        ok = true;
        kind = tokens[0]!.kind;
      }
    }
    if (!ok) {
      this.diags.push(diag('error', `pasting formed '${text}', an invalid preprocessing token`, l.loc, 'invalid-paste'));
      res.push(l, r);
      return;
    }
    this.countWork(text.length >> 4, l.loc);
    const t: PPToken = { kind, text, loc: l.loc, space: l.space, bol: false };
    if (l.expansion) t.expansion = l.expansion;
    res.push(t);
  }

  private numberTok(tok: PPToken, v: number | bigint | string, kind: 'number' | 'string' = 'number'): PPToken {
    const t: PPToken = { kind, text: String(v), loc: tok.loc, space: tok.space, bol: tok.bol };
    if (tok.expansion) t.expansion = tok.expansion;
    if (tok.hs) t.hs = tok.hs;
    return t;
  }

  private tryBuiltin(tok: PPToken): boolean {
    const name = tok.text;
    if (this.inIf > 0 && name === 'defined') {
      let t = this.next(true);
      let paren = false;
      if (isPunct(t, '(')) {
        paren = true;
        t = this.next(true);
      }
      if (t.kind !== 'ident') {
        this.diags.push(diag('error', 'macro name must be an identifier', t.kind === 'eof' ? tok.loc : t.loc, 'pp-if'));
        if (t.kind !== 'eof') this.unget(t);
        this.unget(this.numberTok(tok, 0));
        return true;
      }
      const r = this.isDefined(t.text);
      if (paren) {
        const rp = this.next(true);
        if (!isPunct(rp, ')')) {
          this.diags.push(diag('error', "missing ')' after 'defined'", rp.kind === 'eof' ? t.loc : rp.loc, 'pp-if'));
          if (rp.kind !== 'eof') this.unget(rp);
        }
      }
      this.unget(this.numberTok(tok, r ? 1 : 0));
      return true;
    }
    if (!this.builtins.has(name)) {
      if (name === '_Pragma' && this.argDepth === 0 && this.inIf === 0) return this.pragmaOperator(tok);
      return false;
    }
    const file = this.curFile();
    switch (name) {
      case '__FILE__':
        this.unget(this.numberTok(tok, quoteString(file ? file.presumedName ?? file.name : ''), 'string'));
        return true;
      case '__BASE_FILE__':
        this.unget(this.numberTok(tok, quoteString(this.baseFile), 'string'));
        return true;
      case '__LINE__': {
        const l = tok.expansion ? tok.expansion[0]!.invokedAt.line : tok.loc.line;
        this.unget(this.numberTok(tok, l));
        return true;
      }
      case '__COUNTER__':
        this.unget(this.numberTok(tok, this.counter++));
        return true;
      case '__INCLUDE_LEVEL__':
        this.unget(this.numberTok(tok, Math.max(0, this.fileDepth - 1)));
        return true;
      case '__DATE__':
        this.unget(this.numberTok(tok, quoteString(this.opts.date ?? 'Jan  1 1970'), 'string'));
        return true;
      case '__TIME__':
        this.unget(this.numberTok(tok, quoteString(this.opts.time ?? '00:00:00'), 'string'));
        return true;
      case '__FILE_NAME__':
        this.unget(this.numberTok(tok, quoteString(path.basename(file ? file.presumedName ?? file.name : '')), 'string'));
        return true;
      case '__TIMESTAMP__':
        this.unget(this.numberTok(tok, quoteString('Thu Jan  1 00:00:00 1970'), 'string'));
        return true;
    }
    // __has_* operators
    const lp = this.next(true);
    if (!isPunct(lp, '(')) {
      this.diags.push(diag('error', `missing '(' after '${name}'`, tok.loc, 'pp-if'));
      if (lp.kind !== 'eof') this.unget(lp);
      this.unget(this.numberTok(tok, 0));
      return true;
    }
    const argToks: PPToken[] = [];
    let depth = 0;
    for (;;) {
      const t = this.next(true);
      if (t.kind === 'eof') {
        this.diags.push(diag('error', `missing ')' after '${name}'`, tok.loc, 'pp-if'));
        break;
      }
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')')) {
        if (depth === 0) break;
        depth--;
      }
      argToks.push(t);
    }
    let v = 0;
    if (name === '__has_include' || name === '__has_include_next') {
      let a = argToks;
      if (!(a[0] && (a[0].kind === 'string' || a[0].kind === 'header-name' || isPunct(a[0], '<')))) a = this.expandAll(a);
      const h = headerName(a);
      if (!h) this.diags.push(diag('error', `expected "FILENAME" or <FILENAME> in ${name}`, tok.loc, 'pp-if'));
      else v = this.resolve(h.name, h.angle, this.curFile(), name === '__has_include_next' && this.fileDepth > 1) ? 1 : 0;
    } else {
      const arg = argToks.map((t) => t.text).join('');
      const o = this.opts;
      switch (name) {
        case '__has_attribute': v = o.hasAttribute(arg); break;
        case '__has_builtin': v = o.hasBuiltin(arg); break;
        case '__has_feature': v = o.hasFeature(arg); break;
        case '__has_extension': v = (o.hasExtension ?? o.hasFeature)(arg); break;
        case '__has_c_attribute': v = o.hasCAttribute ? o.hasCAttribute(arg) : 0; break;
        case '__has_cpp_attribute': v = o.hasCppAttribute ? o.hasCppAttribute(arg) : 0; break;
        case '__has_warning': v = o.hasWarning ? o.hasWarning(arg.replace(/^"|"$/g, '')) : 0; break;
        case '__building_module': v = 0; break;
      }
    }
    this.unget(this.numberTok(tok, v));
    return true;
  }

  /** `_Pragma("...")` (C17 6.10.9): destringize and run as a #pragma line. */
  private pragmaOperator(tok: PPToken): boolean {
    const lp = this.next(true);
    if (!isPunct(lp, '(')) {
      if (lp.kind !== 'eof') this.unget(lp);
      return false;
    }
    const s = this.next(true);
    const rp = s.kind === 'eof' ? s : this.next(true);
    if (s.kind !== 'string' || !isPunct(rp, ')')) {
      this.diags.push(diag('error', '_Pragma takes a parenthesized string literal', tok.loc, 'pragma'));
      return true;
    }
    const body = s.text.replace(/^(L|u8|u|U)?"/, '').replace(/"$/, '').replace(/\\(["\\])/g, '$1');
    const loc = tok.expansion ? tok.expansion[0]!.invokedAt : tok.loc;
    const toks = tokenizeString(body, loc.file).tokens;
    toks.pop();
    for (const t of toks) t.loc = loc;
    this.pragma(toks, loc, null);
    return true;
  }

  // ---------------------------------------------------------------- directives

  /** The rest of the current logical line. */
  private readLine(c: FileCtx): PPToken[] {
    const line = c.toks.slice(c.i);
    c.i = c.toks.length;
    if (c.lineDelta !== 0 || c.presumedName !== null)
      return line.map((t) => ({ ...t, loc: { file: c.presumedName ?? t.loc.file, line: t.loc.line + c.lineDelta, col: t.loc.col } }));
    return line;
  }

  private directive(c: FileCtx): void {
    const hash = c.toks[c.i]!;
    c.i++;
    if (c.i >= c.toks.length) return; // null directive
    const nameTok = c.toks[c.i]!;
    const guardBefore = c.guardState;
    if (nameTok.kind === 'number') {
      // GNU line marker in source: # 33 "file"
      const line = this.readLine(c);
      this.lineDirective(c, line, hash);
      c.guardState = -1;
      return;
    }
    c.i++;
    const name = nameTok.text;
    const line = this.readLine(c);
    if (guardBefore === 2 || (guardBefore === 0 && name !== 'ifndef' && name !== 'if')) c.guardState = -1;
    const loc = this.locOf(c, nameTok);
    switch (name) {
      case 'define':
        this.define(line, loc);
        return;
      case 'undef': {
        const n = line[0];
        if (!n || n.kind !== 'ident') this.diags.push(diag('error', 'macro name must be an identifier', loc, 'pp-undef'));
        else this.macros.delete(n.text);
        return;
      }
      case 'include':
      case 'include_next':
      case 'import':
        this.include(c, line, loc, name === 'include_next', name === 'import');
        return;
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        let taken: boolean;
        let text: string;
        let tested: { name: string; value: string | null }[];
        if (name === 'if') {
          text = spell(line);
          tested = this.testedNames(line);
          taken = this.evalIf(line, loc);
          if (guardBefore === 0) {
            // #if !defined X / #if !defined(X) counts as an include guard too
            const m = /^!\s*defined\s*\(?\s*([A-Za-z_$][\w$]*)\s*\)?$/.exec(text);
            if (m && c.conds.length === 0) {
              c.guardState = 1;
              c.guardMacro = m[1]!;
            } else c.guardState = -1;
          }
        } else {
          ({ taken, text, tested } = this.definedCondition(line, loc, name === 'ifdef'));
          const n = line[0];
          if (guardBefore === 0 && n?.kind === 'ident') {
            if (name === 'ifndef' && c.conds.length === 0) {
              c.guardState = 1;
              c.guardMacro = n.text;
            } else c.guardState = -1;
          }
        }
        const cond: Cond = { taken, sawElse: false, loc, texts: [text], tested, record: null };
        c.conds.push(cond);
        if (c.guardState === 1 && c.guardCond === null) c.guardCond = cond;
        if (taken) this.enter(cond, name as ConditionRecord['directive'], text, loc, tested);
        else this.skipGroup(c);
        return;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef':
      case 'else': {
        const cond = c.conds[c.conds.length - 1];
        if (!cond) {
          this.diags.push(diag('error', `#${name} without #if`, loc, 'pp-if'));
          return;
        }
        if (cond === c.guardCond) c.guardState = -1;
        if (cond.sawElse) this.diags.push(diag('error', `#${name} after #else`, loc, 'pp-if'));
        if (cond.record) {
          this.popActive();
          cond.record = null;
        }
        if (name === 'else') {
          cond.sawElse = true;
          if (cond.taken) {
            this.skipGroup(c);
            return;
          }
          cond.taken = true;
          this.enter(cond, 'else', cond.texts.map((t) => `!(${t})`).join(' && '), loc, uniqueTested(cond.tested));
          return;
        }
        if (cond.taken) {
          this.skipGroup(c);
          return;
        }
        let taken: boolean;
        let text: string;
        let tested: { name: string; value: string | null }[];
        if (name === 'elif') {
          text = spell(line);
          tested = this.testedNames(line);
          taken = this.evalIf(line, loc);
        } else {
          ({ taken, text, tested } = this.definedCondition(line, loc, name === 'elifdef'));
        }
        cond.texts.push(text);
        cond.tested = cond.tested.concat(tested);
        if (taken) {
          cond.taken = true;
          this.enter(cond, name as ConditionRecord['directive'], text, loc, tested);
        } else this.skipGroup(c);
        return;
      }
      case 'endif': {
        const cond = c.conds.pop();
        if (!cond) {
          this.diags.push(diag('error', '#endif without #if', loc, 'pp-if'));
          return;
        }
        if (cond.record) this.popActive();
        if (cond === c.guardCond && c.guardState === 1) {
          c.guardState = 2;
          c.guardRecord = cond.record;
        }
        return;
      }
      case 'line':
        this.lineDirective(c, line, hash);
        return;
      case 'pragma':
        this.pragma(line, this.locOf(c, hash), c);
        return;
      case 'error':
      case 'warning':
        this.diags.push(diag(name === 'error' ? 'error' : 'warning', `#${name}${line.length ? ' ' + spell(line) : ''}`, loc, name === 'error' ? 'pp-error' : 'pp-warning'));
        return;
      case 'ident':
      case 'sccs':
      case 'assert':
      case 'unassert':
        return;
      default:
        this.diags.push(diag('error', `invalid preprocessing directive #${name}`, loc, 'unknown-directive'));
    }
  }

  private locOf(c: FileCtx, t: PPToken): Loc {
    if (c.lineDelta === 0 && c.presumedName === null) return t.loc;
    return { file: c.presumedName ?? t.loc.file, line: t.loc.line + c.lineDelta, col: t.loc.col };
  }

  private macroValue(name: string): string | null {
    const m = this.macros.get(name);
    if (!m) return this.builtins.has(name) ? '<builtin>' : null;
    return m.kind === 'function' ? `(${[...m.params, ...(m.variadic ? [m.variadicName ? m.variadicName + '...' : '...'] : [])].join(',')}) ${spell(m.body)}` : spell(m.body);
  }

  private testedNames(line: PPToken[]): { name: string; value: string | null }[] {
    const seen = new Set<string>();
    const out: { name: string; value: string | null }[] = [];
    for (let k = 0; k < line.length; k++) {
      const t = line[k]!;
      if (t.kind !== 'ident' || t.text === 'defined') continue;
      if (HAS_NAMES_ALL.includes(t.text)) {
        // skip the operator's argument
        let d = 0;
        for (k++; k < line.length; k++) {
          if (isPunct(line[k], '(')) d++;
          else if (isPunct(line[k], ')') && --d <= 0) break;
        }
        continue;
      }
      if (seen.has(t.text)) continue;
      seen.add(t.text);
      out.push({ name: t.text, value: this.macroValue(t.text) });
    }
    return out;
  }

  private enter(cond: Cond, directive: ConditionRecord['directive'], text: string, loc: Loc, tested: { name: string; value: string | null }[]): void {
    const rec: ConditionRecord = { directive, text, loc, tested, firstToken: this.out.length };
    cond.record = rec;
    this.conditions.push(rec);
    this.activeConds.push(rec);
    this.condSnapshot = null;
  }

  private popActive(): void {
    const rec = this.activeConds.pop();
    if (rec) rec.endToken = this.out.length;
    this.condSnapshot = null;
  }

  private snapshotConds(): ConditionRecord[] {
    if (!this.condSnapshot) this.condSnapshot = this.activeConds.slice();
    return this.condSnapshot;
  }

  /** Skips an inactive group: stops at the #elif/#else/#endif that ends it (or eof). */
  /**
   * Skips a group: only directive lines are lexed (SourceFile.nextDirective), and stops at
   * the `#elif`/`#else`/`#endif` that ends it, leaving that line current.
   */
  private skipGroup(c: FileCtx): void {
    const src = c.src;
    let depth = 0;
    let pos = c.pos; // the rest of the current line (the directive's) is part of no group
    for (;;) {
      const at = src.nextDirective(pos);
      const { name: d, next } = src.directiveAt(at);
      let stop = at >= src.end;
      if (!stop && d !== null) {
        if (d === 'if' || d === 'ifdef' || d === 'ifndef') depth++;
        else if (d === 'endif') {
          if (depth === 0) stop = true;
          else depth--;
        } else if (depth === 0 && (d === 'elif' || d === 'else' || d === 'elifdef' || d === 'elifndef')) stop = true;
      }
      if (stop) {
        // Only the line that ends the group becomes tokens.
        const l = src.line(at);
        c.toks = l.tokens;
        c.i = 0;
        c.pos = l.next;
        return;
      }
      pos = next;
    }
  }

  private evalIf(line: PPToken[], loc: Loc): boolean {
    if (!this.exprTarget) {
      const num = (n: string, d: number) => {
        const m = this.macros.get(n);
        const v = m && m.body.length === 1 ? Number(m.body[0]!.text) : NaN;
        return Number.isFinite(v) ? v : d;
      };
      this.exprTarget = {
        charUnsigned: this.macros.has('__CHAR_UNSIGNED__'),
        wcharBits: num('__WCHAR_WIDTH__', 32),
        wcharUnsigned: this.macros.has('__WCHAR_UNSIGNED__'),
      };
    }
    this.inIf++;
    const toks = this.expandLine(line);
    this.inIf--;
    if (!toks) return false; // a macro bomb, diagnosed
    for (const t of toks) if (t.bad) this.diags.push(diag('warning', t.bad, t.loc, 'lex'));
    return evaluatePPExpr(toks, loc, this.exprTarget, this.diags);
  }

  private define(line: PPToken[], loc: Loc): void {
    const n = line[0];
    if (!n || n.kind !== 'ident') {
      this.diags.push(diag('error', 'macro name must be an identifier', n ? n.loc : loc, 'pp-define'));
      return;
    }
    if (n.text === 'defined') {
      this.diags.push(diag('error', "'defined' cannot be used as a macro name", n.loc, 'pp-define'));
      return;
    }
    let k = 1;
    const params: string[] = [];
    let variadic = false;
    let variadicName: string | undefined;
    let kind: 'object' | 'function' = 'object';
    if (isPunct(line[1], '(') && !line[1]!.space) {
      kind = 'function';
      k = 2;
      let ok = false;
      if (isPunct(line[k], ')')) {
        ok = true;
        k++;
      } else {
        for (;;) {
          const t = line[k];
          if (!t) break;
          if (isPunct(t, '...')) {
            variadic = true;
            k++;
            if (isPunct(line[k], ')')) {
              ok = true;
              k++;
            }
            break;
          }
          if (t.kind !== 'ident') break;
          k++;
          if (isPunct(line[k], '...')) {
            variadic = true;
            variadicName = t.text;
            k++;
            if (isPunct(line[k], ')')) {
              ok = true;
              k++;
            }
            break;
          }
          params.push(t.text);
          if (isPunct(line[k], ')')) {
            ok = true;
            k++;
            break;
          }
          if (!isPunct(line[k], ',')) break;
          k++;
        }
      }
      if (!ok) {
        this.diags.push(diag('error', 'invalid macro parameter list', (line[k] ?? n).loc, 'pp-define'));
        return;
      }
    } else if (line[1] && !line[1].space && kind === 'object') {
      this.diags.push(diag('warning', 'ISO C99 requires whitespace after the macro name', line[1].loc, 'pp-define'));
    }
    const body = line.slice(k);
    if (body.length > 0 && body[0]!.space) body[0] = { ...body[0]!, space: false };
    for (const t of body) if (t.bad) this.diags.push(diag('warning', t.bad, t.loc, 'lex'));
    if (isHashHash(body[0]) || (body.length > 0 && isHashHash(body[body.length - 1]))) {
      this.diags.push(diag('error', "'##' cannot appear at either end of a macro expansion", (isHashHash(body[0]) ? body[0] : body[body.length - 1])!.loc, 'pp-define'));
      return;
    }
    const def: MacroDef = {
      name: n.text, kind, params, variadic, body, loc: n.loc, conditions: this.snapshotConds(), builtin: this.inBuiltin,
    };
    if (variadicName !== undefined) def.variadicName = variadicName;
    if (kind === 'function') {
      const inf = infoOf(def);
      for (let j = 0; j < body.length; j++) {
        if (isHash(body[j]) && !(body[j + 1] && (inf.pidx.has(body[j + 1]!.text) || (variadic && body[j + 1]!.text === '__VA_OPT__')))) {
          this.diags.push(diag('error', "'#' is not followed by a macro parameter", body[j]!.loc, 'pp-define'));
          return;
        }
      }
    }
    const old = this.macros.get(n.text);
    if (old && !sameDefinition(old, def)) {
      this.diags.push(diag('warning', `'${n.text}' macro redefined (previous definition at ${old.loc.file}:${old.loc.line}:${old.loc.col})`, n.loc, 'macro-redefined'));
    }
    this.macros.set(n.text, def);
    this.definitions.push(def);
  }

  private include(c: FileCtx, line: PPToken[], loc: Loc, next: boolean, isImport: boolean): void {
    let toks = line;
    if (!(toks[0] && (toks[0].kind === 'string' || toks[0].kind === 'header-name'))) {
      const e = this.expandLine(toks);
      if (!e) return; // a macro bomb, diagnosed
      toks = e;
    }
    const h = headerName(toks);
    if (!h) {
      this.diags.push(diag('error', 'expected "FILENAME" or <FILENAME>', loc, 'include'));
      return;
    }
    if (h.rest > 0) this.diags.push(diag('warning', 'extra tokens at end of #include directive', loc, 'include'));
    if (next && this.fileDepth <= 1) this.diags.push(diag('warning', '#include_next in primary source file', loc, 'include'));
    const r = this.resolve(h.name, h.angle, c, next && this.fileDepth > 1);
    if (!r) {
      // As clang: fatal (the rest of the translation unit would be read without what the
      // header declares), at the header name or the macro that spells it.
      this.fatalAt(`'${h.name}' file not found`, line[0]?.loc ?? loc, 'include-not-found');
      return;
    }
    this.openInclude(r.path, r.dirIndex, loc, isImport);
  }

  private openInclude(p: string, dirIndex: number, from: Loc | null, isImport: boolean): void {
    const key = path.resolve(p);
    const system = dirIndex >= 0 && this.dirs[dirIndex]!.system;
    const guard = this.guards.get(key);
    if (this.once.has(key) || (guard !== undefined && this.isDefined(guard))) {
      this.includes.push({ file: p, from, skipped: true, tokenIndex: this.out.length, system });
      return;
    }
    if (isImport) this.once.add(key);
    if (this.fileDepth >= this.limits.maxIncludeDepth) {
      this.fatalAt(`#include nested depth ${this.fileDepth} exceeds maximum of ${this.limits.maxIncludeDepth}`, from, 'include-depth');
      return;
    }
    const src = this.load(p, key);
    if (!src) {
      // Found but not readable (a FIFO, a device, no permission, too large): fatal, as clang's
      // "cannot open file"; at the #include, or the command line for --include.
      const why = this.loadProblems.get(key);
      if (why) this.fatalAt(inputProblemMessage(p, why), from ?? COMMAND_LINE, why.code);
      else this.diags.push(diag('error', `cannot read '${p}'`, from ?? COMMAND_LINE, 'include-not-found'));
      return;
    }
    if (++this.entered > this.limits.maxIncludes) {
      this.fatalAt(`more than ${this.limits.maxIncludes} files entered by #include (a runaway recursive #include?)`, from ?? COMMAND_LINE, 'include-count');
      return;
    }
    this.includes.push({ file: p, from, skipped: false, tokenIndex: this.out.length, system });
    this.pushFile(src, p, key, dirIndex, system, from);
  }

  private lineDirective(c: FileCtx, line: PPToken[], hash: PPToken): void {
    const toks = line[0] && line[0].kind === 'number' ? line : this.expandLine(line);
    if (!toks) return; // a macro bomb, diagnosed
    const n = toks[0];
    if (!n || n.kind !== 'number' || !/^[0-9]+$/.test(n.text)) {
      this.diags.push(diag('error', '#line directive requires a simple digit sequence', hash.loc, 'pp-line'));
      return;
    }
    const nextLine = hash.loc.line + 1;
    c.lineDelta = Number(n.text) - nextLine;
    const f = toks[1];
    if (f && f.kind === 'string') c.presumedName = f.text.slice(1, -1).replace(/\\(.)/g, '$1');
    this.markers.push({ tokenIndex: this.out.length, file: c.presumedName ?? c.name, line: Number(n.text), flags: [] });
  }

  private pragma(line: PPToken[], loc: Loc, c: FileCtx | null): void {
    const first = line[0];
    const text = spell(line);
    if (first && first.kind === 'ident') {
      const w = first.text;
      if (w === 'once') {
        const f = c ?? this.curFile();
        if (f) this.once.add(f.key);
        return;
      }
      if ((w === 'push_macro' || w === 'pop_macro') && isPunct(line[1], '(') && line[2]?.kind === 'string') {
        const name = line[2].text.slice(1, -1);
        if (w === 'push_macro') {
          let st = this.pushed.get(name);
          if (!st) this.pushed.set(name, (st = []));
          st.push(this.macros.get(name));
        } else {
          const st = this.pushed.get(name);
          if (st && st.length > 0) {
            const m = st.pop();
            if (m) this.macros.set(name, m);
            else this.macros.delete(name);
          }
        }
        return; // handled by the preprocessor; cc -E does not print them
      }
      if (w === 'GCC' && line[1]?.kind === 'ident') {
        const w2 = line[1].text;
        if (w2 === 'system_header') {
          const f = c ?? this.curFile();
          if (f && this.fileDepth > 1) {
            f.system = true;
            const nt = this.peek(f);
            this.markers.push({ tokenIndex: this.out.length, file: f.presumedName ?? f.name, line: nt.loc.line + f.lineDelta, flags: [3] });
          }
          return;
        }
        if (w2 === 'warning' || w2 === 'error') {
          this.diags.push(diag(w2 === 'error' ? 'error' : 'warning', spell(line.slice(2)), loc, 'pp-' + w2));
        }
        if (w2 === 'poison' || w2 === 'dependency') return;
      }
    }
    const rec: PragmaRecord = { text, loc, tokenIndex: this.out.length };
    if (first && first.text === 'pack') {
      const expanded = this.expandLine(line.slice(1));
      const p = expanded && parsePackPragma('pack' + spell(expanded));
      if (p) rec.pack = p;
    }
    this.pragmas.push(rec);
  }

  // ---------------------------------------------------------------- driver

  private emit(t: PPToken): void {
    if (t.bad) this.diags.push(diag('warning', t.bad, t.loc, 'lex'));
    this.out.push(t);
    if (this.out.length > this.limits.maxOutputTokens) {
      this.fatalAt(`more than ${this.limits.maxOutputTokens} output tokens (a macro bomb or a runaway #include?)`, t.expansion ? t.expansion[0]!.invokedAt : t.loc, 'macro-bomb');
    }
  }

  /** Runs until the context stack is empty. */
  private run(): void {
    for (;;) {
      const t = this.expandNext();
      if (this.dropping) {
        this.recoverTop();
        continue;
      }
      if (t.kind === 'eof') {
        if (this.stack.length === 0 || this.fatal) return;
        continue;
      }
      this.emit(t);
    }
  }

  private runText(text: string, name: string, builtin: boolean): void {
    const src = new SourceFile(text, name, this.diags);
    this.inBuiltin = builtin;
    this.pushFile(src, name, name, -1, false, null);
    this.run();
    this.inBuiltin = false;
  }

  private setDialect(): void {
    let dialect = this.opts.dialect;
    let gccMajor = 99;
    if (!dialect) {
      dialect = this.macros.has('__clang__') ? 'clang' : this.macros.has('__GNUC__') ? 'gcc' : 'clang';
      const g = this.macros.get('__GNUC__');
      if (dialect === 'gcc' && g && g.body.length === 1) gccMajor = Number(g.body[0]!.text) || 99;
    }
    let has: string[];
    if (dialect === 'clang') has = HAS_NAMES_ALL;
    else {
      has = ['__has_include', '__has_include_next', '__has_attribute', '__has_cpp_attribute'];
      if (gccMajor >= 10) has.push('__has_builtin');
      if (gccMajor >= 11) has.push('__has_c_attribute');
      if (gccMajor >= 14) has.push('__has_feature', '__has_extension');
    }
    this.builtins = new Set([...PLAIN_BUILTINS, ...has, ...(dialect === 'clang' ? ['__FILE_NAME__', '__building_module'] : [])]);
  }

  /** Predefined macros, Kconfig, -D/-U, then the forced includes. */
  prologue(mainName: string): void {
    this.baseFile = mainName;
    const o = this.opts;
    this.runText(o.predefined, '<built-in>', true);
    this.setDialect();
    for (const cfg of o.configFiles) {
      let buf: Buffer | null = null;
      if (o.readFile) {
        try {
          buf = o.readFile(cfg);
        } catch {
          buf = null;
        }
      } else {
        const r = readInputFile(cfg);
        if (!r.ok) {
          this.fatalAt(`cannot read Kconfig file '${cfg}': ${r.problem.reason}`, COMMAND_LINE, r.problem.code);
          return;
        }
        buf = r.bytes;
      }
      if (!buf) {
        const why = inputFileProblem(cfg);
        if (why && why.kind !== 'missing') {
          this.fatalAt(`cannot read Kconfig file '${cfg}': ${why.reason}`, COMMAND_LINE, why.code);
          return;
        }
        this.diags.push(diag('error', `cannot read Kconfig file '${cfg}'`, COMMAND_LINE, 'kconfig'));
        continue;
      }
      for (const e of parseKconfig(buf.toString('latin1'), cfg, this.diags)) {
        if (e.value === null) {
          this.macros.delete(e.name);
          continue;
        }
        const body = tokenize(e.value, cfg, this.diags).slice(0, -1);
        for (const t of body) t.loc = e.loc;
        if (body[0]) body[0].space = false;
        const def: MacroDef = { name: e.name, kind: 'object', params: [], variadic: false, body, loc: e.loc, conditions: [], builtin: true };
        this.macros.set(e.name, def);
        this.definitions.push(def);
      }
    }
    let cmd = '';
    for (const m of commandLineMacros(o)) cmd += m.op === 'D' ? `#define ${m.name} ${m.value}\n` : `#undef ${m.name}\n`;
    if (cmd) this.runText(cmd, '<command line>', true);
    for (const f of o.forcedIncludes) {
      const r = this.exists(f) ? { path: f, dirIndex: -1 } : this.resolve(f, false, null, false);
      if (!r) {
        // As clang's `-include`: fatal.
        this.fatalAt(`'${f}' file not found (forced include)`, COMMAND_LINE, 'include-not-found');
        return;
      }
      this.openInclude(r.path, r.dirIndex, null, false);
      this.run();
      if (this.fatal) return;
    }
  }

  runMain(src: SourceFile | null, name: string): void {
    if (!src) {
      const why = this.loadProblems.get(path.resolve(name));
      this.fatalAt(why ? inputProblemMessage(name, why) : `cannot read '${name}'`, COMMAND_LINE, why?.code ?? 'include-not-found');
      return;
    }
    this.pushFile(src, name, path.resolve(name), -1, false, null);
    this.run();
  }

  loadMain(p: string): SourceFile | null {
    return this.load(p, path.resolve(p));
  }

  mainFromText(text: string, name: string): SourceFile {
    const src = this.sourceChecked(text, name);
    this.fileCache.set(path.resolve(name), src);
    return src;
  }

  /** One expansion of the expander (createMacroExpander): each is charged on its own; once
   *  the total is used up, every later one gets that fatal diagnostic and no tokens. */
  expandForModel(toks: PPToken[]): { tokens: PPToken[]; diagnostics: Diagnostic[] } {
    if (this.fatalDiag) return { tokens: [], diagnostics: [...this.diags, this.fatalDiag] };
    return { tokens: this.expandLine(toks) ?? [], diagnostics: [...this.diags] };
  }

  result(): PreprocessResult {
    for (const r of this.activeConds) r.endToken ??= this.out.length; // stopped by a fatal error
    return {
      tokens: this.out,
      macros: this.macros,
      definitions: this.definitions,
      pragmas: this.pragmas,
      includes: this.includes,
      diagnostics: this.diags,
      ok: !this.fatal,
      markers: this.markers,
      conditions: this.conditions,
    };
  }
}

function uniqueTested(tested: { name: string; value: string | null }[]): { name: string; value: string | null }[] {
  const seen = new Set<string>();
  return tested.filter((t) => !seen.has(t.name) && !!seen.add(t.name));
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** `"name"`, `<name>` as a header-name token, or `<` tokens `>` after expansion. */
function headerName(toks: PPToken[]): { name: string; angle: boolean; rest: number } | null {
  const t = toks[0];
  if (!t) return null;
  if (t.kind === 'string' && t.text.startsWith('"')) return { name: t.text.slice(1, -1), angle: false, rest: toks.length - 1 };
  if (t.kind === 'header-name') return { name: t.text.slice(1, -1), angle: true, rest: toks.length - 1 };
  if (isPunct(t, '<')) {
    let s = '';
    for (let k = 1; k < toks.length; k++) {
      const x = toks[k]!;
      if (isPunct(x, '>')) return { name: s, angle: true, rest: toks.length - k - 1 };
      if (k > 1 && x.space) s += ' ';
      s += x.text;
    }
  }
  return null;
}

function removePlacemarkers(toks: PPToken[]): PPToken[] {
  let any = false;
  for (const t of toks) if ((t.kind as string) === PLACEMARKER) any = true;
  return any ? toks.filter((t) => (t.kind as string) !== PLACEMARKER) : toks;
}

function sameDefinition(a: MacroDef, b: MacroDef): boolean {
  if (a.kind !== b.kind || a.variadic !== b.variadic || a.params.join(',') !== b.params.join(',') || a.variadicName !== b.variadicName) return false;
  if (a.body.length !== b.body.length) return false;
  for (let k = 0; k < a.body.length; k++) {
    const x = a.body[k]!;
    const y = b.body[k]!;
    if (x.text !== y.text || (k > 0 && x.space !== y.space)) return false;
  }
  return true;
}

// ------------------------------------------------------------------ public API

/** Options with everything empty: no include dirs, no predefined macros, __has_* → 0. */
export function defaultPreprocessOptions(over: Partial<PreprocessOptions> = {}): PreprocessOptions {
  return {
    includePaths: [],
    systemIncludePaths: [],
    quoteIncludePaths: [],
    defines: [],
    undefines: [],
    forcedIncludes: [],
    configFiles: [],
    predefined: '',
    hasAttribute: () => 0,
    hasBuiltin: () => 0,
    hasFeature: () => 0,
    ...over,
  };
}

/** Preprocesses a file on disk (or in `opts.readFile`). */
export function preprocess(mainFile: string, opts: PreprocessOptions): PreprocessResult {
  const pp = new Preprocessor(opts);
  pp.prologue(mainFile);
  pp.runMain(pp.loadMain(mainFile), mainFile);
  return pp.result();
}

/** Preprocesses in-memory source as if it were the file `fileName` (quote includes are relative to its directory). */
export function preprocessSource(source: string, opts: PreprocessOptions, fileName = '<input>'): PreprocessResult {
  const pp = new Preprocessor(opts);
  pp.prologue(fileName);
  pp.runMain(pp.mainFromText(source, fileName), fileName);
  return pp.result();
}

/** Preprocesses several headers as one translation unit: a synthetic main file that #includes each. */
export function preprocessHeaders(headers: string[], opts: PreprocessOptions, fileName = '<headers>'): PreprocessResult {
  const src = headers.map((h) => `#include "${h.replace(/[\\"]/g, '\\$&')}"\n`).join('');
  return preprocessSource(src, opts, fileName);
}

/**
 * An expander over a final macro table (PreprocessResult.macros): the full expansion of an
 * object-like macro (by name) or of a token list. Tokens carry expansion provenance. One
 * expander serves every macro of a translation unit (set-up is paid once).
 */
export function createMacroExpander(
  macros: Map<string, MacroDef>,
  opts?: Partial<PreprocessOptions>,
): (what: string | readonly import('./token.js').Token[]) => { tokens: import('./token.js').Token[]; diagnostics: Diagnostic[] } {
  const pp = new Preprocessor(defaultPreprocessOptions(opts), macros);
  return (what) => {
    pp.diags.length = 0;
    const toks: PPToken[] = typeof what === 'string' ? tokenize(what, '<expand>', pp.diags).slice(0, -1) : what.map((t) => ({ ...t }));
    return pp.expandForModel(toks);
  };
}

/** One expansion with a fresh expander (see createMacroExpander for many). */
export function expandMacroTokens(
  what: string | readonly import('./token.js').Token[],
  macros: Map<string, MacroDef>,
  opts?: Partial<PreprocessOptions>,
): { tokens: import('./token.js').Token[]; diagnostics: Diagnostic[] } {
  return createMacroExpander(macros, opts)(what);
}
