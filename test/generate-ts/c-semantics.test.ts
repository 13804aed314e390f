// C semantics the generated TypeScript bindings must reproduce, checked against C itself: each
// case is a header and its C implementation, built with cc and called through the bindings
// generated for the header, in a project of its own (so that one case's failure to import does
// not hide another's). Expected values are what C computes (sizeof, offsetof, the bytes C
// wrote, what a C function returns), never portabi's.
import { resolve } from 'node:path';
import koffi from 'koffi';
import { afterAll, describe, expect, test } from 'vitest';
import { bindHeader, removeDirs } from '../helpers/generate.js';

const root = resolve(__dirname, `.work-cs-${process.pid}`);
afterAll(() => removeDirs(root));

const bind = (name: string, header: string, source: string) => bindHeader(root, name, header, source);

describe('1. self- and mutually-referential records', () => {
  test('a list C built is walked through next; struct ma -> struct mb -> struct ma', async () => {
    const { m, lib, tscOut } = await bind(
      'selfref',
      `struct node { struct node *next; int v; };
struct node *node_list(void);
int node_sum(const struct node *n);
struct ma { struct mb *b; int x; };
struct mb { struct ma *a; int y; };
struct ma *ma_get(void);
`,
      `static struct node n3 = { 0, 30 }, n2 = { &n3, 20 }, n1 = { &n2, 10 };
struct node *node_list(void) { return &n1; }
int node_sum(const struct node *n) { int s = 0; for (; n; n = n->next) s += n->v; return s; }
static struct mb the_mb;
static struct ma the_ma = { &the_mb, 5 };
static struct mb the_mb = { &the_ma, 6 };
struct ma *ma_get(void) { return &the_ma; }
`,
    );
    expect(tscOut).toBe('');
    let p = lib.node_list();
    const vs: number[] = [];
    while (p) {
      const n = koffi.decode(p, m.node$type);
      vs.push(n.v);
      p = n.next;
    }
    expect(vs).toEqual([10, 20, 30]);
    expect(vs.reduce((a, b) => a + b, 0)).toBe(lib.node_sum(lib.node_list()));
    const a = koffi.decode(lib.ma_get(), m.ma$type);
    const b = koffi.decode(a.b, m.mb$type);
    expect([a.x, b.y, koffi.decode(b.a, m.ma$type).x]).toEqual([5, 6, 5]);
  });
});

describe('2. a record aligned to 16', () => {
  test('its bytes are C\'s; by value it is not bound (koffi aligns to 8 at most)', async () => {
    const { m, lib, text, tscOut } = await bind(
      'align16',
      `#include <stddef.h>
struct a16 { char c; _Alignas(16) unsigned char buf[16]; };
struct a16 *a16_get(void);
struct a16 a16_byval(void);
size_t a16_size(void);
`,
      `static struct a16 the_a16;
struct a16 *a16_get(void) { the_a16.c = 7; for (int i = 0; i < 16; i++) the_a16.buf[i] = i + 1; return &the_a16; }
struct a16 a16_byval(void) { return *a16_get(); }
size_t a16_size(void) { return sizeof(struct a16); }
`,
    );
    expect(tscOut).toBe('');
    expect(koffi.sizeof(m.a16$type)).toBe(Number(lib.a16_size()));
    const a = koffi.decode(lib.a16_get(), m.a16$type);
    expect(a.c).toBe(7);
    expect(a.buf).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(lib.a16_byval).toBeUndefined();
    expect(text).toMatch(/a16_byval: not bound/);
  });
});

describe('3. layouts: #pragma pack(2), int : 0, a packed member, packed unions', () => {
  test('sizes and offsets are C\'s; values C wrote are read back', async () => {
    const { m, lib, tscOut } = await bind(
      'layouts',
      `#include <stddef.h>
#pragma pack(push, 2)
struct pp2 { char a; int b; char c; double d; };
#pragma pack(pop)
struct bz { char a; int : 0; char b; };
struct mp { char a; int b __attribute__((packed)); };
union __attribute__((packed)) up { int i; char c[5]; };
union __attribute__((packed)) upb { int a : 3; char x; int b : 5; };
struct __attribute__((packed)) pa { int a; int b; };
int pa_diff(struct pa p);
struct pp2 *pp2_get(void);
struct bz *bz_get(void);
struct mp *mp_get(void);
union up *up_get(void);
union upb *upb_get(void);
size_t layout_of(int which, int what);
`,
      `#include <string.h>
static struct pp2 the_pp2 = { 1, -2, 3, 2.5 };
static struct bz the_bz = { 4, 5 };
static struct mp the_mp = { 6, 0x12345678 };
static union up the_up;
static union upb the_upb;
struct pp2 *pp2_get(void) { return &the_pp2; }
struct bz *bz_get(void) { return &the_bz; }
struct mp *mp_get(void) { return &the_mp; }
union up *up_get(void) { memcpy(the_up.c, "\\1\\2\\3\\4\\5", 5); return &the_up; }
union upb *upb_get(void) { the_upb.x = 0x2d; return &the_upb; }
int pa_diff(struct pa p) { return p.a - p.b; }
size_t layout_of(int which, int what) {
  switch (which * 10 + what) {
  case 0: return sizeof(struct pp2);
  case 1: return offsetof(struct pp2, b);
  case 2: return offsetof(struct pp2, c);
  case 3: return offsetof(struct pp2, d);
  case 10: return sizeof(struct bz);
  case 11: return offsetof(struct bz, b);
  case 20: return sizeof(struct mp);
  case 21: return offsetof(struct mp, b);
  case 30: return sizeof(union up);
  case 40: return sizeof(union upb);
  case 50: return sizeof(struct pa);
  }
  return (size_t)-1;
}
`,
    );
    expect(tscOut).toBe('');
    const c = (which: number, what = 0): number => Number(lib.layout_of(which, what));
    expect([koffi.sizeof(m.pp2$type), koffi.offsetof(m.pp2$type, 'b'), koffi.offsetof(m.pp2$type, 'c'), koffi.offsetof(m.pp2$type, 'd')]).toEqual([c(0), c(0, 1), c(0, 2), c(0, 3)]);
    const p = koffi.decode(lib.pp2_get(), m.pp2$type);
    expect([p.a, p.b, p.c, p.d]).toEqual([1, -2, 3, 2.5]);
    expect([koffi.sizeof(m.bz$type), koffi.offsetof(m.bz$type, 'b')]).toEqual([c(1), c(1, 1)]);
    const b = koffi.decode(lib.bz_get(), m.bz$type);
    expect([b.a, b.b]).toEqual([4, 5]);
    expect([koffi.sizeof(m.mp$type), koffi.offsetof(m.mp$type, 'b')]).toEqual([c(2), c(2, 1)]);
    expect(koffi.decode(lib.mp_get(), m.mp$type).b).toBe(0x12345678);
    expect(koffi.sizeof(m.up$type)).toBe(c(3));
    expect(koffi.decode(lib.up_get(), m.up$type)._bytes).toEqual([1, 2, 3, 4, 5]);
    expect(koffi.sizeof(m.upb$type)).toBe(c(4));
    // Packed, its members aligned anyway: C's alignment 1, passed by value.
    expect([koffi.sizeof(m.pa$type), koffi.alignof(m.pa$type)]).toEqual([c(5), 1]);
    expect(lib.pa_diff({ a: 10, b: 3 })).toBe(7);
  });
});

describe('4. a flexible array member', () => {
  test('the record is sizeof(struct msg); the elements follow it', async () => {
    const { m, lib, tscOut } = await bind(
      'fam',
      `#include <stddef.h>
struct msg { int len; char data[]; };
struct msg *msg_get(void);
size_t msg_size(void);
`,
      `static struct { struct msg m; char bytes[3]; } the_msg = { { 3 }, { 'a', 'b', 'c' } };
struct msg *msg_get(void) { return &the_msg.m; }
size_t msg_size(void) { return sizeof(struct msg); }
`,
    );
    expect(tscOut).toBe('');
    expect(koffi.sizeof(m.msg$type)).toBe(Number(lib.msg_size()));
    const p = lib.msg_get();
    expect(koffi.decode(p, m.msg$type).len).toBe(3);
    expect(koffi.decode(p, Number(lib.msg_size()), koffi.array('char', 3, 'Array'))).toEqual([97, 98, 99]);
  });
});

describe('5. parameters of array and function type are pointers (C17 6.7.6.3p7-8)', () => {
  test('const unsigned char d[16]; int f(int)', async () => {
    const { m, lib, tscOut } = await bind(
      'params',
      `int digest(const unsigned char d[16]);
int apply(int f(int), int x);
`,
      `int digest(const unsigned char d[16]) { int s = 0; for (int i = 0; i < 16; i++) s += d[i] * (i + 1); return s; }
int apply(int f(int), int x) { return f(x) + 1; }
`,
    );
    expect(tscOut).toBe('');
    const d = Buffer.from(Array.from({ length: 16 }, (_, i) => i));
    expect(lib.digest(d)).toBe(Array.from({ length: 16 }, (_, i) => i * (i + 1)).reduce((a, b) => a + b, 0));
    const cb = m.register_callback((x: number) => x * 3);
    try {
      expect(lib.apply(cb, 5)).toBe(16);
    } finally {
      koffi.unregister(cb);
    }
  });
});

describe('6. bit-fields', () => {
  test('an enum with a negative enumerator is signed; 60 bits are a bigint', async () => {
    const { m, lib, tscOut } = await bind(
      'bits',
      `enum e { NEG = -1, POS = 1 };
struct bs { enum e f : 2; unsigned long long w : 60; };
struct bs *bs_get(void);
int bs_f(void);
`,
      `static struct bs the_bs;
struct bs *bs_get(void) { the_bs.f = NEG; the_bs.w = (1ULL << 59) + 3; return &the_bs; }
int bs_f(void) { return bs_get()->f; }
`,
    );
    expect(tscOut).toBe('');
    const s = koffi.decode(lib.bs_get(), m.bs$type);
    expect(m.bs_bits.f.get(s)).toBe(lib.bs_f());
    expect(m.bs_bits.f.get(s)).toBe(-1);
    expect(m.bs_bits.w.get(s)).toBe((1n << 59n) + 3n);
  });
});

describe('7. char arrays are bytes', () => {
  test('{1, 0, 2, 3} round-trips', async () => {
    const { lib, tscOut } = await bind(
      'chararr',
      `struct key { char k[4]; };
struct key get_key(void);
int sum_key(struct key k);
`,
      `struct key get_key(void) { struct key k = { { 1, 0, 2, 3 } }; return k; }
int sum_key(struct key k) { return k.k[0] * 1000 + k.k[1] * 100 + k.k[2] * 10 + k.k[3]; }
`,
    );
    expect(tscOut).toBe('');
    const k = lib.get_key();
    expect(k.k).toEqual([1, 0, 2, 3]);
    expect(lib.sum_key(k)).toBe(1023);
  });
});

describe('8. string macros are their values', () => {
  test('escapes, concatenation, u8 and L', async () => {
    const { m, lib, tscOut } = await bind(
      'strings',
      `#define S_OCT "\\101\\012"
#define S_CAT "Hello, " "world"
#define S_U8 u8"x\\u00e9"
#define S_WIDE L"wide\\x263a"
const char *s_oct(void);
const char *s_cat(void);
const char *s_u8(void);
const int *s_wide(void); /* wchar_t is int on x86_64 Linux */
`,
      `const char *s_oct(void) { return S_OCT; }
const char *s_cat(void) { return S_CAT; }
const char *s_u8(void) { return (const char *)S_U8; }
const int *s_wide(void) { return (const int *)S_WIDE; }
`,
    );
    expect(tscOut).toBe('');
    expect(m.S_OCT).toBe(lib.s_oct());
    expect(m.S_CAT).toBe(lib.s_cat());
    expect(m.S_U8).toBe(lib.s_u8());
    const wide = koffi.decode(lib.s_wide(), koffi.array('int32_t', 5, 'Array')) as number[];
    expect(m.S_WIDE).toBe(String.fromCodePoint(...wide));
  });
});
