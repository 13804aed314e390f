// The async runtime of `portabi gen rust`, copied verbatim into every generated module as
// `pub mod portabi_rt`. core only: no heap, no std, no crates. Everything below the marker is
// emitted; this file is also compiled on its own by the tests.
// @portabi-runtime-begin
//! The runtime of the generated async wrappers: core only, no heap allocation.
//!
//! # Safety invariants
//!
//! * The state of an operation (its result slot or bounded queue, and its waker) lives inside
//!   the pinned future or stream. It is never moved after the operation started: the wrapper
//!   types are `!Unpin` and start C only from `poll`, through `Pin<&mut Self>`.
//! * The C `void *` context is a token of a [`Registry`] slot, not a raw address: the slot
//!   (static storage, never freed) points back to the pinned state. A token carries a
//!   generation, so a callback that arrives after its operation was dropped, or after the slot
//!   was reused by another operation, finds a different generation and is ignored without
//!   touching freed memory (counted in [`Stats::ignored`]).
//! * Drop of a pending operation first calls the C cancel function, then releases the slot.
//!   Releasing waits (spins) while a callback of this very operation is between its check and
//!   its last store (a few instructions): after `drop` returns, C can no longer reach the state.
//!   Do not drop an operation from a context that preempts its own callback (an interrupt
//!   handler of higher priority than the callback's).
//! * A callback only stores and wakes: it never blocks, allocates, locks or calls back into C.
//!   That is what makes it usable from an interrupt handler (`runs-on: isr`); the waker given
//!   to `poll` must then be safe to wake from that interrupt. It takes the waker out while it
//!   holds the slot and wakes it only after letting go of the slot, so an executor may poll
//!   the operation inside `wake` (complete it and drop it there) without waiting on itself.
//! * The C cancel function is called only while C still owns the operation: started and its
//!   final callback (a `once` result, a stream's `done`, or a non-zero callback status) not
//!   made yet. C APIs free an operation's handle with its final callback.
//! * One callback at a time per operation (C's usual contract). A stream's queue is
//!   single-producer (C) single-consumer (`poll_next`).
//! * A generation wraps after 2^(usize bits - index bits) reuses of one slot: a callback that
//!   is late by that many operations on the same slot would be mistaken for a current one.

use core::cell::UnsafeCell;
use core::future::Future;
use core::mem::MaybeUninit;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering};
use core::task::{Context, Poll, Waker};

/// Why an asynchronous operation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// A positive errno: the start function returned `-errno`, or a callback status was
    /// non-zero (`errors: neg-errno | callback-status`).
    Errno(i32),
    /// The start function returned 0 or NULL (`errors: zero-fail`).
    Failed,
    /// A stream's bounded queue was full (`overflow: error`); C was stopped.
    Overflow,
    /// Every slot of the operation registry is in use (raise `max-ops` in portabi.yaml).
    NoSlot,
}

/// Counters of a [`Registry`], for tests and diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Operations that hold a slot now.
    pub live: usize,
    /// Callbacks that arrived for an operation that no longer exists, and were ignored.
    pub ignored: usize,
}

// ---- waker slot ---------------------------------------------------------------------------

const WAITING: u8 = 0;
const REGISTERING: u8 = 1;
const WAKING: u8 = 2;

/// One waker, registered by the poller and taken by the callback, lock-free.
pub struct AtomicWaker {
    state: AtomicU8,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: `waker` is only touched by the side that owns the state word (REGISTERING or WAKING).
unsafe impl Sync for AtomicWaker {}
unsafe impl Send for AtomicWaker {}

impl AtomicWaker {
    pub const fn new() -> Self {
        AtomicWaker { state: AtomicU8::new(WAITING), waker: UnsafeCell::new(None) }
    }

    /// Poller side: the waker to wake on the next event.
    pub fn register(&self, w: &Waker) {
        match self.state.compare_exchange(WAITING, REGISTERING, Ordering::Acquire, Ordering::Acquire) {
            Ok(_) => {
                // SAFETY: REGISTERING gives this side the waker cell.
                unsafe {
                    let slot = &mut *self.waker.get();
                    match slot {
                        Some(old) if old.will_wake(w) => {}
                        _ => *slot = Some(w.clone()),
                    }
                }
                if self.state.compare_exchange(REGISTERING, WAITING, Ordering::AcqRel, Ordering::Acquire).is_err() {
                    // A wake came in meanwhile (REGISTERING | WAKING): deliver it now.
                    // SAFETY: the waking side leaves the cell to us while REGISTERING is set.
                    let w = unsafe { (*self.waker.get()).take() };
                    self.state.swap(WAITING, Ordering::AcqRel);
                    if let Some(w) = w {
                        w.wake();
                    }
                }
            }
            Err(WAKING) => w.wake_by_ref(),
            Err(_) => {}
        }
    }

    /// Callback side: takes the registered waker, if any, for the caller to wake (a wake
    /// racing a `register` is left to the registering side, which then wakes itself). Never
    /// blocks.
    pub fn take(&self) -> Option<Waker> {
        if let WAITING = self.state.fetch_or(WAKING, Ordering::AcqRel) {
            // SAFETY: WAKING gives this side the waker cell.
            let w = unsafe { (*self.waker.get()).take() };
            self.state.fetch_and(!WAKING, Ordering::Release);
            return w;
        }
        None
    }

    /// Callback side: wake the registered waker, if any. Never blocks.
    pub fn wake(&self) {
        if let Some(w) = self.take() {
            w.wake();
        }
    }
}

impl Default for AtomicWaker {
    fn default() -> Self {
        Self::new()
    }
}

// ---- registry: tokens for the C context ----------------------------------------------------

const LIVE: usize = 1;
const BUSY: usize = 2;

/// One registry slot: `state` = generation << 2 | BUSY | LIVE, `ptr` = the pinned state.
pub struct Slot {
    state: AtomicUsize,
    ptr: AtomicPtr<()>,
}

impl Slot {
    pub const fn new() -> Self {
        Slot { state: AtomicUsize::new(0), ptr: AtomicPtr::new(core::ptr::null_mut()) }
    }
}

impl Default for Slot {
    fn default() -> Self {
        Self::new()
    }
}

/// A fixed table of operation slots in static storage. A token (what C gets as its context)
/// is `generation << index_bits | index`, never 0.
pub struct Registry<const N: usize> {
    slots: [Slot; N],
    live: AtomicUsize,
    ignored: AtomicUsize,
}

impl<const N: usize> Registry<N> {
    pub const fn new() -> Self {
        Registry { slots: [const { Slot::new() }; N], live: AtomicUsize::new(0), ignored: AtomicUsize::new(0) }
    }

    const fn index_bits() -> u32 {
        let b = usize::BITS - (if N <= 1 { 0 } else { N - 1 }).leading_zeros();
        if b < 2 { 2 } else { b }
    }

    const fn gen_mask() -> usize {
        usize::MAX >> Self::index_bits()
    }

    /// Takes a free slot pointing at `state`; None when all are in use.
    pub fn acquire(&self, state: *const ()) -> Option<usize> {
        for (i, slot) in self.slots.iter().enumerate() {
            let s = slot.state.load(Ordering::Relaxed);
            if s & (LIVE | BUSY) != 0 {
                continue;
            }
            let mut gen = ((s >> 2) + 1) & Self::gen_mask();
            if gen == 0 {
                gen = 1;
            }
            if slot.state.compare_exchange(s, gen << 2 | LIVE | BUSY, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                slot.ptr.store(state as *mut (), Ordering::Relaxed);
                slot.state.fetch_and(!BUSY, Ordering::Release);
                self.live.fetch_add(1, Ordering::Relaxed);
                return Some(gen << Self::index_bits() | i);
            }
        }
        None
    }

    /// Callback side: runs `f` with the state of the token's operation, or ignores a stale
    /// token; then wakes the waker `f` took out, after the slot is let go (the woken side may
    /// poll, complete and drop the operation right inside `wake`, releasing this slot). Never
    /// blocks on the poller; waits only for another callback of the same token.
    pub fn deliver(&self, token: usize, f: impl FnOnce(*const ()) -> Option<Waker>) -> bool {
        let index = token & ((1usize << Self::index_bits()) - 1);
        let gen = token >> Self::index_bits();
        let Some(slot) = self.slots.get(index) else {
            self.ignored.fetch_add(1, Ordering::Relaxed);
            return false;
        };
        loop {
            let s = slot.state.load(Ordering::Acquire);
            if s >> 2 != gen || s & LIVE == 0 {
                self.ignored.fetch_add(1, Ordering::Relaxed);
                return false;
            }
            if s & BUSY != 0 {
                core::hint::spin_loop();
                continue;
            }
            if slot.state.compare_exchange(s, s | BUSY, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                break;
            }
        }
        let waker = f(slot.ptr.load(Ordering::Relaxed) as *const ());
        slot.state.fetch_and(!BUSY, Ordering::Release);
        // The state may be gone from here on: only the owned waker is used.
        if let Some(w) = waker {
            w.wake();
        }
        true
    }

    /// Poller side: frees the token's slot. After this returns, no callback can reach the
    /// state (one in progress is waited for; later ones are ignored).
    pub fn release(&self, token: usize) {
        let index = token & ((1usize << Self::index_bits()) - 1);
        let gen = token >> Self::index_bits();
        let Some(slot) = self.slots.get(index) else { return };
        loop {
            let s = slot.state.load(Ordering::Acquire);
            if s >> 2 != gen || s & LIVE == 0 {
                return;
            }
            if s & BUSY != 0 {
                core::hint::spin_loop();
                continue;
            }
            if slot.state.compare_exchange(s, gen << 2, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
                self.live.fetch_sub(1, Ordering::Relaxed);
                return;
            }
        }
    }

    pub fn stats(&self) -> Stats {
        Stats { live: self.live.load(Ordering::Relaxed), ignored: self.ignored.load(Ordering::Relaxed) }
    }
}

impl<const N: usize> Default for Registry<N> {
    fn default() -> Self {
        Self::new()
    }
}

// ---- once: one result slot ------------------------------------------------------------------

const EMPTY: u8 = 0;
const WRITING: u8 = 1;
const READY: u8 = 2;
const TAKEN: u8 = 3;

/// The result slot and waker of a `once` operation.
pub struct Once<T: Copy> {
    waker: AtomicWaker,
    state: AtomicU8,
    value: UnsafeCell<MaybeUninit<Result<T, Error>>>,
}

// SAFETY: `value` is written once by the side that moved `state` EMPTY → WRITING, and read
// by the poller only after it observed READY (Release/Acquire).
unsafe impl<T: Copy + Send> Sync for Once<T> {}

impl<T: Copy> Once<T> {
    pub const fn new() -> Self {
        Once { waker: AtomicWaker::new(), state: AtomicU8::new(EMPTY), value: UnsafeCell::new(MaybeUninit::uninit()) }
    }

    /// Callback side: store the result (wake [`Once::take_waker`] afterwards). The first
    /// completion wins; later ones are ignored (false).
    pub fn complete(&self, v: Result<T, Error>) -> bool {
        if self.state.compare_exchange(EMPTY, WRITING, Ordering::Acquire, Ordering::Relaxed).is_err() {
            return false;
        }
        // SAFETY: WRITING gives this side the value cell.
        unsafe { (*self.value.get()).write(v) };
        self.state.store(READY, Ordering::Release);
        true
    }

    /// Callback side: the poller's waker, to wake once the callback let go of the state.
    pub fn take_waker(&self) -> Option<Waker> {
        self.waker.take()
    }

    /// Whether a callback completed (or is completing) the operation: C made its one callback.
    pub fn is_settled(&self) -> bool {
        self.state.load(Ordering::Acquire) != EMPTY
    }

    pub fn poll(&self, cx: &mut Context<'_>) -> Poll<Result<T, Error>> {
        self.waker.register(cx.waker());
        if self.state.compare_exchange(READY, TAKEN, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            // SAFETY: READY was stored after the value was written.
            return Poll::Ready(unsafe { (*self.value.get()).assume_init() });
        }
        Poll::Pending
    }
}

impl<T: Copy> Default for Once<T> {
    fn default() -> Self {
        Self::new()
    }
}

// ---- stream: a bounded single-producer single-consumer queue --------------------------------

/// What a stream does when its queue is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// End the stream with [`Error::Overflow`] after the queued events; C is stopped.
    Error,
    /// Drop the new event (counted by [`Queue::dropped`]).
    DropNewest,
}

const OPEN: u8 = 0;
const FINISHED: u8 = 1;
const FAILED: u8 = 2;
const FAILING: u8 = 3;
const CLOSED: u8 = 4;

/// What a push did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Push {
    Queued,
    Dropped,
    Overflowed,
    Closed,
}

/// The bounded event queue and waker of a `stream` operation, N events inline.
pub struct Queue<T: Copy, const N: usize> {
    waker: AtomicWaker,
    head: AtomicUsize,
    tail: AtomicUsize,
    end: AtomicU8,
    error: UnsafeCell<Error>,
    dropped: AtomicUsize,
    /// C made its final callback (even one that found the stream already failed).
    c_done: AtomicBool,
    buf: [UnsafeCell<MaybeUninit<T>>; N],
}

// SAFETY: slot `tail % N` belongs to the producer until `tail` is published (Release); slot
// `head % N` belongs to the consumer until `head` is published. `error` is written before
// `end` becomes FAILED (Release).
unsafe impl<T: Copy + Send, const N: usize> Sync for Queue<T, N> {}

impl<T: Copy, const N: usize> Queue<T, N> {
    pub const fn new() -> Self {
        assert!(N > 0, "a stream queue needs room for one event");
        Queue {
            waker: AtomicWaker::new(),
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
            end: AtomicU8::new(OPEN),
            error: UnsafeCell::new(Error::Failed),
            dropped: AtomicUsize::new(0),
            c_done: AtomicBool::new(false),
            buf: [const { UnsafeCell::new(MaybeUninit::uninit()) }; N],
        }
    }

    /// Producer (callback) side. Stores only (wake [`Queue::take_waker`] afterwards).
    pub fn push(&self, v: T, policy: Overflow) -> Push {
        if self.end.load(Ordering::Acquire) != OPEN {
            return Push::Closed;
        }
        let t = self.tail.load(Ordering::Relaxed);
        let h = self.head.load(Ordering::Acquire);
        if t.wrapping_sub(h) >= N {
            return match policy {
                Overflow::Error => {
                    self.fail(Error::Overflow);
                    Push::Overflowed
                }
                Overflow::DropNewest => {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                    Push::Dropped
                }
            };
        }
        // SAFETY: the slot at `t` is not visible to the consumer until `tail` moves past it.
        unsafe { (*self.buf[t % N].get()).write(v) };
        self.tail.store(t.wrapping_add(1), Ordering::Release);
        Push::Queued
    }

    /// Producer side: C's final callback; the stream ends normally after the queued events
    /// (unless it failed already).
    pub fn finish(&self) {
        self.c_done.store(true, Ordering::Release);
        let _ = self.end.compare_exchange(OPEN, FINISHED, Ordering::Release, Ordering::Relaxed);
    }

    /// Producer side: the stream ends with `e` after the queued events; C goes on (overflow).
    pub fn fail(&self, e: Error) {
        if self.end.compare_exchange(OPEN, FAILING, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            // SAFETY: FAILING gives this side the error cell.
            unsafe { *self.error.get() = e };
            self.end.store(FAILED, Ordering::Release);
        }
    }

    /// Producer side: C's final callback reported `e` (a non-zero status): C has finished.
    pub fn fail_final(&self, e: Error) {
        self.c_done.store(true, Ordering::Release);
        self.fail(e);
    }

    /// Producer side: the consumer's waker, to wake once the callback let go of the queue.
    pub fn take_waker(&self) -> Option<Waker> {
        self.waker.take()
    }

    /// Whether C made its final callback: it no longer owns the operation (nothing to cancel).
    pub fn c_finished(&self) -> bool {
        self.c_done.load(Ordering::Acquire)
    }

    /// Events dropped by `Overflow::DropNewest`.
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Consumer side.
    pub fn poll_next(&self, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        self.waker.register(cx.waker());
        // `end` before `tail`: a producer publishes its last event before it ends the stream.
        let end = self.end.load(Ordering::Acquire);
        let h = self.head.load(Ordering::Relaxed);
        let t = self.tail.load(Ordering::Acquire);
        if h != t {
            // SAFETY: `tail` was published after the slot at `h` was written.
            let v = unsafe { (*self.buf[h % N].get()).assume_init() };
            self.head.store(h.wrapping_add(1), Ordering::Release);
            return Poll::Ready(Some(Ok(v)));
        }
        match end {
            FINISHED | CLOSED => Poll::Ready(None),
            FAILED => {
                self.end.store(CLOSED, Ordering::Release);
                // SAFETY: FAILED was stored after the error.
                Poll::Ready(Some(Err(unsafe { *self.error.get() })))
            }
            _ => Poll::Pending,
        }
    }
}

impl<T: Copy, const N: usize> Default for Queue<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

// ---- bytes copied out of a callback ----------------------------------------------------------

/// Bytes (or a C string) copied out of a callback argument into N inline bytes.
#[derive(Clone, Copy)]
pub struct Bytes<const N: usize> {
    len: usize,
    total: usize,
    buf: [u8; N],
}

impl<const N: usize> Bytes<N> {
    pub const fn new() -> Self {
        Bytes { len: 0, total: 0, buf: [0; N] }
    }

    /// Copies `len` bytes at `ptr` (at most N).
    ///
    /// # Safety
    /// `ptr` must be valid for reads of `len` bytes (or null).
    pub unsafe fn copy_from(ptr: *const u8, len: usize) -> Self {
        let mut b = Self::new();
        b.total = len;
        if !ptr.is_null() {
            b.len = if len < N { len } else { N };
            // SAFETY: the caller guarantees `len` readable bytes; we read at most that many.
            unsafe { core::ptr::copy_nonoverlapping(ptr, b.buf.as_mut_ptr(), b.len) };
        }
        b
    }

    /// Copies a NUL-terminated C string (at most N bytes, without the NUL).
    ///
    /// # Safety
    /// `ptr` must be null or point to a NUL-terminated string.
    pub unsafe fn copy_c_str(ptr: *const u8) -> Self {
        let mut b = Self::new();
        if ptr.is_null() {
            return b;
        }
        let mut n = 0;
        // SAFETY: the caller guarantees a NUL-terminated string; we stop at the NUL.
        while unsafe { *ptr.add(n) } != 0 {
            if n < N {
                b.buf[n] = unsafe { *ptr.add(n) };
            }
            n += 1;
        }
        b.total = n;
        b.len = if n < N { n } else { N };
        b
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// The UTF-8 text of a copied string, if it is valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(self.as_slice()).ok()
    }

    /// How many bytes C passed (more than `as_slice().len()` when truncated).
    pub fn original_len(&self) -> usize {
        self.total
    }

    pub fn is_truncated(&self) -> bool {
        self.total > self.len
    }
}

impl<const N: usize> Default for Bytes<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> PartialEq for Bytes<N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice() && self.total == other.total
    }
}

impl<const N: usize> core::fmt::Debug for Bytes<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Bytes").field("bytes", &self.as_slice()).field("original_len", &self.total).finish()
    }
}

// ---- streams: next() ------------------------------------------------------------------------

/// What the generated stream types implement; `next()` gives a future of the next event.
pub trait PollNext {
    type Item;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>>;
}

/// The future of [`next`].
pub struct Next<'a, S: PollNext + ?Sized> {
    stream: Pin<&'a mut S>,
}

impl<S: PollNext + ?Sized> Future for Next<'_, S> {
    type Output = Option<S::Item>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.stream.as_mut().poll_next(cx)
    }
}

/// The next event of a pinned stream.
pub fn next<S: PollNext + ?Sized>(stream: Pin<&mut S>) -> Next<'_, S> {
    Next { stream }
}

// ---- bit-fields -----------------------------------------------------------------------------

/// Reads `width` bits at bit `bit` of little-endian storage bytes.
pub const fn bits_get_le(bytes: &[u8], bit: usize, width: usize) -> u64 {
    let mut v: u128 = 0;
    let first = bit / 8;
    let last = (bit + width + 7) / 8;
    let mut i = last;
    while i > first {
        i -= 1;
        v = v << 8 | bytes[i] as u128;
    }
    v >>= bit % 8;
    (v & ((1u128 << width) - 1)) as u64
}

/// Writes `width` bits at bit `bit` of little-endian storage bytes.
pub fn bits_set_le(bytes: &mut [u8], bit: usize, width: usize, value: u64) {
    let mask: u128 = ((1u128 << width) - 1) << (bit % 8);
    let val: u128 = ((value as u128) << (bit % 8)) & mask;
    let first = bit / 8;
    let last = (bit + width + 7) / 8;
    let mut i = first;
    while i < last {
        let sh = (i - first) * 8;
        let m = (mask >> sh) as u8;
        bytes[i] = (bytes[i] & !m) | ((val >> sh) as u8 & m);
        i += 1;
    }
}

/// Reads `width` bits at bit `bit` of big-endian storage bytes (bit 0 = MSB of byte 0).
pub const fn bits_get_be(bytes: &[u8], bit: usize, width: usize) -> u64 {
    let mut v: u128 = 0;
    let first = bit / 8;
    let last = (bit + width + 7) / 8;
    let mut i = first;
    while i < last {
        v = v << 8 | bytes[i] as u128;
        i += 1;
    }
    let shift = (last * 8) - (bit + width);
    ((v >> shift) & ((1u128 << width) - 1)) as u64
}

/// Writes `width` bits at bit `bit` of big-endian storage bytes (bit 0 = MSB of byte 0).
pub fn bits_set_be(bytes: &mut [u8], bit: usize, width: usize, value: u64) {
    let first = bit / 8;
    let last = (bit + width + 7) / 8;
    let shift = (last * 8) - (bit + width);
    let mask: u128 = ((1u128 << width) - 1) << shift;
    let val: u128 = ((value as u128) << shift) & mask;
    let mut i = first;
    while i < last {
        let sh = (last - 1 - i) * 8;
        let m = (mask >> sh) as u8;
        bytes[i] = (bytes[i] & !m) | ((val >> sh) as u8 & m);
        i += 1;
    }
}

/// Sign-extends the low `width` bits of `v`.
pub const fn sign_extend(v: u64, width: usize) -> i64 {
    let sh = 64 - width as u32;
    ((v << sh) as i64) >> sh
}
