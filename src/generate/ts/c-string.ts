// The value of a C string-literal macro (C17 6.4.5): adjacent literals concatenated, escapes
// decoded (6.4.4.4), the encoding prefix (u8, u, U, L) of the result kept for the caller.

type Prefix = '' | 'u8' | 'u' | 'U' | 'L';

export type CStringValue = { ok: true; prefix: Prefix; value: string } | { ok: false; reason: string };

const SIMPLE: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };

/** Decodes the spelling of one or more adjacent string literals. Narrow strings are UTF-8 bytes
 *  (octal and hex escapes are bytes); wide ones are code points (`\x`: one code unit). */
export function decodeCString(spelling: string): CStringValue {
  const re = /\s*(u8|u|U|L)?"((?:[^"\\\n]|\\.)*)"\s*/y;
  let prefix: Prefix = '';
  const parts: { items: (number | { cp: number })[] }[] = [];
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < spelling.length && (m = re.exec(spelling))) {
    at = re.lastIndex;
    const p = (m[1] ?? '') as Prefix;
    if (p && p !== 'u8') {
      if (prefix && prefix !== 'u8' && prefix !== p) return { ok: false, reason: `concatenates ${prefix} and ${p} strings` };
      prefix = p;
    } else if (p === 'u8' && !prefix) prefix = 'u8';
    const body = m[2]!;
    const items: (number | { cp: number })[] = [];
    for (let i = 0; i < body.length; ) {
      const ch = body[i]!;
      if (ch !== '\\') {
        const cp = body.codePointAt(i)!;
        items.push({ cp });
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      const e = body[i + 1]!;
      if (e in SIMPLE) {
        items.push(SIMPLE[e]!);
        i += 2;
      } else if (/[0-7]/.test(e)) {
        const o = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
        items.push(parseInt(o, 8));
        i += 1 + o.length;
      } else if (e === 'x') {
        const h = /^[0-9a-fA-F]+/.exec(body.slice(i + 2))?.[0];
        if (!h) return { ok: false, reason: '\\x without hex digits' };
        items.push(parseInt(h, 16));
        i += 2 + h.length;
      } else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const h = body.slice(i + 2, i + 2 + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) return { ok: false, reason: `bad \\${e} escape` };
        items.push({ cp: parseInt(h, 16) });
        i += 2 + n;
      } else return { ok: false, reason: `unknown escape \\${e}` };
    }
    parts.push({ items });
  }
  if (!parts.length || at !== spelling.length) return { ok: false, reason: 'not a sequence of string literals' };
  const wide = prefix === 'u' || prefix === 'U' || prefix === 'L';
  if (wide) {
    let value = '';
    for (const part of parts)
      for (const it of part.items) {
        const cp = typeof it === 'number' ? it : it.cp;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff && prefix !== 'u')) return { ok: false, reason: `code unit ${cp.toString(16)} is not a character` };
        value += prefix === 'u' && typeof it === 'number' ? String.fromCharCode(cp) : String.fromCodePoint(cp);
      }
    return { ok: true, prefix, value };
  }
  // Narrow: the bytes, then decoded as UTF-8 (a string that is not UTF-8 is not given a value).
  const bytes: number[] = [];
  for (const part of parts)
    for (const it of part.items) {
      if (typeof it === 'number') {
        if (it > 0xff) return { ok: false, reason: `escape value ${it.toString(16)} is out of range for char` };
        bytes.push(it);
      } else bytes.push(...new TextEncoder().encode(String.fromCodePoint(it.cp)));
    }
  try {
    return { ok: true, prefix, value: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes)) };
  } catch {
    return { ok: false, reason: 'its bytes are not UTF-8' };
  }
}
