/**
 * Splitting a log line into its fields. Both splitters run once per line: they find separators
 * with indexOf (a native scan, several times faster than reading character codes one by one) and
 * slice each field once, into an array the caller reuses.
 * @module
 */

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const isBlank = (c: number): boolean => c === SPACE || c === TAB;

/** The position of the next occurrence of char at or after from, or end when there is none. */
function next(line: string, char: string, from: number): number {
  const i = line.indexOf(char, from);
  return i < 0 ? line.length : i;
}

/**
 * Fields separated by runs of spaces or tabs, no quoting (Squid's native access.log). At most max
 * fields are split; whatever follows them, from its first non-blank character, is put at out[max]
 * and counted. Returns the number of entries written.
 */
export function splitWords(line: string, out: string[], max: number): number {
  const end = line.length;
  let tab = next(line, '\t', 0);
  let n = 0;
  let i = 0;
  while (true) {
    while (i < end && isBlank(line.charCodeAt(i))) i++;
    if (i >= end) return n;
    if (n === max) {
      out[n] = line.slice(i);
      return n + 1;
    }
    if (tab < i) tab = next(line, '\t', i);
    const space = next(line, ' ', i);
    const stop = space < tab ? space : tab;
    out[n++] = line.slice(i, stop);
    i = stop;
  }
}

/**
 * Fields of a W3C extended / ELFF line: separated by runs of spaces or tabs, a field may be quoted
 * ("Mozilla/5.0 (X11; Linux)") and quoted parts join what touches them, as in the POSIX shell and
 * Python's shlex that Spot split Blue Coat lines with. Inside quotes \" is a quote and \\ a
 * backslash; any other backslash is kept. Outside quotes nothing is special. "" is an empty field.
 * Returns the number of fields, or -1 - i when the quote opened at i is never closed.
 */
export function splitQuoted(line: string, out: string[]): number {
  const end = line.length;
  let n = 0;
  let i = 0;
  // The next tab, quote and backslash: found once, looked for again only once passed.
  let tab = next(line, '\t', 0);
  let quote = next(line, '"', 0);
  let backslash = -1;
  while (true) {
    while (i < end && isBlank(line.charCodeAt(i))) i++;
    if (i >= end) return n;
    if (tab < i) tab = next(line, '\t', i);
    if (quote < i) quote = next(line, '"', i);
    if (quote !== i) {
      // A bare field, unless a quote starts inside it.
      const space = next(line, ' ', i);
      const stop = space < tab ? space : tab;
      if (quote >= stop) {
        out[n++] = line.slice(i, stop);
        i = stop;
        continue;
      }
    } else {
      // A quoted field with nothing to unescape and a blank (or the end) after its closing quote.
      const close = line.indexOf('"', i + 1);
      if (close < 0) return -1 - i;
      if (backslash < i) backslash = line.indexOf('\\', i) >>> 0;
      const after = close + 1 < end ? line.charCodeAt(close + 1) : SPACE;
      if ((after === SPACE || after === TAB) && backslash > close) {
        out[n++] = line.slice(i + 1, close);
        i = close + 1;
        continue;
      }
    }
    const field = joinedField(line, i);
    if (field === null) return -1 - quoteStart;
    out[n++] = field;
    i = fieldEnd;
  }
}

/** Where joinedField stopped, and where the unclosed quote it met began. */
let fieldEnd = 0;
let quoteStart = 0;

/** A field with quoted parts or escapes, from start to the first blank outside quotes; null when a quote is unclosed. */
function joinedField(line: string, start: number): string | null {
  const end = line.length;
  let value = '';
  let i = start;
  while (i < end) {
    const c = line.charCodeAt(i);
    if (isBlank(c)) break;
    if (c !== QUOTE) {
      const from = i;
      while (i < end && !isBlank(line.charCodeAt(i)) && line.charCodeAt(i) !== QUOTE) i++;
      value += line.slice(from, i);
      continue;
    }
    quoteStart = i;
    i++;
    let from = i;
    while (true) {
      if (i >= end) return null;
      const q = line.charCodeAt(i);
      if (q === QUOTE) break;
      if (q === BACKSLASH && i + 1 < end) {
        const e = line.charCodeAt(i + 1);
        if (e === QUOTE || e === BACKSLASH) {
          value += line.slice(from, i);
          from = i + 1;
          i += 2;
          continue;
        }
      }
      i++;
    }
    value += line.slice(from, i);
    i++;
  }
  fieldEnd = i;
  return value;
}
