"""``MLPBackpropClassifier``: the scikit-learn face of the NumPy core.

The estimator validates parameters and data once, encodes the labels, picks
the solver and records what training reports. Everything numerical happens in
the core modules, which know nothing of scikit-learn.
"""

import copy
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from ._init import initialize
from ._network import Network
from ._params import validate_params
from ._solvers import (
    SGD,
    Adam,
    Diverged,
    EpochSettings,
    Progress,
    check_divergence,
    minimize_lbfgs,
    train_epochs,
)

_FLOAT_DTYPES = (np.float64, np.float32)

STATE_FORMAT = 1
"""Layout of the pickled state; raise it when the fitted attributes change shape."""


def _is_stochastic(estimator):
    if estimator.solver == "lbfgs":
        raise AttributeError(
            "partial_fit is only available for the stochastic solvers 'sgd' and "
            "'adam'; solver='lbfgs' is not stochastic.")
    return True


class MLPBackpropClassifier(ClassifierMixin, BaseEstimator):
    """Multi-layer perceptron classifier trained by backpropagation in NumPy.

    A drop-in replacement for :class:`sklearn.neural_network.MLPClassifier`:
    the same parameters, defaults and fitted attributes, plus a choice of loss
    and of weight initialisation. All weights and biases live in one flat
    vector; ``coefs_`` and ``intercepts_`` are views into it.

    Parameters
    ----------
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units of each hidden layer; ``()`` fits a network without hidden layer.
    activation : {"relu", "tanh", "logistic", "sigmoid", "identity"}, default="relu"
        Activation of the hidden units; ``"sigmoid"`` is the seeds' name for
        ``"logistic"``.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        ``"sgd"`` and ``"adam"`` train in mini-batches for ``max_iter`` epochs;
        ``"lbfgs"`` minimises the full-batch loss with SciPy's L-BFGS-B fed by
        the backpropagated gradient.
    alpha : float, default=1e-4
        Strength of the L2 penalty ``alpha / 2 * ||W||**2 / n_samples`` (the
        sum of sample weights replaces ``n_samples`` when they are given).
    batch_size : int or "auto", default="auto"
        Mini-batch size of the stochastic solvers; ``"auto"`` is
        ``min(200, n_samples)``, and larger values are clipped to ``n_samples``.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Learning-rate schedule of ``solver="sgd"``.
    learning_rate_init : float, default=1e-3
        Initial learning rate of ``"sgd"`` and ``"adam"``.
    power_t : float, default=0.5
        Exponent of the ``"invscaling"`` schedule.
    max_iter : int, default=200
        Maximum epochs (``"sgd"``, ``"adam"``) or iterations (``"lbfgs"``).
    shuffle : bool, default=True
        Shuffle the samples before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the validation split and the shuffles.
        The same integer gives bit-identical weights.
    tol : float, default=1e-4
        Training stops when the loss (or validation score) has not improved by
        at least ``tol`` for ``n_iter_no_change`` epochs; ``"lbfgs"`` uses it as
        its gradient tolerance.
    verbose : bool or int, default=False
        Print the loss after every epoch or iteration.
    warm_start : bool, default=False
        Continue from the current ``coefs_`` and ``intercepts_``, including
        ones you assigned yourself, even before the first fit.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``, in [0, 1].
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``solver="sgd"``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified when every
        class allows it) and stop when its accuracy stalls; the best
        parameters seen are kept. Stochastic solvers only.
    validation_fraction : float, default=0.1
        Share of the data held out for early stopping.
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's moment estimates, in [0, 1).
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int, default=10
        Epochs without ``tol`` improvement before stopping.
    max_fun : int, default=15000
        Maximum loss evaluations of ``"lbfgs"``.
    loss : {"log_loss", "squared_error"}, default="log_loss"
        ``"log_loss"`` is the cross-entropy that MLPClassifier minimises;
        ``"squared_error"`` is the seeds' ``1/2 mean((p - y)**2)`` of the
        output probabilities.
    weight_init : {"glorot", "he", "uniform", "normal"}, default="glorot"
        ``"glorot"`` is MLPClassifier's scheme and draws; ``"he"`` is
        ``N(0, 2 / fan_in)``; ``"uniform"`` is ``U[-1, 1]`` (seeds 000, 002);
        ``"normal"`` is ``N(0, 0.1**2)`` with biases 0.1 (seed 001).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (label indices for multilabel targets).
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names seen in fit, when X had string column names.
    coefs_ : list of ndarray of shape (fan_in, fan_out)
        Weights of each layer, views into one flat parameter vector.
    intercepts_ : list of ndarray of shape (fan_out,)
        Biases of each layer, views into the same vector.
    n_layers_ : int
        Number of layers, input and output included.
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        ``"logistic"`` (binary, multilabel) or ``"softmax"`` (multiclass).
    loss_ : float
        Loss at the end of training.
    loss_curve_ : list of float
        Loss after each epoch (each iteration for ``"lbfgs"``).
    best_loss_ : float or None
        Lowest training loss seen; None with early stopping.
    validation_scores_ : list of float or None
        Validation accuracy after each epoch with early stopping, else None.
    best_validation_score_ : float or None
        Best validation accuracy with early stopping, else None.
    n_iter_ : int
        Epochs (or L-BFGS iterations) run by the last call to fit.
    t_ : int
        Training samples seen by the stochastic solvers.

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
                 weight_init="glorot"):
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

    def fit(self, X, y, sample_weight=None):
        """Fit the network to data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data train in float32.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a binary indicator matrix for multilabel targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; the loss is their weighted average.

        Returns
        -------
        self : MLPBackpropClassifier
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, incremental=False)

    @available_if(_is_stochastic)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train for one epoch on the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a binary indicator matrix for multilabel targets.
        classes : array-like of shape (n_classes,), default=None
            Every class that any call will see; required on the first call
            unless ``y`` is a multilabel indicator matrix.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self : MLPBackpropClassifier
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
        """
        output = self._forward(X)
        if self.n_outputs_ == 1:
            output = output.ravel()
        return self._label_binarizer.inverse_transform(output)

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
        output = self._forward(X)
        if len(self.classes_) == 1:
            return np.ones_like(output)
        if self.out_activation_ == "softmax":
            return output
        eps = np.finfo(output.dtype).eps
        np.clip(output, eps, 1 - eps, out=output)
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return output
        return np.hstack([1 - output, output])

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        return np.log(self.predict_proba(X))

    def __getstate__(self):
        state = super().__getstate__()
        state["_skxor_state_format"] = STATE_FORMAT
        return state

    def __setstate__(self, state):
        found = state.get("_skxor_state_format")
        if found != STATE_FORMAT:
            raise ValueError(
                f"This {type(self).__name__} was saved with state format {found}, "
                f"but this skxor reads format {STATE_FORMAT} only. Load it with the "
                "skxor version that saved it, and refit or re-save it from there.")
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_label = True
        return tags

    def _forward(self, X):
        """Validated forward pass of new data through the fitted network."""
        check_is_fitted(self, "classes_")
        with _naming_non_numeric_X():
            X = validate_data(self, X, accept_sparse="csr", dtype=_FLOAT_DTYPES,
                              reset=False)
        return self._network().predict(self.coefs_, self.intercepts_, X)

    def _network(self):
        """The network that was trained, whatever set_params changed since."""
        sizes = [self.coefs_[0].shape[0], *(coef.shape[1] for coef in self.coefs_)]
        return Network(sizes, self._trained_activation, self.out_activation_, self.loss)

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        return [sizes] if np.ndim(sizes) == 0 else list(sizes)

    def _fit(self, X, y, sample_weight, incremental, classes=None):
        """Train; on any failure leave the estimator exactly as it was."""
        saved_state = dict(self.__dict__)
        try:
            unconverged = self._fit_or_raise(X, y, sample_weight, incremental, classes)
        except Diverged as divergence:
            self.__dict__ = saved_state
            raise ValueError(
                f"{str(divergence).capitalize()}. Lower learning_rate_init (now "
                f"{self.learning_rate_init}) or scale X, for example with "
                "StandardScaler.") from None
        except BaseException:
            self.__dict__ = saved_state
            raise
        if unconverged:
            # stacklevel 3: the user's call of fit or partial_fit, which call _fit
            warnings.warn(unconverged, ConvergenceWarning, stacklevel=3)
        return self

    def _fit_or_raise(self, X, y, sample_weight, incremental, classes):
        """Validate, train on a fresh parameter vector, then record the result.

        Returns why training did not converge, or None.
        """
        problem = self._training_problem(X, y, sample_weight, incremental, classes)
        network, params, data, rng = (problem.network, problem.params, problem.data,
                                      problem.rng)
        progress = self._progress(problem.resume, incremental)
        if self.solver == "lbfgs":
            loss, n_iter, unconverged = self._fit_lbfgs(network, params, data, progress)
        else:
            loss, n_iter, unconverged = self._fit_stochastic(network, params, data,
                                                             progress, rng, incremental)
        # The stochastic solvers check every epoch; this also catches L-BFGS.
        check_divergence(n_iter, loss, params, reference_loss=loss)
        self._label_binarizer = problem.binarizer
        self.classes_ = problem.binarizer.classes_
        self.n_outputs_ = network.layer_sizes[-1]
        self.n_layers_ = network.n_layers
        self.out_activation_ = network.output_activation
        self._trained_activation = self.activation
        self.coefs_, self.intercepts_ = network.unpack(params)
        self.loss_, self.n_iter_ = loss, n_iter
        self._record(progress)
        return unconverged

    def _training_problem(self, X, y, sample_weight, incremental, classes=None):
        """Everything a fit trains on: network, starting parameters, data, rng.

        Validates the parameters and the data and draws (or reads back) the
        starting weights; it trains nothing. ``check_gradients`` uses it too,
        so it checks exactly the loss that ``fit`` minimises.
        """
        validate_params(self.get_params(deep=False))
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True: "
                             "there is no held-out set across calls.")
        resume = hasattr(self, "classes_") and (incremental or self.warm_start)
        with _naming_non_numeric_X():
            X, y = validate_data(self, X, y, accept_sparse="csr", multi_output=True,
                                 dtype=_FLOAT_DTYPES, reset=not resume)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if type_of_target(y) == "multiclass-multioutput":
            raise ValueError(
                "y has several columns of class labels (multiclass-multioutput); "
                "MLPBackpropClassifier fits binary, multiclass or multilabel-indicator "
                "(0/1 columns) targets. Wrap it in sklearn's MultiOutputClassifier.")
        sample_weight = _validated_sample_weight(sample_weight, X)
        binarizer = self._binarizer(y, resume, incremental, classes)
        target = binarizer.transform(y).astype(X.dtype)
        output_activation = "softmax" if binarizer.y_type_ == "multiclass" else "logistic"
        network = Network([X.shape[1], *self._hidden_sizes(), target.shape[1]],
                          self.activation, output_activation, self.loss)
        rng = check_random_state(self.random_state)
        params = self._starting_params(network, rng, X.dtype, incremental)
        return TrainingProblem(network, params, (X, target, sample_weight), binarizer,
                               rng, resume)

    def _binarizer(self, y, resume, incremental, classes):
        """Label encoder for this fit: a new one, or the fitted one checked against y."""
        multilabel = type_of_target(y) == "multilabel-indicator"
        if not resume:
            if incremental and classes is None and not multilabel:
                raise ValueError("classes must be given on the first call to "
                                 "partial_fit: pass every label any call will see.")
            binarizer = LabelBinarizer().fit(y if classes is None or multilabel
                                             else np.asarray(classes))
            if not multilabel:
                _check_labels_known(y, binarizer.classes_, "classes")
            return binarizer
        if classes is not None and not np.array_equal(np.asarray(classes),
                                                      self.classes_):
            raise ValueError(f"classes={classes!r} differs from classes_ "
                             f"{self.classes_!r} of the earlier calls.")
        if not multilabel:
            _check_labels_known(y, self.classes_, "classes_")
            if not incremental and len(np.unique(y)) != len(self.classes_):
                raise ValueError(
                    "warm_start needs y to have the same classes as the previous "
                    f"fit: classes_ is {self.classes_!r}, y has {np.unique(y)!r}.")
        return self._label_binarizer

    def _starting_params(self, network, rng, dtype, incremental):
        """The current coefs_/intercepts_ for a warm or partial fit, else fresh draws."""
        if hasattr(self, "coefs_") and (self.warm_start or incremental):
            _check_layer_shapes(self.coefs_, self.intercepts_, network)
            return network.pack(self.coefs_, self.intercepts_, dtype)
        return initialize(network, self.weight_init, self.activation, rng, dtype)

    def _progress(self, resume, incremental):
        """Fresh training records, or the fitted ones to continue."""
        validation_scores = [] if self.early_stopping else None
        if not resume or not hasattr(self, "loss_curve_"):
            return Progress(validation_scores=validation_scores)
        return Progress(
            loss_curve=list(self.loss_curve_),
            best_loss=np.inf if self.best_loss_ is None else self.best_loss_,
            validation_scores=(validation_scores if self.validation_scores_ is None
                               else list(self.validation_scores_)),
            best_validation_score=(-np.inf if self.best_validation_score_ is None
                                   else self.best_validation_score_),
            samples_seen=self.t_,
            no_improvement_count=self._no_improvement_count if incremental else 0,
        )

    def _record(self, progress):
        """Publish the training records as fitted attributes."""
        self.loss_curve_ = progress.loss_curve
        self.t_ = progress.samples_seen
        self._no_improvement_count = progress.no_improvement_count
        if self.early_stopping and self.solver != "lbfgs":
            self.best_loss_ = None
            self.validation_scores_ = progress.validation_scores
            self.best_validation_score_ = progress.best_validation_score
        else:
            self.best_loss_ = progress.best_loss
            self.validation_scores_ = None
            self.best_validation_score_ = None

    def _fit_lbfgs(self, network, params, data, progress):
        result = minimize_lbfgs(network, params, data, self.alpha, self.max_iter,
                                self.max_fun, self.tol, self.verbose)
        progress.loss_curve.extend(result.loss_curve)
        progress.best_loss = min([progress.best_loss, *result.loss_curve])
        unconverged = None if result.converged else (
            f"lbfgs stopped after {result.n_iter} iterations without converging "
            f"({result.message}). Increase max_iter or max_fun, or scale X.")
        return result.loss, result.n_iter, unconverged

    def _fit_stochastic(self, network, params, data, progress, rng, incremental):
        if incremental and hasattr(self, "_optimizer"):
            optimizer = copy.deepcopy(self._optimizer)
        else:
            optimizer = self._new_optimizer(network.size, params.dtype)
        validation_score = None
        if self.early_stopping:
            data, validation_score = self._hold_out(network, data, rng)
        settings = EpochSettings(
            batch_size=self._batch_size(data[0].shape[0]), alpha=self.alpha,
            shuffle=self.shuffle, tol=self.tol,
            n_iter_no_change=self.n_iter_no_change, verbose=self.verbose)
        max_epochs = 1 if incremental else self.max_iter
        n_iter, converged = train_epochs(network, params, optimizer, data, settings,
                                         progress, rng, max_epochs, validation_score)
        self._optimizer = optimizer
        if self.early_stopping and progress.best_params is not None:
            params[...] = progress.best_params
        unconverged = None if converged or incremental else (
            f"Stochastic optimizer: maximum iterations ({self.max_iter}) reached and "
            "the optimization hasn't converged yet.")
        return progress.loss_curve[-1], n_iter, unconverged

    def _new_optimizer(self, n_params, dtype):
        if self.solver == "sgd":
            return SGD(n_params, dtype, self.learning_rate_init, self.learning_rate,
                       self.momentum, self.nesterovs_momentum, self.power_t)
        return Adam(n_params, dtype, self.learning_rate_init, self.beta_1,
                    self.beta_2, self.epsilon)

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        return min(self.batch_size, n_samples)

    def _hold_out(self, network, data, rng):
        """Split off the validation set; return the training data and its scorer."""
        X, target, sample_weight = data
        n_val, n_train = _split_sizes(X.shape[0], self.validation_fraction)
        if n_val < 2 or n_train < 1:
            raise ValueError(
                f"The validation set of early_stopping would hold {n_val} of the "
                f"{X.shape[0]} samples; it needs at least 2 and must leave some to "
                "train on. Change validation_fraction, add samples, or set "
                "early_stopping=False.")
        arrays = [X, target] + ([] if sample_weight is None else [sample_weight])
        parts = train_test_split(*arrays, test_size=n_val, random_state=rng,
                                 stratify=_stratify_labels(
                                     target, network.output_activation, n_val))
        train, held_out = parts[0::2], parts[1::2]
        if sample_weight is None:
            train, held_out = [*train, None], [*held_out, None]

        def validation_score(params):
            coefs, intercepts = network.unpack(params)
            output = network.forward(coefs, intercepts, held_out[0])
            return _indicator_accuracy(output, held_out[1], held_out[2],
                                       network.output_activation)

        return tuple(train), validation_score


@dataclass
class TrainingProblem:
    """What one fit trains: the network, its starting parameters and the data."""

    network: Network
    params: np.ndarray
    data: tuple
    binarizer: LabelBinarizer
    rng: np.random.RandomState
    resume: bool


@contextmanager
def _naming_non_numeric_X():
    """Re-raise NumPy's text-to-float failure as an error that names X."""
    try:
        yield
    except ValueError as error:
        if "could not convert" not in str(error):
            raise
        raise ValueError(
            f"X must be numeric, but {error}. Encode text or categorical columns "
            "first, for example with OneHotEncoder in a Pipeline.") from error


def _validated_sample_weight(sample_weight, X):
    """Sample weights as a float array of shape (n_samples,), or None."""
    if sample_weight is None:
        return None
    n_samples = X.shape[0]
    weights = np.asarray(sample_weight)
    if weights.dtype.kind not in "biuf":
        raise ValueError(f"sample_weight must be numeric; got dtype {weights.dtype}.")
    if weights.ndim == 0:
        weights = np.full(n_samples, weights)
    if weights.shape != (n_samples,):
        raise ValueError(f"sample_weight must have shape ({n_samples},) to match X; "
                         f"got shape {weights.shape}.")
    weights = weights.astype(X.dtype)
    if not np.isfinite(weights).all():
        raise ValueError("sample_weight contains NaN or infinity.")
    if (weights < 0).any():
        raise ValueError("sample_weight must be non-negative.")
    if weights.sum() == 0:
        raise ValueError("sample_weight sums to zero: at least one sample must "
                         "have a positive weight.")
    return weights


def _check_labels_known(y, known, name):
    unknown = np.setdiff1d(np.unique(y), known)
    if unknown.size:
        raise ValueError(f"y contains labels {unknown!r} that are not in {name} "
                         f"{known!r}.")


def _check_layer_shapes(coefs, intercepts, network):
    """The starting weights of a warm fit must fit the network being trained."""
    expected = [(shape, (shape[1],)) for shape in network.coef_shapes]
    found = [tuple(np.shape(array) for array in pair)
             for pair in zip(coefs, intercepts, strict=False)]
    if len(coefs) != len(intercepts) or found != expected:
        raise ValueError(
            f"coefs_/intercepts_ have shapes {found}, but the network for this "
            f"data and hidden_layer_sizes needs {expected}.")


def _split_sizes(n_samples, validation_fraction):
    """Validation and training sizes of the early-stopping split."""
    n_val = int(np.ceil(validation_fraction * n_samples))
    return n_val, n_samples - n_val


def _stratify_labels(target, output_activation, n_val):
    """Class of each sample when a stratified split is possible, else None.

    Multilabel targets are never stratified; single-label ones are whenever
    every class has two samples and both parts can hold every class.
    """
    if output_activation == "softmax":
        labels = target.argmax(axis=1)
    elif target.shape[1] == 1:
        labels = target.ravel()
    else:
        return None
    counts = np.bincount(labels.astype(int))
    counts = counts[counts > 0]
    n_train = target.shape[0] - n_val
    if counts.min() < 2 or min(n_val, n_train) < counts.size:
        return None
    return labels


def _indicator_accuracy(output, target, sample_weight, output_activation):
    """Accuracy of network outputs against indicator targets (subset accuracy)."""
    if output_activation == "softmax":
        correct = output.argmax(axis=1) == target.argmax(axis=1)
    else:
        correct = ((output > 0.5) == (target > 0.5)).all(axis=1)
    return float(np.average(correct, weights=sample_weight))
