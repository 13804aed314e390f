// `portabi gen rust`, layout assertions: for every emitted record and enum, compile-time checks
// that Rust's layout is portabi's for the chosen target: size_of, align_of and offset_of! of
// every member. Each message spells the C expression it stands for (`sizeof(struct x) == 8`),
// so a C compiler can check the same numbers.
import type { RecordCheck } from './types.js';

export interface EnumCheck {
  rust: string;
  c: string;
  size: number;
  align: number;
}

function line(expr: string, n: number, message: string): string {
  return `const _: () = assert!(${expr} == ${n}, ${JSON.stringify(message)});`;
}

export function emitAssertions(records: RecordCheck[], enums: EnumCheck[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    // An anonymous record has no C spelling: its messages say so instead of a C expression.
    const c = r.c;
    const block = [`// ${c ?? `${r.rust} (anonymous in C)`}`];
    block.push(line(`core::mem::size_of::<${r.rust}>()`, r.size, c ? `sizeof(${c}) == ${r.size}` : `${r.rust} (anonymous in C): size ${r.size}`));
    block.push(line(`core::mem::align_of::<${r.rust}>()`, r.align, c ? `_Alignof(${c}) == ${r.align}` : `${r.rust} (anonymous in C): align ${r.align}`));
    for (const f of r.fields) {
      const msg = f.c && r.c ? `offsetof(${r.c}, ${f.c}) == ${f.offset}` : `${r.rust}.${f.rust.replace(/^r#/, '')}: offset ${f.offset}${f.rust.startsWith('_bf') ? ' (bit-field storage)' : ''}`;
      block.push(line(`core::mem::offset_of!(${r.rust}, ${f.rust})`, f.offset, msg));
    }
    out.push(block.join('\n'));
  }
  for (const e of enums) {
    out.push([`// ${e.c}`, line(`core::mem::size_of::<${e.rust}>()`, e.size, `sizeof(${e.c}) == ${e.size}`), line(`core::mem::align_of::<${e.rust}>()`, e.align, `_Alignof(${e.c}) == ${e.align}`)].join('\n'));
  }
  return out;
}
