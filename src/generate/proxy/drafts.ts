import type { ProxyOutcome } from './request.js';

/** A request of a connection before its bytes and times are known. */
export interface Draft {
  readonly method: string;
  readonly path: string;
  /** With its "?", or null. */
  readonly query: string | null;
  readonly status: number;
  readonly contentType: string | null;
  readonly referer: string | null;
  /** Body the client sends (a POST's), bytes. */
  readonly body: number;
  /** Share of the connection's download for a response with content; 0 for a bare status (204, 3xx, 304). */
  readonly weight: number;
  readonly outcome: ProxyOutcome;
}

/** Statuses whose response is headers only. */
export const BARE_STATUSES: ReadonlySet<number> = new Set([204, 301, 302, 303, 304, 307]);

export function draft(fields: Omit<Draft, 'query' | 'referer' | 'body' | 'weight' | 'outcome'> & Partial<Draft>): Draft {
  const bare = BARE_STATUSES.has(fields.status);
  return {
    query: null,
    referer: null,
    body: 0,
    weight: bare ? 0 : 1,
    outcome: fields.status === 304 ? 'revalidated' : 'miss',
    ...fields,
    ...(bare ? { weight: 0, contentType: fields.status === 304 || fields.status === 204 ? null : (fields.contentType ?? null) } : {}),
  };
}
