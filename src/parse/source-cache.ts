// Tokenized files shared across preprocessor runs over the same tree: `check --config-matrix`
// preprocesses the same headers once per configuration, and what a file's text tokenizes to
// does not depend on the configuration. Keyed by resolved path and content (a file changed
// between runs is read again). SourceFile tokenizes lines lazily and keeps them, so a run
// re-uses every line an earlier run reached. Tokens are never mutated by the preprocessor (a
// file included twice in one run already shares them).
//
// Diagnostics: a SourceFile reports to the array it was built with. Here that is a relay that
// forwards to the run currently reading the file and remembers what it forwarded; a later run
// that loads the file gets those diagnostics again, so each run reports what the file's text
// gives (construction: invalid UTF-8, NUL, over-long lines; lazily: an unterminated comment).
import type { Diagnostic } from './diagnostics.js';
import type { SourceFile } from './tokenize.js';

interface Entry {
  text: string;
  src: SourceFile;
  /** Everything the file's text reported so far, in order. */
  seen: Diagnostic[];
  relay: Relay;
}

/** An array the SourceFile pushes to; forwards each push to the current run. */
class Relay extends Array<Diagnostic> {
  to: Diagnostic[] = [];
  constructor(private readonly seen: Diagnostic[]) {
    super();
  }
  override push(...items: Diagnostic[]): number {
    this.seen.push(...items);
    return this.to.push(...items);
  }
  static override get [Symbol.species]() {
    return Array;
  }
}

export class SourceCache {
  private readonly entries = new Map<string, Entry>();
  /** Files built, and files served from the cache (for benchmarks and tests). */
  readonly stats = { built: 0, reused: 0 };

  /**
   * The SourceFile for `key` with this text: the cached one when the text is the same (its
   * diagnostics so far are pushed to `diags`), else one `build` makes reporting into a relay.
   */
  source(key: string, text: string, diags: Diagnostic[], build: (sink: Diagnostic[]) => SourceFile): SourceFile {
    const e = this.entries.get(key);
    if (e && e.text === text) {
      this.stats.reused++;
      for (const d of e.seen) diags.push(d);
      e.relay.to = diags;
      return e.src;
    }
    this.stats.built++;
    const seen: Diagnostic[] = [];
    const relay = new Relay(seen);
    relay.to = diags;
    const src = build(relay);
    this.entries.set(key, { text, src, seen, relay });
    return src;
  }
}
