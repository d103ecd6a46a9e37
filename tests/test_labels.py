"""The classifier's label encoding (``skxor.targets.labels``) agrees with LabelBinarizer."""

import numpy as np
import pytest
from sklearn.preprocessing import LabelBinarizer

from skxor.targets.labels import indicator_target, predicted_labels


@pytest.mark.parametrize("labels", [
    np.array([3, 1, 3, 1]),
    np.array(["b", "a", "c", "a", "c"]),
    np.array([True, False, False]),
    np.array([2.0, 0.0, 1.0, 0.0]),
    np.array(["only", "only"], dtype=object),
    np.array([[1, 0, 1], [0, 1, 1]]),
], ids=["binary ints", "multiclass strings", "bools", "floats", "one class", "multilabel"])
def test_indicator_targets_equal_label_binarizer_encoding(labels):
    binarizer = LabelBinarizer().fit(labels)
    target = indicator_target(binarizer, labels, np.float32)
    assert target.dtype == np.float32
    np.testing.assert_array_equal(target, binarizer.transform(labels))


@pytest.mark.parametrize("labels, output", [
    (np.array(["x", "y", "z"]), np.array([[0.2, 0.5, 0.3], [0.4, 0.2, 0.4], [0.1, 0.1, 0.8]])),
    (np.array([7, 9]), np.array([0.2, 0.5, 0.9, 0.7])),
    (np.array([[1, 0], [0, 1]]), np.array([[0.7, 0.2], [0.5, 0.9]])),
], ids=["multiclass, ties to the first", "binary", "multilabel"])
def test_predicted_labels_equal_label_binarizer_decoding(labels, output):
    binarizer = LabelBinarizer().fit(labels)
    np.testing.assert_array_equal(predicted_labels(binarizer, output),
                                  binarizer.inverse_transform(output))
