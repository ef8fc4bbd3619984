import type { Activity } from './activities/activity.js';
import { backupJob } from './activities/backup-job.js';
import { businessApps } from './activities/business-apps.js';
import { dnsForwarding } from './activities/dns-forwarding.js';
import { dnsLookups } from './activities/dns-lookups.js';
import { mail } from './activities/mail.js';
import { monitoring } from './activities/monitoring.js';
import { printing } from './activities/printing.js';
import { softwareUpdates } from './activities/software-updates.js';
import { timeSync } from './activities/time-sync.js';
import { vulnerabilityScan } from './activities/vulnerability-scan.js';
import { webBrowsing } from './activities/web-browsing.js';
import { windowsDomain } from './activities/windows-domain.js';
import { beaconing } from './attacks/beaconing.js';
import { dga } from './attacks/dga.js';
import { dnsBeaconing } from './attacks/dns-beaconing.js';
import { dnsTunnelling } from './attacks/dns-tunnelling.js';
import { exfiltration } from './attacks/exfiltration.js';
import { horizontalScan } from './attacks/horizontal-scan.js';
import { httpBeaconing } from './attacks/http-beaconing.js';
import { pickHttpVictims, type HttpVictims } from './attacks/http-victims.js';
import { lateralMovement } from './attacks/lateral-movement.js';
import { longConnection } from './attacks/long-connection.js';
import { mimeMismatch } from './attacks/mime-mismatch.js';
import { phishing } from './attacks/phishing.js';
import { uploadExfiltration } from './attacks/upload-exfiltration.js';
import { verticalScan } from './attacks/vertical-scan.js';
import { pickVictims, type Victims } from './attacks/victims.js';
import { buildNetwork, type Network } from './network.js';
import { Prng } from './prng.js';

/** Everything that happens in the synthetic enterprise, built once per run from the seed. */
export interface Scenario {
  readonly root: Prng;
  readonly network: Network;
  readonly victims: Victims;
  /** The workstations of the web attacks (their own stream: the other victims stay the same). */
  readonly httpVictims: HttpVictims;
  /** In a fixed order; each draws from its own stream, so the order only decides ties. */
  readonly activities: readonly Activity[];
}

export function buildScenario(seed: number, workstations: number): Scenario {
  const root = Prng.fromSeed(seed);
  const network = buildNetwork(workstations, root.fork('network'));
  const victims = pickVictims(network, root.fork('victims'));
  const httpVictims = pickHttpVictims(network, victims, root.fork('http-victims'));
  const activities: Activity[] = [
    webBrowsing,
    dnsLookups,
    dnsForwarding,
    mail,
    windowsDomain,
    timeSync,
    softwareUpdates,
    printing,
    businessApps,
    monitoring,
    backupJob,
    vulnerabilityScan,
    beaconing(victims),
    horizontalScan(victims),
    verticalScan,
    exfiltration(victims),
    lateralMovement(victims),
    longConnection(victims),
    dnsTunnelling(victims),
    dga(victims),
    dnsBeaconing(victims),
    httpBeaconing(httpVictims),
    mimeMismatch(httpVictims),
    uploadExfiltration(httpVictims),
    phishing(httpVictims),
  ];
  const names = new Set(activities.map((a) => a.name));
  if (names.size !== activities.length) throw new Error('activity names must be unique: they name the random streams');
  return { root, network, victims, httpVictims, activities };
}
