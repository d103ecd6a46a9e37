"""``MLPBackpropRegressor``: the regressor face of the core.

What is the regressor's own: its parameters and documentation, the shape of
the targets (one or several outputs), the identity or exponential output for
its losses, R² as the validation score, and ``predict``. The training itself
is ``BaseMLP``'s.
"""

from sklearn.base import RegressorMixin
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import column_or_1d

from ._base import BaseMLP, has_stochastic_solver, rolls_back_on_failure
from ._callbacks import with_callbacks
from ._checks import validation_arguments
from ._docs import shared_docstring
from ._losses import Huber
from ._predict import forward, lazy_on_dask
from ._primitives import primitives
from ._validation import r2


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
    loss : {"squared_error", "poisson", "absolute_error", "huber"}, default="squared_error"
        MLPRegressor's losses, with an identity output for
        ``"squared_error"`` (half the squared error) and an exponential output
        for ``"poisson"`` (half the Poisson deviance; y must be non-negative);
        and two that MLPRegressor lacks, both with an identity output and
        robust to outliers in y: ``"absolute_error"`` (``|p - y|``, trained on
        its subgradient ``sign(p - y)``; it fits the conditional median) and
        ``"huber"`` (squared within ``huber_threshold`` of the fit, absolute
        beyond). Like MLPRegressor's squared error, each is reported
        (``loss_``, ``loss_curve_``) as a mean over outputs too.
{network_parameters}
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (MLPRegressor's rows for
        the same ``random_state``) and stop when its R² stalls; the best
        parameters seen are kept. Stochastic solvers only.
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
{dropout}
{scoring}
{toolkit}

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
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
        ``"identity"``, or ``"exp"`` for ``loss="poisson"``.
    loss_ : float or None
        Loss at the end of training; None when a first fit was interrupted
        before its first epoch ended. As in MLPRegressor, the squared error
        is averaged over outputs as well as samples.
    loss_curve_ : list of float
        Loss after each epoch (each iteration for ``"lbfgs"``).
    best_loss_ : float or None
        Lowest training loss seen; None with early stopping.
    validation_scores_ : list of float or None
        Validation score (R² unless ``scoring`` says otherwise) after
        each epoch (L-BFGS iteration) when there is a validation set
        (``X_val`` given, or early stopping), else None.
    validation_loss_curve_ : list of float or None
        Loss on the validation set after each epoch, without the L2 penalty,
        beside ``validation_scores_``; else None.
    best_validation_score_ : float or None
        Best validation score (see ``scoring``) when there is a validation
        set, else None.
{epoch_records}

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
                 huber_threshold=1.0, dropout=0.0,
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
            A validation set, given together, scored (R²) after every epoch;
            with ``early_stopping=True`` it replaces the split of ``X``.
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
            One column comes back as a vector, as in MLPRegressor.
        """
        output = forward(self, X, "predict")
        if output.shape[1] == 1:
            return primitives(output).reshape(output, (-1,))
        return output

    _ENCODED_MARK = "n_outputs_"
    _NETWORK_LOSSES = {"squared_error": "regression_squared_error", "poisson": "poisson",
                       "absolute_error": "absolute_error", "huber": "huber"}
    _Y_NUMERIC = True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = self.loss == "poisson"
        return tags

    def _network_loss(self):
        if self.loss == "huber":
            return Huber(self.huber_threshold)
        return super()._network_loss()

    def _encoded_targets(self, y, dtype, resume, incremental, classes):
        """The number of outputs, y, and y as a 2-D target in ``dtype``."""
        target = self._checked_target(y, dtype)
        if resume and target.shape[1] != self.n_outputs_:
            raise ValueError(f"y has {target.shape[1]} outputs, but this "
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
        return target.astype(dtype)

    def _output_activation(self, n_outputs):
        return "exp" if self.loss == "poisson" else "identity"

    def _encoder_attributes(self, n_outputs, placement):
        return {}

    def _validation_score(self, network):
        return r2

    def _validation_target(self, n_outputs, y_val, dtype, name="y_val"):
        target = self._checked_target(y_val, dtype, name=name)
        if target.shape[1] != n_outputs:
            raise ValueError(f"y_val has {target.shape[1]} outputs, but y has {n_outputs}.")
        return y_val, target
