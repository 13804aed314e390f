// Line markers → original locations. Preprocessed text in `cc -E` form carries GNU line
// markers (`# 12 "file.h" 2 3`): the next text line is line 12 of file.h. Every location
// the declaration parser reports goes through here.
import type { Loc } from './diagnostics.js';

export interface LineMarker {
  line: number;
  file: string;
  flags: number[];
}

const MARKER = /^#\s*(?:line\s+)?(\d+)(?:\s+"((?:[^"\\]|\\.)*)")?((?:\s+\d+)*)\s*$/;

/** Parses one text line as a line marker (`# 12 "f.h" 1 3` or `#line 12 "f.h"`), or null. */
export function parseLineMarker(line: string): LineMarker | null {
  const m = MARKER.exec(line);
  if (!m) return null;
  const flags = m[3] ? m[3].trim().split(/\s+/).map(Number) : [];
  return { line: Number(m[1]), file: m[2] !== undefined ? unescapeFileName(m[2]) : '', flags };
}

function unescapeFileName(s: string): string {
  return s.includes('\\') ? s.replace(/\\(.)/g, '$1') : s;
}

/**
 * Maps offsets of a preprocessed text to original locations. Built once over the whole text;
 * `locate` is a binary search over line starts and markers.
 */
export class LineMap {
  private readonly lineStarts: number[] = [];
  /** For each marker: the text line (0-based) it applies from, and the original position. */
  private readonly markers: { textLine: number; file: string; line: number }[] = [];

  constructor(text: string, defaultFile = '<input>') {
    let start = 0;
    let textLine = 0;
    this.markers.push({ textLine: 0, file: defaultFile, line: 1 });
    while (start <= text.length) {
      this.lineStarts.push(start);
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (text.charCodeAt(start) === 35 /* # */) {
        const mk = parseLineMarker(text.slice(start, end));
        if (mk) {
          const prevFile = this.markers[this.markers.length - 1]!.file;
          this.markers.push({ textLine: textLine + 1, file: mk.file || prevFile, line: mk.line });
        }
      }
      start = end + 1;
      textLine++;
    }
  }

  locate(offset: number): Loc {
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const textLine = lo;
    const mk = this.markers;
    let a = 0;
    let b = mk.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (mk[mid]!.textLine <= textLine) a = mid;
      else b = mid - 1;
    }
    const m = mk[a]!;
    return { file: m.file, line: m.line + (textLine - m.textLine), col: offset - ls[textLine]! + 1 };
  }
}
