"""Group fairness: parity with float64 NumPy written from the formulas."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jax_metrics as jm

M, FN = jm.metrics, jm.functional
G = 3
SIZES = (5, 9)  # odd batch sizes, the same in every test (one compile each)


# ---------------------------------------------------------------------------
# the reference, in float64 NumPy


def ref_stats(
    y, p, g, w, *, num_groups=G, threshold=0.5, from_logits=False, ignore_index=None
):
    """Weighted [tp, fp, tn, fn] per group, entry by entry."""
    y = np.asarray(y)
    p = np.asarray(p, np.float64)
    if from_logits:
        p = 1 / (1 + np.exp(-p))
    g = np.asarray(g).reshape(np.shape(g) + (1,) * (y.ndim - np.ndim(g)))
    g = np.broadcast_to(g, y.shape)
    w = np.ones(y.shape[:1]) if w is None else np.asarray(w, np.float64)
    w = np.broadcast_to(w.reshape(w.shape + (1,) * (y.ndim - w.ndim)), y.shape)
    stats = np.zeros((num_groups, 4))
    for yi, pi, gi, wi in zip(y.ravel(), p.ravel(), g.ravel(), w.ravel(), strict=True):
        if yi not in (0, 1) or np.isnan(pi) or not 0 <= gi < num_groups:
            continue
        if ignore_index is not None and yi == ignore_index:
            continue
        positive = pi > threshold
        kind = {(1, True): 0, (0, True): 1, (0, False): 2, (1, False): 3}
        stats[gi, kind[(int(yi), bool(positive))]] += wi
    return stats


def ref_rates(stats):
    total = stats.sum(1, keepdims=True)
    return np.where(total > 0, stats / np.where(total > 0, total, 1), 0.0)


def ref_ratio(rates, defined):
    """min / max over the defined groups, and (argmin, argmax), lowest id on ties."""
    ids = np.flatnonzero(defined)
    if ids.size == 0:
        return 0.0, [0, 0]
    low = ids[np.argmin(rates[ids])]
    high = ids[np.argmax(rates[ids])]
    ratio = rates[low] / rates[high] if rates[high] > 0 else 0.0
    return ratio, [int(low), int(high)]


def ref_fairness(stats, task="all"):
    tp, fp, _, fn = stats.T
    total, positives = stats.sum(1), tp + fn
    out = {}
    if task != "equal_opportunity":
        pr = np.where(total > 0, (tp + fp) / np.where(total > 0, total, 1), 0)
        out["DP"], out["DP_groups"] = ref_ratio(pr, total > 0)
    if task != "demographic_parity":
        tpr = np.where(positives > 0, tp / np.where(positives > 0, positives, 1), 0)
        out["EO"], out["EO_groups"] = ref_ratio(tpr, positives > 0)
    return out


def assert_fairness(actual, expected):
    assert set(actual) == set(expected)
    for key, value in expected.items():
        if key.endswith("_groups"):
            assert actual[key].dtype == jnp.int32
            assert actual[key].tolist() == value, key
        else:
            np.testing.assert_allclose(actual[key], value, rtol=1e-5, atol=1e-6)


def assert_rates(actual, stats):
    expected = ref_rates(stats)
    assert list(actual) == [f"group_{i}" for i in range(len(stats))]
    for i, value in enumerate(actual.values()):
        np.testing.assert_allclose(value, expected[i], rtol=1e-5, atol=1e-6)


def make_batch(rng, n, layout):
    shape = (n,) if layout == "flat" else (n, 2)
    groups = rng.integers(0, G, size=shape if layout == "entry" else (n,))
    return (
        rng.integers(0, 2, size=shape),
        rng.uniform(size=shape).astype(np.float32),
        groups,
        rng.uniform(0, 2, size=(n,)).astype(np.float32),
    )


def concat(batches):
    return [np.concatenate(parts) for parts in zip(*batches, strict=True)]


# ---------------------------------------------------------------------------
# parity


@pytest.mark.parametrize("layout", ["flat", "sample", "entry"])
@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classes_accumulate_like_the_reference(seed, weighted, layout):
    rng = np.random.default_rng(seed)
    batches = [make_batch(rng, n, layout) for n in SIZES]
    rates, fairness = (
        M.BinaryGroupStatRates(num_groups=G),
        M.BinaryFairness(num_groups=G),
    )
    for y, p, g, w in batches:
        w = w if weighted else None
        rates = rates.update(y, p, g, w)
        fairness = fairness.update(y, p, g, sample_weight=w)
    y, p, g, w = concat(batches)
    stats = ref_stats(y, p, g, w if weighted else None)
    assert_rates(rates.compute(), stats)
    assert_fairness(fairness.compute(), ref_fairness(stats))


def test_bfloat16_scores_and_weights_count_in_float32():
    """Half-precision inputs: the reference sees the same rounded values."""
    rng = np.random.default_rng(7)
    y, p, g, w = make_batch(rng, 9, "sample")
    p16, w16 = jnp.asarray(p, jnp.bfloat16), jnp.asarray(w, jnp.bfloat16)
    stats = ref_stats(y, np.asarray(p16, np.float64), g, np.asarray(w16, np.float64))
    fairness = M.BinaryFairness(num_groups=G).update(y, p16, g, w16)
    assert fairness.stats.dtype == jnp.float32
    assert_fairness(fairness.compute(), ref_fairness(stats))
    rates = FN.binary_groups_stat_rates(y, p16, g, num_groups=G, sample_weight=w16)
    assert_rates(rates, stats)


@pytest.mark.parametrize("weighted", [True, False])
@pytest.mark.parametrize("seed", [3, 4])
def test_functional_forms_match_the_reference(seed, weighted):
    rng = np.random.default_rng(seed)
    y, p, g, w = make_batch(rng, 9, "sample")
    w = w if weighted else None
    stats = ref_stats(y, p, g, w)
    kw = {"num_groups": G, "sample_weight": w}
    assert_rates(FN.binary_groups_stat_rates(y, p, g, **kw), stats)
    assert_fairness(
        FN.demographic_parity(p, g, **kw), ref_fairness(stats, "demographic_parity")
    )
    assert_fairness(
        FN.equal_opportunity(y, p, g, **kw), ref_fairness(stats, "equal_opportunity")
    )
    for task in ("demographic_parity", "equal_opportunity", "all"):
        assert_fairness(
            FN.binary_fairness(y, p, g, task=task, **kw), ref_fairness(stats, task)
        )


@pytest.mark.parametrize("task", ["demographic_parity", "equal_opportunity", "all"])
def test_class_tasks_give_their_keys(task):
    y, p, g, w = make_batch(np.random.default_rng(5), 9, "flat")
    m = M.BinaryFairness(num_groups=G, task=task).update(y, p, g, w)
    assert_fairness(m.compute(), ref_fairness(ref_stats(y, p, g, w), task))
    assert_fairness(
        jax.jit(lambda m: m.compute())(m), ref_fairness(ref_stats(y, p, g, w), task)
    )


def test_demographic_parity_needs_no_target():
    y, p, g, w = make_batch(np.random.default_rng(6), 9, "flat")
    m = M.BinaryFairness(num_groups=G, task="demographic_parity")
    expected = ref_fairness(ref_stats(np.zeros_like(y), p, g, w), "demographic_parity")
    assert_fairness(m.update(None, p, g, w).compute(), expected)
    # given targets only mask (here nothing): the same value
    assert_fairness(m.update(y, p, g, w).compute(), expected)
    assert_fairness(
        FN.binary_fairness(
            None, p, g, num_groups=G, task="demographic_parity", sample_weight=w
        ),
        expected,
    )


def test_threshold_ties_are_negative():
    """A score equal to the threshold is not positive (`y_pred > threshold`)."""
    y = np.array([1, 1, 0, 0, 1, 0])
    g = np.array([0, 0, 0, 1, 1, 1])
    for threshold in (0.5, 0.25):
        p = np.array([threshold, 0.9, threshold, threshold, 1.0, 0.0], np.float32)
        m = M.BinaryGroupStatRates(num_groups=2, threshold=threshold).update(y, p, g)
        out = m.compute()
        # group 0: fn, tp, tn; group 1: tn, tp, tn
        np.testing.assert_allclose(out["group_0"], np.array([1, 0, 1, 1]) / 3)
        np.testing.assert_allclose(out["group_1"], np.array([1, 0, 2, 0]) / 3)
        stats = ref_stats(y, p, g, None, num_groups=2, threshold=threshold)
        np.testing.assert_allclose(stats, [[1, 0, 1, 1], [1, 0, 2, 0]])


def test_from_logits_and_integer_predictions():
    rng = np.random.default_rng(7)
    y, _, g, w = make_batch(rng, 9, "flat")
    logits = rng.normal(size=9).astype(np.float32) * 3
    logits[0] = 0.0  # sigmoid 0.5: a tie, negative
    stats = ref_stats(y, logits, g, w, from_logits=True)
    m = M.BinaryFairness(num_groups=G, from_logits=True).update(y, logits, g, w)
    assert_fairness(m.compute(), ref_fairness(stats))
    labels = (1 / (1 + np.exp(-logits.astype(np.float64))) > 0.5).astype(np.int32)
    assert_rates(
        FN.binary_groups_stat_rates(y, labels, g, num_groups=G, sample_weight=w),
        stats,
    )


def test_ignore_index_and_invalid_entries_count_nowhere():
    rng = np.random.default_rng(8)
    y, p, g, w = make_batch(rng, 9, "flat")
    y[[1, 4]] = -1  # ignored
    y[2] = 2  # not a label: ignored by policy
    p[3] = np.nan  # ignored by policy
    g[5] = G  # out of range: ignored by policy
    g[6] = -1
    stats = ref_stats(y, p, g, w, ignore_index=-1)
    assert stats.sum() == pytest.approx(w[[0, 7, 8]].sum())
    m = M.BinaryGroupStatRates(num_groups=G, ignore_index=-1).update(y, p, g, w)
    assert_rates(m.compute(), stats)
    m = M.BinaryFairness(num_groups=G, ignore_index=-1).update(y, p, g, w)
    assert_fairness(m.compute(), ref_fairness(stats))


def test_groups_without_samples_and_the_empty_state():
    y = np.array([1, 0, 1, 1, 0])
    p = np.array([0.9, 0.7, 0.2, 0.8, 0.1], np.float32)
    g = np.array([0, 0, 2, 2, 2])
    m = M.BinaryFairness(num_groups=4)
    empty = m.compute()
    assert_fairness(
        empty, {"DP": 0.0, "DP_groups": [0, 0], "EO": 0.0, "EO_groups": [0, 0]}
    )
    rates = M.BinaryGroupStatRates(num_groups=4).update(y, p, g).compute()
    np.testing.assert_array_equal(rates["group_1"], np.zeros(4))
    np.testing.assert_array_equal(rates["group_3"], np.zeros(4))
    # groups 1 and 3 have no samples: left out of the min/max
    out = m.update(y, p, g).compute()
    expected = {
        "DP": (1 / 3) / 1.0,
        "DP_groups": [2, 0],
        "EO": 0.5,
        "EO_groups": [2, 0],
    }
    assert_fairness(out, expected)
    assert_fairness(out, ref_fairness(ref_stats(y, p, g, None, num_groups=4)))
    # group 0 without positive targets: left out of EO only
    out = m.update(np.array([0, 0, 1, 1, 0]), p, g).compute()
    assert out["EO"] == 1.0
    assert out["EO_groups"].tolist() == [2, 2]
    assert out["DP_groups"].tolist() == [2, 0]


def test_merge_and_call_match_one_update():
    y, p, g, w = make_batch(np.random.default_rng(9), 9, "flat")
    m = M.BinaryFairness(num_groups=G)
    whole = ref_fairness(ref_stats(y, p, g, w))
    merged = m.update(y[:4], p[:4], g[:4], w[:4]).merge(
        m.update(y[4:], p[4:], g[4:], w[4:])
    )
    assert_fairness(merged.compute(), whole)
    value, acc = m(y, p, g, w)
    assert_fairness(value, whole)
    assert_fairness(acc.compute(), whole)


# ---------------------------------------------------------------------------
# errors and checked mode


def test_bad_inputs_raise():
    y, p, g = (
        np.array([0, 1, 1]),
        np.array([0.2, 0.7, 0.4], np.float32),
        np.zeros(3, int),
    )
    m = M.BinaryFairness(num_groups=2)
    with pytest.raises(ValueError, match="same shape"):
        m.update(y[:2], p, g)
    with pytest.raises(ValueError, match=r"expected `groups` of shape \(3,\)"):
        m.update(y, p, g[:2])
    with pytest.raises(TypeError, match="expected integer `groups`"):
        m.update(y, p, g.astype(np.float32))
    with pytest.raises(ValueError, match="expected `task` in"):
        M.BinaryFairness(num_groups=2, task="parity")
    with pytest.raises(ValueError, match="expected `task` in"):
        FN.binary_fairness(y, p, g, num_groups=2, task="parity")
    with pytest.raises(ValueError, match="expected `num_groups` to be an integer"):
        M.BinaryGroupStatRates(num_groups=0)
    with pytest.raises(ValueError, match="expected `threshold` in"):
        M.BinaryFairness(num_groups=2, threshold=1.5)
    for task in ("equal_opportunity", "all"):
        with pytest.raises(ValueError, match="expected `y_true`"):
            M.BinaryFairness(num_groups=2, task=task).update(None, p, g)
        with pytest.raises(ValueError, match="expected `y_true`"):
            FN.binary_fairness(None, p, g, num_groups=2, task=task)
    with pytest.raises(ValueError, match="expected `y_true`"):
        FN.equal_opportunity(None, p, g, num_groups=2)
    with pytest.raises(ValueError, match="expected `y_true`"):
        M.BinaryGroupStatRates(num_groups=2).update(None, p, g)
    with pytest.raises(ValueError, match="expected `y_true`"):
        FN.binary_groups_stat_rates(None, p, g, num_groups=2)


def test_checked_mode_raises_on_bad_groups_and_targets():
    m = M.BinaryFairness(num_groups=2, ignore_index=-1)
    p = jnp.array([0.2, 0.7, 0.4])
    update = jm.checked(lambda m, *a: m.update(*a))
    with pytest.raises(
        jm.CheckError,
        match=r"^binary_fairness: 1 group id\(s\) "
        r"outside \[0, 2\)",
    ):
        update(m, jnp.array([0, 1, 1]), p, jnp.array([0, 2, 1]))
    with pytest.raises(jm.CheckError, match=r"^binary_fairness: 1 target\(s\) not"):
        update(m, jnp.array([0, 2, 1]), p, jnp.array([0, 1, 1]))
    with jm.checking(), pytest.raises(jm.CheckError, match="group id"):
        m.update(jnp.array([0, 1, 1]), p, jnp.array([-1, 0, 1]))
    # an ignored entry is no problem, whatever its group
    y, g = jnp.array([0, -1, 1]), jnp.array([0, 5, 1])
    checked = update(m, y, p, g)
    np.testing.assert_array_equal(checked.stats, m.update(y, p, g).stats)
    with jm.checking():
        m.update(y, p, g)
