"""``MLPBackpropRegressor``: the regressor face of the core.

What is the regressor's own: its parameters and documentation, the shape of
the targets (one or several outputs, or one per quantile level), the output
activation, R² (D² pinball for quantiles) as the score, and ``predict``. The
training itself is ``BaseMLP``'s; quantile regression's parts live in
``_quantiles``.
"""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import column_or_1d

from ._base import BaseMLP, has_stochastic_solver, rolls_back_on_failure
from ._callbacks import with_callbacks
from ._checks import validation_arguments
from ._docs import shared_docstring
from ._losses import Huber, Pinball
from ._predict import forward, lazy_on_dask
from ._primitives import primitives
from ._quantiles import (
    in_level_order,
    one_column_per_level,
    pinball_score,
    quantile_levels,
)
from ._validation import r2

_OUTPUT_RANGES = {"logistic": (0.0, 1.0), "tanh": (-1.0, 1.0), "softplus": (0.0, np.inf),
                  "exp": (0.0, np.inf)}
"""The closed range of y that each bounded ``out_activation`` can approach."""


@shared_docstring
class MLPBackpropRegressor(RegressorMixin, BaseMLP):
    """Multi-layer perceptron regressor trained by backpropagation.

    A drop-in replacement for :class:`sklearn.neural_network.MLPRegressor`:
    the same parameters, defaults and fitted attributes, the same weights
    for the same ``random_state``, plus the classifier's extras that apply
    (weight initialisations, more activations, restarts, a validation set of
    your own, scikit-learn's callbacks, training on array-API arrays). Every
    extra defaults to MLPRegressor's behaviour.

    Parameters
    ----------
    loss : {"squared_error", "poisson", "absolute_error", "huber", "quantile"}, \
default="squared_error"
        MLPRegressor's losses, ``"squared_error"`` (half the squared error)
        and ``"poisson"`` (half the Poisson deviance, with an exponential
        output; y must be non-negative); two that MLPRegressor lacks, robust
        to outliers in y: ``"absolute_error"`` (``|p - y|``, trained on its
        subgradient ``sign(p - y)``; it fits the conditional median) and
        ``"huber"`` (squared within ``huber_threshold`` of the fit, absolute
        beyond); and ``"quantile"``, the pinball loss of each level in
        ``quantile``, trained on its subgradient. Like MLPRegressor's squared
        error, each is reported (``loss_``, ``loss_curve_``) as a mean over
        outputs too.
{network_parameters}
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (MLPRegressor's rows for
        the same ``random_state``) and stop when its R² stalls; the best
        parameters seen are kept (D² pinball in place of R² for
        ``loss="quantile"``). Stochastic solvers only.
{solver_parameters}
{weight_init}
    n_init : int, default=1
        Random starts to train from, drawn one after another from
        ``random_state``; the fit keeps the one with the best final
        validation score (see ``scoring``) when there is a validation set,
        else the lowest final training loss. Warm and partial fits continue
        from the current weights and ignore it.
    huber_threshold : float, default=1.0
        For ``loss="huber"``: the residual size, in y's units, beyond which
        the loss grows linearly instead of quadratically. Ignored otherwise.
    quantile : float or list of float, default=0.5
        For ``loss="quantile"``: the quantile level in (0, 1) the network
        predicts (of every column of y), or several levels in increasing
        order for a 1-D y, such as ``[0.05, 0.5, 0.95]``: the network then
        has one output per level and ``predict`` returns one column per
        level. Each row of the prediction is sorted, so the quantiles never
        cross. Ignored otherwise.
    out_activation : {"identity", "logistic", "tanh", "softplus", "exp"}, default=None
        The output layer's activation. None is the loss's own: the identity,
        or ``"exp"`` for ``loss="poisson"``, which allows no other.
        ``"logistic"`` bounds the predictions to (0, 1), ``"tanh"`` to
        (-1, 1), ``"softplus"`` and ``"exp"`` to positive values; y must lie
        in that range's closure. Training takes the loss's gradient through
        the activation (for squared error through a logistic output, the
        gradient vanishes where the output saturates).
{dropout}
{scoring}
{toolkit}

    Attributes
    ----------
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
        Number of outputs.
    out_activation_ : str
        The output layer's activation: ``out_activation``, or the loss's
        own (``"identity"``, ``"exp"`` for ``loss="poisson"``).
    quantiles_ : ndarray of shape (n_quantiles,) or None
        The quantile levels of the outputs for ``loss="quantile"``, else None.
    loss_ : float or None
        Loss at the end of training; None when a first fit was interrupted
        before its first epoch ended. As in MLPRegressor, the squared error
        is averaged over outputs as well as samples.
    loss_curve_ : list of float
        Loss after each epoch (each iteration for ``"lbfgs"``).
    best_loss_ : float or None
        Lowest training loss seen; None with early stopping.
    validation_scores_ : list of float or None
        Validation score (R², or D² pinball for quantiles, unless
        ``scoring`` says otherwise) after
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
    MLPBackpropClassifier : The same network and extras for classification.
    check_gradients : Compare the backprop gradient with finite differences.

    Examples
    --------
    >>> import numpy as np
    >>> from skxor import MLPBackpropRegressor
    >>> X = np.linspace(-1, 1, 40).reshape(-1, 1)
    >>> y = X.ravel() ** 2
    >>> reg = MLPBackpropRegressor(hidden_layer_sizes=(8,), activation="tanh",
    ...                            solver="lbfgs", random_state=0).fit(X, y)
    >>> round(reg.score(X, y), 3) > 0.99
    True
    >>> reg.predict([[0.5]]).shape
    (1,)
    """

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", alpha=1e-4, batch_size="auto",
                 learning_rate="constant", learning_rate_init=1e-3, power_t=0.5,
                 max_iter=200, shuffle=True, random_state=None, tol=1e-4,
                 verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False,
                 validation_fraction=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 n_iter_no_change=10, max_fun=15000, weight_init="glorot", n_init=1,
                 huber_threshold=1.0, quantile=0.5, out_activation=None, dropout=0.0,
                 scoring=None,
                 lr_schedule=None, warmup=0, weight_decay=0.0, max_grad_norm=None,
                 dtype=None):
        self.loss = loss
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
        self.weight_init = weight_init
        self.n_init = n_init
        self.huber_threshold = huber_threshold
        self.quantile = quantile
        self.out_activation = out_activation
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

        Ctrl-C during an sgd or adam fit ends training, warns "Training
        interrupted by user." and keeps the model trained so far; in an lbfgs
        fit it propagates and leaves the estimator as it was.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array} of shape (n_samples, n_features)
            Training data; float32 data train in float32. A dask array or
            DataFrame trains on the current Dask cluster (see the README).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; the loss is their weighted average.
        X_val, y_val : array-like, default=None
            A validation set, given together, scored (R², or D² pinball for
            quantiles) after every epoch; with ``early_stopping=True`` it
            replaces the split of ``X``.
        sample_weight_val : array-like of shape (n_val_samples,), default=None
            Weights of the validation samples.

        Returns
        -------
        self : MLPBackpropRegressor
            The fitted estimator.
        """
        validation_data = validation_arguments(X_val, y_val, sample_weight_val)
        return self._fit(X, y, sample_weight, incremental=False,
                         validation_data=validation_data)

    @available_if(has_stochastic_solver)
    @rolls_back_on_failure
    @with_callbacks
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one epoch on the given data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self : MLPBackpropRegressor
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, incremental=True)

    @lazy_on_dask
    def predict(self, X):
        """Predict the targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            One column comes back as a vector, as in MLPRegressor. For
            several quantile levels, one column per level, each row sorted.
        """
        output = in_level_order(forward(self, X, "predict"), getattr(self, "quantiles_", None))
        if output.shape[1] == 1:
            return primitives(output).reshape(output, (-1,))
        return output

    def score(self, X, y, sample_weight=None):
        """R² of ``predict(X)``, or for ``loss="quantile"`` its D² pinball score.

        D² pinball is ``1 - L / L0``, with ``L`` the mean pinball loss of the
        predictions at their level and ``L0`` that of the best constant (the
        level's quantile of y), averaged over the levels. R² would rate a
        model of an outer quantile by how far it is from the mean.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True values (a 1-D y for several quantile levels).
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
            At most 1; larger is better.
        """
        levels = getattr(self, "quantiles_", None)
        if levels is None:
            return super().score(X, y, sample_weight=sample_weight)
        return pinball_score(y, self.predict(X), levels, sample_weight)

    _ENCODED_MARK = "n_outputs_"
    _NETWORK_LOSSES = {"squared_error": "regression_squared_error", "poisson": "poisson",
                       "absolute_error": "absolute_error", "huber": "huber",
                       "quantile": "quantile"}
    _Y_NUMERIC = True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = (self.loss == "poisson"
                                          or self.out_activation in ("softplus", "exp"))
        return tags

    def _network_loss(self):
        if self.loss == "huber":
            return Huber(self.huber_threshold)
        if self.loss == "quantile":
            return Pinball(quantile_levels(self.quantile))
        return super()._network_loss()

    def _levels(self):
        """The quantile levels this fit trains, or None for another loss."""
        return quantile_levels(self.quantile) if self.loss == "quantile" else None

    def _encoded_targets(self, y, dtype, resume, incremental, classes):
        """The number of outputs, y, and y as a 2-D target in ``dtype``."""
        target = self._checked_target(y, dtype)
        if resume and target.shape[1] != self.n_outputs_:
            levels = self._levels()
            per_level = (f" (one per level of quantile={list(levels)})"
                         if levels is not None and len(levels) > 1 else "")
            raise ValueError(f"y has {target.shape[1]} outputs{per_level}, but this "
                             f"{type(self).__name__} was fitted with {self.n_outputs_}.")
        return target.shape[1], y, target

    def _checked_target(self, y, dtype, name="y"):
        """``y`` as an (n_samples, n_outputs) array in ``dtype``, as MLPRegressor reads it."""
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        target = y.reshape(-1, 1) if y.ndim == 1 else y
        if self.loss == "poisson" and (target < 0).any():
            raise ValueError(f"loss='poisson' needs non-negative {name}: the Poisson "
                             "deviance is undefined for negative targets.")
        self._check_output_range(target, name)
        levels = self._levels()
        if levels is not None:
            target = one_column_per_level(target, levels, name)
        return target.astype(dtype)

    def _check_output_range(self, target, name):
        """y must lie where a bounded ``out_activation`` can reach, or the fit cannot fit it."""
        activation = self._output_activation(target.shape[1])
        low, high = _OUTPUT_RANGES.get(activation, (-np.inf, np.inf))
        if target.size and (target.min() < low or target.max() > high):
            raise ValueError(
                f"out_activation={activation!r} predicts values in ({low:g}, {high:g}), "
                f"but {name} holds values from {target.min():g} to {target.max():g}. Scale "
                f"{name} into [{low:g}, {high:g}], or choose another out_activation.")

    def _output_activation(self, n_outputs):
        if self.loss != "poisson":
            return self.out_activation or "identity"
        if self.out_activation not in (None, "exp"):
            raise ValueError(
                f"loss='poisson' fixes out_activation='exp': its gradient p - y is that of "
                f"the Poisson deviance through an exponential output. Got "
                f"out_activation={self.out_activation!r}; leave it None, or choose another "
                "loss.")
        return "exp"

    def _encoder_attributes(self, n_outputs, placement):
        levels = self._levels()
        return {"quantiles_": None if levels is None else np.asarray(levels)}

    def _validation_score(self, network):
        levels = self._levels()
        if levels is None:
            return r2
        return lambda output, target, sample_weight: pinball_score(target, output, levels,
                                                                   sample_weight)

    def _validation_target(self, n_outputs, y_val, dtype, name="y_val"):
        target = self._checked_target(y_val, dtype, name=name)
        if target.shape[1] != n_outputs:
            raise ValueError(f"y_val has {target.shape[1]} outputs, but y has {n_outputs}.")
        return y_val, target
