// The esbuild options of portabi's bundle, shared by scripts/bundle.mjs (from dist/) and the
// tests that bundle the sources themselves (test/cli/bad-inputs.test.ts), so both run the
// same build. Native addons (koffi, tree-sitter) and ts-morph/typescript stay external: they
// load from node_modules when a command needs them.

/** @param {{ entry: string, outdir: string }} where */
export function bundleOptions({ entry, outdir }) {
  return {
    entryPoints: [entry],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['koffi', 'tree-sitter', 'tree-sitter-rust', 'ts-morph', 'typescript'],
    // CommonJS dependencies (commander, yaml) call require(); ESM output has none of its own.
    banner: { js: "import { createRequire as __portabiCreateRequire } from 'node:module'; const require = __portabiCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  };
}
