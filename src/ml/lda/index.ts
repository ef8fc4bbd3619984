/**
 * Latent Dirichlet allocation for Spot's suspicious-connects model: documents are IP addresses
 * (or DNS and proxy clients), words are discretised events, and an event scores
 * Σ_k θ[doc][k]·φ[k][word]. Variational Bayes as scikit-learn's LatentDirichletAllocation, with
 * the E-step on worker threads and bit-for-bit repeatable results for a given thread count.
 * @module
 *
 * @example
 * const { model, theta } = await fitLda(corpusFromColumns({ nDocs, nWords, docIds, wordIds, counts }));
 * const phi = model.phi(); // K × nWords
 * writeFileSync('lda-2024-05-01.bin', encodeModel(model, { day: '2024-05-01' }));
 */
export { fitLda, type LdaFit, type OnStep } from './fit.js';
export { LdaModel, type Inference, type InferOptions } from './model.js';
export { ldaOptions, type LdaOptions } from './options.js';
export type { LdaSettings } from './session.js';
export { encodeModel, decodeModel } from './model-file.js';
export { checkCorpus, corpusFromColumns, shareCorpus, sliceDocs, totalCount, type Corpus, type CorpusColumns } from './corpus.js';
export { syntheticCorpus, type SyntheticCorpus, type SyntheticCorpusOptions } from './synthetic-corpus.js';
