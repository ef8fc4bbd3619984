import { z } from 'zod';
import { DEFAULT_INTERNAL_NETWORKS, parseCidr } from '../shared/ip.js';

const cidr = z.string().superRefine((text, ctx) => {
  try {
    parseCidr(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

export const networkConfig = z
  .strictObject({
    internal: z
      .array(cidr)
      .default([...DEFAULT_INTERNAL_NETWORKS])
      .meta({ description: 'Networks that count as internal (CIDR, IPv4 or IPv6). Default: RFC 1918, CGNAT, loopback, link-local and ULA.' }),
  })
  .meta({ description: 'What the monitored network looks like.' });

export type NetworkConfig = z.infer<typeof networkConfig>;
