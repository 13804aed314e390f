// Documents as JSON or YAML text (dump). Apart from output.ts because YAML is slow to load.
import { stringify } from 'yaml';

/**
 * JSON or YAML text of a value. `plain` says the value holds only JSON types (the ABI model
 * does, by contract): JSON.stringify then runs without a replacer, which is several times
 * faster on a model of megabytes. Otherwise bigints print as decimal and Maps as objects.
 */
export function render(value: unknown, format: string, plain = false): string {
  if (format === 'yaml') return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  if (plain) return JSON.stringify(value, null, 2) + '\n';
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v), 2) + '\n';
}
