import { z } from 'zod';

/** LDA settings, with Spot's defaults (20 topics, α = 1.02, β = 1.001, 20 iterations) and scikit-learn's E-step limits. */
export const ldaOptions = z.strictObject({
  nTopics: z.number().int().min(1).default(20).meta({ description: 'Topics K.' }),
  alpha: z.number().gt(0).default(1.02).meta({ description: 'Dirichlet prior α of the document-topic mixes (Spot: 1.02).' }),
  beta: z.number().gt(0).default(1.001).meta({ description: 'Dirichlet prior β of the topic-word distributions (Spot: 1.001).' }),
  iterations: z.number().int().min(0).default(20).meta({ description: 'EM iterations; for online learning, passes over the corpus.' }),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).meta({ description: 'Seed of the initial λ and of each training E-step\'s starting γ.' }),
  threads: z.number().int().min(0).default(0).meta({ description: 'Worker threads of the E-step and M-step; 0 uses one per core. Results are repeatable for a given count.' }),
  maxDocUpdateIter: z.number().int().min(0).default(100).meta({ description: 'Most inner iterations per document in an E-step (scikit-learn max_doc_update_iter).' }),
  meanChangeTol: z.number().min(0).default(1e-3).meta({ description: 'An E-step stops on a document once the mean absolute change of its γ is below this (scikit-learn mean_change_tol).' }),
  freshStarts: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({
      description:
        'Batch learning: the first iterations whose E-step starts every γ from fresh Gamma draws, as scikit-learn\'s every iteration does; later ones start from the γ the previous E-step left, which needs far fewer inner iterations. Absent: fresh draws every iteration (scikit-learn).',
    }),
  learningMethod: z.enum(['batch', 'online']).default('batch').meta({ description: 'batch: every iteration learns from the whole corpus (scikit-learn batch VB); online: from mini-batches of documents.' }),
  batchSize: z.number().int().min(1).default(4096).meta({ description: 'Online learning: documents per mini-batch.' }),
  learningDecay: z.number().gt(0.5).max(1).default(0.7).meta({ description: 'Online learning: κ in the step size ρ_t = (τ₀ + t)^−κ.' }),
  learningOffset: z.number().min(1).default(10).meta({ description: 'Online learning: τ₀ in the step size, down-weighting the first mini-batches.' }),
});

export type LdaOptions = z.input<typeof ldaOptions>;
export type ResolvedLdaOptions = z.output<typeof ldaOptions>;
