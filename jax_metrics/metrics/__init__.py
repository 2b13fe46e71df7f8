"""Metric classes: immutable pytrees of static config and state."""

from jax_metrics.metrics import (
    _accuracy,
    _aggregation,
    _base,
    _calibration,
    _compositional,
    _confusion,
    _confusion_curves,
    _correlation,
    _curves,
    _f_score,
    _fairness,
    _hinge,
    _iou,
    _multilabel_ranking,
    _probabilistic,
    _regression,
    _regression_deviance,
    _regression_errors,
    _running,
    _stat_scores,
    _task_dispatch,
    _task_metrics,
    _tracking,
    _transformers,
    _wrappers,
)
from jax_metrics.metrics._accuracy import *
from jax_metrics.metrics._aggregation import *
from jax_metrics.metrics._base import *
from jax_metrics.metrics._calibration import *
from jax_metrics.metrics._compositional import *
from jax_metrics.metrics._confusion import *
from jax_metrics.metrics._confusion_curves import *
from jax_metrics.metrics._correlation import *
from jax_metrics.metrics._curves import *
from jax_metrics.metrics._f_score import *
from jax_metrics.metrics._fairness import *
from jax_metrics.metrics._hinge import *
from jax_metrics.metrics._iou import *
from jax_metrics.metrics._multilabel_ranking import *
from jax_metrics.metrics._probabilistic import *
from jax_metrics.metrics._regression import *
from jax_metrics.metrics._regression_deviance import *
from jax_metrics.metrics._regression_errors import *
from jax_metrics.metrics._running import *
from jax_metrics.metrics._stat_scores import *
from jax_metrics.metrics._task_dispatch import *
from jax_metrics.metrics._task_metrics import *
from jax_metrics.metrics._tracking import *
from jax_metrics.metrics._transformers import *
from jax_metrics.metrics._wrappers import *

__all__ = sorted(
    {
        *_accuracy.__all__,
        *_aggregation.__all__,
        *_base.__all__,
        *_calibration.__all__,
        *_compositional.__all__,
        *_confusion.__all__,
        *_confusion_curves.__all__,
        *_correlation.__all__,
        *_curves.__all__,
        *_f_score.__all__,
        *_fairness.__all__,
        *_hinge.__all__,
        *_iou.__all__,
        *_multilabel_ranking.__all__,
        *_probabilistic.__all__,
        *_regression.__all__,
        *_regression_deviance.__all__,
        *_regression_errors.__all__,
        *_running.__all__,
        *_stat_scores.__all__,
        *_task_dispatch.__all__,
        *_task_metrics.__all__,
        *_tracking.__all__,
        *_transformers.__all__,
        *_wrappers.__all__,
    }
)
