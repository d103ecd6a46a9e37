"""Constructor parameter checks: one table, one clear error per bad value.

scikit-learn's own constraint machinery is private, so the estimator checks
its parameters here at the start of ``fit``. Each entry maps a parameter name
to a predicate and a description of what is allowed. The domains are
MLPClassifier's (bools count as integers and reals there too), and a failure
raises ``InvalidParameterError`` with the message scikit-learn would give:
``The 'alpha' parameter of MLPBackpropClassifier must be a float in the range
[0.0, inf). Got -1 instead.``
"""

import numbers
from collections.abc import Iterable

import numpy as np
from sklearn.metrics import get_scorer_names

from ._activations import HIDDEN_ACTIVATIONS
from ._init import WEIGHT_INITS


class InvalidParameterError(ValueError, TypeError):
    """A constructor parameter has a value or type it does not allow.

    Both a ``ValueError`` and a ``TypeError``, like scikit-learn's exception
    of the same name, so code written for either keeps catching it.

    Examples
    --------
    >>> from skxor import InvalidParameterError, MLPBackpropClassifier
    >>> try:
    ...     MLPBackpropClassifier(alpha=-1).fit([[0.0], [1.0]], [0, 1])
    ... except InvalidParameterError as error:
    ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
    The 'alpha' parameter of MLPBackpropClassifier must be a float in the
    range [0.0, inf). Got -1 instead.
    """


def _is_int(value):
    return isinstance(value, numbers.Integral)


def _is_real(value):
    return isinstance(value, numbers.Real)


def _integer(low):
    return (lambda v: _is_int(v) and v >= low), f"an int in the range [{low}, inf)"


def _real(low, high=None, low_open=False, high_open=False):
    def check(value):
        if not _is_real(value) or not np.isfinite(value):
            return False
        above = value > low if low_open else value >= low
        below = high is None or (value < high if high_open else value <= high)
        return above and below

    left = "(" if low_open else "["
    right = "inf)" if high is None else f"{float(high)}{')' if high_open else ']'}"
    return check, f"a float in the range {left}{float(low)}, {right}"


def _one_of(*options):
    return (lambda v: isinstance(v, str) and v in options), (
        "a str among {" + ", ".join(repr(option) for option in options) + "}")


_BOOLEAN = "an instance of 'bool' or an instance of 'numpy.bool'"


def _boolean():
    return (lambda v: isinstance(v, (bool, np.bool_))), _BOOLEAN


def _hidden_layer_sizes():
    def check(value):
        sizes = (value,) if _is_int(value) else value
        if isinstance(sizes, str):
            return False
        try:
            return all(_is_int(size) and size >= 1 for size in sizes)
        except TypeError:
            return False

    return check, ("an int in the range [1, inf) or an array-like of such ints, "
                   "one per hidden layer")


def _activation():
    def is_name(value):
        return isinstance(value, str) and value in HIDDEN_ACTIVATIONS

    def check(value):
        if isinstance(value, (list, tuple)):
            return all(is_name(name) for name in value)
        return is_name(value)

    names = ", ".join(repr(name) for name in HIDDEN_ACTIVATIONS)
    return check, f"a str among {{{names}}}, or a list of them with one per hidden layer"


def _dropout():
    def is_rate(value):
        return _is_real(value) and not isinstance(value, (bool, np.bool_)) and 0 <= value < 1

    def check(value):
        if isinstance(value, (list, tuple)):
            return all(is_rate(rate) for rate in value)
        return is_rate(value)

    return check, ("a float in the range [0.0, 1.0), or a list of them with one per hidden "
                   "layer")


def _scoring():
    def check(value):
        if value is None or callable(value):
            return True
        return isinstance(value, str) and (value == "loss" or value in get_scorer_names())

    return check, ("None, 'loss', a scorer name among sklearn.metrics.get_scorer_names(), or "
                   "a callable scorer(estimator, X, y)")


def _quantile():
    def is_level(value):
        return _is_real(value) and not isinstance(value, (bool, np.bool_)) and 0 < value < 1

    def check(value):
        if is_level(value):
            return True
        if isinstance(value, str) or not isinstance(value, Iterable):
            return False
        levels = list(value)
        return (np.ndim(value) == 1 and len(levels) > 0
                and all(is_level(level) for level in levels)
                and all(np.diff(np.asarray(levels, dtype=float)) > 0))

    return check, ("a float in the range (0.0, 1.0), or a non-empty list of them in "
                   "increasing order, one per output")


OUTPUT_ACTIVATIONS = ("identity", "logistic", "tanh", "softplus", "exp")
"""The names the regressor's ``out_activation`` takes, besides None."""


def _out_activation():
    return (lambda v: v is None or (isinstance(v, str) and v in OUTPUT_ACTIVATIONS)), (
        "a str among {" + ", ".join(repr(name) for name in OUTPUT_ACTIVATIONS) + "} or None")


def _class_weight():
    return (lambda v: v is None or v == "balanced" or isinstance(v, dict)), (
        "a str among {'balanced'}, a dict mapping each class label to its weight "
        "or None")


def _batch_size():
    return (lambda v: v == "auto" if isinstance(v, str) else _is_int(v) and v >= 1), (
        "a str among {'auto'} or an int in the range [1, inf)")


def _verbose():
    return (lambda v: isinstance(v, (bool, np.bool_)) or (_is_int(v) and v >= 0)), (
        f"an int in the range [0, inf), {_BOOLEAN}")


def _random_state():
    def check(value):
        return (value is None or isinstance(value, np.random.RandomState)
                or (_is_int(value) and 0 <= value < 2**32))

    return check, ("an int in the range [0, 4294967295], an instance of "
                   "'numpy.random.mtrand.RandomState' or None")


def _n_iter_no_change():
    def check(value):
        return (_is_int(value) and value >= 1) or (_is_real(value) and value == np.inf)

    return check, "an int in the range [1, inf) or a float among {inf}"


def _lr_schedule():
    return (lambda v: v is None or callable(v) or (isinstance(v, str)
                                                    and v in ("cosine", "plateau"))), (
        "a str among {'cosine', 'plateau'}, a callable schedule(epoch, lr) -> lr or None")


def _max_grad_norm():
    check, allowed = _real(0.0, low_open=True)
    return (lambda v: v is None or check(v)), f"{allowed} or None"


COMPUTE_DTYPES = ("float32", "float64")
"""The float types ``dtype`` names, as strings or NumPy types."""


def _dtype():
    def check(value):
        if value is None:
            return True
        if isinstance(value, str):
            return value in COMPUTE_DTYPES
        try:
            return np.dtype(value).name in COMPUTE_DTYPES
        except (TypeError, ValueError):
            return False

    return check, ("a str among {'float32', 'float64'}, numpy.float32, numpy.float64 "
                   "or None")


CONSTRAINTS = {
    "hidden_layer_sizes": _hidden_layer_sizes(),
    "activation": _activation(),
    "solver": _one_of("lbfgs", "sgd", "adam"),
    "alpha": _real(0.0),
    "batch_size": _batch_size(),
    "learning_rate": _one_of("constant", "invscaling", "adaptive"),
    "learning_rate_init": _real(0.0, low_open=True),
    "power_t": _real(0.0),
    "max_iter": _integer(1),
    "shuffle": _boolean(),
    "random_state": _random_state(),
    "tol": _real(0.0),
    "verbose": _verbose(),
    "warm_start": _boolean(),
    "momentum": _real(0.0, 1.0),
    "nesterovs_momentum": _boolean(),
    "early_stopping": _boolean(),
    "validation_fraction": _real(0.0, 1.0, high_open=True),
    "beta_1": _real(0.0, 1.0, high_open=True),
    "beta_2": _real(0.0, 1.0, high_open=True),
    "epsilon": _real(0.0, low_open=True),
    "n_iter_no_change": _n_iter_no_change(),
    "max_fun": _integer(1),
    "weight_init": _one_of(*WEIGHT_INITS),
    "class_weight": _class_weight(),
    "n_init": _integer(1),
    "huber_threshold": _real(0.0, low_open=True),
    "quantile": _quantile(),
    "out_activation": _out_activation(),
    "dropout": _dropout(),
    "scoring": _scoring(),
    "lr_schedule": _lr_schedule(),
    "warmup": _integer(0),
    "weight_decay": _real(0.0),
    "max_grad_norm": _max_grad_norm(),
    "dtype": _dtype(),
}


def validate_params(params, owner, losses):
    """Raise ``InvalidParameterError`` for the first parameter whose value is not allowed.

    Parameters
    ----------
    params : dict
        Parameter names to values, as ``get_params(deep=False)`` returns them.
    owner : str
        Name of the estimator class, for the message.
    losses : sequence of str
        The values this estimator's ``loss`` takes.
    """
    constraints = {**CONSTRAINTS, "loss": _one_of(*losses)}
    for name, value in params.items():
        check, allowed = constraints[name]
        if not check(value):
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be {allowed}. "
                f"Got {value!r} instead.")
    for name, what in (("activation", "names"), ("dropout", "rates")):
        _check_one_per_hidden_layer(name, params[name], what, params["hidden_layer_sizes"])


def _check_one_per_hidden_layer(name, value, what, hidden_layer_sizes):
    """A list given for ``name`` must hold one entry per hidden layer."""
    if not isinstance(value, (list, tuple)):
        return
    n_hidden = 1 if _is_int(hidden_layer_sizes) else len(hidden_layer_sizes)
    if len(value) != n_hidden:
        raise InvalidParameterError(
            f"{name} lists {len(value)} {what} ({list(value)!r}) but "
            f"hidden_layer_sizes={hidden_layer_sizes!r} has {n_hidden} hidden layers; "
            f"give one per hidden layer, or a single one for all.")
