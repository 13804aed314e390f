// Rust attribute contents ("meta items"): `cfg(all(unix, target_os = "linux"))`,
// `repr(C, packed(4))`, `path = "x.rs"`, `cfg_attr(pred, repr(packed))`.

export interface Meta {
  name: string;
  /** `name = "value"`: the literal, unquoted. */
  value?: string;
  /** `name(a, b = "c", ...)`. */
  args?: Meta[];
}

type Tok = { k: 'id' | 'str' | 'num' | 'punct'; s: string };

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        s += text[j] ?? '';
        j++;
      }
      out.push({ k: 'str', s });
      i = j + 1;
      continue;
    }
    const id = /^(?:r#)?[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (id) {
      out.push({ k: 'id', s: id[0].replace(/^r#/, '') });
      i += id[0].length;
      continue;
    }
    const num = /^[0-9][0-9A-Za-z_]*/.exec(text.slice(i));
    if (num) {
      out.push({ k: 'num', s: num[0] });
      i += num[0].length;
      continue;
    }
    out.push({ k: 'punct', s: c });
    i++;
  }
  return out;
}

/** Parse one meta item; null when the text is not one. */
export function parseMeta(text: string): Meta | null {
  const toks = tokenize(text);
  let p = 0;
  const item = (): Meta | null => {
    const t = toks[p];
    if (!t) return null;
    if (t.k === 'str' || t.k === 'num') {
      p++;
      return { name: '', value: t.s };
    }
    if (t.k !== 'id') return null;
    p++;
    const m: Meta = { name: t.s };
    const n = toks[p];
    if (n?.k === 'punct' && n.s === '=') {
      p++;
      const v = toks[p++];
      if (v) m.value = v.s;
    } else if (n?.k === 'punct' && n.s === '(') {
      p++;
      m.args = [];
      while (p < toks.length && !(toks[p]!.k === 'punct' && toks[p]!.s === ')')) {
        const a = item();
        if (a) m.args.push(a);
        else p++; // skip what we do not understand
        if (toks[p]?.k === 'punct' && toks[p]!.s === ',') p++;
      }
      p++;
    }
    return m;
  };
  return item();
}

export function metaText(m: Meta): string {
  if (m.value !== undefined && m.name === '') return JSON.stringify(m.value);
  if (m.value !== undefined) return `${m.name} = ${JSON.stringify(m.value)}`;
  if (m.args) return `${m.name}(${m.args.map(metaText).join(', ')})`;
  return m.name;
}
