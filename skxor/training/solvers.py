"""The solver registry: each ``solver`` name to the class that trains with it.

A solver is made once per fit from the fit's ``FitConfig`` (construction may
refuse a configuration, as L-BFGS refuses dropout) and offers:

- ``parameters``, the constructor parameters it reads (``Parameter``
  declarations, which the estimators take), and a one-line ``summary`` for
  the docstring of ``solver``;
- ``task_name`` (``"epoch"`` or ``"iteration"``), ``max_epochs``, and whether
  it is ``interruptible`` (Ctrl-C keeps the model so far), ``uses_early_stopping``
  (holds out a validation split), ``trains_incrementally`` (has ``partial_fit``) and
  ``has_learning_rate`` (records ``learning_rate_curve_``);
- ``check_dtype(dtype)``: refuse parameters that vanish in the training dtype;
- ``settings(n_train)``: what its loop needs for a fit on ``n_train`` rows, in a
  type of its own (``EpochSettings``; L-BFGS reads the ``FitConfig`` itself);
- ``train(training, settings) -> TrainingRun``: one random start;
- ``divergence_message(divergence)``: what diverged, and its remedy.

Adding a solver is one module with such a class and one entry here. Every
update rule (``update_rules.UPDATE_RULES``) is a solver of its own name,
trained by ``StochasticSolver``.
"""

from .lbfgs import LbfgsSolver
from .stochastic import StochasticSolver
from .update_rules import UPDATE_RULES

SOLVERS = {"lbfgs": LbfgsSolver, **dict.fromkeys(UPDATE_RULES, StochasticSolver)}
"""Every ``solver`` name to the class that trains with it: the one list of them."""


def solver_for(config):
    """The solver of ``config.solver``, made for this fit."""
    return SOLVERS[config.solver](config)


def summary(name):
    """The one-line description of solver ``name``, for the docstring of ``solver``."""
    solver = SOLVERS[name]
    return UPDATE_RULES[name].summary if solver is StochasticSolver else solver.summary


def solver_parameters():
    """The parameters every registered solver and update rule reads, each once.

    The stochastic solvers' first, then each update rule's, then the other
    solvers': the order of the estimators' signatures and docstrings.
    """
    declared = [*StochasticSolver.parameters,
                *(parameter for rule in UPDATE_RULES.values() for parameter in rule.parameters),
                *(parameter for solver in dict.fromkeys(SOLVERS.values())
                  for parameter in solver.parameters)]
    return tuple({parameter.name: parameter for parameter in declared}.values())
