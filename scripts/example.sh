#!/usr/bin/env bash
# The README's first Quick start command: portabi's main job on the bundled example.
# Works on a fresh clone: installs npm dependencies and builds when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund >/dev/null; fi
if [ ! -f dist/cli.js ] || [ -n "$(find src -newer dist/cli.js -name '*.ts' -print -quit)" ]; then
  npx tsc -p tsconfig.json
fi
ex=examples/nuttx-like
set -x
node bin/portabi.js dump "$ex/include/pthread.h" "$ex/include/sys/socket.h" "$ex/include/sys/ioctl.h" \
  -I "$ex/include" --config "$ex/configs/stm32.config" --target thumbv7em-none-eabi --format yaml
