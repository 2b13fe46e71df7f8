"""Bucketing scores by static or traced thresholds, in O(N) and exactly.

`bucket_index` tells, for each score, how many of the (ascending) thresholds
it passes, without an N x T comparison beyond `_FEW` thresholds (those are
compared directly): an arithmetic index for evenly spaced thresholds,
corrected exactly by one comparison with the threshold recomputed bit for
bit (or looked up); a static cell table plus a few exact comparisons for
uneven lists; `searchsorted` for clustered or traced thresholds. The
histogram kernels of `_confusion_counts.py` build on it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import Array

__all__: list[str] = []


# --------------------------------------------------------------------------
# thresholds
# --------------------------------------------------------------------------
def static_thresholds(thresholds) -> np.ndarray | None:
    """Thresholds as a float32 NumPy vector, or None when they are traced."""
    if isinstance(thresholds, int | np.integer) and not isinstance(thresholds, bool):
        if thresholds < 1:
            raise ValueError(
                f"expected a number of thresholds >= 1, received {thresholds}"
            )
        if thresholds == 1:
            return np.asarray([0.5], np.float32)
        return (np.arange(thresholds, dtype=np.float64) / (thresholds - 1)).astype(
            np.float32
        )
    if isinstance(thresholds, jax.core.Tracer):
        return None
    values = np.asarray(thresholds, np.float32).reshape(-1)
    if values.size == 0:
        raise ValueError("expected at least one threshold, received none")
    if np.isnan(values).any():
        raise ValueError(f"expected thresholds without NaN, received {values}")
    return values


def _evenly_spaced(sorted_t: np.ndarray) -> tuple[float, float] | None:
    """`(start, step)` of a near-even grid, else None.

    Near-even: every sorted threshold lies within a quarter step of the grid,
    so an arithmetic bucket guess is off by at most one.
    """
    count = sorted_t.size
    if count < 2:
        return None
    start, stop = float(sorted_t[0]), float(sorted_t[-1])
    step = (stop - start) / (count - 1)
    if not step > 0:
        return None
    grid = start + step * np.arange(count, dtype=np.float64)
    if np.max(np.abs(sorted_t.astype(np.float64) - grid)) > step / 4:
        return None
    return start, step


_MAX_PATCHES = 16


def _split_scale(scale: float, bits: int) -> tuple[np.float32, np.float32]:
    """`scale` as `hi + lo`: `hi` keeps `bits` significant bits, `lo` the rest."""
    mantissa, exponent = np.frexp(np.float64(scale))
    hi = np.ldexp(np.floor(np.ldexp(mantissa, bits)), exponent - bits)
    return np.float32(hi), np.float32(np.float64(scale) - hi)


def _grid_formula(sorted_t: np.ndarray):
    """An exact arithmetic form of the thresholds, or None.

    Two forms, each checked bit for bit against the list here:

    * `("divide", offset, divisor, patches)`: `t[k] = float32(k + offset) /
      divisor`, an IEEE-rounded division (how `np.arange(T) / (T - 1)` and
      Keras' `i / (T - 1)` lists round, whatever `T`).
    * `("scale", offset, hi, lo, patches)`: `t[k] = float32(k + offset) * hi +
      float32(k + offset) * lo` in float32, where the first product is exact
      (`hi` has few significant bits), so the result is the same with or
      without a fused multiply-add.

    The few `k` a form misses (end points such as Keras' `-1e-7`, rare
    rounding ties) are patched from `patches` (`(k, t[k])` pairs, at most
    `_MAX_PATCHES`); the form with fewer patches wins, `scale` on a tie (a
    multiply is cheaper than a division). None when neither form fits (the
    fix-up then looks thresholds up).
    """
    count = sorted_t.size
    if count < 3:
        return None
    inner = sorted_t[1:-1].astype(np.float64)
    step = (inner[-1] - inner[0]) / max(inner.size - 1, 1)
    if inner.size < 2 or not step > 0:
        return None
    offset = round(float(inner[0] / step)) - 1
    k = np.arange(count, dtype=np.int64) + offset
    bits = int(np.abs(k).max()).bit_length()
    if bits > 20:
        return None
    kf = k.astype(np.float32)

    def misses(values):
        miss = np.flatnonzero(values != sorted_t)
        return tuple((int(i), sorted_t[i]) for i in miss)

    forms = []
    divisor = np.float32(round(1.0 / step))
    if divisor > 0:
        forms.append(("divide", offset, divisor, misses(kf / divisor)))
    for scale in (1.0 / round(1.0 / step), step):
        hi, lo = _split_scale(scale, 24 - bits)
        plain = kf * hi + kf * lo
        fused = (k * np.float64(hi) + k * np.float64(lo)).astype(np.float32)
        # A k where the two roundings differ is patched too.
        miss = misses(np.where(plain == fused, plain, np.nan))
        forms.append(("scale", offset, hi, lo, miss))
    forms = [f for f in forms if len(f[-1]) <= _MAX_PATCHES]
    if not forms:
        return None
    return min(forms, key=lambda f: (len(f[-1]), f[0] == "divide"))


def bucket_index(scores: Array, thresholds, inclusive: bool) -> Array:
    """For each score, how many thresholds it passes (`>`, or `>=` if inclusive).

    Thresholds must be sorted ascending. At most `_FEW` static thresholds are
    compared with each score directly. More evenly spaced static ones use an
    arithmetic index that is exact or one short, corrected by one comparison
    (with thresholds recomputed arithmetically when an exact float32 formula
    reproduces them, else looked up); other static lists a uniform cell table
    plus at most `_MAX_CELL_STEPS` comparisons; clustered or traced
    thresholds `searchsorted` (O(N log T)). All are exact. NaN scores get an
    arbitrary bucket in `[0, T]` (callers drop them).
    """
    plan = grid_plan(thresholds, inclusive)
    if plan is not None:
        return plan.bucket(scores)
    side = "right" if inclusive else "left"
    static = static_thresholds(thresholds)
    if static is not None and static.size <= _FEW:
        passes = jnp.greater_equal if inclusive else jnp.greater
        return sum(passes(scores, t).astype(jnp.int32) for t in static)
    if static is None:
        table = jnp.asarray(thresholds, jnp.float32)
        return jnp.searchsorted(table, scores, side=side).astype(jnp.int32)
    cells = _cell_table(static)
    if cells is None:
        table = jnp.asarray(static)
        return jnp.searchsorted(table, scores, side=side).astype(jnp.int32)
    return _bucket_by_cells(scores, static, cells, inclusive)


# Up to this many static thresholds, a score is compared with each: cheaper
# than any index arithmetic (Keras' default is the single threshold 0.5).
_FEW = 4


def grid_plan(thresholds, inclusive: bool) -> GridPlan | None:
    """The arithmetic bucketing of static, evenly spaced sorted thresholds.

    None for traced, uneven or few (`_FEW`) thresholds, which `bucket_index`
    handles by direct comparisons, a cell table or `searchsorted`.
    """
    static = static_thresholds(thresholds)
    if static is None or static.size <= _FEW:
        return None
    grid = _evenly_spaced(static)
    return None if grid is None else GridPlan(static, grid, inclusive)


class GridPlan:
    """Exact bucketing of scores by evenly spaced thresholds, in two steps.

    Every `t[k]` lies within a quarter step of `start + k * step`, so all `k`
    below `position - 1/2` are passed, none above `position + 1/2`, and the
    bucket is `guess(s)` or `guess(s) + 1` (margins of a quarter step absorb
    rounding); `up(s, guess)` decides which by one exact comparison with
    `t[guess]`, recomputed bit for bit when an exact float32 formula
    reproduces the list (`_grid_formula`), else looked up. Both steps stay in
    float32 (small integers are exact), which XLA:CPU compiles to cheaper
    code than integer conversions.
    """

    def __init__(self, sorted_thresholds: np.ndarray, grid, inclusive: bool):
        start, step = grid
        self.count = sorted_thresholds.size
        self.scale = np.float32(1.0 / step)
        self.shift = np.float32(-start / step - 0.5)
        self.inclusive = inclusive
        self.thresholds = sorted_thresholds
        self.formula = _grid_formula(sorted_thresholds)

    def bucket(self, scores: Array) -> Array:
        """The int32 bucket of each score: `guess`, corrected by `up`."""
        guess = self.guess(scores)
        return (guess + self.up(scores, guess)).astype(jnp.int32)

    def guess(self, scores: Array) -> Array:
        """Float32 `floor`-like guess in `[0, T]`: the bucket or one short."""
        position = scores * self.scale + self.shift
        return jnp.clip(jnp.ceil(position), 0, self.count)

    def up(self, scores: Array, guess: Array) -> Array:
        """Whether each score also passes threshold `guess` (bool)."""
        formula = self.formula
        if formula is None:
            # A 1-D clipped take (XLA:CPU's 2-D gather is several times slower).
            table = jnp.asarray(np.r_[self.thresholds, self.thresholds[-1:]])
            above = jnp.take(table, guess.astype(jnp.int32), mode="clip")
        else:
            # The same threshold recomputed bit for bit, without a gather.
            k = guess + np.float32(formula[1])
            if formula[0] == "divide":
                # XLA turns a division by a broadcast scalar into a multiply
                # by its reciprocal, which rounds differently; a divisor that
                # depends on the scores keeps the IEEE division. (NaN for
                # infinite scores, whose guess is already 0 or T.)
                above = k / (scores * 0 + formula[2])
            else:
                above = k * formula[2] + k * formula[3]
            for index, value in formula[-1]:
                above = jnp.where(guess == index, value, above)
        passes = jnp.greater_equal if self.inclusive else jnp.greater
        return (guess < self.count) & passes(scores, above)


_MAX_CELL_STEPS = 6


def _cell_table(sorted_t: np.ndarray):
    """A uniform cell grid over uneven sorted thresholds, or None.

    Returns `(start, inverse_width, first_index, steps)`: for a score in cell
    `c`, `first_index[c]` thresholds are certainly passed and at most `steps`
    more may be; None when some cell window holds more than `_MAX_CELL_STEPS`
    thresholds (clustered thresholds: `searchsorted` is then used).
    """
    count = sorted_t.size
    lo, hi = float(sorted_t[0]), float(sorted_t[-1])
    if count < 2 or not hi > lo:
        return None
    cells = int(min(16 * count, 2**20))
    width = (hi - lo) / cells
    edges = lo + width * np.arange(-2, cells + 2, dtype=np.float64)
    below = np.searchsorted(sorted_t.astype(np.float64), edges, side="left")
    # Scores in computed cell c lie above edge c - 2 and below edge c + 2
    # even if the cell index is off by one from rounding.
    first = below[:cells]
    last = np.r_[below[4 : cells + 3], count]
    steps = int(np.max(last - first))
    if steps > _MAX_CELL_STEPS:
        return None
    return lo, 1.0 / width, first.astype(np.int32), steps


def _bucket_by_cells(scores, sorted_t, cells, inclusive: bool) -> Array:
    """Thresholds passed, from a cell table plus a few exact comparisons."""
    lo, inverse_width, first, steps = cells
    count = sorted_t.size
    position = jnp.floor((scores - np.float32(lo)) * np.float32(inverse_width))
    cell = jnp.clip(jnp.nan_to_num(position), 0, first.size - 1).astype(jnp.int32)
    bucket = jnp.take(jnp.asarray(first), cell, mode="clip")
    table = jnp.asarray(sorted_t)
    passes = jnp.greater_equal if inclusive else jnp.greater
    for _ in range(steps):
        threshold = jnp.take(table, bucket, mode="clip")
        bucket = bucket + ((bucket < count) & passes(scores, threshold)).astype(
            jnp.int32
        )
    return bucket
