// Hand-built ABI models for the check tests. Numbers are derived by hand for x86-64 System V
// from test/fixtures/check/probe-fixture.h (see the comments), never from portabi's output.
import type { AbiModel } from '../../src/abi/model.js';

export const FIXTURE_HEADER = new URL('../fixtures/check/probe-fixture.h', import.meta.url).pathname;

export function fixtureModel(): AbiModel {
  const h = 'test/fixtures/check/probe-fixture.h';
  return {
    schemaVersion: 1,
    target: 'x86_64-unknown-linux-gnu',
    types: {
      // int x @0, char tag @4, long long y @8 (align 8) → size 16, align 8
      'struct point': {
        kind: 'struct', size: 16, align: 8, complete: true, loc: `${h}:2:8`,
        fields: [
          { name: 'x', offsetBits: 0, sizeBits: 32, bitField: false, type: 'int' },
          { name: 'tag', offsetBits: 32, sizeBits: 8, bitField: false, type: 'char' },
          { name: 'y', offsetBits: 64, sizeBits: 64, bitField: false, type: 'long long' },
        ],
      },
      // a: bits 0..2, b: bits 3..7 of the first unsigned; c @4 → size 8, align 4
      'struct flags': {
        kind: 'struct', size: 8, align: 4, complete: true, loc: `${h}:3:8`,
        fields: [
          { name: 'a', offsetBits: 0, sizeBits: 3, bitField: true, type: 'unsigned int' },
          { name: 'b', offsetBits: 3, sizeBits: 5, bitField: true, type: 'unsigned int' },
          { name: 'c', offsetBits: 32, sizeBits: 32, bitField: false, type: 'int' },
        ],
      },
      'struct mtx': {
        kind: 'struct', size: 8, align: 4, complete: true, loc: `${h}:4:16`,
        fields: [
          { name: 'kind', offsetBits: 0, sizeBits: 32, bitField: false, type: 'int' },
          { name: 'pad', offsetBits: 32, sizeBits: 32, bitField: false, type: 'unsigned char[4]' },
        ],
      },
      mtx_t: {
        kind: 'typedef', size: 8, align: 4, complete: true, loc: `${h}:4:51`, aliasOf: 'struct mtx',
        fields: [
          { name: 'kind', offsetBits: 0, sizeBits: 32, bitField: false, type: 'int' },
          { name: 'pad', offsetBits: 32, sizeBits: 32, bitField: false, type: 'unsigned char[4]' },
        ],
      },
      'struct opaque': { kind: 'struct', size: null, align: null, complete: false, loc: 'other.h:1:8' },
    },
    constants: {
      ANSWER: { value: '42', type: 'int', loc: `${h}:5:9`, source: 'macro' },
      NEG: { value: '-1', type: 'int', loc: `${h}:6:9`, source: 'macro' },
      BIGU: {
        value: '4294967295', type: 'unsigned int', loc: `${h}:7:9`, source: 'macro',
        why: {
          loc: `${h}:7:9`,
          chain: [{ macro: 'BIGU', loc: `${h}:7:9` }],
          conditions: [{ directive: 'if', text: 'defined(CONFIG_BIG)', loc: `${h}:1:2`, tested: [{ name: 'CONFIG_BIG', value: '1' }] }],
        },
      },
    },
    initializers: {
      // int 1 little-endian, then pad {0,0,0,2}
      MTX_INIT: { type: 'mtx_t', bytes: '0100000000000002', loc: `${h}:8:9` },
    },
    functions: {
      open: { signature: 'int open(const char *, int, ...)', loc: `${h}:9:5` },
    },
    macros: {
      ANSWER: { class: 'integer', loc: `${h}:5:9` },
      NEG: { class: 'integer', loc: `${h}:6:9` },
      BIGU: { class: 'integer', loc: `${h}:7:9` },
      MTX_INIT: { class: 'initializer', loc: `${h}:8:9` },
      VERSION_STR: { class: 'string', detail: '"1.0"', loc: `${h}:10:9` },
    },
    diagnostics: [],
  };
}
