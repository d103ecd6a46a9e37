"""``MLPBackpropClassifier``: the classifier, on the shared core and fit machinery.

What is the classifier's own: its ``loss`` and ``class_weight`` parameters
and its documentation, its targets (``targets.labels.ClassLabels``: the label
encoding, class weights, the logistic or softmax output, accuracy), and the
probability methods. The training itself is ``BaseMLP``'s.
"""

from sklearn.base import ClassifierMixin
from sklearn.utils.metaestimators import available_if

from ._base import BaseMLP, has_stochastic_solver, rolls_back_on_failure, validation_arguments
from ._callbacks import with_callbacks
from ._parameters import EstimatorParameters, documented, loss_parameter
from ._prediction import lazy_on_dask
from .data.placement import placement_of, put
from .network.losses import probability_bounds
from .network.primitives import primitives, to_numpy
from .targets.labels import ClassLabels, predicted_labels
from .targets.losses import CLASSIFICATION_LOSSES
from .utils.parameters import Allowed, Parameter

CLASS_WEIGHT = Parameter(
    "class_weight", None,
    Allowed(lambda v: v is None or v == "balanced" or isinstance(v, dict),
            "a str among {'balanced'}, a dict mapping each class label to its weight or None"),
    'None, "balanced" or dict',
    'Weight of each class, multiplied into ``sample_weight``; ``"balanced"`` weighs classes '
    "inversely to their frequency in ``y``. Not for multilabel targets; ``partial_fit`` "
    "takes a dict only.")

PARAMETERS = EstimatorParameters(
    leading=(), own=(loss_parameter(CLASSIFICATION_LOSSES, "log_loss"), CLASS_WEIGHT),
    losses=CLASSIFICATION_LOSSES)
"""The classifier's parameters: the shared ones, its loss and its class weights."""


@documented(PARAMETERS)
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
{parameters}

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

    __init__ = PARAMETERS.constructor()
    _PARAMETERS = PARAMETERS
    _ENCODED_MARK = "classes_"

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
            DataFrame trains on the current Dask cluster (see the Dask guide).
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
        output = to_numpy(self._network_output(X, "predict"))
        if self.n_outputs_ == 1:
            output = output.ravel()
        labels = predicted_labels(self._label_binarizer, output)
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
        output = self._network_output(X, method)
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    def _targets(self, config, resume, classes):
        """The labels' encoding for this fit: a fresh one, or the fitted one continued."""
        return ClassLabels(CLASSIFICATION_LOSSES[config.loss].make(config), config.class_weight,
                           self._label_binarizer if resume else None, config.incremental,
                           classes, to_numpy(getattr(self, "classes_", None)))
