// Removes the model cache directory the test run's commands wrote (vitest.config.ts sets it).
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  return () => rmSync(join(tmpdir(), `portabi-test-cache-${process.pid}`), { recursive: true, force: true });
}
