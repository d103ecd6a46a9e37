"""The estimators' constructor parameters: each declared once, and collected from the registries.

An estimator's parameters are ``Parameter`` declarations (see
``skxor.utils.parameters``): the ones every fit reads, declared here
(``SHARED``); those of every registered solver and update rule
(``training.solvers.solver_parameters``); those of the estimator's
registered losses (``huber_threshold``, ``quantile``); and its own. From the
one list (``EstimatorParameters``) come the estimator's ``__init__``, which
only stores its arguments, as scikit-learn asks; the check of every value at
the start of ``fit``; and the Parameters section of its docstring.
"""

import dataclasses
import inspect

import numpy as np
from sklearn.metrics import get_scorer_names

from .network.activations import hidden_activation_names
from .network.initialization import WEIGHT_INITS
from .targets.losses import loss_parameters
from .training.solvers import SOLVERS, solver_parameters, summary
from .utils.parameters import (
    BOOLEAN,
    Allowed,
    InvalidParameterError,
    Parameter,
    integer,
    is_bool,
    is_int,
    one_of,
    one_or_one_per_layer,
    options_text,
    real,
)

COMPUTE_DTYPES = ("float32", "float64")
"""The float types ``dtype`` names, as strings or NumPy types."""


def _hidden_layer_sizes():
    def check(value):
        sizes = (value,) if is_int(value) else value
        if isinstance(sizes, str):
            return False
        try:
            return all(is_int(size) and size >= 1 for size in sizes)
        except TypeError:
            return False

    return Allowed(check, "an int in the range [1, inf) or an array-like of such ints, one "
                          "per hidden layer")


def _activation():
    names = hidden_activation_names()
    return one_or_one_per_layer(lambda v: isinstance(v, str) and v in names,
                                one_of(names).description)


def _scoring():
    def check(value):
        if value is None or callable(value):
            return True
        return isinstance(value, str) and (value == "loss" or value in get_scorer_names())

    return Allowed(check, "None, 'loss', a scorer name among sklearn.metrics.get_scorer_names(), "
                          "or a callable scorer(estimator, X, y)")


def _verbose():
    return Allowed(lambda v: is_bool(v) or (is_int(v) and v >= 0),
                   f"an int in the range [0, inf), {BOOLEAN.description}")


def _random_state():
    def check(value):
        return (value is None or isinstance(value, np.random.RandomState)
                or (is_int(value) and 0 <= value < 2**32))

    return Allowed(check, "an int in the range [0, 4294967295], an instance of "
                          "'numpy.random.mtrand.RandomState' or None")


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

    return Allowed(check, "a str among {'float32', 'float64'}, numpy.float32, numpy.float64 "
                          "or None")


def _solver_doc():
    lines = [f'``"{name}"``: {summary(name)}.' for name in SOLVERS]
    return ("The optimiser. Every stochastic solver trains in mini-batches for ``max_iter`` "
            "epochs. " + " ".join(lines))


SHARED = (
    Parameter("hidden_layer_sizes", (100,), _hidden_layer_sizes(), "int or tuple of int",
              "Units of each hidden layer; ``()`` fits a network without hidden layer."),
    Parameter("activation", "relu", _activation(), "str or list of str",
              "Activation of the hidden units, one of "
              f"{options_text(hidden_activation_names())} (``\"sigmoid\"`` is the seeds' name "
              "for ``\"logistic\"``), or a list with one name per hidden layer."),
    Parameter("solver", "adam", one_of(SOLVERS), options_text(SOLVERS), _solver_doc()),
    Parameter("alpha", 1e-4, real(0.0), "float",
              "Strength of the L2 penalty ``alpha / 2 * ||W||**2 / n_samples`` (the sum of "
              "sample weights replaces ``n_samples`` when they are given).",
              shown_default="1e-4"),
    Parameter("max_iter", 200, integer(1), "int",
              'Maximum epochs (stochastic solvers) or iterations (``"lbfgs"``).'),
    Parameter("tol", 1e-4, real(0.0), "float",
              "Training stops when the loss (or validation score) has not improved by at "
              "least ``tol`` for ``n_iter_no_change`` epochs; ``\"lbfgs\"`` uses it as its "
              "gradient tolerance.", shown_default="1e-4"),
    Parameter("random_state", None, _random_state(), "int, RandomState instance or None",
              "Seeds the weight initialisation, the validation split and the shuffles. The "
              "same integer gives bit-identical weights."),
    Parameter("verbose", False, _verbose(), "bool or int",
              "Print the loss after every epoch (scikit-learn's MLP's lines) or L-BFGS "
              "iteration."),
    Parameter("warm_start", False, BOOLEAN, "bool",
              "Continue from the current ``coefs_`` and ``intercepts_``, including ones you "
              "assigned yourself, even before the first fit."),
    Parameter("weight_init", "glorot", one_of(WEIGHT_INITS), options_text(WEIGHT_INITS),
              '``"glorot"`` is scikit-learn\'s scheme and draws; ``"he"`` is '
              '``N(0, 2 / fan_in)``; ``"uniform"`` is ``U[-1, 1]`` (seeds 000, 002); '
              '``"normal"`` is ``N(0, 0.1**2)`` with biases 0.1 (seed 001).'),
    Parameter("n_init", 1, integer(1), "int",
              "Random starts to train from, drawn one after another from ``random_state``; "
              "the fit keeps the one with the best final validation score (see ``scoring``) "
              "when there is a validation set, else the lowest final training loss. Warm and "
              "partial fits continue from the current weights and ignore it."),
    Parameter("scoring", None, _scoring(), 'None, "loss", str or callable',
              "What a validation set (``X_val``/``y_val``, or early stopping's split) is "
              "judged by, for early stopping, the choice among ``n_init`` starts and "
              "``validation_scores_``. None is scikit-learn's: accuracy for the classifier, "
              'R² for the regressor (D² pinball, its ``score``, for ``loss="quantile"``). '
              '``"loss"`` is the validation loss, recorded negated so that larger is better '
              "(as scikit-learn's ``neg_*`` scorers). Any other string names a scikit-learn "
              'scorer (``"balanced_accuracy"``, ``"roc_auc"``, ``"neg_log_loss"``, ...), '
              "called with the sample weights; a callable is called as "
              "``scorer(estimator, X_val, y_val)`` with the estimator as it stands after that "
              "epoch."),
    Parameter("dtype", None, _dtype(), 'None, "float32" or "float64"',
              "The float type training and prediction compute in. None follows X, as "
              "scikit-learn does: float32 X trains in float32, anything else in float64. "
              '``"float32"`` (or ``np.float32``) trains float64 data in float32, about twice '
              "as fast on large networks; ``coefs_`` come out in it, and ``predict`` converts "
              "X of either float type to it. Under array API dispatch it must be a dtype X's "
              "device has."),
)
"""The parameters every fit reads, whatever the estimator, solver or loss."""


def loss_parameter(registry, default):
    """The ``loss`` parameter of an estimator whose losses are ``registry``."""
    described = " ".join(f'``"{name}"``: {choice.description}.'
                         for name, choice in registry.items())
    return Parameter("loss", default, one_of(registry), options_text(registry),
                     f"What training minimises. {described}")


class EstimatorParameters:
    """An estimator's parameters in signature order, the first ``n_positional`` positional.

    Parameters
    ----------
    leading : tuple of Parameter
        The estimator's own positional parameters, before the shared
        ``hidden_layer_sizes`` and ``activation`` (the regressor's ``loss``).
    own : tuple of Parameter
        The estimator's own keyword parameters.
    losses : dict
        The estimator's loss registry, whose parameters it takes.
    defaults : dict, optional
        Parameter names to the defaults this estimator gives them instead of
        the declared ones (the tabular estimators' own choices).
    fixed : dict, optional
        Declared parameters this estimator does not take, to the value its
        fits use (the tabular estimators fit in memory, so they take no
        ``dask_training``).
    """

    def __init__(self, leading, own, losses, defaults=None, fixed=None):
        declared = (*leading, *SHARED, *solver_parameters(), *loss_parameters(losses), *own)
        unique = {parameter.name: parameter for parameter in declared}
        for name, default in (defaults or {}).items():
            unique[name] = dataclasses.replace(unique[name], default=default,
                                               shown_default=None)
        self.fixed = dict(fixed or {})
        for name in self.fixed:
            del unique[name]
        self.parameters = tuple(unique.values())
        self.n_positional = len(leading) + 2
        self.by_name = {parameter.name: parameter for parameter in self.parameters}

    def signature(self):
        """The ``__init__`` signature: ``self``, the positional ones, then keyword-only."""
        kinds = [inspect.Parameter.POSITIONAL_OR_KEYWORD] * self.n_positional
        kinds += [inspect.Parameter.KEYWORD_ONLY] * (len(self.parameters) - self.n_positional)
        return inspect.Signature(
            [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
            + [inspect.Parameter(parameter.name, kind, default=parameter.default)
               for parameter, kind in zip(self.parameters, kinds, strict=True)])

    def constructor(self):
        """An ``__init__`` that stores each argument under its name, and does nothing else."""
        signature = self.signature()

        def __init__(self, *args, **kwargs):  # noqa: N807
            try:
                bound = signature.bind(self, *args, **kwargs)
            except TypeError as error:
                raise TypeError(f"{type(self).__name__}() {error}") from None
            bound.apply_defaults()
            for name, value in list(bound.arguments.items())[1:]:
                setattr(self, name, value)

        __init__.__signature__ = signature
        __init__.__doc__ = "Store the parameters; ``fit`` checks and uses them."
        return __init__

    def for_fit(self, params):
        """``params`` with the fixed ones added: every parameter a fit reads."""
        return {**params, **self.fixed}

    def docstring(self):
        """The numpydoc Parameters entries of every parameter, in signature order."""
        return "\n".join(parameter.docstring() for parameter in self.parameters)

    def validate(self, params, owner):
        """Raise ``InvalidParameterError`` for the first parameter whose value is not allowed.

        Parameters
        ----------
        params : dict
            Parameter names to values, as ``get_params(deep=False)`` returns them.
        owner : str
            Name of the estimator class, for the message.
        """
        for name, value in params.items():
            self.by_name[name].check(value, owner)
        for name, what in (("activation", "names"), ("dropout", "rates")):
            _check_one_per_hidden_layer(name, params[name], what, params["hidden_layer_sizes"])


def _check_one_per_hidden_layer(name, value, what, hidden_layer_sizes):
    """A list given for ``name`` must hold one entry per hidden layer."""
    if not isinstance(value, (list, tuple)):
        return
    n_hidden = 1 if is_int(hidden_layer_sizes) else len(hidden_layer_sizes)
    if len(value) != n_hidden:
        raise InvalidParameterError(
            f"{name} lists {len(value)} {what} ({list(value)!r}) but "
            f"hidden_layer_sizes={hidden_layer_sizes!r} has {n_hidden} hidden layers; "
            f"give one per hidden layer, or a single one for all.")


EPOCH_RECORDS = """\
    n_iter_ : int
        Epochs (or L-BFGS iterations) run by the last call to fit.
    t_ : int
        Training samples seen by the stochastic solvers.
    learning_rate_curve_ : list of float
        The learning rate each epoch of a stochastic solver began with (the
        scheduled rate, before Adam's bias correction); continued by warm
        and partial fits. Not set by ``"lbfgs"``, so after an lbfgs fit a
        warm stochastic fit's curve is shorter than ``loss_curve_``."""


def documented(parameters, **fragments):
    """Class decorator: fill ``{parameters}``, ``{epoch_records}`` and each
    ``{name}`` of ``fragments`` in the docstring."""
    def decorate(cls):
        texts = {"parameters": parameters.docstring(), "epoch_records": EPOCH_RECORDS,
                 **fragments}
        for name, text in texts.items():
            cls.__doc__ = cls.__doc__.replace("{" + name + "}", text)
        return cls

    return decorate
