"""``MLPBackpropClassifier``: the classifier face of the NumPy core.

What is the classifier's own: its parameters and documentation, the label encoding (binary,
multiclass, multilabel) and its checks, class weights, the logistic or softmax output, and the
probability methods. The training itself is ``BaseMLP``'s.
"""

import functools

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import unique_labels

from ._base import BaseMLP, has_stochastic_solver, rolls_back_on_failure
from ._callbacks import with_callbacks
from ._checks import (
    check_labels_known,
    checked_target,
    usable_weights,
    validated_sample_weight,
    validation_arguments,
)
from ._constants import numpy_dtype
from ._docs import shared_docstring
from ._losses import probability_bounds
from ._placement import placement_of, put
from ._predict import forward, lazy_on_dask
from ._primitives import primitives, to_numpy
from ._validation import indicator_accuracy


def _indicator_target(binarizer, y, dtype):
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


def _predicted_labels(binarizer, output):
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


@shared_docstring
class MLPBackpropClassifier(ClassifierMixin, BaseMLP):
    """Multi-layer perceptron classifier trained by backpropagation in NumPy.

    A drop-in replacement for :class:`sklearn.neural_network.MLPClassifier`:
    the same parameters, defaults and fitted attributes, plus a choice of loss
    and of weight initialisation, class weights, more activations (one per
    layer if wished), restarts from several random starts, a validation set of
    your own, and scikit-learn's callbacks (``set_callbacks``, scikit-learn
    >= 1.9). Every extra defaults to MLPClassifier's behaviour. All weights
    and biases live in one flat vector; ``coefs_`` and ``intercepts_`` are
    views into it.

    Parameters
    ----------
{network_parameters}
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when its
        accuracy stalls; the best parameters seen are kept. The held-out
        rows are MLPClassifier's for the same ``random_state``: stratified
        for binary targets only. For a stratified multiclass validation set,
        pass your own as ``X_val``/``y_val``. Stochastic solvers only.
{solver_parameters}
    loss : {"log_loss", "squared_error"}, default="log_loss"
        ``"log_loss"`` is the cross-entropy that MLPClassifier minimises;
        ``"squared_error"`` is the seeds' ``1/2 mean((p - y)**2)`` of the
        output probabilities.
{weight_init}
    class_weight : None, "balanced" or dict, default=None
        Weight of each class, multiplied into ``sample_weight``; ``"balanced"``
        weighs classes inversely to their frequency in ``y``. Not for
        multilabel targets; ``partial_fit`` takes a dict only.
    n_init : int, default=1
        Random starts to train from, drawn one after another from
        ``random_state``; the fit keeps the one with the best final
        validation score (see ``scoring``) when there is a validation set,
        else the lowest final training loss. Warm and partial fits continue
        from the current weights and ignore it.
{dropout}
{scoring}
{toolkit}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (label indices for multilabel targets). Under array API
        dispatch, numeric labels are in the namespace and on the device y
        came in, as in LogisticRegression; text labels stay NumPy.
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Feature names seen in fit, when X had string column names.
    coefs_ : list of ndarray of shape (fan_in, fan_out)
        Weights of each layer, views into one flat parameter vector. Under
        array API dispatch they live in X's namespace and on its device.
    intercepts_ : list of ndarray of shape (fan_out,)
        Biases of each layer, views into the same vector.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        ``"logistic"`` (binary, multilabel) or ``"softmax"`` (multiclass).
    loss_ : float or None
        Loss at the end of training; None when a first fit was interrupted
        before its first epoch ended.
    loss_curve_ : list of float
        Loss after each epoch (each iteration for ``"lbfgs"``).
    best_loss_ : float or None
        Lowest training loss seen; None with early stopping.
    validation_scores_ : list of float or None
        Validation score (accuracy unless ``scoring`` says otherwise) after
        each epoch (L-BFGS iteration) when there is a validation set
        (``X_val`` given, or early stopping), else None.
    validation_loss_curve_ : list of float or None
        Loss on the validation set after each epoch, without the L2 penalty,
        beside ``validation_scores_``; else None.
    best_validation_score_ : float or None
        Best validation score (see ``scoring``) when there is a validation
        set, else None.
{epoch_records}

    See Also
    --------
    MLPBackpropRegressor, check_gradients

    Examples
    --------
    >>> from skxor import MLPBackpropClassifier
    >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    >>> y = [0, 1, 1, 0]
    >>> clf = MLPBackpropClassifier(hidden_layer_sizes=(4,), activation="tanh",
    ...                             solver="lbfgs", random_state=0).fit(X, y)
    >>> clf.predict(X).tolist()
    [0, 1, 1, 0]
    >>> clf.predict_proba([[1, 0]]).round(2).tolist()
    [[0.0, 1.0]]
    """

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", alpha=1e-4, batch_size="auto",
                 learning_rate="constant", learning_rate_init=1e-3, power_t=0.5,
                 max_iter=200, shuffle=True, random_state=None, tol=1e-4,
                 verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False,
                 validation_fraction=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 n_iter_no_change=10, max_fun=15000, loss="log_loss",
                 weight_init="glorot", class_weight=None, n_init=1, dropout=0.0,
                 scoring=None,
                 lr_schedule=None, warmup=0, weight_decay=0.0, max_grad_norm=None,
                 dtype=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.loss = loss
        self.weight_init = weight_init
        self.class_weight = class_weight
        self.n_init = n_init
        self.dropout = dropout
        self.scoring = scoring
        self.lr_schedule = lr_schedule
        self.warmup = warmup
        self.weight_decay = weight_decay
        self.max_grad_norm = max_grad_norm
        self.dtype = dtype

    @rolls_back_on_failure
    @with_callbacks
    def fit(self, X, y, sample_weight=None, *, X_val=None, y_val=None,
            sample_weight_val=None):
        """Fit the network to data.

        Ctrl-C (``KeyboardInterrupt``) during an sgd or adam fit ends
        training, warns "Training interrupted by user." and keeps the model
        trained so far (the best weights with early stopping, the best start
        with ``n_init``), as MLPClassifier does. In an lbfgs fit it
        propagates and leaves the estimator as it was.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array} of shape (n_samples, n_features)
            Training data; float32 data train in float32. A dask array or
            DataFrame trains on the current Dask cluster (see the README).
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a binary indicator matrix for multilabel targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; the loss is their weighted average.
        X_val, y_val : array-like, default=None
            A validation set, given together. It is scored after every epoch
            (``validation_scores_``, ``validation_loss_curve_``); with
            ``early_stopping=True`` it replaces the split of ``X`` and judges
            when to stop. In a Pipeline, ``transform_input=["X_val"]``
            transforms it like ``X``.
        sample_weight_val : array-like of shape (n_val_samples,), default=None
            Weights of the validation samples.

        Returns
        -------
        self : MLPBackpropClassifier
            The fitted estimator.
        """
        validation_data = validation_arguments(X_val, y_val, sample_weight_val)
        return self._fit(X, y, sample_weight, incremental=False,
                         validation_data=validation_data)

    @available_if(has_stochastic_solver)
    @rolls_back_on_failure
    @with_callbacks
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train for one epoch on the given data.

        A ``KeyboardInterrupt`` propagates and leaves the estimator as it was
        before the call: the caller's own loop is the one to stop.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a binary indicator matrix for multilabel targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.
        classes : array-like of shape (n_classes,), default=None
            Every class that any call will see (its unique labels count;
            order and repeats do not); required on the first call. Later calls
            may omit it, or must give the same set of labels. ``y`` need not
            hold every class.

        Returns
        -------
        self : MLPBackpropClassifier
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    @lazy_on_dask
    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
        """
        output = to_numpy(forward(self, X, "predict"))
        if self.n_outputs_ == 1:
            output = output.ravel()
        labels = _predicted_labels(self._label_binarizer, output)
        if labels.dtype.kind not in "biuf":
            return labels  # text labels stay NumPy, as in LogisticRegression
        return put(placement_of(X), labels)

    @lazy_on_dask
    def predict_proba(self, X):
        """Probability of each class.

        Logistic outputs are clipped to ``[eps, 1 - eps]`` (``eps`` of the
        weights' dtype), the range the log loss is trained on, so a saturated
        unit never reports a certainty of exactly 0 or 1.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``; for multilabel targets each column is
            the probability that its label is present.
        """
        return self._probabilities(X, "predict_proba")

    def _probabilities(self, X, method):
        """``predict_proba``'s result; ``method`` names the public method in errors."""
        output = forward(self, X, method)
        ops = primitives(output)
        if self.classes_.shape[0] == 1:
            output[...] = 1
            return output
        if self.out_activation_ == "softmax":
            return output
        ops.clip(output, *probability_bounds(output.dtype), out=output)
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return output
        return ops.concatenate([1 - output, output], axis=1)

    @lazy_on_dask
    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        proba = self._probabilities(X, "predict_log_proba")
        return primitives(proba).log(proba)

    _ENCODED_MARK = "classes_"
    _NETWORK_LOSSES = {"log_loss": "log_loss", "squared_error": "squared_error"}
    _STRATIFIED_SPLIT = True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def _encoded_targets(self, y, dtype, resume, incremental, classes):
        """The labels' LabelBinarizer, the labels, and their indicator targets."""
        y, y_type = checked_target(y)
        binarizer = self._binarizer(y, y_type == "multilabel-indicator", resume, incremental,
                                    classes)
        return binarizer, y, _indicator_target(binarizer, y, dtype)

    def _output_activation(self, binarizer):
        return "softmax" if binarizer.y_type_ == "multiclass" else "logistic"

    def _encoder_attributes(self, binarizer, placement):
        """``classes_`` lives where y did, as in LogisticRegression; text labels in NumPy."""
        classes = binarizer.classes_
        if classes.dtype.kind in "biuf":
            classes = put(placement, classes)
        return {"_label_binarizer": binarizer, "classes_": classes}

    def _validation_score(self, network):
        return functools.partial(indicator_accuracy,
                                 output_activation=network.output_activation)

    def _validation_target(self, binarizer, y_val, dtype, name="y_val"):
        y_val, _ = checked_target(y_val)
        if binarizer.y_type_ != "multilabel-indicator":
            check_labels_known(y_val, binarizer.classes_, "the classes of y")
        elif y_val.ndim != 2 or y_val.shape[1] != len(binarizer.classes_):
            raise ValueError(f"{name} must be a multilabel indicator matrix with "
                             f"{len(binarizer.classes_)} columns, like y.")
        return y_val, _indicator_target(binarizer, y_val, dtype)

    def _weights(self, sample_weight, X, y, binarizer, incremental=False,
                 name="sample_weight"):
        """Per-sample weights: ``sample_weight`` times the class weights, or None."""
        sample_weight = validated_sample_weight(sample_weight, X, name)
        if self.class_weight is None:
            return sample_weight
        if binarizer.y_type_ == "multilabel-indicator":
            raise ValueError("class_weight is not supported for multilabel targets: "
                             "weigh the samples with sample_weight instead.")
        if incremental and isinstance(self.class_weight, str):
            raise ValueError(
                "class_weight='balanced' needs every sample at once, which partial_fit "
                "does not see. Pass a dict, for example computed once by "
                "sklearn.utils.class_weight.compute_class_weight.")
        per_class = compute_class_weight(self.class_weight, classes=binarizer.classes_,
                                         y=y)
        weights = per_class[np.searchsorted(binarizer.classes_, y)].astype(np.float64)
        if sample_weight is not None:
            weights *= sample_weight
        return usable_weights(weights, numpy_dtype(X.dtype),
                              "The class weights times sample_weight")

    def _binarizer(self, y, multilabel, resume, incremental, classes):
        """Label encoder for this fit, with MLPClassifier's checks of ``classes`` and ``y``.

        A fresh fit encodes the labels of ``y``; a first ``partial_fit`` those
        of ``classes`` (of ``y`` for a multilabel indicator matrix). A warm
        start needs ``y`` to hold exactly the fitted classes, a later
        ``partial_fit`` only classes among them.
        """
        if incremental:
            classes = self._partial_fit_classes(classes)
        if not resume:
            binarizer = LabelBinarizer().fit(y if classes is None or multilabel else classes)
            if not incremental:
                return binarizer
        else:
            binarizer = self._label_binarizer
        labels = unique_labels(y)
        if resume and not incremental:
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

    def _partial_fit_classes(self, classes):
        """``classes`` as sorted unique labels, checked against earlier calls; or None."""
        fitted = to_numpy(getattr(self, "classes_", None))
        if classes is None:
            if fitted is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            return None
        unique = unique_labels(classes)
        if fitted is not None and not np.array_equal(fitted, unique):
            raise ValueError(f"`classes={classes!r}` is not the same as on last call to "
                             f"partial_fit, was: {fitted!r}")
        return unique
