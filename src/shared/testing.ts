import { FieldError } from './record-fields.js';

/** For tests: the reason and detail of the FieldError `f` throws; any other outcome fails the test. */
export function fieldProblem(f: () => unknown): [string, string] {
  try {
    f();
  } catch (e) {
    if (e instanceof FieldError) return [e.reason, e.detail];
    throw e;
  }
  throw new Error('no FieldError');
}
