// YAML aliases. Target files, profiles and portabi.yaml are YAML 1.2, where `*name` stands for
// the node of the nearest `&name` before it (YAML 1.2 §3.2.2.2, §7.1). The checkers walk yaml's
// node tree, so the aliases are resolved in that tree first.
import { isAlias, isCollection, isMap, isScalar } from 'yaml';
import type { Alias, Document, Node as YamlNode, Pair } from 'yaml';

/** How many nodes aliases may add to a document once expanded: far above any real use (an
 *  anchored map of 10 keys reused 1,000 times adds 21,000), far below an alias bomb ("billion
 *  laughs": 10 levels of 10 aliases in 1 kB of text expand to 10^10 nodes). */
export const MAX_ALIAS_NODES = 100_000;

export interface AliasProblem {
  /** The alias at fault. */
  node: YamlNode;
  message: string;
}

/**
 * Replaces every alias in `doc` by the node its anchor names, in place: the tree becomes a DAG
 * in which a node reached through an alias keeps the location where it is written. In one pass
 * in document order (anchors may be redefined; an alias names the latest one before it). Returns
 * the first problem, located at its alias: an anchor not defined before the alias, an alias
 * inside the node it names (a cycle), an alias key repeating a key of its map, or aliases that
 * would add more than `maxNodes` nodes; `doc` may then be partly resolved. Null when none.
 */
export function resolveAliases(doc: Document, maxNodes: number = MAX_ALIAS_NODES): AliasProblem | null {
  const anchors = new Map<string, YamlNode>();
  /** Expanded node count of each finished node, and the collections being walked. */
  const sizes = new Map<YamlNode, number>();
  const open = new Set<YamlNode>();
  let added = 0;
  let problem: AliasProblem | null = null;

  const target = (alias: Alias): YamlNode | null => {
    const node = anchors.get(alias.source);
    if (!node) problem = { node: alias, message: `alias '*${alias.source}' has no anchor '&${alias.source}' before it` };
    else if (open.has(node)) problem = { node: alias, message: `alias '*${alias.source}' is inside the node '&${alias.source}' it names` };
    else {
      added += sizes.get(node) ?? 1;
      if (added > maxNodes) problem = { node: alias, message: `aliases expand to more than ${maxNodes} nodes here (an alias bomb?)` };
    }
    return problem ? null : node!;
  };
  /** `node`'s expanded size; an alias child is replaced through `set`. */
  const child = (node: unknown, set: (n: YamlNode) => void): number => {
    if (problem) return 0;
    if (!isAlias(node)) return walk(node);
    const t = target(node);
    if (!t) return 0;
    set(t);
    return sizes.get(t) ?? 1;
  };
  const walk = (node: unknown): number => {
    if (problem || node === null || typeof node !== 'object') return 0;
    const n = node as YamlNode;
    if (n.anchor) anchors.set(n.anchor, n);
    if (!isCollection(n)) return 1;
    open.add(n);
    let total = 1;
    if (isMap(n)) {
      const aliasKeys = new Map<Pair, Alias>();
      for (const pair of n.items) {
        if (isAlias(pair.key)) aliasKeys.set(pair, pair.key);
        total += child(pair.key, (t) => (pair.key = t));
        total += child(pair.value, (t) => (pair.value = t));
        if (problem) return 0;
      }
      // yaml checked the written keys for uniqueness; an alias key is only known now.
      if (aliasKeys.size > 0) {
        const seen = new Set<string>();
        for (const pair of n.items) {
          if (!isScalar(pair.key)) continue;
          const k = String(pair.key.value);
          if (seen.has(k)) {
            const alias = aliasKeys.get(pair) ?? [...aliasKeys.values()][0]!;
            problem = { node: alias, message: `map keys must be unique ('${k}' again, through alias '*${alias.source}')` };
            return 0;
          }
          seen.add(k);
        }
      }
    } else {
      n.items.forEach((item, i) => (total += child(item, (t) => (n.items[i] = t))));
    }
    open.delete(n);
    sizes.set(n, total);
    return total;
  };
  if (isAlias(doc.contents)) return { node: doc.contents, message: `alias '*${doc.contents.source}' has no anchor '&${doc.contents.source}' before it` };
  walk(doc.contents);
  return problem;
}

