#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with Node 20: installs the reference
# compilers and real headers the differential tests compare against (Debian packages,
# never vendored), the npm dependencies, builds, type-checks and runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the differential tests need: reference compilers and real libc headers.
packages=(
  clang-19 llvm-19
  gcc-arm-none-eabi libnewlib-arm-none-eabi picolibc-arm-none-eabi
  musl-dev libc6-dev-armhf-cross
  librust-libc-dev bindgen libclang-15-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Rust generator's tests compile with rustc >= 1.77 (offset_of!, c"" literals): rustup's
# toolchain, or Debian's when it is new enough. Debian 12's rustc (1.63) is too old.
rustc_bin=$(command -v rustc || echo "$HOME/.cargo/bin/rustc")
if ! "$rustc_bin" --version 2>/dev/null | awk '{split($2,v,"."); exit !(v[1]>1 || v[2]>=77)}'; then
  echo "scripts/test.sh: rustc >= 1.77 is needed (install it with rustup); found: $("$rustc_bin" --version 2>&1 | head -1)" >&2
  exit 2
fi

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
npx vitest run "$@"
