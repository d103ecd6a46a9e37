"""The solver registry: each ``solver`` name to the class that trains with it.

A solver is made once per fit from the fit's ``FitConfig`` (construction may
refuse a configuration, as L-BFGS refuses dropout) and offers:

- ``task_name`` (``"epoch"`` or ``"iteration"``), ``max_epochs``, and whether
  it is ``interruptible`` (Ctrl-C keeps the model so far), ``uses_early_stopping``
  (holds out a validation split), ``trains_incrementally`` (has ``partial_fit``) and
  ``has_learning_rate`` (records ``learning_rate_curve_``);
- ``check_dtype(dtype)``: refuse parameters that vanish in the training dtype;
- ``settings(n_train)``: what its loop needs for a fit on ``n_train`` rows, in a
  type of its own (``EpochSettings``; L-BFGS reads the ``FitConfig`` itself);
- ``train(training, settings) -> TrainingRun``: one random start;
- ``divergence_message(divergence)``: what diverged, and its remedy.

Adding a solver is one module with such a class and one entry here.
"""

from ._lbfgs import LbfgsSolver
from ._stochastic import StochasticSolver
from ._update_rules import SGD, Adam  # noqa: F401  models saved before the split name them here

SOLVERS = {"sgd": StochasticSolver, "adam": StochasticSolver, "lbfgs": LbfgsSolver}


def solver_for(config):
    """The solver of ``config.solver``, made for this fit."""
    return SOLVERS[config.solver](config)
