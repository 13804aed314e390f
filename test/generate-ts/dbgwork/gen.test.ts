import { test } from 'vitest';
import { runGen } from '../../../src/generate/ts/gen.js';
test('g', () => { console.log(runGen(__dirname, {}).messages); });
