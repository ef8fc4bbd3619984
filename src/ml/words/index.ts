import type { TelemetryType } from '../../schema/index.js';
import { dnsWords } from './dns.js';
import { flowWords } from './flow.js';
import { proxyWords } from './proxy.js';
import type { WordSpec } from './spec.js';

export type { WordSpec, WordSources, Side } from './spec.js';

export const WORDS = { flow: flowWords, dns: dnsWords, proxy: proxyWords } as const satisfies Record<TelemetryType, WordSpec>;
