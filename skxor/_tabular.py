"""``TabularMLPClassifier`` and ``TabularMLPRegressor``: MLPs for real tables, strong by default.

They are ``MLPBackpropClassifier`` and ``MLPBackpropRegressor`` with three
differences. They take a table as it is (a pandas or polars DataFrame with
numeric, boolean, categorical and text columns and missing values, or an
array): ``tables.encoding.TableEncoder``, fitted in ``fit``, turns it into
numbers. Their network starts with input layers learned with the rest
(``tables.layers``): a scale per column, periodic embeddings of the numeric
columns and embeddings of the categorical ones. And their defaults are those
that ranked best on ``benchmarks/bench_tabular.py``'s real tables. Every
ingredient is a parameter that can be turned off.
"""

import dataclasses

import numpy as np
from sklearn.utils import check_array
from sklearn.utils.validation import check_consistent_length, check_is_fitted, validate_data

from ._base import FitParts
from ._callbacks import UnobservedStarts
from ._classifier import CLASS_WEIGHT, MLPBackpropClassifier
from ._parameters import EstimatorParameters, documented, loss_parameter
from ._regressor import CLIP_PREDICTIONS, OUT_ACTIVATION, STANDARDIZE_TARGET, MLPBackpropRegressor
from .network.initialization import initialize
from .network.network import Network
from .tables.columns import TextColumn, is_table, read_columns
from .tables.encoding import TableEncoder
from .tables.layers import CategoricalEmbedding, FeatureScale, PeriodicEmbedding, TableInput
from .targets.losses import CLASSIFICATION_LOSSES, REGRESSION_LOSSES
from .training.starts import Continuation
from .utils.parameters import BOOLEAN, Parameter, integer, real

TABLE_PARAMETERS = (
    Parameter("max_one_hot_levels", 8, integer(1), "int",
              "A categorical column with at most this many levels is one-hot encoded; one "
              "with more gets an embedding of ``embedding_size`` learned numbers per level."),
    Parameter("embedding_size", 8, integer(1), "int",
              "Learned numbers per level of a categorical column with more than "
              "``max_one_hot_levels`` levels."),
    Parameter("numeric_embedding", True, BOOLEAN, "bool",
              "Expand each numeric column ``x`` into ``[x, V cos(2 pi (w x + b)) + c]``: "
              "``n_frequencies`` periodic features mapped to ``numeric_embedding_size`` "
              "numbers, all learned per column. False feeds the scaled column alone."),
    Parameter("n_frequencies", 16, integer(1), "int",
              "Periodic features per numeric column, for ``numeric_embedding``."),
    Parameter("frequency_scale", 0.1, real(0.0, low_open=True), "float",
              "Standard deviation of the initial frequencies ``w`` of the periodic "
              "features (the columns are scaled to about unit spread)."),
    Parameter("numeric_embedding_size", 4, integer(1), "int",
              "Numbers each numeric column's periodic features are mapped to."),
    Parameter("n_networks", 4, integer(1), "int",
              "Networks trained from different random starts (each with its own weights, "
              "shuffles, dropout masks and early stopping's held-out rows; an ``X_val`` "
              "given to ``fit`` is shared), whose predictions are averaged: an ensemble, "
              "which usually errs less than its networks alone. Each takes the time of one. "
              "``coefs_``, ``intercepts_``, the records of training and "
              "``hidden_activations`` are the first network's. Not with ``n_init`` above 1, "
              "which keeps the best start instead."),
    Parameter("feature_scale", True, BOOLEAN, "bool",
              "Multiply each numeric, indicator and one-hot column by a learned factor, 1 "
              "at first, before anything mixes the columns."),
    Parameter("scale_rate_factor", 1.0, real(0.0, low_open=True), "float",
              "How much faster than the weights the column factors of ``feature_scale`` "
              "learn: each step of theirs is this multiple of the weights'."),
    Parameter("embedding_rate_factor", 1.0, real(0.0, low_open=True), "float",
              "How much faster than the weights the numeric and categorical embeddings "
              "learn."),
    Parameter("bias_rate_factor", 1.0, real(0.0, low_open=True), "float",
              "How much faster than the weights the dense layers' biases learn."),
)
"""The parameters of the table's input layers, both estimators'."""

TRAINING_DEFAULTS = {
    "hidden_layer_sizes": (128, 128), "activation": "relu",
    "learning_rate_init": 3e-3, "max_iter": 100, "beta_2": 0.95,
    "lr_schedule": "cosine", "warmup": 5, "weight_decay": 0.01, "max_grad_norm": 1.0,
    "early_stopping": True, "validation_fraction": 0.2, "n_iter_no_change": 20,
    "scoring": "loss", "dropout": 0.15, "dtype": "float32",
}
"""What the tabular estimators train with by default (see ``benchmarks/bench_tabular.py``)."""

FIXED_PARAMETERS = {"dask_training": "stream"}
"""The parameters the tabular estimators do not take, with their values: they fit tables in
memory, never a dask X."""


class TabularMixin:
    """What makes an estimator take tables: the encoding, the input layers, the fitted vector.

    Beside the usual fitted attributes it holds ``_table_encoder`` (how each
    column becomes numbers), ``_network`` (the layers, for prediction),
    ``_parameters`` (the first network's flat vector of parameters) and, for
    an ensemble, ``_networks`` (every network's vector, which prediction
    averages) and ``_network_continuations`` (what a warm start or
    ``partial_fit`` continues for each).
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.array_api_support = False
        return tags

    def _n_starts(self, config):
        """How many random starts a fit draws generators for: one per network of the
        ensemble, or ``n_init``."""
        if config.n_networks > 1 and config.n_init > 1:
            raise ValueError(
                f"n_networks={config.n_networks} averages networks from several random starts "
                f"and n_init={config.n_init} keeps the best of several: choose one of them.")
        return max(config.n_init, config.n_networks)

    def _train_runs(self, fit, validation_data, solver, tasks):
        """Train ``n_networks`` networks, one after another, and hold them all.

        The first trains from the fit's own generator, as a single network
        would, and callbacks follow it; each further one from a generator of
        its own, so that it draws its weights, its shuffles, its dropout masks
        and early stopping's held-out rows apart. Returns the first's run.
        """
        config = solver.config
        held = len(getattr(self, "_networks", [None]))
        if self._resumes(config) and held != config.n_networks:
            raise ValueError(
                f"This model holds {held} network(s) and n_networks={config.n_networks}: a warm "
                "start or partial_fit continues the networks it holds. Set n_networks back, "
                "or fit with warm_start=False.")
        if config.n_networks == 1:
            self.__dict__.pop("_networks", None)
            self.__dict__.pop("_network_continuations", None)
            return super()._train_runs(fit, validation_data, solver, tasks)
        runs, interrupted = [], False
        for index in range(config.n_networks):
            member = FitParts(self._network_problem(fit.problem, index), fit.targets,
                              fit.label_placement)
            run, interrupted = super()._train_runs(member, validation_data, solver,
                                              tasks if index == 0 else UnobservedStarts())
            runs.append(run)
            if interrupted:
                break
        self._networks = [run.params for run in runs]
        self._network_continuations = [
            Continuation(run.progress.fitted_attributes(), run.update_rule) for run in runs]
        return runs[0], interrupted

    def _network_problem(self, problem, index):
        """Network ``index``'s problem: its generator, its starting weights, what it continues."""
        if problem.continued is not None:  # a warm start or partial_fit goes on with each
            fitted = self._networks
            rng = problem.rng if index == 0 else np.random.RandomState(
                problem.restart_seeds[index - 1])
            continued = (problem.continued if index == 0
                         else self._network_continuations[index])
            return dataclasses.replace(problem, rng=rng, continued=continued,
                                       params=fitted[index].astype(problem.params.dtype))
        rng, params = problem.start(index)
        return dataclasses.replace(problem, rng=rng, params=params)

    def _check_incremental(self, config):
        """Let ``partial_fit`` train with early stopping on, as it is by default here: each
        call trains one epoch on what it is given and holds nothing out."""

    def _validated_training_data(self, X, y, config, targets, resume, placement):
        """The encoded table and the checked y; the encoder is fitted unless resuming."""
        if placement is not None:
            raise TypeError(f"{type(self).__name__} trains on NumPy arrays and DataFrames; "
                            "array API dispatch is for MLPBackpropClassifier and "
                            "MLPBackpropRegressor.")
        columns = self._read_table(X, reset=not resume)
        # check_gradients' probe, a warm start of a copy, keeps the fitted encoder too
        if not (resume or config.warm_start and hasattr(self, "_table_encoder")):
            self._table_encoder = TableEncoder(config.max_one_hot_levels).fit(columns)
            if not self._table_encoder.layout.width:
                raise ValueError(
                    f"X has {len(columns)} column(s) and none holds a value to learn from (a "
                    "column missing everywhere is left out). Pass at least one column with "
                    "observed values.")
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y "
                             "is None.")
        y = check_array(y, ensure_2d=False, dtype="numeric" if targets.y_numeric else None,
                        input_name="y", estimator=self)
        encoded = self._table_encoder.transform(columns, np.dtype(config.dtype or "float64"))
        check_consistent_length(encoded, y)
        return encoded, y

    def _validated_validation_data(self, X_val, y_val, dtype):
        encoded = self._table_encoder.transform(self._read_table(X_val, reset=False), dtype)
        y_val = check_array(y_val, ensure_2d=False, dtype=None, input_name="y_val")
        check_consistent_length(encoded, y_val)
        return encoded, y_val

    def _read_table(self, X, reset):
        """The columns of ``X``, checked as scikit-learn checks a table's names and width.

        After fit they carry the fitted columns' names: columns are matched by
        position, as scikit-learn matches them, once their names (if both
        tables have them) are checked to be the fitted ones in their order.
        """
        if type(X).__name__ == "LazyFrame":
            raise TypeError("X is a polars LazyFrame, whose rows are not computed yet. Pass "
                            "X.collect(), a DataFrame.")
        if is_table(X):
            validate_data(self, X, skip_check_array=True, reset=reset)
            n_rows = len(X)
        else:
            X = validate_data(self, X, accept_sparse="csr", dtype=None,
                              ensure_all_finite="allow-nan", reset=reset)
            n_rows = X.shape[0]
        if n_rows == 0:
            raise ValueError(f"Found array with 0 sample(s) (shape={X.shape}) while a minimum "
                             f"of 1 is required by {type(self).__name__}.")
        columns = read_columns(X)
        if not reset:
            columns = [(name, values) for name, (_, values)
                       in zip(self._table_encoder.names, columns, strict=True)]
        for name, values in columns:
            if not isinstance(values, TextColumn) and np.isinf(values).any():
                raise ValueError(f"Column {name!r} holds infinity, which no scaling can "
                                 "place. Replace it by a large finite value, or by NaN for "
                                 "a missing one.")
        return columns

    def _chunked_rows(self, inputs, config, targets, resume):
        raise TypeError(f"{type(self).__name__} trains on tables in memory; for dask "
                        "collections, use MLPBackpropClassifier or MLPBackpropRegressor.")

    def _new_network(self, config, data, targets):
        """The table's input layers, then the perceptron of ``hidden_layer_sizes``."""
        table_input = self._input_layer(config)
        stack = Network.perceptron([table_input.units, *config.hidden_sizes, data.n_outputs],
                                   config.activation, targets.output_activation, targets.loss,
                                   config.dropout_rates, config.bias_rate_factor)
        return Network([table_input, *stack.layers], targets.output_activation, targets.loss)

    def _input_layer(self, config):
        """``TableInput`` over the encoded blocks: numbers, flags, codes."""
        layout = self._table_encoder.layout
        numeric = slice(0, layout.n_numeric)
        flags = slice(numeric.stop, numeric.stop + layout.n_indicators + layout.n_one_hot)
        codes = slice(flags.stop, layout.width)
        blocks = []
        scale, embedding = config.scale_rate_factor, config.embedding_rate_factor
        if layout.n_numeric:
            chain = [FeatureScale(layout.n_numeric, scale)] if config.feature_scale else []
            if config.numeric_embedding:
                chain.append(PeriodicEmbedding(layout.n_numeric, config.n_frequencies,
                                               config.numeric_embedding_size,
                                               config.frequency_scale, embedding))
            blocks.append((numeric, chain))
        if flags.stop > flags.start:
            width = flags.stop - flags.start
            blocks.append((flags, [FeatureScale(width, scale)] if config.feature_scale else []))
        if layout.n_codes:
            blocks.append((codes, [CategoricalEmbedding(layout.embedding_levels,
                                                        config.embedding_size, embedding)]))
        return TableInput(blocks)

    def _starting_params(self, network, rng, dtype, config):
        """The fitted vector for a warm or partial fit, else fresh draws."""
        if hasattr(self, "_parameters") and (config.warm_start or config.incremental):
            if self._parameters.shape != (network.size,):
                raise ValueError(
                    f"The fitted network has {self._parameters.size} parameters, but the "
                    f"network for this data and these parameters needs {network.size}: a warm "
                    "start continues the same network. Fit with warm_start=False.")
            return self._parameters.astype(dtype)
        return initialize(network, config.weight_init, config.activation, rng, dtype)

    def _fitted_attributes(self, fit, params):
        return {**super()._fitted_attributes(fit, params), "_parameters": params,
                "_network": fit.problem.network.for_prediction(),
                "_table_encoder": self._table_encoder}

    def _hold_float64_weights(self, fitted):
        """Hold ``fitted``'s first network in float64, and its encoder."""
        self._parameters = np.asarray(fitted._parameters, dtype=np.float64)
        self._table_encoder = fitted._table_encoder

    def _float64_inputs(self, X):
        return X

    def _prediction_network(self):
        return self._network

    def _scoring_copy(self, fit, params):
        """A copy that predicts with ``params`` alone from the validation set's rows, which
        are encoded already."""
        holding = super()._scoring_copy(fit, params)
        holding.__dict__.pop("_networks", None)
        holding._reads_encoded_rows = True
        return holding

    def _encoded_rows(self, X):
        """``X`` encoded as fit encoded the table, in float64.

        A model trained in float32 predicts in float64: in float32, BLAS may
        sum a row in another order by its place in the batch (1e-7 apart), so
        a row's prediction would depend on the rows beside it.
        """
        check_is_fitted(self, "_parameters")
        if getattr(self, "_reads_encoded_rows", False):
            return np.asarray(X, dtype=np.float64)
        return self._table_encoder.transform(self._read_table(X, reset=False))

    def _prediction_inputs(self, X, method):
        """The encoded rows and the first network's arrays, both in float64."""
        return self._encoded_rows(X), self._network.unpack(self._parameters.astype(np.float64))

    def _network_output(self, X, method):
        """The networks' outputs for ``X``, averaged over the ensemble, in float64."""
        X = self._encoded_rows(X)
        vectors = getattr(self, "_networks", [self._parameters])
        outputs = [self._network.predict(self._network.unpack(vector.astype(np.float64)), X)
                   for vector in vectors]
        return outputs[0] if len(outputs) == 1 else np.mean(outputs, axis=0)

    def _hidden_layer_inputs(self, X):
        return self._prediction_inputs(X, "hidden_activations")

    def _fitted_networks(self):
        return [self._network.unpack(vector)
                for vector in getattr(self, "_networks", [self._parameters])]


CLASSIFIER_PARAMETERS = EstimatorParameters(
    leading=(), own=(loss_parameter(CLASSIFICATION_LOSSES, "log_loss"), CLASS_WEIGHT,
                     *TABLE_PARAMETERS),
    losses=CLASSIFICATION_LOSSES, defaults={**TRAINING_DEFAULTS, "label_smoothing": 0.1},
    fixed=FIXED_PARAMETERS)
"""The tabular classifier's parameters: the classifier's, its table's, its defaults."""

REGRESSOR_PARAMETERS = EstimatorParameters(
    leading=(loss_parameter(REGRESSION_LOSSES, "squared_error"),),
    own=(OUT_ACTIVATION, STANDARDIZE_TARGET, CLIP_PREDICTIONS, *TABLE_PARAMETERS),
    losses=REGRESSION_LOSSES,
    defaults={**TRAINING_DEFAULTS, "standardize_target": True, "clip_predictions": True},
    fixed=FIXED_PARAMETERS)
"""The tabular regressor's parameters: the regressor's, its table's, its defaults."""


TABULAR_RECORDS = {
    "network_records": """\
    n_features_in_ : int
        Number of columns seen in fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names seen in fit, when X had string column names.
    coefs_ : list of ndarray of shape (fan_in, fan_out)
        Weights of each dense layer of the first network, to read: prediction
        uses the fitted parameter vectors, so changing these changes no
        prediction. The first takes the input layers' output, not the
        table's columns.
    intercepts_ : list of ndarray of shape (fan_out,)
        Biases of each dense layer of the first network, to read.
    n_layers_ : int
        Number of layers of the dense stack, its input and output included.""",
    "training_records": """\
    loss_curve_ : list of float
        The first network's loss after each epoch.
    best_loss_ : float or None
        Its lowest training loss; None with early stopping.
    validation_scores_ : list of float or None
        Its validation score (see ``scoring``) after each epoch when there is
        a validation set, else None.
    validation_loss_curve_ : list of float or None
        Its loss on the validation set after each epoch, beside
        ``validation_scores_``; else None.
    best_validation_score_ : float or None
        Its best validation score when there is a validation set, else None.""",
}
"""The fitted attributes both tabular estimators document alike."""


@documented(CLASSIFIER_PARAMETERS, **TABULAR_RECORDS)
class TabularMLPClassifier(TabularMixin, MLPBackpropClassifier):
    """Multi-layer perceptron classifier for tables, strong with its defaults.

    Takes a pandas or polars DataFrame as it is: numeric, boolean,
    categorical and text columns, missing values anywhere. Numeric columns
    are scaled robustly and smoothly clipped, categorical ones one-hot
    encoded or embedded by their number of levels (a level unseen in fit
    counts as missing), all inside ``fit``; the network learns a scale per
    column and periodic embeddings of the numeric ones before its hidden
    layers. Its defaults were chosen on real tables (see the user guide's
    tabular page). It trains in float32 by default and predicts in float64,
    so that a row's prediction does not depend on the rows beside it.
    Otherwise it is ``MLPBackpropClassifier``, with the same methods and
    fitted attributes, computing with NumPy on tables in memory (no array
    API or Dask).

    Parameters
    ----------
{parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
{network_records}
    n_outputs_ : int
        Number of output units.
    out_activation_ : str
        ``"logistic"`` (binary, multilabel) or ``"softmax"`` (multiclass).
    loss_ : float or None
        The first network's loss at the end of training (with label
        smoothing, against the smoothed targets).
{training_records}
{epoch_records}

    See Also
    --------
    TabularMLPRegressor : The same for regression.
    MLPBackpropClassifier : The drop-in replacement of scikit-learn's MLPClassifier.

    Examples
    --------
    >>> import pandas as pd
    >>> from skxor import TabularMLPClassifier
    >>> table = pd.DataFrame({"age": [25, 32, 47, None, 51, 38] * 10,
    ...                       "plan": ["basic", "pro", "pro", "basic", None, "pro"] * 10})
    >>> churned = [0, 1, 1, 0, 1, 0] * 10
    >>> clf = TabularMLPClassifier(random_state=0).fit(table, churned)
    >>> clf.predict(table.head(3)).shape
    (3,)
    """

    __init__ = CLASSIFIER_PARAMETERS.constructor()
    _PARAMETERS = CLASSIFIER_PARAMETERS


@documented(REGRESSOR_PARAMETERS, **TABULAR_RECORDS)
class TabularMLPRegressor(TabularMixin, MLPBackpropRegressor):
    """Multi-layer perceptron regressor for tables, strong with its defaults.

    Takes a pandas or polars DataFrame as it is, as ``TabularMLPClassifier``
    does, and by default trains on y standardised and keeps its predictions
    within y's range in fit. It trains in float32 by default and predicts in
    float64. Otherwise it is ``MLPBackpropRegressor``, with
    the same methods, losses (quantile regression included) and fitted
    attributes, computing with NumPy on tables in memory (no array API or
    Dask).

    Parameters
    ----------
{parameters}

    Attributes
    ----------
{network_records}
    n_outputs_ : int
        Number of outputs.
    out_activation_ : str
        The output layer's activation.
    quantiles_ : ndarray of shape (n_quantiles,) or None
        The quantile levels of the outputs for ``loss="quantile"``, else None.
    loss_ : float or None
        The first network's loss at the end of training, in standardised
        units of y when ``standardize_target``.
{training_records}
{epoch_records}

    See Also
    --------
    TabularMLPClassifier : The same for classification.
    MLPBackpropRegressor : The drop-in replacement of scikit-learn's MLPRegressor.

    Examples
    --------
    >>> import pandas as pd
    >>> from skxor import TabularMLPRegressor
    >>> houses = pd.DataFrame({"rooms": [2, 3, 4, 3, 5, 2] * 10,
    ...                        "town": ["north", "south", "south", "east", None, "north"] * 10})
    >>> prices = [210.0, 305.0, 402.0, 280.0, 515.0, 190.0] * 10
    >>> reg = TabularMLPRegressor(random_state=0).fit(houses, prices)
    >>> reg.predict(houses.head(2)).shape
    (2,)
    """

    __init__ = REGRESSOR_PARAMETERS.constructor()
    _PARAMETERS = REGRESSOR_PARAMETERS
