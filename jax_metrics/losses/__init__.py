"""Loss classes: immutable pytrees with Keras 3 reductions."""

from jax_metrics.losses import (
    _base,
    _classification,
    _optax,
    _probabilistic,
    _ranking,
    _regression,
    _regularization,
    _segmentation,
    _self_supervised,
)
from jax_metrics.losses._base import *
from jax_metrics.losses._classification import *
from jax_metrics.losses._optax import *
from jax_metrics.losses._probabilistic import *
from jax_metrics.losses._ranking import *
from jax_metrics.losses._regression import *
from jax_metrics.losses._regularization import *
from jax_metrics.losses._segmentation import *
from jax_metrics.losses._self_supervised import *

__all__ = sorted(
    {
        *_base.__all__,
        *_classification.__all__,
        *_optax.__all__,
        *_probabilistic.__all__,
        *_ranking.__all__,
        *_regression.__all__,
        *_regularization.__all__,
        *_segmentation.__all__,
        *_self_supervised.__all__,
    }
)
