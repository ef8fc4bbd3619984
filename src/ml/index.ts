/**
 * Machine learning: Apache Spot's suspicious-connects method — events become words, IPs become
 * documents, LDA gives each document's topic mix θ and each topic's word distribution φ, and an
 * event scores Σ_k θ[doc][k]·φ[k][word]; the lowest scores are the suspicious ones.
 * @module
 */
export { runSuspiciousConnects, type MlRequest, type MlSummary } from './run.js';
export { mlConfig, type MlConfig } from './config.js';
export { WORDS, type WordSpec } from './words/index.js';
export { nameParts, readPopularList } from './domains.js';
export { resultsPath, resultsTable } from './results.js';
