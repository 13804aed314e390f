// A small ELF reader for relocatable objects (ELF32/ELF64, either byte order): enough to read
// the bytes a compiler emitted for a named data symbol. The compiler is the oracle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Section {
  name: string;
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

export interface SymbolBytes {
  bytes: Uint8Array;
  section: string;
  /** True when a relocation applies inside the symbol (its bytes are not final). */
  relocated: boolean;
}

const SHT_SYMTAB = 2;
const SHT_RELA = 4;
const SHT_NOBITS = 8;
const SHT_REL = 9;

export function readSymbolBytes(elf: Uint8Array, symbol: string): SymbolBytes {
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  if (dv.getUint32(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const is64 = elf[4] === 2;
  const le = elf[5] === 1;
  const u16 = (o: number) => dv.getUint16(o, le);
  const u32 = (o: number) => dv.getUint32(o, le);
  const addr = (o: number) => (is64 ? Number(dv.getBigUint64(o, le)) : u32(o));
  const shoff = is64 ? Number(dv.getBigUint64(0x28, le)) : u32(0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      name: String(u32(o)),
      type: u32(o + 4),
      offset: addr(o + (is64 ? 0x18 : 0x10)),
      size: addr(o + (is64 ? 0x20 : 0x14)),
      link: u32(o + (is64 ? 0x28 : 0x18)),
      info: u32(o + (is64 ? 0x2c : 0x1c)),
      entsize: addr(o + (is64 ? 0x38 : 0x24)),
    });
  }
  const cstr = (off: number): string => {
    let end = off;
    while (elf[end] !== 0) end++;
    return Buffer.from(elf.subarray(off, end)).toString('latin1');
  };
  const shstr = sections[shstrndx]!;
  for (const s of sections) s.name = cstr(shstr.offset + Number(s.name));
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) throw new Error('no symbol table');
  const strtab = sections[symtab.link]!;
  const entsize = is64 ? 24 : 16;
  for (let o = symtab.offset; o < symtab.offset + symtab.size; o += entsize) {
    const name = cstr(strtab.offset + u32(o));
    if (name !== symbol) continue;
    const shndx = u16(o + (is64 ? 6 : 14));
    const value = is64 ? Number(dv.getBigUint64(o + 8, le)) : u32(o + 4);
    const size = is64 ? Number(dv.getBigUint64(o + 16, le)) : u32(o + 8);
    const sec = sections[shndx];
    if (!sec) throw new Error(`symbol ${symbol} is not defined in a section (shndx ${shndx})`);
    const bytes = sec.type === SHT_NOBITS ? new Uint8Array(size) : elf.slice(sec.offset + value, sec.offset + value + size);
    let relocated = false;
    for (const r of sections) {
      if ((r.type !== SHT_REL && r.type !== SHT_RELA) || r.info !== shndx) continue;
      const step = r.entsize || (r.type === SHT_RELA ? (is64 ? 24 : 12) : is64 ? 16 : 8);
      for (let ro = r.offset; ro < r.offset + r.size; ro += step) {
        const at = addr(ro);
        if (at >= value && at < value + size) relocated = true;
      }
    }
    return { bytes, section: sec.name, relocated };
  }
  throw new Error(`symbol ${symbol} not found`);
}

/** Compile C source with clang-19 for a triple and return the object file. */
export function compileWithClang(source: string, triple: string, flags: string[], extra: string[] = []): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-oracle-'));
  try {
    const c = join(dir, 'oracle.c');
    const o = join(dir, 'oracle.o');
    writeFileSync(c, source);
    execFileSync('clang-19', ['-target', triple, ...flags, ...extra, '-std=gnu17', '-O0', '-w', '-c', c, '-o', o], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Uint8Array(readFileSync(o));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Compile C source with a gcc cross compiler (e.g. arm-none-eabi-gcc) and return the object file. */
export function compileWithGcc(source: string, command: string, flags: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-gcc-'));
  try {
    const c = join(dir, 'oracle.c');
    const o = join(dir, 'oracle.o');
    writeFileSync(c, source);
    execFileSync(command, [...flags, '-std=gnu17', '-O0', '-w', '-c', c, '-o', o], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Uint8Array(readFileSync(o));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hasCommand(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
