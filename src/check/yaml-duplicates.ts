// Duplicate mapping keys, found in one pass. The yaml package's own `uniqueKeys` check compares
// every key with every earlier one of its map (quadratic): on the Rust libc crate's profile,
// whose maps hold thousands of items, it was most of `portabi check`'s time.
import { isMap, isScalar, visit, type Document, type Node } from 'yaml';

/** The second and later occurrences of each key, per map, in document order. */
export function duplicateKeys(doc: Document): Node[] {
  const out: Node[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<string>();
      for (const p of map.items) {
        if (!isScalar(p.key)) continue;
        const k = String(p.key.value);
        if (seen.has(k)) out.push(p.key);
        else seen.add(k);
      }
    },
  });
  return out;
}
