import { z } from 'zod';
import { threatIntelDetector } from '../threat-intel.js';
import type { Detector } from './detector.js';
import { beaconDetector, beaconOptions } from './beacon.js';
import { longConnectionDetector, longConnectionOptions } from './long-connection.js';
import { strobeDetector, strobeOptions } from './strobe.js';
import { dgaDetector, dgaOptions } from './dga.js';
import { dnsTunnellingDetector, dnsTunnellingOptions } from './dns-tunnelling.js';
import { exfiltrationDetector, exfiltrationOptions } from './exfiltration.js';
import { lateralMovementDetector, lateralMovementOptions } from './lateral-movement.js';
import { mimeMismatchDetector, mimeMismatchOptions } from './mime-mismatch.js';
import { phishingDetector, phishingOptions } from './phishing.js';
import { rareUseragentDetector, rareUseragentOptions } from './rare-useragent.js';
import { horizontalScanDetector, horizontalScanOptions, verticalScanDetector, verticalScanOptions } from './scan.js';

export type { Detector, DetectorContext } from './detector.js';

/**
 * Every detector with its options schema: the registry the runner iterates, in this order, and the `oa.detectors`
 * configuration section (one key per detector, each with `enabled` and its own options).
 */
export const DETECTORS = [
  { detector: threatIntelDetector, options: z.strictObject({}) },
  { detector: beaconDetector, options: beaconOptions },
  { detector: longConnectionDetector, options: longConnectionOptions },
  { detector: strobeDetector, options: strobeOptions },
  { detector: horizontalScanDetector, options: horizontalScanOptions },
  { detector: verticalScanDetector, options: verticalScanOptions },
  { detector: dnsTunnellingDetector, options: dnsTunnellingOptions },
  { detector: dgaDetector, options: dgaOptions },
  { detector: exfiltrationDetector, options: exfiltrationOptions },
  { detector: lateralMovementDetector, options: lateralMovementOptions },
  { detector: rareUseragentDetector, options: rareUseragentOptions },
  { detector: mimeMismatchDetector, options: mimeMismatchOptions },
  { detector: phishingDetector, options: phishingOptions },
] as const satisfies readonly { detector: Detector<never>; options: z.ZodObject }[];

const sections = Object.fromEntries(
  DETECTORS.map(({ detector, options }) => {
    const withSwitch = (options as z.ZodObject).extend({ enabled: z.boolean().default(true).meta({ description: `Run ${detector.name}: ${detector.description}.` }) });
    return [detector.name, withSwitch.default(withSwitch.parse({})).meta({ description: detector.description })];
  }),
);

export const detectorsConfig = z.strictObject(sections).meta({ description: 'The attack heuristics: each can be turned off and tuned (docs/oa.md).' });
export type DetectorsConfig = Record<string, { enabled: boolean } & Record<string, unknown>>;

/** The enabled detectors with their configured options. */
export function enabledDetectors(config: DetectorsConfig): { detector: Detector; options: unknown }[] {
  return DETECTORS.filter(({ detector }) => config[detector.name]?.enabled !== false).map(({ detector }) => {
    const { enabled: _enabled, ...options } = config[detector.name] ?? {};
    return { detector: detector as Detector, options };
  });
}
