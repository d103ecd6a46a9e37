"""``MLPBackpropRegressor``: the regressor, on the shared core and fit machinery.

What is the regressor's own: its ``loss`` and ``out_activation`` parameters
and its documentation, its targets (``targets.values.RegressionValues``: the
shape of y, one column per quantile level, the output activation's range,
R² or D² pinball as the score), ``predict`` and ``score``. The training
itself is ``BaseMLP``'s.
"""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.metaestimators import available_if

from ._base import BaseMLP, has_stochastic_solver, rolls_back_on_failure, validation_arguments
from ._callbacks import with_callbacks
from ._parameters import EstimatorParameters, documented, loss_parameter
from ._prediction import lazy_on_dask
from .network.activations import ACTIVATIONS, output_activation_names
from .network.primitives import primitives
from .targets.losses import REGRESSION_LOSSES
from .targets.quantiles import in_level_order, pinball_score
from .targets.values import RegressionValues
from .utils.parameters import BOOLEAN, Parameter, one_of, options_text, or_none

OUT_ACTIVATION = Parameter(
    "out_activation", None, or_none(one_of(output_activation_names())),
    f"{options_text(output_activation_names())} or None",
    "The output layer's activation. None is the loss's own: the identity, or the one the "
    'loss fixes (``"exp"`` for ``loss="poisson"``, which allows no other). ``"logistic"`` '
    'bounds the predictions to (0, 1), ``"tanh"`` to (-1, 1), ``"softplus"`` and ``"exp"`` '
    "to positive values; y must lie in that range's closure. Training takes the loss's "
    "gradient through the activation (for squared error through a logistic output, the "
    "gradient vanishes where the output saturates).")

STANDARDIZE_TARGET = Parameter(
    "standardize_target", False, BOOLEAN, "bool",
    "Train on each column of y standardised to mean 0 and standard deviation 1, and turn "
    "predictions back into y's units: the defaults of the step sizes and of ``alpha`` then "
    "suit y in dollars as in fractions. Only with the identity output (another "
    "``out_activation`` keeps y as it is). ``loss_`` and ``loss_curve_`` are in standardised "
    "units.")

CLIP_PREDICTIONS = Parameter(
    "clip_predictions", False, BOOLEAN, "bool",
    "Keep every prediction within the range of y seen in fit (per column).")

PARAMETERS = EstimatorParameters(
    leading=(loss_parameter(REGRESSION_LOSSES, "squared_error"),),
    own=(OUT_ACTIVATION, STANDARDIZE_TARGET, CLIP_PREDICTIONS), losses=REGRESSION_LOSSES)
"""The regressor's parameters: its loss (first, as in MLPRegressor), the shared ones, the
losses' own and its output activation."""


@documented(PARAMETERS)
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
{parameters}

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

    __init__ = PARAMETERS.constructor()
    _PARAMETERS = PARAMETERS
    _ENCODED_MARK = "n_outputs_"

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
            DataFrame trains on the current Dask cluster (see the Dask guide).
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
        output = self._network_output(X, "predict")
        scaling = getattr(self, "_target_scaling", None)  # None in models saved before it
        if scaling is not None:
            output = scaling.to_target_units(output)
        output = in_level_order(output, getattr(self, "quantiles_", None))
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        choice = REGRESSION_LOSSES.get(self.loss)  # tags are read before fit checks values
        activation = ACTIVATIONS.get((choice and choice.output_activation)
                                     or self.out_activation)
        tags.target_tags.positive_only = (activation is not None
                                          and activation.output_range == (0.0, np.inf))
        return tags

    def _targets(self, config, resume, classes):
        """The values' checks and shape for this fit, continuing the fitted outputs."""
        choice = REGRESSION_LOSSES[config.loss]
        return RegressionValues(config.loss, choice, choice.make(config), config.out_activation,
                                self.n_outputs_ if resume else None, type(self).__name__,
                                config.standardize_target, config.clip_predictions,
                                getattr(self, "_target_scaling", None) if resume else None)
