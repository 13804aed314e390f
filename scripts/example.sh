#!/usr/bin/env bash
# The README's first Quick start command: portabi's main job on the bundled example.
#   1. import what the Rust libc crate assumes for arm-unknown-linux-gnueabihf (Debian's
#      librust-libc-dev, or LIBC_CRATE=<a libc crate checkout>) as a profile;
#   2. check the NuttX-like headers (stm32 defconfig, Cortex-M4) against it: every seeded
#      difference, at its header line (examples/nuttx-like/README.md lists them);
#   3. the config matrix: a binding written against the `sim` configuration, checked under every
#      defconfig, shows which one changes the mutex initializer.
# Works on a fresh clone: installs npm dependencies, builds, and apt-installs the crate when needed. Exit 0 when the
# check found what it should (its own exit code is 1 when there are findings).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund >/dev/null; fi
if [ ! -f dist/cli.js ] || [ -n "$(find src -newer dist/cli.js -name '*.ts' -print -quit)" ]; then
  npm run --silent build
fi

find_crate() { ls -d /usr/share/cargo/registry/libc-0.2.* 2>/dev/null | sort -V | tail -n 1; }
if [ -z "${LIBC_CRATE:-}" ] && [ -z "$(find_crate)" ] && command -v apt-get >/dev/null; then
  echo "installing Debian's librust-libc-dev (the Rust libc crate's source) ..." >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends librust-libc-dev >&2 || true
fi
crate="${LIBC_CRATE:-$(find_crate)}"
if [ -z "$crate" ] || [ ! -f "$crate/src/lib.rs" ]; then
  echo "npm run example needs the source of the Rust libc crate:" >&2
  echo "  sudo apt-get install librust-libc-dev    # Debian: /usr/share/cargo/registry/libc-0.2.*" >&2
  echo "or point LIBC_CRATE at a checkout of https://github.com/rust-lang/libc" >&2
  exit 2
fi

ex=examples/nuttx-like
headers=("$ex/include/errno.h" "$ex/include/fcntl.h" "$ex/include/pthread.h" "$ex/include/semaphore.h"
  "$ex/include/time.h" "$ex/include/sys/ioctl.h" "$ex/include/sys/socket.h" "$ex/include/sys/types.h")
work="${TMPDIR:-/tmp}/portabi-example"
mkdir -p "$work"
profile="$work/rust-libc-arm-unknown-linux-gnueabihf.yaml"

run() {
  printf '\n$ %s\n' "$*"
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -ge 2 ]; then exit "$rc"; fi
}

run node bin/portabi.js profile from-rust-libc "$crate" -t arm-unknown-linux-gnueabihf -o "$profile" --stats
run node bin/portabi.js check "${headers[@]}" -I "$ex/include" --config "$ex/configs/stm32.config" \
  --target thumbv7em-none-eabi --profile "$profile" --scope headers
run node bin/portabi.js profile extract "$ex/include/pthread.h" "$ex/include/sys/socket.h" -I "$ex/include" \
  --config "$ex/configs/sim.config" --target thumbv7em-none-eabi --name nuttx-sim -o "$work/nuttx-sim.yaml"
run node bin/portabi.js check "$ex/include/pthread.h" "$ex/include/sys/socket.h" -I "$ex/include" \
  --target thumbv7em-none-eabi --profile "$work/nuttx-sim.yaml" --config-matrix "$ex/configs"
exit 0
