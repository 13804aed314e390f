// `portabi gen rust`, async wrappers, from the same AsyncSpecs (detection + portabi.yaml) as
// the TypeScript generator:
//   once   → `<symbol>_future`, a `core::future::Future`;
//   stream → `<symbol>_stream<N>`, with `poll_next` (and `futures_core::Stream` behind
//            `#[cfg(feature = "futures-core")]`);
//   call   → `<symbol>_each(args, FnMut)`, the callback runs during the call.
// The result slot / queue and the waker live inside the pinned future; C's context is a
// registry token resolving to it (see the runtime's safety invariants). No heap.
import type { FunctionDecl, TranslationUnitIR } from '../../parse/ir.js';
import { isPointer, stripTypedefs, type FunctionType } from '../async/ctypes.js';
import { siteRecord, specProto } from '../async/detect.js';
import type { ArgExpr, AsyncSpec, ResultValue } from '../async/model.js';
import { rustIdent } from './names.js';
import type { RustItems, Unsupported } from './types.js';

export interface AsyncOptions {
  /** Inline bytes of a `bytes(ptr, len)` / `string(ptr)` result. */
  maxBytes: number;
}

export interface AsyncOut {
  items: string[];
  problems: string[];
}

const R = 'core::result::Result';
const P = 'core::task::Poll';
const SOME = 'core::option::Option::Some';

/** A value of a Rust type with all bytes zero (null pointers, None, 0). */
function zeroValue(rt: string): string {
  if (rt.startsWith('*mut')) return 'core::ptr::null_mut()';
  if (rt.startsWith('*const')) return 'core::ptr::null()';
  if (rt.startsWith('core::option::Option')) return 'core::option::Option::None';
  if (rt === 'bool') return 'false';
  if (/^[iu](8|16|32|64|128|size)$/.test(rt)) return '0';
  if (/^f(32|64)$/.test(rt)) return '0.0';
  return '// SAFETY: every generated type is valid with all bytes zero.\nunsafe { core::mem::zeroed() }';
}

const plainName = (n: string): string => n.replace(/^r#/, '');

/** An expression as an argument: a block when it carries a SAFETY comment. */
function asArg(expr: string, indentBy = '    '): string {
  if (!expr.startsWith('//')) return expr;
  return `{\n${indentBy}${expr.split('\n').join('\n' + indentBy)}\n}`;
}

interface CbParam {
  name: string;
  rust: string;
  pointer: boolean;
}

function rustArgExpr(e: ArgExpr, ps: Map<string, CbParam>): string {
  switch (e.k) {
    case 'arg': {
      const p = ps.get(e.name)!;
      return p.pointer ? `(${p.name} as usize as i128)` : `(${p.name} as i128)`;
    }
    case 'int':
      return `${e.value}i128`;
    case 'unary': {
      const a = rustArgExpr(e.arg, ps);
      return e.op === '!' ? `((${a} == 0) as i128)` : e.op === '-' ? `${a}.wrapping_neg()` : `(!${a})`;
    }
    case 'binary': {
      const l = rustArgExpr(e.left, ps);
      const r = rustArgExpr(e.right, ps);
      switch (e.op) {
        case '&&':
        case '||':
          return `(((${l} != 0) ${e.op} (${r} != 0)) as i128)`;
        case '==':
        case '!=':
        case '<':
        case '<=':
        case '>':
        case '>=':
          return `((${l} ${e.op} ${r}) as i128)`;
        case '+':
          return `${l}.wrapping_add(${r})`;
        case '-':
          return `${l}.wrapping_sub(${r})`;
        case '*':
          return `${l}.wrapping_mul(${r})`;
        default:
          return `(${l} ${e.op} ${r})`;
      }
    }
  }
}

function argNames(e: ArgExpr, out: Set<string>): Set<string> {
  if (e.k === 'arg') out.add(e.name);
  else if (e.k === 'unary') argNames(e.arg, out);
  else if (e.k === 'binary') argNames(e.left, out), argNames(e.right, out);
  return out;
}

function resultNames(v: ResultValue): string[] {
  return v.k === 'arg' ? [v.name] : v.k === 'bytes' ? [v.ptr, v.len] : [v.ptr];
}

/** Emits the wrapper of one spec: items (types, impls, functions) or why not. */
export function emitAsync(items: RustItems, fn: FunctionDecl, spec: AsyncSpec, opts: AsyncOptions, problems: string[]): string[] | Unsupported {
  const ir: TranslationUnitIR = items.ir;
  const proto: FunctionType | null = specProto(fn, spec, ir);
  if (!proto) return { unsupported: 'no callback prototype' };
  const sym = spec.symbol;
  const MB = opts.maxBytes;

  // The callback's parameters, as the trampoline declares them.
  const used = new Set<string>();
  if (spec.result.k === 'value') resultNames(spec.result.value).forEach((n) => used.add(n));
  if (spec.result.k === 'object') spec.result.fields.forEach((f) => resultNames(f.value).forEach((n) => used.add(n)));
  if (spec.scope === 'stream' && spec.done) argNames(spec.done, used);
  const status = spec.errors.includes('callback-status') ? spec.status : null;
  if (status) used.add(status);
  const cbParams = new Map<string, CbParam>();
  const tParams: string[] = [];
  let userData = '';
  for (let i = 0; i < proto.params.length; i++) {
    const p = proto.params[i]!;
    const rt = items.paramType(p.type);
    if (typeof rt !== 'string') return { unsupported: `callback parameter ${i + 1}: ${rt.unsupported}` };
    const cname = p.name ?? `arg${i}`;
    let name = rustIdent(cname);
    if (i === spec.userDataIndex) {
      name = 'user_data';
      userData = name;
    } else if (!used.has(cname)) name = `_${plainName(name)}`;
    cbParams.set(cname, { name, rust: rt, pointer: rt.startsWith('*') });
    tParams.push(`${name}: ${rt}`);
  }
  if (proto.variadic) return { unsupported: 'variadic callback' };
  const cbRet = items.ret(proto.ret);
  if (typeof cbRet !== 'string') return cbRet;
  const cbRetValue = cbRet ? zeroValue(cbRet.slice(4)) : '';

  // Result type and expression.
  const valueOf = (v: ResultValue): { type: string; expr: string } => {
    if (v.k === 'arg') {
      const p = cbParams.get(v.name)!;
      return { type: p.rust, expr: p.name };
    }
    if (v.k === 'bytes') {
      const ptr = cbParams.get(v.ptr)!.name;
      const len = cbParams.get(v.len)!.name;
      return {
        type: `portabi_rt::Bytes<${MB}>`,
        expr: `// SAFETY: C passes \`${v.len}\` readable bytes at \`${v.ptr}\` for the duration of the callback.\nunsafe { portabi_rt::Bytes::<${MB}>::copy_from(${ptr} as *const u8, ${len} as usize) }`,
      };
    }
    const ptr = cbParams.get(v.ptr)!.name;
    return { type: `portabi_rt::Bytes<${MB}>`, expr: `// SAFETY: C passes a NUL-terminated string (or NULL).\nunsafe { portabi_rt::Bytes::<${MB}>::copy_c_str(${ptr} as *const u8) }` };
  };
  const out: string[] = [];
  let resultType: string;
  let resultExpr: string;
  const itemName = items.names.typeName(`${sym}_${spec.scope === 'once' ? 'result' : 'item'}`);
  if (spec.result.k === 'void') {
    resultType = '()';
    resultExpr = '()';
  } else if (spec.result.k === 'value') {
    const v = valueOf(spec.result.value);
    resultType = v.type;
    resultExpr = v.expr;
  } else {
    const fields = spec.result.fields.map((f) => ({ name: rustIdent(f.name), ...valueOf(f.value) }));
    const plainTypes = fields.every((f) => /^(\*(const|mut) |[iuf]\d|bool|usize|isize|portabi_rt::Bytes|core::option::Option)/.test(f.type));
    out.push(
      `/// What one callback of \`${sym}\` delivers.\n#[derive(Clone, Copy${plainTypes ? ', Debug, PartialEq' : ''})]\npub struct ${itemName} {\n${fields.map((f) => `    pub ${f.name}: ${f.type},`).join('\n')}\n}`,
    );
    resultType = itemName;
    resultExpr = `${itemName} {\n${fields.map((f) => (f.expr === f.name ? `    ${f.name},` : `    ${f.name}: ${asArg(f.expr).split('\n').join('\n    ')},`)).join('\n')}\n}`;
  }

  // Start call: wrapper parameters, stored fields, arguments.
  const wrapperParams: { name: string; rust: string }[] = [];
  const startArgs: string[] = [];
  const setup: string[] = [];
  const rec = siteRecord(fn, spec.callback, ir);
  const isStream = spec.scope === 'stream';
  const trampRef = isStream ? `${sym}__callback::<N>` : `${sym}__callback`;
  let ctxType = 'usize';
  for (let i = 0; i < fn.type.params.length; i++) {
    const p = fn.type.params[i]!;
    const pt = items.paramType(p.type);
    if (typeof pt !== 'string') return { unsupported: `parameter ${i + 1}: ${pt.unsupported}` };
    const pn = p.name ? rustIdent(p.name) : `arg${i}`;
    if (spec.callback.k === 'param' && p.name === spec.callback.param) {
      startArgs.push(spec.scope === 'call' ? `${SOME}(callback::<F>)` : `${SOME}(${trampRef})`);
      continue;
    }
    if (spec.context.k === 'param' && p.name === spec.context.param) {
      ctxType = pt;
      startArgs.push(spec.scope === 'call' ? `&mut f as *mut F as ${pt}` : `token as ${pt}`);
      continue;
    }
    if (rec && spec.callback.k === 'field' && p.name === spec.callback.param) {
      const s = stripTypedefs(p.type, ir);
      const recRust = items.record(rec.id);
      wrapperParams.push({ name: pn, rust: recRust });
      const self = spec.scope === 'call' ? pn : `self.${pn}`;
      if (spec.scope === 'call') setup.push(`let mut ${pn} = ${pn};`);
      setup.push(`${self}.${rustIdent(spec.callback.field)} = ${SOME}(${spec.scope === 'call' ? 'callback::<F>' : trampRef});`);
      if (spec.context.k === 'field') setup.push(`${self}.${rustIdent(spec.context.field)} = ${spec.scope === 'call' ? '&mut f as *mut F as _' : 'token as _'};`);
      startArgs.push(s.kind === 'pointer' ? (pt.startsWith('*const') ? `&${self}` : `&mut ${self}`) : self);
      continue;
    }
    wrapperParams.push({ name: pn, rust: pt });
    startArgs.push(spec.scope === 'call' ? pn : `self.${pn}`);
  }
  if (spec.callback.k === 'field' && !rec) return { unsupported: 'cannot find the struct of the callback field' };
  const startRet = items.ret(fn.type.ret);
  if (typeof startRet !== 'string') return startRet;
  const retRust = startRet ? startRet.slice(4) : '()';
  const retPtr = isPointer(fn.type.ret, ir);
  const checks: string[] = [];
  if (spec.errors.includes('neg-errno') && startRet && !retPtr) checks.push(`if ret < 0 {\n    return ${R}::Err(portabi_rt::Error::Errno((ret as i64).wrapping_neg() as i32));\n}`);
  if (spec.errors.includes('zero-fail') && startRet) checks.push(`if ${retPtr ? 'ret.is_null()' : 'ret == 0'} {\n    return ${R}::Err(portabi_rt::Error::Failed);\n}`);
  const call = `${rustIdent(fn.name)}(${startArgs.join(', ')})`;
  const safetyStart = `// SAFETY: the caller of the constructor promised valid arguments for \`${fn.name}\`; the callback is\n// our trampoline and the context its registry token.`;

  // The `call` scope: no future, the callback runs during the call.
  if (spec.scope === 'call') {
    const fparam = resultType === '()' ? 'FnMut()' : `FnMut(${resultType})`;
    const fcall = resultType === '()' ? 'f()' : `f(${asArg(resultExpr)})`;
    const body = [
      `unsafe extern "C" fn callback<F: ${fparam}>(${tParams.join(', ')})${cbRet} {`,
      `    // SAFETY: the context is the \`&mut F\` of the running call; C calls back only during the call.`,
      `    let f = unsafe { &mut *(${userData} as *mut F) };`,
      ...(status ? [`    if ${cbParams.get(status)!.name} != 0 {\n        return${cbRetValue ? ` ${cbRetValue}` : ''};\n    }`] : []),
      `    ${fcall.split('\n').join('\n    ')};`,
      ...(cbRetValue ? [`    ${cbRetValue}`] : []),
      `}`,
      `let mut f = f;`,
      ...setup,
      safetyStart.replace('registry token', 'closure'),
      `let ret = unsafe { ${call} };`,
      ...checks,
      `${R}::Ok(${startRet ? 'ret' : '()'})`,
    ];
    out.push(
      `/// \`call\` wrapper over [\`${fn.name}\`] (${fn.signature}): \`f\` gets every callback, on this thread, during the call.\n` +
        `///\n/// # Safety\n/// The arguments must be valid for \`${fn.name}\`, which must call back only before it returns.\n` +
        `pub unsafe fn ${sym}_each<F: ${fparam}>(${[...wrapperParams.map((w) => `${w.name}: ${w.rust}`), 'f: F'].join(', ')}) -> ${R}<${retRust}, portabi_rt::Error> {\n` +
        body.map((l) => '    ' + l.split('\n').join('\n    ')).join('\n') +
        '\n}',
    );
    return out;
  }

  // once / stream.
  let handleNeeded = false;
  let cancelBody: string | null = null;
  if (spec.cancel?.k === 'function') {
    const c = ir.functions[spec.cancel.symbol];
    if (!c) return { unsupported: `cancel function ${spec.cancel.symbol} is not declared` };
    const cargs: string[] = [];
    for (let i = 0; i < c.type.params.length; i++) {
      const a = spec.cancel.args[i];
      const cpt = items.paramType(c.type.params[i]!.type);
      if (typeof cpt !== 'string') return { unsupported: `${spec.cancel.symbol}: ${cpt.unsupported}` };
      if (!a) return { unsupported: `${spec.cancel.symbol} takes more arguments than cancel-args gives` };
      if (a.k === 'start-result') {
        handleNeeded = true;
        cargs.push('self.handle');
      } else if (a.k === 'context') cargs.push(`self.token as ${cpt}`);
      else if (a.k === 'null') cargs.push(zeroValue(cpt));
      else {
        const sp = fn.type.params.find((q) => q.name === a.param);
        const w = wrapperParams.find((x) => x.name === rustIdent(a.param));
        if (!sp || !w) return { unsupported: `cancel argument '${a.param}' is not a stored start argument` };
        cargs.push(`self.${w.name}`);
      }
    }
    cancelBody = `// SAFETY: the same handle / arguments the start call got.\nunsafe { ${rustIdent(c.name)}(${cargs.join(', ')}) };`;
  } else if (spec.cancel?.k === 'set-null') {
    const args = startArgs.map((a) => (a.startsWith(SOME) ? 'core::option::Option::None' : a.startsWith('token as') ? zeroValue(ctxType) : a));
    cancelBody = `// SAFETY: registering a NULL callback is how \`${fn.name}\` unregisters.\nunsafe { ${rustIdent(fn.name)}(${args.join(', ')}) };`;
  }
  if (handleNeeded && !startRet) return { unsupported: 'cancel needs the start result, which is void' };

  const typeName = items.names.typeName(`${sym}_${isStream ? 'stream' : 'future'}`);
  const ctorName = items.values.take(`${sym}_async`);
  const gen = isStream ? '<const N: usize>' : '';
  const genUse = isStream ? '<N>' : '';
  const stateType = isStream ? `portabi_rt::Queue<${resultType}, N>` : `portabi_rt::Once<${resultType}>`;
  const stateField = isStream ? 'q' : 'op';
  const fields = [
    `${stateField}: ${stateType},`,
    ...wrapperParams.map((w) => `${w.name}: ${w.rust},`),
    'phase: u8,',
    'token: usize,',
    ...(handleNeeded ? [`handle: ${retRust},`] : []),
    '_pin: core::marker::PhantomPinned,',
  ];
  let overflow = 'Error';
  if (isStream && spec.queue.overflow === 'drop-newest') overflow = 'DropNewest';
  if (isStream && spec.queue.overflow === 'drop-oldest') {
    overflow = 'DropNewest';
    problems.push(`${sym}: overflow drop-oldest is not available in Rust (the queue is lock-free single-producer); drop-newest is used`);
  }

  // Trampoline.
  const deliver: string[] = [];
  if (isStream) {
    deliver.push(`// SAFETY: the registry gives the pinned queue of a live \`${sym}\` stream of this N.`);
    deliver.push(`let q = unsafe { &*(state as *const portabi_rt::Queue<${resultType}, N>) };`);
    // A non-zero status is C's final callback: the stream fails and C owns nothing more.
    if (status) deliver.push(`if ${cbParams.get(status)!.name} != 0 {\n    q.fail_final(portabi_rt::Error::Errno((${cbParams.get(status)!.name} as i64).unsigned_abs() as i32));\n    return q.take_waker();\n}`);
    const end = spec.done ? `${rustArgExpr(spec.done, cbParams)} != 0` : null;
    if (end) deliver.push(`let end = ${end};`);
    const push = `q.push(${asArg(resultExpr)}, portabi_rt::Overflow::${overflow});`;
    if (end && spec.doneEvent === 'drop') deliver.push(`if !end {\n    ${push.split('\n').join('\n    ')}\n}`);
    else deliver.push(push);
    if (end) deliver.push('if end {\n    q.finish();\n}');
    // Woken by the registry after it let go of the slot.
    deliver.push('q.take_waker()');
  } else {
    deliver.push(`// SAFETY: the registry gives the pinned result slot of a live \`${sym}\` operation.`);
    deliver.push(`let op = unsafe { &*(state as *const portabi_rt::Once<${resultType}>) };`);
    if (status) deliver.push(`if ${cbParams.get(status)!.name} != 0 {\n    op.complete(${R}::Err(portabi_rt::Error::Errno((${cbParams.get(status)!.name} as i64).unsigned_abs() as i32)));\n    return op.take_waker();\n}`);
    deliver.push(`op.complete(${R}::Ok(${asArg(resultExpr)}));`);
    // Woken by the registry after it let go of the slot.
    deliver.push('op.take_waker()');
  }
  const runsOn =
    spec.runsOn === 'isr'
      ? 'C calls it from an interrupt handler: it only stores into the pinned state and wakes (the waker must be safe to wake there).'
      : spec.runsOn === 'caller'
        ? 'C calls it on the calling thread; it only stores and wakes.'
        : 'C calls it from its own thread; it only stores into the pinned state and wakes.';
  out.push(
    `/// The C callback of \`${sym}\`. ${runsOn} A token of a finished or dropped operation is ignored.\n` +
      `unsafe extern "C" fn ${sym}__callback${gen}(${tParams.join(', ')})${cbRet} {\n` +
      `    PORTABI_REGISTRY.deliver(${userData} as usize, |state| {\n${deliver.map((l) => '        ' + l.split('\n').join('\n        ')).join('\n')}\n    });\n` +
      (cbRetValue ? `    ${cbRetValue.split('\n').join('\n    ')}\n` : '') +
      '}',
  );

  const cancelDoc = spec.cancel?.k === 'function' ? `\`${spec.cancel.symbol}\`` : spec.cancel?.k === 'set-null' ? `\`${fn.name}(NULL, …)\`` : 'nothing (no cancel function: C runs to completion; its callback is then ignored)';
  const kindDoc = isStream
    ? `\`stream\` over [\`${fn.name}\`]: \`poll_next\` yields each callback's event${spec.done ? ` until \`done\`` : ''}; N events are queued inline (overflow: ${overflow === 'Error' ? 'the stream ends with `Error::Overflow` and C is stopped' : 'the new event is dropped'}).`
    : `\`once\` over [\`${fn.name}\`]: resolves with the first callback's result.`;
  out.push(
    `/// ${kindDoc}\n///\n` +
      `/// C: \`${fn.signature}\`. Errors: ${spec.errors.join(', ') || 'none'}. Dropping it before the end calls ${cancelDoc}.\n` +
      `/// The state lives inside this value, which C reaches through a registry token once it is\n` +
      `/// polled (pinned): no heap allocation.\n` +
      `pub struct ${typeName}${isStream ? `<const N: usize = ${spec.queue.capacity}>` : ''} {\n${fields.map((f) => '    ' + f).join('\n')}\n}`,
  );
  const ctorArgs = wrapperParams.map((w) => `${w.name}: ${w.rust}`).join(', ');
  const initLines = [
    `${stateField}: ${isStream ? 'portabi_rt::Queue::new()' : 'portabi_rt::Once::new()'},`,
    ...wrapperParams.map((w) => `${w.name},`),
    'phase: 0,',
    'token: 0,',
    ...(handleNeeded ? [`handle: ${asArg(zeroValue(retRust))},`] : []),
    '_pin: core::marker::PhantomPinned,',
  ];
  /** The struct literal, for a body indented by `n` spaces. */
  const init = (n: number): string => `${typeName} {\n${initLines.map((l) => ' '.repeat(n + 4) + l.split('\n').join('\n' + ' '.repeat(n + 4))).join('\n')}\n${' '.repeat(n)}}`;
  const safety = `/// # Safety\n/// The arguments must be valid for \`${fn.name}\` (and its cancel function) for as long as the\n/// operation runs: until it completes or is dropped.`;
  const startBody = [
    ...setup,
    safetyStart,
    `${startRet && (checks.length || handleNeeded) ? 'let ret = ' : ''}unsafe { ${call} };`,
    ...checks,
    ...(handleNeeded ? ['self.handle = ret;'] : []),
    `${R}::Ok(())`,
  ];
  const implHead = `impl${gen} ${typeName}${genUse}`;
  const startFn =
    `    fn start(&mut self, token: usize) -> ${R}<(), portabi_rt::Error> {\n${startBody.map((l) => '        ' + l.split('\n').join('\n        ')).join('\n')}\n    }\n` +
    `    fn cancel(&mut self) {\n${cancelBody ? '        ' + cancelBody.split('\n').join('\n        ') : '        // no cancel function'}\n    }\n` +
    `    /// Takes a registry slot and starts C: once, from the first poll (the state is pinned by then).\n` +
    `    fn begin(&mut self) -> ${R}<(), portabi_rt::Error> {\n` +
    `        let state = &self.${stateField} as *const ${stateType} as *const ();\n` +
    `        let token = match PORTABI_REGISTRY.acquire(state) {\n            core::option::Option::Some(t) => t,\n            core::option::Option::None => return ${R}::Err(portabi_rt::Error::NoSlot),\n        };\n` +
    `        self.token = token;\n        if let ${R}::Err(e) = self.start(token) {\n            PORTABI_REGISTRY.release(token);\n            return ${R}::Err(e);\n        }\n        self.phase = 1;\n        ${R}::Ok(())\n    }`;
  if (isStream) {
    out.push(
      `${implHead} {\n` +
        `    /// Creates the stream; C starts on the first \`poll_next\`.\n    ///\n    ${safety.split('\n').join('\n    ')}\n` +
        `    pub unsafe fn new(${ctorArgs}) -> Self {\n        ${init(8)}\n    }\n` +
        startFn +
        `\n    /// The next event: \`Some(Ok(item))\`, \`Some(Err(e))\` once on failure, then \`None\` for good.\n` +
        `    pub fn poll_next(self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> ${P}<core::option::Option<${R}<${resultType}, portabi_rt::Error>>> {\n` +
        `        // SAFETY: nothing is moved out of the pinned value; the queue stays where C's token points.\n` +
        `        let this = unsafe { self.get_unchecked_mut() };\n` +
        `        if this.phase == 0 {\n            if let ${R}::Err(e) = this.begin() {\n                this.phase = 2;\n                return ${P}::Ready(${SOME}(${R}::Err(e)));\n            }\n        }\n` +
        `        if this.phase == 2 {\n            return ${P}::Ready(core::option::Option::None);\n        }\n` +
        `        match this.q.poll_next(cx) {\n` +
        `            ${P}::Ready(core::option::Option::None) => {\n                PORTABI_REGISTRY.release(this.token);\n                this.phase = 2;\n                ${P}::Ready(core::option::Option::None)\n            }\n` +
        `            ${P}::Ready(${SOME}(${R}::Err(e))) => {\n                // An overflow leaves C running: stop it first (not after its final callback).\n                if !this.q.c_finished() {\n                    this.cancel();\n                }\n                PORTABI_REGISTRY.release(this.token);\n                this.phase = 2;\n                ${P}::Ready(${SOME}(${R}::Err(e)))\n            }\n` +
        `            other => other,\n        }\n    }\n` +
        `    /// Events dropped because the queue was full (overflow: drop-newest).\n    pub fn dropped(&self) -> usize {\n        self.q.dropped()\n    }\n}`,
    );
    out.push(
      `/// Creates a [\`${typeName}\`] with the default queue of ${spec.queue.capacity} events.\n///\n${safety}\n` +
        `pub unsafe fn ${ctorName}(${ctorArgs}) -> ${typeName} {\n    // SAFETY: forwarded to the caller.\n    unsafe { ${typeName}::new(${wrapperParams.map((w) => w.name).join(', ')}) }\n}`,
    );
    out.push(
      `${implHead.replace('impl', 'impl')} portabi_rt::PollNext for ${typeName}${genUse} {\n    type Item = ${R}<${resultType}, portabi_rt::Error>;\n    fn poll_next(self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> ${P}<core::option::Option<Self::Item>> {\n        ${typeName}::poll_next(self, cx)\n    }\n}`.replace(
        `${implHead} portabi_rt::PollNext for ${typeName}${genUse}`,
        `impl${gen} portabi_rt::PollNext for ${typeName}${genUse}`,
      ),
    );
    out.push(
      `#[cfg(feature = "futures-core")]\nimpl${gen} futures_core::Stream for ${typeName}${genUse} {\n    type Item = ${R}<${resultType}, portabi_rt::Error>;\n    fn poll_next(self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> ${P}<core::option::Option<Self::Item>> {\n        ${typeName}::poll_next(self, cx)\n    }\n}`,
    );
    out.push(
      `impl${gen} core::ops::Drop for ${typeName}${genUse} {\n    /// Stops C (unless it made its final callback), then frees the slot: no callback reaches\n    /// this state afterwards.\n    fn drop(&mut self) {\n        if self.phase == 1 {\n            if !self.q.c_finished() {\n                self.cancel();\n            }\n            PORTABI_REGISTRY.release(self.token);\n        }\n    }\n}`,
    );
  } else {
    out.push(
      `${implHead} {\n` + startFn + `\n}`,
    );
    out.push(
      `/// Creates the operation; C starts on the first poll.\n///\n${safety}\n` + `pub unsafe fn ${ctorName}(${ctorArgs}) -> ${typeName} {\n    ${init(4)}\n}`,
    );
    out.push(
      `impl core::future::Future for ${typeName} {\n    type Output = ${R}<${resultType}, portabi_rt::Error>;\n` +
        `    fn poll(self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<'_>) -> ${P}<Self::Output> {\n` +
        `        // SAFETY: nothing is moved out of the pinned future; the result slot stays where C's token points.\n` +
        `        let this = unsafe { self.get_unchecked_mut() };\n` +
        `        if this.phase == 0 {\n            if let ${R}::Err(e) = this.begin() {\n                this.phase = 2;\n                return ${P}::Ready(${R}::Err(e));\n            }\n        }\n` +
        `        assert!(this.phase == 1, "${typeName} polled after completion");\n` +
        `        match this.op.poll(cx) {\n            ${P}::Ready(r) => {\n                PORTABI_REGISTRY.release(this.token);\n                this.phase = 2;\n                ${P}::Ready(r)\n            }\n            ${P}::Pending => ${P}::Pending,\n        }\n    }\n}`,
    );
    out.push(
      `impl core::ops::Drop for ${typeName} {\n    /// A pending operation: cancel C first, then free the slot (waiting out a callback in\n    /// progress); a later callback finds a stale token and is ignored.\n    fn drop(&mut self) {\n        if self.phase == 1 {\n            if !self.op.is_settled() {\n                self.cancel();\n            }\n            PORTABI_REGISTRY.release(self.token);\n        }\n    }\n}`,
    );
  }
  return out;
}
