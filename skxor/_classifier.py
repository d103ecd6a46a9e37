"""``MLPBackpropClassifier``: the scikit-learn face of the NumPy core.

The estimator validates parameters and data once, encodes the labels, picks
the solver and records what training reports. Everything numerical happens in
the core modules, which know nothing of scikit-learn.
"""

import copy
import functools
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from ._callbacks import WRAPPER_FRAMES, CallbackSupportMixin, FitTasks, with_callbacks
from ._checks import (
    check_labels_known,
    check_starting_weights,
    checked_target,
    naming_non_numeric_X,
    usable_weights,
    validated_sample_weight,
    validation_arguments,
)
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
from ._validation import ValidationSet, split_off

_FLOAT_DTYPES = (np.float64, np.float32)

STATE_FORMAT = 2
"""Layout of the pickled state; raise it when the fitted attributes change shape."""

CALLBACK_STATE = ("_skl_callbacks", "_skl_callbacks_to_teardown", "_callback_fit_ctx",
                  "_parent_callback_ctx")
"""Attributes through which scikit-learn's callbacks reach this one estimator object."""

_CALLER_OF_FIT = 4 + WRAPPER_FRAMES
"""``stacklevel`` from ``_fit`` to the code that called ``fit`` or ``partial_fit``:
``_fit``, the method, the callbacks' wrapper frames, then ``_rolls_back_on_failure``."""


def _rolls_back_on_failure(method):
    """Make ``method`` leave the estimator exactly as it was if it raises.

    Outermost on ``fit`` and ``partial_fit``, around scikit-learn's callback
    wrapper, so a callback whose ``teardown`` raises after training rolls
    the fit back too. Training never writes into the arrays the estimator
    held before: it trains a fresh flat vector.
    """
    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        saved_state = dict(self.__dict__)
        try:
            return method(self, *args, **kwargs)
        except BaseException:
            self.__dict__ = saved_state
            raise

    return guarded


def _is_stochastic(estimator):
    if estimator.solver not in ("sgd", "adam"):
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers. "
            f"{estimator.solver} is not stochastic.")
    return True


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


class MLPBackpropClassifier(CallbackSupportMixin, ClassifierMixin, BaseEstimator):
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
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units of each hidden layer; ``()`` fits a network without hidden layer.
    activation : str or list of str, default="relu"
        Activation of the hidden units: ``"relu"``, ``"tanh"``, ``"logistic"``
        (``"sigmoid"`` is the seeds' name for it), ``"identity"``,
        ``"leaky_relu"`` (slope 0.01 below zero), ``"elu"``, ``"softplus"`` or
        ``"gelu"`` (tanh approximation); or a list with one name per hidden
        layer.
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
        Print the loss after every epoch (MLPClassifier's lines) or L-BFGS
        iteration.
    warm_start : bool, default=False
        Continue from the current ``coefs_`` and ``intercepts_``, including
        ones you assigned yourself, even before the first fit.
    momentum : float, default=0.9
        Momentum of ``solver="sgd"``, in [0, 1].
    nesterovs_momentum : bool, default=True
        Use Nesterov's momentum with ``solver="sgd"``.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data and stop when its
        accuracy stalls; the best parameters seen are kept. The held-out
        rows are MLPClassifier's for the same ``random_state``: stratified
        for binary targets only. For a stratified multiclass validation set,
        pass your own as ``X_val``/``y_val``. Stochastic solvers only.
    validation_fraction : float, default=0.1
        Share of the data held out for early stopping, in [0, 1).
    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's moment estimates, in [0, 1).
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int or np.inf, default=10
        Epochs without ``tol`` improvement before stopping; ``np.inf`` never
        stops on it. A warm start continues the count of the previous fit.
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
    class_weight : None, "balanced" or dict, default=None
        Weight of each class, multiplied into ``sample_weight``; ``"balanced"``
        weighs classes inversely to their frequency in ``y``. Not for
        multilabel targets; ``partial_fit`` takes a dict only.
    n_init : int, default=1
        Random starts to train from, drawn one after another from
        ``random_state``; the fit keeps the one with the best final
        validation accuracy when there is a validation set, else the lowest
        final training loss. Warm and partial fits continue from the current
        weights and ignore it.

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
    loss_ : float or None
        Loss at the end of training; None when a first fit was interrupted
        before its first epoch ended.
    loss_curve_ : list of float
        Loss after each epoch (each iteration for ``"lbfgs"``).
    best_loss_ : float or None
        Lowest training loss seen; None with early stopping.
    validation_scores_ : list of float or None
        Validation accuracy after each epoch (L-BFGS iteration) when there is
        a validation set (``X_val`` given, or early stopping), else None.
    validation_loss_curve_ : list of float or None
        Loss on the validation set after each epoch, without the L2 penalty,
        beside ``validation_scores_``; else None.
    best_validation_score_ : float or None
        Best validation accuracy when there is a validation set, else None.
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
                 weight_init="glorot", class_weight=None, n_init=1):
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

    @_rolls_back_on_failure
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
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data train in float32.
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

    @available_if(_is_stochastic)
    @_rolls_back_on_failure
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
        return _predicted_labels(self._label_binarizer, output)

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
        """A copy of the state, without callbacks: pickles and copies carry none.

        A callback belongs to the live estimator it was set on. Copies
        (including the ``fitted_estimator`` that callbacks are shown at each
        epoch) and pickles leave it out, so a callback that keeps copies does
        not make each one hold all the earlier ones, and a callback that holds
        a file does not make the model unpicklable. Set callbacks again on a
        loaded model.
        """
        state = {name: value for name, value in super().__getstate__().items()
                 if name not in CALLBACK_STATE}
        state["_skxor_state_format"] = STATE_FORMAT
        return state

    def __setstate__(self, state):
        state = dict(state)
        found = state.pop("_skxor_state_format", None)
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
        with naming_non_numeric_X():
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

    def _fit(self, X, y, sample_weight, incremental, classes=None, validation_data=None):
        """Train, and warn as MLPClassifier does; ``_rolls_back_on_failure`` guards it."""
        validate_params(self.get_params(deep=False), type(self).__name__)
        tasks = FitTasks(self, n_starts=1 if self._resumes(incremental) else self.n_init,
                         max_epochs=self._max_epochs(incremental))
        try:
            best, interrupted = self._fit_or_raise(X, y, sample_weight, incremental, classes,
                                                   validation_data, tasks)
        except Diverged as divergence:
            raise ValueError(self._divergence_message(divergence)) from None
        if interrupted:
            warnings.warn("Training interrupted by user.", stacklevel=_CALLER_OF_FIT)
        elif best.unconverged:
            warnings.warn(best.unconverged, ConvergenceWarning, stacklevel=_CALLER_OF_FIT)
        return self

    def _divergence_message(self, divergence):
        """What diverged, and the remedy that fits the solver."""
        if self.solver == "lbfgs":
            return (f"L-BFGS diverged after {divergence.epoch} iterations: the loss reached "
                    f"{divergence.loss:.3g}. Scale X, for example with StandardScaler.")
        return (f"Training diverged at epoch {divergence.epoch}: the loss reached "
                f"{divergence.loss:.3g}. Lower learning_rate_init (now "
                f"{self.learning_rate_init}) or scale X, for example with StandardScaler.")

    def _resumes(self, incremental):
        """Whether this fit continues from the fitted weights."""
        return hasattr(self, "classes_") and (incremental or self.warm_start)

    def _max_epochs(self, incremental):
        """Most epochs (L-BFGS iterations) one start of this fit can run.

        L-BFGS can begin one iteration more than it finishes: the one whose
        line search fails.
        """
        if self.solver == "lbfgs":
            return self.max_iter + 1
        return 1 if incremental else self.max_iter

    def _fit_or_raise(self, X, y, sample_weight, incremental, classes, validation_data,
                      tasks):
        """Validate, train from each random start, then publish the best run.

        A ``KeyboardInterrupt`` in an interruptible training loop ends the
        fit with the starts trained so far.

        Returns
        -------
        best : TrainingRun
            The run the estimator now holds.
        interrupted : bool
        """
        problem = self._training_problem(X, y, sample_weight, incremental, classes)
        self._check_positive_in(problem.params.dtype)
        tasks.begin(problem.data[0], problem.labels, problem.data[2])
        data, validation = self._validation_split(problem, validation_data, incremental)
        settings = self._epoch_settings(data[0].shape[0], incremental)
        best = None
        for start in range(tasks.n_starts):
            params = problem.params if start == 0 else self._fresh_params(problem)
            start_task = tasks.begin_start()
            hooks = tasks.epoch_hooks(start_task,
                                      lambda p: self._fitted_attributes(problem, p),
                                      "iteration" if self.solver == "lbfgs" else "epoch")
            run = self._train(problem, params, data, validation, hooks, settings,
                              incremental)
            if best is None or run.selection_key() > best.selection_key():
                best = run
            stop = tasks.end_start(
                start_task, lambda run=run: self._fitted_attributes(problem, run.params))
            if stop or run.interrupted:
                break
        self.__dict__.update(self._fitted_attributes(problem, best.params))
        self.loss_, self.n_iter_ = best.loss, best.n_iter
        if best.optimizer is not None:
            self._optimizer = best.optimizer
        self._record(best.progress)
        tasks.end()
        return best, run.interrupted

    def _check_positive_in(self, dtype):
        """The solver's positive step-size parameters must stay positive in ``dtype``.

        Training computes in X's dtype, where a value below the smallest
        positive number rounds to 0: an Adam ``epsilon`` of 1e-50 in float32
        divides by zero, a learning rate of 0 trains nothing.
        """
        names = {"sgd": ["learning_rate_init"], "adam": ["learning_rate_init", "epsilon"]}
        for name in names.get(self.solver, []):
            value = getattr(self, name)
            if dtype.type(value) == 0:
                raise ValueError(
                    f"{name}={value!r} is 0 in {dtype.name}, the dtype of X that training "
                    f"computes in (its smallest positive number is "
                    f"{np.finfo(dtype).smallest_subnormal:.3g}). Use a larger {name}, "
                    "or float64 X.")

    def _fitted_attributes(self, problem, params):
        """The attributes that make this estimator predict with ``params``."""
        network = problem.network
        coefs, intercepts = network.unpack(params)
        return {
            "_label_binarizer": problem.binarizer,
            "classes_": problem.binarizer.classes_,
            "n_outputs_": network.layer_sizes[-1],
            "n_layers_": network.n_layers,
            "out_activation_": network.output_activation,
            "_trained_activation": (self.activation if isinstance(self.activation, str)
                                    else list(self.activation)),
            "coefs_": coefs,
            "intercepts_": intercepts,
        }

    def _fresh_params(self, problem):
        """Starting weights of one more random start, drawn from the fit's rng."""
        return initialize(problem.network, self.weight_init, self.activation, problem.rng,
                          problem.params.dtype)

    def _train(self, problem, params, data, validation, hooks, settings, incremental):
        """Train ``params`` in place from one start; return the ``TrainingRun``."""
        progress = self._progress(problem.resume, validation)
        if self.solver == "lbfgs":
            run = self._fit_lbfgs(problem.network, params, data, settings, progress,
                                  validation, hooks)
        else:
            run = self._fit_stochastic(problem.network, params, data, settings, progress,
                                       validation, hooks, problem.rng, incremental)
        # The stochastic solvers check every epoch; this also catches L-BFGS.
        check_divergence(run.n_iter, run.loss, params, reference_loss=run.loss or 0.0)
        return run

    def _training_problem(self, X, y, sample_weight, incremental, classes=None):
        """Everything a fit trains on: network, starting parameters, data, rng.

        Validates the data (the caller has validated the parameters) and draws
        (or reads back) the starting weights; it trains nothing.
        ``check_gradients`` uses it too, so it checks exactly the loss that
        ``fit`` minimises.
        """
        if incremental and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True: "
                             "there is no held-out set across calls.")
        resume = self._resumes(incremental)
        with naming_non_numeric_X():
            X, y = validate_data(self, X, y, accept_sparse="csr", multi_output=True,
                                 dtype=_FLOAT_DTYPES, reset=not resume)
        y, y_type = checked_target(y)
        binarizer = self._binarizer(y, y_type == "multilabel-indicator", resume, incremental,
                                    classes)
        sample_weight = self._weights(sample_weight, X, y, binarizer, incremental)
        target = _indicator_target(binarizer, y, X.dtype)
        output_activation = "softmax" if binarizer.y_type_ == "multiclass" else "logistic"
        network = Network([X.shape[1], *self._hidden_sizes(), target.shape[1]],
                          self.activation, output_activation, self.loss)
        rng = check_random_state(self.random_state)
        params = self._starting_params(network, rng, X.dtype, incremental)
        return TrainingProblem(network, params, (X, target, sample_weight), y, binarizer,
                               rng, resume)

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
        return usable_weights(weights, X.dtype, "The class weights times sample_weight")

    def _validation_split(self, problem, validation_data, incremental):
        """The data to train on and the validation set (None without one).

        ``X_val``/``y_val`` when given; else, with early stopping, a split of
        the training data drawn from the fit's rng.
        """
        if validation_data is not None:
            return problem.data, self._user_validation_set(problem, *validation_data)
        if self.early_stopping and self.solver != "lbfgs" and not incremental:
            return split_off(problem.network, problem.data, problem.rng,
                             self.validation_fraction)
        return problem.data, None

    def _user_validation_set(self, problem, X_val, y_val, sample_weight_val):
        """``X_val``/``y_val`` validated against the training data, as a ValidationSet."""
        with naming_non_numeric_X():
            X_val, y_val = validate_data(self, X_val, y_val, accept_sparse="csr",
                                         multi_output=True, dtype=problem.data[0].dtype,
                                         reset=False)
        y_val, _ = checked_target(y_val)
        binarizer = problem.binarizer
        if binarizer.y_type_ != "multilabel-indicator":
            check_labels_known(y_val, binarizer.classes_, "the classes of y")
        elif y_val.ndim != 2 or y_val.shape[1] != len(binarizer.classes_):
            raise ValueError(f"y_val must be a multilabel indicator matrix with "
                             f"{len(binarizer.classes_)} columns, like y.")
        weights = self._weights(sample_weight_val, X_val, y_val, binarizer,
                                name="sample_weight_val")
        target = _indicator_target(binarizer, y_val, X_val.dtype)
        return ValidationSet(problem.network, X_val, target, weights)

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
        fitted = getattr(self, "classes_", None)
        if classes is None:
            if fitted is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
            return None
        unique = unique_labels(classes)
        if fitted is not None and not np.array_equal(fitted, unique):
            raise ValueError(f"`classes={classes!r}` is not the same as on last call to "
                             f"partial_fit, was: {fitted!r}")
        return unique

    def _starting_params(self, network, rng, dtype, incremental):
        """The current coefs_/intercepts_ for a warm or partial fit, else fresh draws."""
        if hasattr(self, "coefs_") and (self.warm_start or incremental):
            check_starting_weights(self.coefs_, self.intercepts_, network)
            return network.pack(self.coefs_, self.intercepts_, dtype)
        return initialize(network, self.weight_init, self.activation, rng, dtype)

    def _progress(self, resume, validation):
        """Fresh training records, or the fitted ones to continue.

        A warm or partial fit also continues the count of epochs without
        improvement, as MLPClassifier does: a fit that stopped on
        ``n_iter_no_change`` stops after one more epoch without improvement.
        """
        judge = validation is not None and self.early_stopping and self.solver != "lbfgs"
        continued = resume and hasattr(self, "loss_curve_")
        if validation is None:
            curves = None, None
        elif continued and self.validation_scores_ is not None:
            curves = list(self.validation_scores_), list(self.validation_loss_curve_)
        else:
            curves = [], []
        if not continued:
            return Progress(validation_scores=curves[0], validation_loss_curve=curves[1],
                            judge_on_validation=judge)
        return Progress(
            loss_curve=list(self.loss_curve_),
            best_loss=np.inf if self.best_loss_ is None else self.best_loss_,
            validation_scores=curves[0],
            validation_loss_curve=curves[1],
            best_validation_score=(-np.inf if self.best_validation_score_ is None
                                   else self.best_validation_score_),
            samples_seen=self.t_,
            no_improvement_count=self._no_improvement_count,
            judge_on_validation=judge,
        )

    def _record(self, progress):
        """Publish the training records as fitted attributes."""
        self.loss_curve_ = progress.loss_curve
        self.t_ = progress.samples_seen
        self._no_improvement_count = progress.no_improvement_count
        self.best_loss_ = None if progress.judge_on_validation else progress.best_loss
        self.validation_scores_ = progress.validation_scores
        self.validation_loss_curve_ = progress.validation_loss_curve
        self.best_validation_score_ = (None if progress.validation_scores is None
                                       else progress.best_validation_score)

    def _epoch_settings(self, n_train, incremental):
        """The training loop's settings for a fit on ``n_train`` rows.

        Only a stochastic ``fit`` is interruptible: there Ctrl-C keeps the
        model trained so far, as in MLPClassifier.
        """
        stochastic = self.solver != "lbfgs"
        return EpochSettings(
            max_epochs=self._max_epochs(incremental) if stochastic else self.max_iter,
            alpha=self.alpha, tol=self.tol, verbose=self.verbose,
            batch_size=self._batch_size(n_train) if stochastic else n_train,
            shuffle=self.shuffle, n_iter_no_change=self.n_iter_no_change,
            interruptible=stochastic and not incremental)

    def _fit_lbfgs(self, network, params, data, settings, progress, validation, hooks):
        result = minimize_lbfgs(network, params, data, settings, self.max_fun, progress,
                                validation, hooks)
        unconverged = None if result.finished else _lbfgs_warning(result, self.max_iter)
        return TrainingRun(params, result.loss, result.n_iter, unconverged, progress)

    def _fit_stochastic(self, network, params, data, settings, progress, validation, hooks,
                        rng, incremental):
        if incremental and hasattr(self, "_optimizer"):
            optimizer = copy.deepcopy(self._optimizer)
        else:
            optimizer = self._new_optimizer(network.size, params.dtype)
        end = train_epochs(network, params, optimizer, data, settings, progress, rng,
                           validation, hooks)
        if progress.best_params is not None:
            params[...] = progress.best_params
        unconverged = None if end.reason != "max_epochs" or incremental else (
            f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and "
            "the optimization hasn't converged yet.")
        loss = progress.loss_curve[-1] if progress.loss_curve else None
        return TrainingRun(params, loss, end.epochs, unconverged, progress, optimizer,
                           interrupted=end.reason == "interrupted")

    def _new_optimizer(self, n_params, dtype):
        if self.solver == "sgd":
            return SGD(n_params, dtype, self.learning_rate_init, self.learning_rate,
                       self.momentum, self.nesterovs_momentum, self.power_t)
        return Adam(n_params, dtype, self.learning_rate_init, self.beta_1,
                    self.beta_2, self.epsilon)

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is "
                          "going to be clipped", stacklevel=_CALLER_OF_FIT + 3)
        return min(self.batch_size, n_samples)


def _lbfgs_warning(result, max_iter):
    """MLPClassifier's words when L-BFGS-B ends without converging."""
    message = (f"lbfgs failed to converge after {result.n_iter} iteration(s) "
               f"(status={result.status}):\n{result.message}\n")
    if result.n_iter == max_iter:
        message += ("\nIncrease the number of iterations to improve the convergence "
                    f"(max_iter={max_iter}).")
    return message + ("\nYou might also want to scale the data as shown in:\n"
                      "    https://scikit-learn.org/stable/modules/preprocessing.html")


@dataclass
class TrainingProblem:
    """What one fit trains: the network, its starting parameters and the data.

    ``data`` is ``(X, target, sample_weight)`` with indicator targets;
    ``labels`` is the validated ``y`` they encode.
    """

    network: Network
    params: np.ndarray
    data: tuple
    labels: np.ndarray
    binarizer: LabelBinarizer
    rng: np.random.RandomState
    resume: bool


@dataclass
class TrainingRun:
    """What training from one start produced; ``params`` holds its final weights."""

    params: np.ndarray
    loss: float | None
    n_iter: int
    unconverged: str | None
    progress: Progress
    optimizer: SGD | Adam | None = None
    interrupted: bool = False

    def selection_key(self):
        """Larger is better: validation accuracy first when there is one, then low loss.

        Early stopping has restored the best parameters, so their score is the
        best one; otherwise the final parameters are kept and scored last. A
        run interrupted before its first epoch ended (loss None) ranks last.
        """
        loss = -np.inf if self.loss is None else -self.loss
        progress = self.progress
        if progress.validation_scores is None:
            return (loss,)
        if progress.judge_on_validation:
            return progress.best_validation_score, loss
        return (progress.validation_scores[-1] if progress.validation_scores
                else -np.inf), loss
