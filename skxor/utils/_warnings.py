"""Warnings that obey the filters a script sets for scikit-learn's MLP as well as skxor's.

scikit-learn's MLPs warn from their own module,
``sklearn.neural_network._multilayer_perceptron``, so scripts silence them
with ``warnings.filterwarnings("ignore", category=ConvergenceWarning,
module="sklearn")``. skxor warns from this module (``module="skxor"``
filters it, as for any library), and since its estimators stand in for
scikit-learn's, a filter's module pattern is also tried against the name of
the module that MLPClassifier would have warned from: the first filter that
matches either name decides, as the ``warnings`` module itself decides
between filters.
"""

import warnings

SKLEARN_MLP_MODULE = "sklearn.neural_network._multilayer_perceptron"
"""The module whose name scikit-learn's MLP warnings carry."""


def warn(message, category=UserWarning):
    """Warn ``message`` from this module, where every warning of skxor's comes from.

    One place, as scikit-learn's MLP warnings come from one module: the
    location stays the same whichever room of skxor decides to warn, and
    ``module="skxor"`` filters match it. A filter aimed at scikit-learn's
    MLP module alone (not at skxor's) applies as the first matching filter
    would: ``"ignore"`` silences it, ``"error"`` raises it; any other action
    hands it to ``warnings``, whose filters for skxor's module then decide.
    """
    action = _sklearn_only_action(str(message), category)
    if action == "ignore":
        return
    if action == "error":
        raise category(message)
    warnings.warn(message, category, stacklevel=1)


def _sklearn_only_action(text, category, module=__name__):
    """The action of the first filter matching the warning under either module name,
    where that filter names scikit-learn's MLP module and not ``module``; else None."""
    for action, message, filtered, module_pattern, lineno in warnings.filters:
        if not (issubclass(category, filtered) and (message is None or message.match(text))):
            continue
        if lineno != 0:
            continue  # a filter for one line of some file, not for a module's warnings
        if module_pattern is None or module_pattern.match(module):
            return None  # the warnings module applies this filter itself
        if module_pattern.match(SKLEARN_MLP_MODULE):
            return action
    return None
