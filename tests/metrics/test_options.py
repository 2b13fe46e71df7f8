"""Constructor options of the wrong kind raise a ValueError naming the option.

Found by building every class with None, a string, a scalar where a sequence
belongs, and mixed lists: these raised TypeError from float()/int()/tuple()
instead, or were accepted.
"""

import pytest

import jax_metrics as jm

M = jm.metrics

CASES = [
    (lambda: M.AUC(thresholds=True), "`thresholds`: expected a sequence"),
    (lambda: M.AUC(thresholds=[0.5, "a"]), "expected thresholds in"),
    (lambda: M.Precision(thresholds=[0.5, None]), "expected thresholds in"),
    (lambda: M.AUC(label_weights=2.5), "`label_weights`: expected a sequence"),
    (lambda: M.BinaryIoU(target_class_ids=1), "`target_class_ids`: expected"),
    (lambda: M.IoU(num_classes=3, target_class_ids=[1.5]), "sequence of integers"),
    (lambda: M.BinaryIoU(threshold=None), "`threshold` to be a number"),
    (lambda: M.CriticalSuccessIndex(threshold="0.5"), "`threshold`: expected a"),
    # options shared by many classes, checked once when any class is built
    (lambda: M.BinaryPrecision(from_logits=1), "`from_logits`: expected a bool"),
    (lambda: M.AUC(multi_label="yes"), "`multi_label`: expected a bool"),
    (lambda: M.RelativeSquaredError(squared=None), "`squared`: expected a bool"),
    (lambda: M.TopKCategoricalAccuracy(k=0), "`k`: expected an int >= 1"),
    (lambda: M.MulticlassRecall(num_classes=3, zero_division="1"), "`zero_division`"),
    (lambda: jm.losses.BinaryCrossentropy(label_smoothing=2), "`label_smoothing`"),
    (lambda: M.BinaryAccuracy(threshold="0.5"), "`threshold`: expected a number"),
    (lambda: M.BinaryAccuracy(threshold=None), "`threshold` to be a number"),
    (lambda: M.PearsonCorrelation(axis="x"), "`axis`: expected an int"),
    (lambda: M.Perplexity(ignore_index=[1, 2]), "`ignore_index`: expected an int"),
    (lambda: M.Perplexity(ignore_index=1.5), "`ignore_index`: expected an int"),
    (lambda: jm.losses.DiceLoss(class_weights=2.0), "`class_weights`: expected"),
]


@pytest.mark.parametrize(("build", "match"), CASES)
def test_option_of_the_wrong_kind_raises_value_error(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_numeric_sequences_and_numpy_scalars_are_accepted():
    import numpy as np

    auc = M.AUC(thresholds=np.array([0.25, 0.75]), label_weights=None)
    assert len(auc.get_config()["thresholds"]) == 2
    iou = M.IoU(num_classes=3, target_class_ids=np.array([0, 2]))
    assert list(iou.get_config()["target_class_ids"]) == [0, 2]
    assert M.BinaryIoU(threshold=np.float32(0.25)).threshold == 0.25
