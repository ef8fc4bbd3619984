import { z } from 'zod';

/** Spot's suspicious-connects model: its defaults, and what Spothreat adds to fix its faults. */
export const mlConfig = z
  .strictObject({
    topics: z.number().int().min(2).default(20).meta({ description: 'LDA topics (Spot: 20).' }),
    alpha: z
      .number()
      .gt(1)
      .default(1.02)
      .meta({ description: 'Concentration of the documents\' topic mixes, as Spark\'s EM LDA takes it (> 1; it smooths with α − 1). Spot: 1.02.' }),
    beta: z
      .number()
      .gt(1)
      .default(1.001)
      .meta({ description: 'Concentration of the topics\' word distributions, as Spark\'s EM LDA takes it (> 1; it smooths with β − 1). Spot: 1.001.' }),
    iterations: z.number().int().min(1).default(20).meta({ description: 'LDA iterations (Spot: 20).' }),
    freshStarts: z
      .number()
      .int()
      .min(1)
      .default(5)
      .meta({
        description:
          'LDA iterations whose E-step starts from fresh random topic mixes, as scikit-learn\'s every iteration does; the later ones start from the previous mixes: the same perplexity (within 0.1%) for about half the work. At least `iterations`: scikit-learn\'s fit exactly.',
      }),
    seed: z.number().int().min(0).default(42).meta({ description: 'Seed: the same seed, data and threads give the same scores.' }),
    threads: z.number().int().min(0).default(0).meta({ description: 'LDA worker threads; 0 uses one per core.' }),
    threshold: z.number().min(0).default(1e-6).meta({ description: 'Events scoring at most this are suspicious (Spot: 1e-6).' }),
    maxResults: z.number().int().min(1).default(3000).meta({ description: 'Most suspicious events kept per day and type.' }),
    dupfactor: z
      .number()
      .int()
      .min(1)
      .default(10)
      .meta({ description: 'How many times an event rated low-risk (3) counts in training. Spot used 1000; 10 is what the measured loop on generated days supports (docs/noise-filter.md).' }),
    feedbackDays: z
      .number()
      .int()
      .min(0)
      .default(30)
      .meta({ description: 'Without --feedback, `spothreat ml` learns from the low-risk ratings in the feedback store of the day and this many days before (docs/noise-filter.md); 0 turns it off.' }),
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

/**
 * Spot's α and β are the concentrations of Spark's EM optimizer (its default), which must be
 * above 1: EM finds the MAP estimate, whose counts are smoothed by α − 1 and β − 1 (0.02 and
 * 0.001), and its θ and φ carry no prior at all. Used as variational Dirichlet priors, 1.02 and
 * 1.001 would add a whole pseudo-count to every word of every topic: every word seen a few times
 * then gets the same φ in all topics and the same score in every document, and the ranking
 * degenerates into time order. The variational fit takes the EM's pseudo-counts as its priors.
 */
export function variationalPriors(config: Pick<MlConfig, 'alpha' | 'beta'>): { alpha: number; beta: number } {
  return { alpha: config.alpha - 1, beta: config.beta - 1 };
}
