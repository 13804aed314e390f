// TypeScript names for C declarations: tags (tag-names.ts), typedefs, prototypes, parameters.
import type { TranslationUnitIR } from '../../parse/ir.js';
import { TagNames } from '../tag-names.js';

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package ' +
    'private protected public await arguments eval undefined NaN Infinity any number string boolean bigint symbol never unknown object ' +
    'koffi load Library'
  ).split(' '),
);

export function safeIdent(name: string): string {
  return RESERVED.has(name) ? name + '_' : name;
}

/** Tag-derived names are made safe identifiers; a typedef's name is used as it is (the typedef
 *  is then not emitted again: emit.ts compares the two). */
export class TsNames extends TagNames {
  constructor(ir: TranslationUnitIR) {
    super(ir, safeIdent, (name) => name);
  }
}
