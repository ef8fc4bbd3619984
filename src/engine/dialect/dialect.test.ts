import { describe, expect, it } from 'vitest';
import { assertIdentifier, dialectFor } from './index.js';

const duck = dialectFor('duckdb');
const spark = dialectFor('spark');

describe('dialects', () => {
  it('quote identifiers their own way', () => {
    expect(duck.ident('input')).toBe('"input"');
    expect(spark.ident('input')).toBe('`input`');
    expect(duck.ident('a"b')).toBe('"a""b"');
    expect(spark.ident('a`b')).toBe('`a``b`');
  });

  it('escape string literals their own way', () => {
    expect(duck.string("O'Brien")).toBe("'O''Brien'");
    expect(spark.string("O'Brien")).toBe("'O\\'Brien'");
    expect(spark.string('a\\b')).toBe("'a\\\\b'");
    expect(duck.string('a\\b')).toBe("'a\\b'");
  });

  it('render time parts and conversions', () => {
    expect(duck.timePart('epoch', 't')).toBe('CAST(floor(epoch(t)) AS BIGINT)');
    expect(spark.timePart('epoch', 't')).toBe('unix_timestamp(t)');
    expect(duck.timePart('hour', 't')).toBe('hour(t)');
    expect(duck.timePart('date', 't')).toBe("strftime(t, '%Y-%m-%d')");
    expect(spark.timePart('time', 't')).toBe("date_format(t, 'HH:mm:ss')");
    expect(duck.fromEpochMicros('x')).toBe('make_timestamp(x)');
    expect(spark.fromEpochMicros('x')).toBe('timestamp_micros(x)');
    expect(duck.type('port')).toBe('INTEGER');
    expect(spark.type('text')).toBe('STRING');
  });

  it('refuse NUL bytes and unsafe identifiers', () => {
    expect(() => duck.string('a\0b')).toThrow('NUL');
    expect(() => assertIdentifier('x; DROP TABLE flow')).toThrow('not a valid SQL identifier');
    expect(assertIdentifier('flow_2026')).toBe('flow_2026');
  });

  const payloads = ["'; DROP TABLE flow; --", "\\'; DROP TABLE flow; --", "''", "'\\''", 'a\'b"c`d'];
  it.each(payloads)('keeps %j one literal in DuckDB', (p) => {
    const lit = duck.string(p);
    expect(lit.startsWith("'") && lit.endsWith("'")).toBe(true);
    // Inside, every quote is doubled: removing the pairs leaves no lone quote.
    expect(lit.slice(1, -1).replaceAll("''", '')).not.toContain("'");
  });
  it.each(payloads)('keeps %j one literal in Spark', (p) => {
    const inner = spark.string(p).slice(1, -1);
    // Inside, every quote is preceded by an odd number of backslashes.
    expect(inner.replace(/\\\\/g, '').replace(/\\'/g, '')).not.toContain("'");
  });
});
