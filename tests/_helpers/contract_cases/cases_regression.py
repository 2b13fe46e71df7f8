"""Contract cases: regression and correlation metrics."""

import numpy as np

import jax_metrics as jm
from tests._helpers.contract import ContractCase

M = jm.metrics


def pairs(rng, n, d=None, low=None, weighted=True, offset=0.0):
    shape = (n,) if d is None else (n, d)
    if low is None:
        y_true = rng.normal(size=shape) + offset
        y_pred = y_true + rng.normal(scale=0.5, size=shape)
    else:
        y_true = rng.uniform(low, 3.0, size=shape)
        y_pred = rng.uniform(low, 3.0, size=shape)
    batch = {"y_true": y_true.astype(np.float32), "y_pred": y_pred.astype(np.float32)}
    if weighted:
        batch["sample_weight"] = rng.uniform(0.1, 2.0, size=(n,)).astype(np.float32)
    return batch


def matrix(rng, n):
    return pairs(rng, n, d=3)


def positive(rng, n):
    return pairs(rng, n, low=0.1)


def distributions(rng, n):
    return {
        "y_true": rng.dirichlet(np.ones(4), size=n).astype(np.float32),
        "y_pred": rng.dirichlet(np.ones(4), size=n).astype(np.float32),
        "sample_weight": rng.uniform(0.1, 2.0, size=(n,)).astype(np.float32),
    }


def ensemble(rng, n):
    return {
        "y_true": rng.normal(size=(n,)).astype(np.float32),
        "y_pred": rng.normal(size=(n, 5)).astype(np.float32),
        "sample_weight": rng.uniform(0.1, 2.0, size=(n,)).astype(np.float32),
    }


def tokens(rng, n):
    return {
        "y_true": rng.integers(-1, 6, size=(n, 4)),
        "y_pred": rng.normal(size=(n, 4, 6)).astype(np.float32),
        "sample_weight": rng.uniform(0.1, 2.0, size=(n,)).astype(np.float32),
    }


CASES = [
    ContractCase("MeanSquaredError", M.MeanSquaredError, matrix),
    ContractCase("RootMeanSquaredError", M.RootMeanSquaredError, matrix),
    ContractCase("MeanAbsoluteError", M.MeanAbsoluteError, matrix),
    ContractCase("MeanAbsolutePercentageError", M.MeanAbsolutePercentageError, matrix),
    ContractCase("MeanSquaredLogarithmicError", M.MeanSquaredLogarithmicError, matrix),
    ContractCase("LogCoshError", M.LogCoshError, matrix),
    ContractCase("CosineSimilarity", M.CosineSimilarity, matrix),
    ContractCase("PearsonCorrelation", M.PearsonCorrelation, matrix),
    ContractCase("ConcordanceCorrelation", M.ConcordanceCorrelation, matrix),
    ContractCase(
        "R2Score",
        lambda: M.R2Score(num_outputs=3, class_aggregation="variance_weighted_average"),
        matrix,
    ),
    ContractCase("R2Score-adjusted", lambda: M.R2Score(num_regressors=2), pairs),
    ContractCase(
        "ExplainedVariance", lambda: M.ExplainedVariance(num_outputs=3), matrix
    ),
    ContractCase("RelativeSquaredError", M.RelativeSquaredError, pairs),
    ContractCase(
        "NormalizedRootMeanSquaredError",
        lambda: M.NormalizedRootMeanSquaredError(normalization="range", num_outputs=3),
        matrix,
    ),
    ContractCase("PearsonCorrCoef", lambda: M.PearsonCorrCoef(num_outputs=3), matrix),
    ContractCase("ConcordanceCorrCoef", M.ConcordanceCorrCoef, pairs),
    ContractCase(
        "SpearmanCorrCoef",
        lambda: M.SpearmanCorrCoef(capacity=64, num_outputs=3),
        matrix,
    ),
    ContractCase(
        "KendallRankCorrCoef", lambda: M.KendallRankCorrCoef(capacity=64), pairs
    ),
    ContractCase(
        "KendallRankCorrCoef(t_test=True)",
        lambda: M.KendallRankCorrCoef(
            variant="c", t_test=True, alternative="less", capacity=64, num_outputs=3
        ),
        matrix,
        rtol=1e-4,
    ),
    ContractCase(
        "TweedieDevianceScore", lambda: M.TweedieDevianceScore(power=1.5), positive
    ),
    ContractCase(
        "SymmetricMeanAbsolutePercentageError",
        M.SymmetricMeanAbsolutePercentageError,
        pairs,
    ),
    ContractCase(
        "WeightedMeanAbsolutePercentageError",
        M.WeightedMeanAbsolutePercentageError,
        pairs,
    ),
    ContractCase("MeanSquaredLogError", M.MeanSquaredLogError, positive),
    ContractCase("MinkowskiDistance", lambda: M.MinkowskiDistance(p=3), matrix),
    ContractCase(
        "CriticalSuccessIndex", lambda: M.CriticalSuccessIndex(threshold=0.2), pairs
    ),
    ContractCase("JensenShannonDivergence", M.JensenShannonDivergence, distributions),
    ContractCase(
        "ContinuousRankedProbabilityScore",
        M.ContinuousRankedProbabilityScore,
        ensemble,
    ),
    ContractCase(
        "Perplexity", lambda: M.Perplexity(ignore_index=0), tokens, invalid=True
    ),
]
