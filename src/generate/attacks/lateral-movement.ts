import { HOUR, MINUTE, poweredOn } from '../calendar.js';
import { tcpSession } from '../build-session.js';
import type { Host } from '../network.js';
import type { Prng } from '../prng.js';
import type { Session } from '../session.js';
import { ephemeralPort, labelFor, labelId, lanRtt, plannedDay, type Activity } from '../activities/activity.js';
import { targetVlan, type Victims } from './victims.js';

export const LATERAL_PORTS = { ssh: 22, smb: 445, rdp: 3389, winrm: 5985, winrmTls: 5986 } as const;

/**
 * Lateral movement in the afternoon: from the implanted workstation to three workstations of
 * the scanned VLAN and a file server (SMB to drop a payload, then WinRM to run it), an
 * interactive RDP session on one of them, and SSH to the Linux application server.
 */
export function lateralMovement(victims: Victims): Activity {
  return {
    name: 'lateral-movement',
    plan(day) {
      const r = day.prng;
      const { network } = day;
      const src = victims.implant;
      let t = day.start + 13 * HOUR + r.int(0, 2 * HOUR);
      const reachable = targetVlan(network, victims).hosts.filter((h) => poweredOn(h.alwaysOn, t));
      const windows = [...r.sample(reachable, 3), network.servers.file[0]!];
      const linux = network.servers.app[0]!;
      const label = labelId('lateral-movement', day.date);
      const sessions: Session[] = [];
      const connect = (dst: Host, dport: number, duration: number, upload: number, download: number) =>
        sessions.push(
          tcpSession({
            start: t,
            src: src.ipv4,
            sport: ephemeralPort(r, src),
            dst: dst.ipv4,
            dport,
            rtt: lanRtt(r),
            duration,
            upload,
            download,
            label,
          }),
        );
      windows.forEach((dst, i) => {
        connect(dst, LATERAL_PORTS.smb, r.uniform(2000, 5000), r.lognormal(350_000, 0.2), r.lognormal(30_000, 0.3));
        t += r.int(5_000, 20_000);
        connect(dst, i % 2 ? LATERAL_PORTS.winrmTls : LATERAL_PORTS.winrm, r.uniform(10_000, 30_000), r.lognormal(10_000, 0.3), r.lognormal(40_000, 0.3));
        t += gap(r);
      });
      connect(windows[0]!, LATERAL_PORTS.rdp, r.uniform(25, 40) * MINUTE, r.lognormal(3e6, 0.3), r.lognormal(60e6, 0.3));
      t += gap(r);
      connect(linux, LATERAL_PORTS.ssh, r.uniform(10, 20) * MINUTE, r.lognormal(200_000, 0.3), r.lognormal(2e6, 0.3));
      const targets = [...windows, linux];
      const row = labelFor(
        day.date,
        {
          category: 'attack',
          name: 'lateral-movement',
          src: [src.ipv4],
          dst: targets.map((h) => h.ipv4),
          dports: Object.values(LATERAL_PORTS),
          proto: ['TCP'],
          description: `lateral movement: ${src.fqdn} reaches ${targets.length} hosts over SMB, WinRM, RDP and SSH`,
        },
        sessions,
      );
      return plannedDay(sessions, [row]);
    },
  };
}

/** Minutes pass between one target and the next. */
const gap = (r: Prng) => r.int(2, 10) * MINUTE;
