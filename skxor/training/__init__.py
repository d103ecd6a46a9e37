"""How a network is trained: solvers, update rules, schedules, records and random starts.

``solvers.SOLVERS`` maps each ``solver`` name to the class that trains
with it (``stochastic`` for every update rule of ``update_rules``, and
``lbfgs``). A solver trains one random start (``progress.Training``) and
returns a ``progress.TrainingRun``; ``starts`` trains every start of a fit
and keeps the best. Training reads the fit's parameters from a
``config.FitConfig`` and its rows from a data object (``skxor.data``),
never the estimator.
"""
