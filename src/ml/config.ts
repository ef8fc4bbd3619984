import { z } from 'zod';

/** Spot's suspicious-connects model: its defaults, and what Spothreat adds to fix its faults. */
export const mlConfig = z
  .strictObject({
    topics: z.number().int().min(2).default(20).meta({ description: 'LDA topics (Spot: 20).' }),
    alpha: z.number().gt(0).default(1.02).meta({ description: 'Dirichlet prior of the documents\' topic mixes (Spot: 1.02).' }),
    beta: z.number().gt(0).default(1.001).meta({ description: 'Dirichlet prior of the topics\' word distributions (Spot: 1.001).' }),
    iterations: z.number().int().min(1).default(20).meta({ description: 'LDA iterations (Spot: 20).' }),
    seed: z.number().int().min(0).default(42).meta({ description: 'Seed: the same seed, data and threads give the same scores.' }),
    threads: z.number().int().min(0).default(0).meta({ description: 'LDA worker threads; 0 uses one per core.' }),
    threshold: z.number().min(0).default(1e-6).meta({ description: 'Events scoring at most this are suspicious (Spot: 1e-6).' }),
    maxResults: z.number().int().min(1).default(3000).meta({ description: 'Most suspicious events kept per day and type.' }),
    dupfactor: z.number().int().min(1).default(1000).meta({ description: 'How many times an event rated low-risk (3) counts in training (Spot: 1000).' }),
    userDomains: z
      .array(z.string().regex(/^[a-z0-9.-]+$/i, 'a domain name such as example.com'))
      .default([])
      .meta({ description: 'The organisation\'s own registered domains (class 2 in DNS and proxy words). Spot had one hard-coded name.' }),
    popularDomains: z
      .string()
      .default('')
      .meta({ description: 'A Tranco list (CSV: rank,domain) of popular registered domains (class 1). Empty: domains queried by many of the network\'s own clients.' }),
    popularTop: z.number().int().min(1).default(10_000).meta({ description: 'How many domains of the popular list count as popular.' }),
    popularClientShare: z
      .number()
      .gt(0)
      .max(1)
      .default(0.05)
      .meta({ description: 'Without a list: a registered domain is popular when this share of the day\'s clients asked for it …' }),
    popularMinClients: z.number().int().min(1).default(3).meta({ description: '… and at least this many clients.' }),
  })
  .meta({ description: 'Machine learning: Spot\'s LDA scoring of flows, DNS and proxy events.' });

export type MlConfig = z.infer<typeof mlConfig>;
