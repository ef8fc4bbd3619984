import { describe, expect, it } from 'vitest';
import { csvField } from './csv.js';

describe('csvField', () => {
  it('quotes only what needs quoting and keeps empty strings apart from nulls', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(true)).toBe('true');
    expect(csvField(['a', 'b,c'])).toBe('"[""a"",""b,c""]"');
    expect(csvField(new Date(Date.UTC(2026, 10, 27)))).toBe('2026-11-27T00:00:00.000Z');
  });
});
