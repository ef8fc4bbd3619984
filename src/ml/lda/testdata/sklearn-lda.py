"""scikit-learn's LatentDirichletAllocation on corpora written by Spothreat's LDA tests and bench.

Usage: python3 sklearn-lda.py JOB.json, where JOB.json is
  {"settings": {"nTopics", "alpha", "beta", "iterations", "seed", "maxDocUpdateIter",
                "meanChangeTol", "learningMethod", "batchSize", "learningDecay",
                "learningOffset", "nJobs"},
   "train": CORPUS or null, "test": CORPUS or null,
   "lambda": PATH or null,   # K x V float64: infer with these topics instead of fitting
   "thetaOut": PATH or null} # where to write the test corpus's theta (float64, nDocs x K)
and CORPUS is {"nDocs", "nWords", "docStart": PATH (float64), "wordIds": PATH (uint32),
"counts": PATH (float64)}. Prints one JSON object: fitSeconds, trainPerplexity, testPerplexity
the peak resident memory of
this process (joblib's workers, when n_jobs > 1, are not counted) and the versions used.
"""

import json
import resource
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.decomposition._online_lda_fast import _dirichlet_expectation_2d


def read_corpus(c):
    indptr = np.fromfile(c["docStart"], dtype="<f8").astype(np.int64)
    indices = np.fromfile(c["wordIds"], dtype="<u4").astype(np.int32)
    data = np.fromfile(c["counts"], dtype="<f8")
    return sp.csr_matrix((data, indices, indptr), shape=(c["nDocs"], c["nWords"]))


def model(s):
    return LatentDirichletAllocation(
        n_components=s["nTopics"],
        doc_topic_prior=s["alpha"],
        topic_word_prior=s["beta"],
        learning_method=s.get("learningMethod", "batch"),
        learning_decay=s.get("learningDecay", 0.7),
        learning_offset=s.get("learningOffset", 10.0),
        batch_size=s.get("batchSize", 128),
        max_iter=s["iterations"],
        max_doc_update_iter=s["maxDocUpdateIter"],
        mean_change_tol=s["meanChangeTol"],
        n_jobs=s.get("nJobs", 1),
        random_state=s["seed"],
    )


def with_topics(lda, lam):
    """A model holding the given λ, as fit would have left it."""
    lda.components_ = lam
    lda.exp_dirichlet_component_ = np.exp(_dirichlet_expectation_2d(lam))
    lda.doc_topic_prior_ = lda.doc_topic_prior
    lda.topic_word_prior_ = lda.topic_word_prior
    lda.n_features_in_ = lam.shape[1]
    lda.n_batch_iter_ = 1
    lda.n_iter_ = 0
    lda.random_state_ = np.random.RandomState(0)
    return lda


def main():
    # Spot's priors (alpha 1.02, beta 1.001) lie outside the [0, 1] that scikit-learn's parameter
    # check allows; its variational updates are the same for any positive prior.
    sklearn.set_config(skip_parameter_validation=True)
    job = json.load(open(sys.argv[1]))
    s = job["settings"]
    lda = model(s)
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}
    if job.get("lambda"):
        lam = np.fromfile(job["lambda"], dtype="<f8").reshape(s["nTopics"], -1)
        with_topics(lda, lam)
    else:
        train = read_corpus(job["train"])
        start = time.perf_counter()
        lda.fit(train)
        out["fitSeconds"] = time.perf_counter() - start
        out["trainPerplexity"] = float(lda.bound_)  # fit stores the final perplexity there
    if job.get("test"):
        test = read_corpus(job["test"])
        out["testPerplexity"] = float(lda.perplexity(test))
        if job.get("thetaOut"):
            lda.transform(test).astype("<f8").tofile(job["thetaOut"])
    out["peakMiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
