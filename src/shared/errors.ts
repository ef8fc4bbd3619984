/**
 * The three kinds of failure. InputError: bad data, reported with where it is and why.
 * ConfigError: a bad setting, named by its key path (exit code 2). Anything else is a bug.
 */
export class InputError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
    readonly where?: { line?: number; offset?: number },
  ) {
    super(`${source}${where?.line !== undefined ? `:${where.line}` : where?.offset !== undefined ? `@${where.offset}` : ''}: ${reason}`);
    this.name = 'InputError';
  }
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A command was used wrongly (unknown type, missing argument). Exit code 2, like ConfigError. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
