"""The training problem of one fit: validated data, the network, starting weights, validation.

``build_problem`` validates X, y and the sample weights (the face encodes the
targets), builds the network and draws (or reads back) the starting weights:
everything a fit trains on, and nothing trained. ``validation_split`` sets
the validation set beside it (the user's ``X_val``/``y_val``, or early
stopping's split of the training rows); ``fresh_params`` draws a further
random start. ``check_gradients`` builds its problem here too, so it checks
exactly the loss that ``fit`` minimises.
"""

import copy
import dataclasses
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import get_scorer
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from ._checks import check_starting_weights, naming_non_numeric_X
from ._config import FitConfig
from ._constants import numpy_dtype
from ._init import initialize
from ._network import Network
from ._placement import Placement, compute_dtypes, is_dask_collection, placement_of, put
from ._primitives import primitives, to_numpy
from ._training import in_memory
from ._validation import ValidationSet, split_off


def build_problem(estimator, X, y, sample_weight, config, classes=None):
    """Everything a fit trains on: network, starting parameters, data, rng.

    Validates the data (the caller has validated the parameters) and draws
    (or reads back) the starting weights; it trains nothing.
    ``check_gradients`` uses it too, so it checks exactly the loss that
    ``fit`` minimises.

    Under array API dispatch, y and the sample weights are checked and
    encoded with NumPy, then the targets, weights and starting parameters
    move to X's namespace and device (see ``_placement``). A dask X is
    validated chunk by chunk on the Dask workers, where its rows stay
    (see ``_dask_fit``).
    """
    if config.incremental and config.early_stopping:
        raise ValueError("partial_fit does not support early_stopping=True: "
                         "there is no held-out set across calls.")
    resume = estimator._resumes(config)
    given = (X, y, sample_weight)
    if is_dask_collection(X):
        from ._dask_fit import chunked_training_data  # dask only for dask inputs

        validated = chunked_training_data(estimator, given, config, resume)
    else:
        validated = _in_memory_data(estimator, given, config, resume, classes)
    network = Network([validated.n_features, *config.hidden_sizes, validated.n_outputs],
                      config.activation, estimator._output_activation(validated.encoder),
                      estimator._network_loss())
    rng = check_random_state(config.random_state)
    params = _starting_params(estimator, network, rng, validated.dtype, config)
    return TrainingProblem(network, put(validated.placement, params), validated.data,
                           validated.labels, validated.encoder, rng, resume, config,
                           validated.placement, validated.label_placement,
                           restart_seeds=_peeked_seeds(rng, config.n_init - 1),
                           callback_data=validated.callback_data)


@dataclass
class ValidatedData:
    """A fit's data once checked and encoded, before any network exists.

    ``data`` is ``(X, target, sample_weight)`` in memory, or a dask fit's
    ``ChunkedData``; ``labels`` the validated ``y``; ``dtype`` the NumPy
    dtype training computes in; ``placement`` and ``label_placement`` as in
    ``TrainingProblem``.
    """

    data: object
    labels: object
    encoder: object
    dtype: np.dtype
    n_features: int
    n_outputs: int
    placement: Placement | None = None
    label_placement: Placement | None = None
    callback_data: tuple = ()


def _in_memory_data(estimator, given, config, resume, classes):
    """``given``, ``(X, y, sample_weight)``, validated and encoded as ``ValidatedData``."""
    X, y, sample_weight = given
    placement, label_placement = placement_of(X), placement_of(y, "y")
    if placement is not None:
        y, sample_weight = to_numpy(y), to_numpy(sample_weight)
    with naming_non_numeric_X():
        X, y = validate_data(estimator, X, y, accept_sparse="csr", multi_output=True,
                             y_numeric=estimator._Y_NUMERIC,
                             dtype=compute_dtypes(placement, config.dtype), reset=not resume)
    X, dtype = primitives(X).in_row_order(X), numpy_dtype(X.dtype)
    encoder, labels, target = estimator._encoded_targets(y, dtype, resume, config.incremental,
                                                         classes)
    sample_weight = estimator._weights(sample_weight, X, labels, encoder, config.incremental)
    data = (X, put(placement, target), put(placement, sample_weight))
    return ValidatedData(data, labels, encoder, dtype, X.shape[1], target.shape[1], placement,
                         label_placement, callback_data=(data[0], labels, data[2]))


def validation_split(estimator, problem, validation_data, solver):
    """The data to train on and the validation set (None without one).

    ``X_val``/``y_val`` when given; else, with early stopping, a split of
    the training data drawn from the fit's rng.
    """
    if validation_data is not None:
        return problem.data, _user_validation_set(estimator, problem, *validation_data)
    config = problem.config
    if config.early_stopping and solver.uses_early_stopping and not config.incremental:
        score = validation_scorer(estimator, problem)
        if not in_memory(problem.data):  # a dask fit's chunks hold out their own rows
            return problem.data.split_off(problem, score, config.validation_fraction)
        return split_off(problem, score, config.validation_fraction,
                         estimator._STRATIFIED_SPLIT)
    return problem.data, None


def _user_validation_set(estimator, problem, X_val, y_val, sample_weight_val):
    """``X_val``/``y_val`` validated against the training data, as a ValidationSet."""
    placement = problem.placement
    if placement is not None:
        X_val, y_val = placement.put(X_val), to_numpy(y_val)
        sample_weight_val = to_numpy(sample_weight_val)
    with naming_non_numeric_X():
        X_val, y_val = validate_data(estimator, X_val, y_val, accept_sparse="csr",
                                     multi_output=True, dtype=problem.params.dtype,
                                     reset=False)
    X_val = primitives(X_val).in_row_order(X_val)
    labels, target = estimator._validation_target(problem.encoder, y_val,
                                                  numpy_dtype(X_val.dtype))
    weights = estimator._weights(sample_weight_val, X_val, labels, problem.encoder,
                                 name="sample_weight_val")
    return ValidationSet(problem.network, validation_scorer(estimator, problem), X_val,
                         put(placement, target), put(placement, weights), labels=labels)


def _starting_params(estimator, network, rng, dtype, config):
    """The current coefs_/intercepts_ for a warm or partial fit, else fresh draws.

    Either way a NumPy vector of ``dtype``: the caller moves it to X's device.
    """
    if hasattr(estimator, "coefs_") and (config.warm_start or config.incremental):
        coefs = [to_numpy(coef) for coef in estimator.coefs_]
        intercepts = [to_numpy(intercept) for intercept in estimator.intercepts_]
        check_starting_weights(coefs, intercepts, network)
        return network.pack(coefs, intercepts, dtype)
    return initialize(network, config.weight_init, config.activation, rng, dtype)


def fresh_params(problem):
    """Starting weights of one more random start, drawn from that start's own generator."""
    config = problem.config
    params = initialize(problem.network, config.weight_init, config.activation, problem.rng,
                        numpy_dtype(problem.params.dtype))
    return put(problem.placement, params)


def _peeked_seeds(rng, count):
    """``count`` seeds read off a copy of ``rng``: ``rng`` itself draws nothing."""
    if count == 0:
        return ()
    return tuple(copy.deepcopy(rng).randint(np.iinfo(np.int32).max, size=count))


@dataclass
class TrainingProblem:
    """What one fit trains: the network, its starting parameters and the data.

    ``data`` is ``(X, target, sample_weight)`` with the targets the network
    trains on; ``labels`` is the validated ``y`` they encode, and ``encoder``
    the face's encoder of it. ``placement`` is X's namespace and device under
    array API dispatch, where ``params`` and ``data`` live, and
    ``label_placement`` y's; None for NumPy.

    ``rng`` is the fit's generator, which the first start draws from just as
    MLPClassifier does. Each further random start draws (its weights, its
    shuffles) from a generator of its own, seeded by ``restart_seeds``: they
    are read off ``rng`` once its starting weights are drawn and before any
    draw that depends on the data, so that no start depends on how many rows
    the one before it shuffled (weighting a row then trains as repeating it),
    and the fit's own generator sees MLPClassifier's draws alone.
    """

    network: Network
    params: np.ndarray
    data: tuple
    labels: np.ndarray
    encoder: object
    rng: np.random.RandomState
    resume: bool
    config: FitConfig
    placement: Placement | None = None
    label_placement: Placement | None = None
    restart_seeds: tuple = ()
    callback_data: tuple = ()

    def restart(self, start):
        """This problem for random start ``start`` (from 1), with that start's generator."""
        rng = np.random.RandomState(self.restart_seeds[start - 1])
        return dataclasses.replace(self, rng=rng)


def validation_scorer(estimator, problem):
    """``score(validation_set, params, output, loss)`` by ``scoring`` (see ValidationSet).

    None is the face's metric (accuracy, R²), as in scikit-learn; ``"loss"``
    the validation loss, negated so that larger is better; a scorer name
    or callable scores a copy of this estimator holding ``params``.
    """
    if estimator.scoring is None:
        metric = estimator._validation_score(problem.network)
        return lambda validation, params, output, loss: metric(
            output, validation.host_target, validation.host_weight)
    if estimator.scoring == "loss":
        return lambda validation, params, output, loss: -loss
    scorer = estimator.scoring if callable(estimator.scoring) else get_scorer(estimator.scoring)
    weighs = not callable(estimator.scoring)  # scikit-learn's scorers take sample_weight

    def score(validation, params, output, loss):
        holding = copy.copy(estimator)
        holding.__dict__.update(estimator._fitted_attributes(problem, params))
        extra = ({} if not weighs or validation.host_weight is None
                 else {"sample_weight": validation.host_weight})
        return float(scorer(holding, validation.X, validation.labels, **extra))

    return score

