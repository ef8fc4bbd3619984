import { HOUR } from '../calendar.js';
import { tcpSession } from '../build-session.js';
import type { Session } from '../session.js';
import { ephemeralPort, labelFor, labelId, lanRtt, plannedDay, type Activity } from './activity.js';

/** The backup agents' port (NDMP). */
export const BACKUP_PORT = 10000;
/** DSCP CS1 (scavenger): backups yield to everything else. */
const SCAVENGER_TOS = 32;
/** Bytes per ms the job reads from an agent (60 MB/s). */
const THROUGHPUT = 60e3;

/**
 * Benign but rare: the nightly backup. From about 01:00 the backup server connects to the
 * agent of every server in turn and pulls its data, tens of gigabytes from the file servers:
 * large, long, server-to-server transfers that look like exfiltration yet are expected.
 */
export const backupJob: Activity = {
  name: 'backup-job',
  plan(day) {
    const r = day.prng;
    const backup = day.network.servers.backup[0]!;
    const agents = Object.values(day.network.servers)
      .flat()
      .filter((h) => h !== backup && h.openTcp.includes(BACKUP_PORT));
    const label = labelId('backup-job', day.date);
    const sessions: Session[] = [];
    let t = day.start + 1 * HOUR + r.int(0, 20 * 60_000);
    for (const agent of agents) {
      const download = agent.role === 'file' ? r.lognormal(120e9, 0.3) : r.lognormal(4e9, 0.6);
      const duration = download / THROUGHPUT;
      sessions.push(
        tcpSession({
          start: t,
          src: backup.ipv4,
          sport: ephemeralPort(r, backup),
          dst: agent.ipv4,
          dport: BACKUP_PORT,
          rtt: lanRtt(r),
          duration,
          upload: r.lognormal(200_000, 0.5),
          download,
          tos: SCAVENGER_TOS,
          label,
        }),
      );
      t += duration + r.int(5_000, 30_000);
    }
    const row = labelFor(
      day.date,
      {
        category: 'benign-rare',
        name: 'backup-job',
        src: [backup.ipv4],
        dst: agents.map((a) => a.ipv4),
        dports: [BACKUP_PORT],
        proto: ['TCP'],
        description: `nightly backup: ${backup.fqdn} pulls data from ${agents.length} server agents on tcp/${BACKUP_PORT}, one after another`,
      },
      sessions,
    );
    return plannedDay(sessions, [row]);
  },
};
