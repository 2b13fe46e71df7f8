"""Pure functional kernels: unreduced losses and metric statistics.

Every function is jit/vmap/grad-safe and takes `(y_true, y_pred, *, options)`
in Keras' order.
"""

from jax_metrics.functional import (
    _accuracy,
    _aggregation,
    _calibration,
    _classification,
    _confusion,
    _confusion_counts,
    _confusion_functional,
    _correlation,
    _curve_points,
    _curve_values,
    _curves,
    _f_score,
    _fairness,
    _iou,
    _multilabel_ranking,
    _probabilistic,
    _rank_correlation,
    _ranking,
    _reduction,
    _regression,
    _regression_deviance,
    _regression_errors,
    _regression_metrics,
    _regularization,
    _segmentation,
    _self_supervised,
    _stat_scores,
    _stat_scores_forms,
    _stat_scores_statistics,
    _stat_scores_values,
)
from jax_metrics.functional._accuracy import *
from jax_metrics.functional._aggregation import *
from jax_metrics.functional._calibration import *
from jax_metrics.functional._classification import *
from jax_metrics.functional._confusion import *
from jax_metrics.functional._confusion_counts import *
from jax_metrics.functional._confusion_functional import *
from jax_metrics.functional._correlation import *
from jax_metrics.functional._curve_points import *
from jax_metrics.functional._curve_values import *
from jax_metrics.functional._curves import *
from jax_metrics.functional._f_score import *
from jax_metrics.functional._fairness import *
from jax_metrics.functional._iou import *
from jax_metrics.functional._multilabel_ranking import *
from jax_metrics.functional._probabilistic import *
from jax_metrics.functional._rank_correlation import *
from jax_metrics.functional._ranking import *
from jax_metrics.functional._reduction import *
from jax_metrics.functional._regression import *
from jax_metrics.functional._regression_deviance import *
from jax_metrics.functional._regression_errors import *
from jax_metrics.functional._regression_metrics import *
from jax_metrics.functional._regularization import *
from jax_metrics.functional._segmentation import *
from jax_metrics.functional._self_supervised import *
from jax_metrics.functional._stat_scores import *
from jax_metrics.functional._stat_scores_forms import *
from jax_metrics.functional._stat_scores_statistics import *
from jax_metrics.functional._stat_scores_values import *

__all__ = sorted(
    {
        *_accuracy.__all__,
        *_aggregation.__all__,
        *_calibration.__all__,
        *_classification.__all__,
        *_confusion.__all__,
        *_confusion_counts.__all__,
        *_confusion_functional.__all__,
        *_correlation.__all__,
        *_curve_points.__all__,
        *_curve_values.__all__,
        *_curves.__all__,
        *_f_score.__all__,
        *_fairness.__all__,
        *_iou.__all__,
        *_multilabel_ranking.__all__,
        *_probabilistic.__all__,
        *_rank_correlation.__all__,
        *_ranking.__all__,
        *_reduction.__all__,
        *_regression.__all__,
        *_regression_deviance.__all__,
        *_regression_errors.__all__,
        *_regression_metrics.__all__,
        *_regularization.__all__,
        *_segmentation.__all__,
        *_self_supervised.__all__,
        *_stat_scores.__all__,
        *_stat_scores_forms.__all__,
        *_stat_scores_statistics.__all__,
        *_stat_scores_values.__all__,
    }
)
