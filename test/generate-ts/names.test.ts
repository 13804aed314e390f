// Names in the generated module: C names that are JavaScript reserved words, load()'s locals,
// names the module declares itself (imports, runtime), C's separate tag and ordinary
// namespaces; and declarations the module must contain (typedef-named anonymous structs, enum
// typedefs of system headers). Each function is called through the bindings; the values are
// what C returns (the case's C source built with cc).
import { resolve } from 'node:path';
import koffi from 'koffi';
import { afterAll, describe, expect, test } from 'vitest';
import { bindHeader, removeDirs } from '../helpers/generate.js';

const root = resolve(__dirname, `.work-names-${process.pid}`);
afterAll(() => removeDirs(root));

const bind = (name: string, header: string, source: string, sys: Record<string, string> = {}) => bindHeader(root, name, header, source, sys);

describe('9. one namespace: reserved words, load()\'s locals, the module\'s own names', () => {
  test('every C name is bound, each under a name of its own', async () => {
    const { m, lib, tscOut } = await bind(
      'names',
      `int delete(int x);
int new(void);
int class(void);
int file(void);
int key(void);
int lib(void);
int hit(void);
int api(void);
struct Socket { int fd; };
struct Ptr { int x; };
struct Callback { int y; };
struct Int64 { int z; };
struct Socket sock_get(void);
int ptr_sum(struct Ptr p, struct Callback c, struct Int64 i);
typedef struct { int q; } interface;
interface *get(void);
enum flag { flag = 1, flag_two = 2 };
enum flag flag_get(void);
typedef int (*callback1)(void);
int set_a(void (*h)(int));
int set_b(int (*o)(char));
int set_c(callback1 c);
`,
      `int delete(int x) { return x * 2; }
int new(void) { return 7; }
int class(void) { return 8; }
int file(void) { return 1; }
int key(void) { return 2; }
int lib(void) { return 3; }
int hit(void) { return 4; }
int api(void) { return 5; }
struct Socket sock_get(void) { struct Socket s = { 42 }; return s; }
int ptr_sum(struct Ptr p, struct Callback c, struct Int64 i) { return p.x * 100 + c.y * 10 + i.z; }
static interface the_q = { 9 };
interface *get(void) { return &the_q; }
enum flag flag_get(void) { return flag; }
int set_a(void (*h)(int)) { h(5); return 1; }
int set_b(int (*o)(char)) { return o('A'); }
int set_c(callback1 c) { return c() + 100; }
`,
    );
    expect(tscOut).toBe('');
    // Functions named delete, new, class, and like load()'s locals.
    expect([lib.delete(21), lib.new(), lib.class()]).toEqual([42, 7, 8]);
    expect([lib.file(), lib.key(), lib.lib(), lib.hit(), lib.api()]).toEqual([1, 2, 3, 4, 5]);
    // Structs named like the module's imports and runtime types.
    expect(lib.sock_get()).toEqual({ fd: 42 });
    expect(lib.ptr_sum({ x: 1 }, { y: 2 }, { z: 3 })).toBe(123);
    // typedef ... interface.
    expect(koffi.decode(lib.get(), m.interface_$type)).toEqual({ q: 9 });
    // enum flag { flag }: the enumerator keeps its name, the enum takes the next free one.
    expect(lib.flag_get()).toBe(m.flag);
    expect(m.flag_).toEqual({ flag: 1, flag_two: 2 });
    // The typedef callback1 and the anonymous prototypes (callback, callback1 -> callback2).
    const c1 = m.register_callback1(() => 5);
    const b = m.register_callback2((ch: number) => ch + 1);
    try {
      expect(lib.set_c(c1)).toBe(105);
      expect(lib.set_b(b)).toBe(66);
    } finally {
      koffi.unregister(c1);
      koffi.unregister(b);
    }
  });
});

describe('10. declarations the module refers to are declared', () => {
  test('a typedef-named anonymous struct; enum typedefs of an -isystem header', async () => {
    const { m, lib, text, tscOut } = await bind(
      'decls',
      `#include <sysenum.h>
#include <stddef.h>
typedef struct { int x, y; } point_t;
size_t point_size(void);
sys_mode_t mode_get(void);
int color_of(enum sys_color c);
`,
      `size_t point_size(void) { return sizeof(point_t); }
sys_mode_t mode_get(void) { return SYS_BUSY; }
int color_of(enum sys_color c) { return c == SYS_GREEN ? 20 : 10; }
`,
      { 'sysenum.h': 'typedef enum { SYS_IDLE, SYS_BUSY = -2 } sys_mode_t;\nenum sys_color { SYS_RED, SYS_GREEN };\n' },
    );
    expect(tscOut).toBe('');
    expect(text).toMatch(/export interface point_t \{/);
    expect(koffi.sizeof(m.point_t$type)).toBe(Number(lib.point_size()));
    expect(koffi.offsetof(m.point_t$type, 'y')).toBe(4);
    expect(lib.mode_get()).toBe(-2);
    expect(m.sys_mode_t).toEqual({ SYS_IDLE: 0, SYS_BUSY: -2 });
    expect(lib.color_of(m.sys_color.SYS_GREEN)).toBe(20);
  });
});
