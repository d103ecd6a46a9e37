"""The update rules of the stochastic solvers: each ``solver`` name to its rule.

Adding one is a module with an ``UpdateRule`` subclass (its step, the
parameters it reads, its one-line summary) and its entry in
``UPDATE_RULES``: the estimators then take its parameters and the new
``solver`` name, their docstrings list them, and ``fit`` trains with it.
"""

from .adam import Adam
from .base import NO_CONTROLS, Controls, UpdateRule, clip_global_norm
from .rmsprop import RMSProp
from .sgd import SGD

UPDATE_RULES = {"sgd": SGD, "adam": Adam, "rmsprop": RMSProp}
"""Every update rule by its ``solver`` name: the one list of them."""

__all__ = ["NO_CONTROLS", "UPDATE_RULES", "Adam", "Controls", "RMSProp", "SGD", "UpdateRule",
           "clip_global_norm", "new_update_rule"]


def new_update_rule(params, config, network):
    """A fresh update rule of ``config.solver`` for ``network``'s ``params``, from a
    ``FitConfig`` (the network says which entries are weights, and their rate factors)."""
    rule = UPDATE_RULES[config.solver].from_config(params, config)
    rule.set_controls(Controls.of(config, network, params))
    return rule
