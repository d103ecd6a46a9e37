"""The classifier's targets: class labels, encoded as indicator columns.

``ClassLabels`` is what ``MLPBackpropClassifier`` hands the training
machinery: it checks and encodes labels (binary, multiclass, multilabel),
weighs samples by class, names the output activation (logistic or
softmax), scores outputs (accuracy) and gives the fitted attributes of its
encoder (``classes_``). It holds no estimator, so a dask fit sends it to
the workers to encode their chunks.
"""

import numbers
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d

from ..data.checks import usable_weights, validated_sample_weight
from ..data.placement import put
from ..network.constants import numpy_dtype


@dataclass
class ClassLabels:
    """Class labels as the network's indicator targets, with their checks and weights.

    Parameters
    ----------
    loss : loss object
        What the network trains on (``LogLoss()``...).
    class_weight : None, "balanced" or dict
    continued : LabelBinarizer or None
        The fitted encoder that a warm start or a later ``partial_fit``
        keeps, or None for a fresh fit.
    incremental : bool
        Whether the fit is a ``partial_fit``.
    classes : array-like or None
        ``partial_fit``'s ``classes`` argument.
    fitted_classes : ndarray or None
        ``classes_`` of the fitted model (NumPy), which ``classes`` must
        repeat on a later ``partial_fit``; None before the first fit.

    Attributes
    ----------
    binarizer : LabelBinarizer
        The encoder, once ``encode`` has seen the training labels.
    """

    loss: object
    class_weight: object = None
    continued: LabelBinarizer | None = None
    incremental: bool = False
    classes: object = None
    fitted_classes: np.ndarray | None = None
    binarizer: LabelBinarizer | None = None

    y_numeric: ClassVar[bool] = False
    """Whether y must be numeric, as ``validate_data`` checks."""
    stratified_split: ClassVar[bool] = True
    """Early stopping's split is stratified, as in MLPClassifier."""

    def encode(self, y, dtype):
        """Fit the encoder to the training labels ``y``; return ``(labels, target)``.

        ``labels`` are the checked labels, ``target`` their indicator columns,
        of shape (n_samples, n_outputs) in ``dtype``.
        """
        y, y_type = checked_target(y)
        self.binarizer = self._binarizer(y, y_type == "multilabel-indicator")
        return y, indicator_target(self.binarizer, y, dtype)

    def encode_more(self, y, dtype, name="y_val"):
        """``(labels, target)`` of more labels (a validation set, a chunk), as the fit's."""
        binarizer = self.binarizer
        y, _ = checked_target(y)
        if binarizer.y_type_ != "multilabel-indicator":
            check_labels_known(y, binarizer.classes_, "the classes of y")
        elif y.ndim != 2 or y.shape[1] != len(binarizer.classes_):
            raise ValueError(f"{name} must be a multilabel indicator matrix with "
                             f"{len(binarizer.classes_)} columns, like y.")
        return y, indicator_target(binarizer, y, dtype)

    @property
    def output_activation(self):
        """Softmax for one class among several, else one logistic unit per output."""
        return "softmax" if self.binarizer.y_type_ == "multiclass" else "logistic"

    def weigh(self, sample_weight, X, labels, name="sample_weight", whole_data=True):
        """Per-sample weights: ``sample_weight`` times the class weights, or None.

        ``whole_data`` is False for a part of the data, whose weights may all
        be zero (see ``validated_sample_weight``).
        """
        sample_weight = validated_sample_weight(sample_weight, X, name, whole_data)
        if self.class_weight is None:
            return sample_weight
        binarizer = self.binarizer
        if binarizer.y_type_ == "multilabel-indicator":
            raise ValueError("class_weight is not supported for multilabel targets: "
                             "weigh the samples with sample_weight instead.")
        if self.incremental and isinstance(self.class_weight, str):
            raise ValueError(
                "class_weight='balanced' needs every sample at once, which partial_fit "
                "does not see. Pass a dict, for example computed once by "
                "sklearn.utils.class_weight.compute_class_weight.")
        per_class = compute_class_weight(self.class_weight, classes=binarizer.classes_,
                                         y=labels)
        weights = per_class[np.searchsorted(binarizer.classes_, labels)].astype(np.float64)
        if sample_weight is not None:
            weights *= sample_weight
        return usable_weights(weights, numpy_dtype(X.dtype),
                              "The class weights times sample_weight", whole_data)

    def score(self, output, target, sample_weight):
        """Accuracy of network outputs against indicator targets (subset accuracy).

        Weighted in float64, where float32 weights cannot overflow their sum.
        """
        if self.output_activation == "softmax":
            correct = output.argmax(axis=1) == target.argmax(axis=1)
        else:
            correct = ((output > 0.5) == (target > 0.5)).all(axis=1)
        weights = None if sample_weight is None else sample_weight.astype(np.float64)
        return float(np.average(correct, weights=weights))

    def fitted_attributes(self, placement):
        """``classes_`` (where y lived, as in LogisticRegression; text labels in NumPy)
        and the encoder."""
        classes = self.binarizer.classes_
        if classes.dtype.kind in "biuf":
            classes = put(placement, classes)
        return {"_label_binarizer": self.binarizer, "classes_": classes}

    def _binarizer(self, y, multilabel):
        """The encoder for this fit, with MLPClassifier's checks of ``classes`` and ``y``.

        A fresh fit encodes the labels of ``y``; a first ``partial_fit`` those
        of ``classes`` (of ``y`` for a multilabel indicator matrix). A warm
        start needs ``y`` to hold exactly the fitted classes, a later
        ``partial_fit`` only classes among them.
        """
        resume, classes = self.continued is not None, None
        if self.incremental:
            classes = partial_fit_classes(self.classes, self.fitted_classes)
        if not resume:
            binarizer = LabelBinarizer().fit(y if classes is None or multilabel else classes)
            if not self.incremental:
                return binarizer
        else:
            binarizer = self.continued
        labels = unique_labels(y)
        if resume and not self.incremental:
            if set(labels) != set(binarizer.classes_):
                raise ValueError(
                    "warm_start can only be used where `y` has the same classes as in "
                    f"the previous call to fit. Previously got {binarizer.classes_}, "
                    f"`y` has {labels}")
        elif np.setdiff1d(labels, binarizer.classes_).size:
            raise ValueError(
                "`y` has classes not in `self.classes_`. `self.classes_` has "
                f"{binarizer.classes_}. 'y' has {labels}.")
        return binarizer


def partial_fit_classes(classes, fitted):
    """``classes`` as sorted unique labels, checked against ``fitted`` ones; or None."""
    if classes is None:
        if fitted is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        return None
    unique = unique_labels(classes)
    if fitted is not None and not np.array_equal(fitted, unique):
        raise ValueError(f"`classes={classes!r}` is not the same as on last call to "
                         f"partial_fit, was: {fitted!r}")
    return unique


def indicator_target(binarizer, y, dtype):
    """``binarizer.transform(y)`` in ``dtype``, for 1-D labels by one comparison.

    LabelBinarizer's own transform validates ``y`` again and works out its
    type again: about 0.4 of the 1.7 ms a one-epoch fit on XOR took.
    """
    classes = binarizer.classes_
    if binarizer.y_type_ == "multilabel-indicator" or len(classes) < 2:
        return binarizer.transform(y).astype(dtype)
    if len(classes) == 2:
        return (y == classes[1]).astype(dtype)[:, np.newaxis]
    return (y[:, np.newaxis] == classes).astype(dtype)


def predicted_labels(binarizer, output):
    """``binarizer.inverse_transform(output)``; for one-label outputs by argmax or threshold.

    The class with the highest probability (the first on ties), or for a
    single logistic output the second class where it exceeds 0.5: what
    LabelBinarizer decides, without its input checks, which took a third of
    a one-row ``predict``.
    """
    classes = binarizer.classes_
    if binarizer.y_type_ == "multiclass":
        return classes.take(output.argmax(axis=1))
    if binarizer.y_type_ == "binary" and len(classes) == 2 and output.ndim == 1:
        return classes.take((output > 0.5).astype(np.intp))
    return binarizer.inverse_transform(output)


def checked_target(y):
    """Validated class labels and their kind, ``(y, type_of_target(y))``.

    ``y`` comes back as 1-D labels or a 2-D multilabel indicator matrix; the
    kind is worked out once here, since it scans every label.
    """
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    try:
        y_type = type_of_target(y, input_name="y")
    except TypeError:
        _check_one_label_type(y)
        raise
    if y_type == "unknown":
        _check_one_label_type(y)
    if y_type == "multiclass-multioutput":
        raise ValueError(
            "y has several columns of class labels (multiclass-multioutput); "
            "MLPBackpropClassifier fits binary, multiclass or multilabel-indicator "
            "(0/1 columns) targets. Wrap it in sklearn's MultiOutputClassifier.")
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"Unknown label type: {y_type!r}. y must hold class labels; "
                         "to predict a continuous target, use a regressor.")
    return y, y_type


def _check_one_label_type(y):
    """Labels held as Python objects must all be numbers, or all strings.

    Called only once ``type_of_target`` has failed on ``y``: it walks every
    label in Python.
    """
    if y.dtype != object:
        return
    kinds = {"None" if label is None else "string" if isinstance(label, str) else
             "number" if isinstance(label, numbers.Number) else type(label).__name__
             for label in y.ravel()}
    if len(kinds) > 1:
        raise ValueError(f"y mixes label types ({', '.join(sorted(kinds))}): class labels "
                         "must be all numbers or all strings.")


def check_labels_known(y, known, name):
    """Every label of ``y`` must be among ``known``."""
    unknown = np.setdiff1d(np.unique(y), known)
    if unknown.size:
        raise ValueError(f"y contains labels {unknown!r} that are not in {name} "
                         f"{known!r}.")
