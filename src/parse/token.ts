// Tokens are the unit every later phase of the front end consumes. They keep the exact
// location of their spelling and, once macro expansion has run, the chain of macro
// invocations that produced them (provenance).
import type { Loc } from './diagnostics.js';

export type TokenKind =
  | 'ident'
  | 'number' // a preprocessing number (C17 6.4.8): 0x10UL, 1.5e3f, 0b101 ...
  | 'char' // character constant with optional prefix: 'a', L'a', u8'a', u'a', U'a'
  | 'string' // string literal with optional prefix
  | 'header-name' // <stdio.h> in an #include, only produced in that context
  | 'punct'
  | 'other' // a stray character that is not part of any token class
  | 'eof';

/** One step of a macro expansion chain: which macro, defined where, invoked where. */
export interface ExpansionStep {
  macro: string;
  definedAt: Loc;
  invokedAt: Loc;
}

export interface Token {
  kind: TokenKind;
  text: string;
  loc: Loc;
  /** Whitespace precedes this token (needed for `#` stringizing and output spacing). */
  space: boolean;
  /** First token on its logical line. */
  bol: boolean;
  /** Macro invocations that produced this token, outermost first. Absent for source tokens. */
  expansion?: readonly ExpansionStep[];
}
