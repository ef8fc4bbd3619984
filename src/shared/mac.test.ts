import { expect, it } from 'vitest';
import { canonicalMac } from './mac.js';

it('canonicalises MAC addresses and refuses anything else', () => {
  expect(canonicalMac('10:3B:59:E0:F7:7A')).toBe('10:3b:59:e0:f7:7a');
  expect(canonicalMac('0:1b:2c:d:e:f')).toBe('00:1b:2c:0d:0e:0f');
  expect(canonicalMac('ff02::fb')).toBeNull();
  expect(canonicalMac('10:3b:59:e0:f7')).toBeNull();
  expect(canonicalMac('10:3b:59:e0:f7:7g')).toBeNull();
});
