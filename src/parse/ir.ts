// The declaration IR: what a C translation unit declares, with locations, and with every
// expression kept unevaluated (array lengths, bit-field widths, enumerator values, aligned(n)).
// The ABI phase (src/abi) evaluates it for a target; nothing after this file re-parses C.
import type { Diagnostic, Loc } from './diagnostics.js';
import type { ConditionRecord } from './pp-types.js';
import type { ExpansionStep } from './token.js';

export type IntKind =
  | '_Bool'
  | 'char'
  | 'signed char'
  | 'unsigned char'
  | 'short'
  | 'unsigned short'
  | 'int'
  | 'unsigned int'
  | 'long'
  | 'unsigned long'
  | 'long long'
  | 'unsigned long long'
  | '__int128'
  | 'unsigned __int128';

export type FloatKind = 'float' | 'double' | 'long double' | '_Float16' | '__fp16' | '__float128' | '__bf16';

/** Builtin types whose layout only the target knows. */
export type BuiltinKind = '__builtin_va_list';

export interface Qualifiers {
  const?: boolean;
  volatile?: boolean;
  restrict?: boolean;
  atomic?: boolean;
}

/** GNU / C11 attributes that change layout, plus the names of all others (kept for reports). */
export interface Attributes {
  packed?: boolean;
  /** `aligned(n)` / `_Alignas(n)`; 'max' for a bare `aligned` (the target's biggest alignment). */
  aligned?: Expr | 'max';
  /** `_Alignas(type)` form. */
  alignedAsType?: CType;
  /** `mode(QI|HI|SI|DI|TI|word|pointer|byte|...)`. */
  mode?: string;
  vectorSize?: Expr;
  transparentUnion?: boolean;
  other?: string[];
}

interface TypeBase {
  quals?: Qualifiers;
  /** Attributes attached to this use of the type (e.g. from a typedef with aligned()). */
  attrs?: Attributes;
}

export type CType =
  | (TypeBase & { kind: 'void' })
  | (TypeBase & { kind: 'int'; name: IntKind })
  | (TypeBase & { kind: 'float'; name: FloatKind })
  | (TypeBase & { kind: 'complex'; of: FloatKind | IntKind })
  | (TypeBase & { kind: 'builtin'; name: BuiltinKind })
  | (TypeBase & { kind: 'pointer'; to: CType })
  /** length null: `[]` (flexible array member or incomplete array). */
  | (TypeBase & { kind: 'array'; of: CType; length: Expr | null })
  | (TypeBase & { kind: 'function'; ret: CType; params: Param[]; variadic: boolean; prototyped: boolean })
  /** Reference to `TranslationUnitIR.records[id]`. */
  | (TypeBase & { kind: 'record'; id: number })
  /** Reference to `TranslationUnitIR.enums[id]`. */
  | (TypeBase & { kind: 'enum'; id: number })
  /** Reference by name to `TranslationUnitIR.typedefs`. */
  | (TypeBase & { kind: 'typedef'; name: string })
  | (TypeBase & { kind: 'typeof'; expr: Expr })
  /** A type the parser could not understand; the reason says why. Never given a layout. */
  | (TypeBase & { kind: 'unknown'; text: string; reason: string });

export interface Param {
  name: string | null;
  type: CType;
}

export type Expr = (
  | { k: 'int'; text: string } // integer literal spelling: "0x10UL"
  | { k: 'float'; text: string }
  | { k: 'char'; text: string } // 'a', L'\0', u8'x'
  | { k: 'string'; text: string } // concatenated spelling(s), quotes included
  | { k: 'ident'; name: string }
  | { k: 'unary'; op: '+' | '-' | '~' | '!' | '*' | '&'; arg: Expr }
  | { k: 'binary'; op: string; left: Expr; right: Expr }
  | { k: 'cond'; cond: Expr; then: Expr; else: Expr }
  | { k: 'comma'; left: Expr; right: Expr }
  | { k: 'cast'; type: CType; arg: Expr }
  | { k: 'sizeof'; type?: CType; arg?: Expr }
  /** `preferred`: GNU `__alignof__`, the alignment the compiler prefers for an object of the
   *  type (8 for double on i386), where `_Alignof` is its ABI (member) alignment. */
  | { k: 'alignof'; type?: CType; arg?: Expr; preferred?: boolean }
  | { k: 'offsetof'; type: CType; path: Designator[] }
  | { k: 'call'; callee: Expr; args: Expr[] }
  | { k: 'member'; obj: Expr; name: string; arrow: boolean }
  | { k: 'index'; obj: Expr; index: Expr }
  | { k: 'compound'; type: CType; init: InitList }
  | { k: 'init'; list: InitList }
  | { k: 'unknown'; text: string; reason: string }
) & { loc?: Loc };

export type Designator = { field: string } | { index: Expr };

export interface InitItem {
  designators: Designator[];
  value: Expr; // nested lists are { k: 'init' }
}

export interface InitList {
  items: InitItem[];
  loc?: Loc;
}

export interface FieldDecl {
  /** null for an unnamed bit-field or a C11 anonymous struct/union member. */
  name: string | null;
  type: CType;
  bitWidth: Expr | null;
  attrs: Attributes;
  loc: Loc;
}

export interface RecordDecl {
  id: number;
  tag: 'struct' | 'union';
  /** Tag name; null for an anonymous record. */
  name: string | null;
  complete: boolean;
  fields: FieldDecl[];
  attrs: Attributes;
  /** `#pragma pack` value in effect at the definition; null when none. */
  pack: number | null;
  loc: Loc;
  /** The `#if` branches that selected this definition, outermost first (include guards left
   *  out); absent when none did. */
  conditions?: ConditionRecord[];
}

export interface Enumerator {
  name: string;
  value: Expr | null; // null: previous + 1 (or 0)
  loc: Loc;
  /** The `#if` branches that selected this definition, outermost first (include guards left
   *  out); absent when none did. */
  conditions?: ConditionRecord[];
}

export interface EnumDecl {
  id: number;
  name: string | null;
  complete: boolean;
  enumerators: Enumerator[];
  /** C23 / clang fixed underlying type: `enum E : unsigned char`. */
  fixedType?: CType;
  attrs: Attributes;
  loc: Loc;
  /** The `#if` branches that selected this definition, outermost first (include guards left
   *  out); absent when none did. */
  conditions?: ConditionRecord[];
}

export interface TypedefDecl {
  name: string;
  type: CType;
  loc: Loc;
  /** The `#if` branches that selected this definition, outermost first (include guards left
   *  out); absent when none did. */
  conditions?: ConditionRecord[];
}

export type Storage = 'extern' | 'static' | 'none';

export interface FunctionDecl {
  name: string;
  type: Extract<CType, { kind: 'function' }>;
  storage: Storage;
  inline: boolean;
  /** The prototype as C text, normalised (e.g. "int pthread_mutex_lock(pthread_mutex_t *mutex)"). */
  signature: string;
  loc: Loc;
}

export interface VariableDecl {
  name: string;
  type: CType;
  storage: Storage;
  loc: Loc;
}

/** What an object-like macro's full expansion is, syntactically. The ABI phase evaluates it. */
export type MacroForm =
  | { form: 'empty' }
  | { form: 'expr'; expr: Expr }
  | { form: 'init'; list: InitList }
  | { form: 'type'; type: CType }
  | { form: 'string'; text: string }
  | { form: 'other'; reason: string };

export interface MacroDecl {
  name: string;
  kind: 'object' | 'function';
  params: string[];
  variadic: boolean;
  /** Body as written (token spellings joined with single spaces where the source had space). */
  body: string;
  /** Full expansion of an object-like macro in the final macro table. */
  expansion?: string;
  /** Object-like macros only: the parsed expansion. */
  parsed?: MacroForm;
  loc: Loc;
  /** Macros the expansion went through, outermost first (for explain / provenance). */
  chain?: ExpansionStep[];
  /** Conditional blocks that were active at the #define. */
  conditions: ConditionRecord[];
  builtin: boolean;
}

export interface TranslationUnitIR {
  records: RecordDecl[];
  enums: EnumDecl[];
  /** Keyed by typedef name. Later compatible redeclarations keep the first. */
  typedefs: Record<string, TypedefDecl>;
  /** Tag name → index of the (complete, if any) declaration in records / enums. */
  tags: {
    struct: Record<string, number>;
    union: Record<string, number>;
    enum: Record<string, number>;
  };
  functions: Record<string, FunctionDecl>;
  variables: Record<string, VariableDecl>;
  macros: Record<string, MacroDecl>;
  /** `_Static_assert`s, in source order (evaluated by the ABI phase). */
  staticAsserts?: StaticAssertDecl[];
  diagnostics: Diagnostic[];
}

export interface StaticAssertDecl {
  expr: Expr;
  /** Where the expression starts (where clang reports a failure). */
  loc: Loc;
  /** The message (its string literals' contents, escapes as spelled), or null (C23). */
  message: string | null;
}
