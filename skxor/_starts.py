"""Random starts: train the problem from each, keep the best, and publish it.

``train_starts`` trains one start after another (``n_init`` of them, one for
a warm or partial fit), keeps the best run by ``TrainingRun.selection_key``
and lets Ctrl-C end the fit with the best start so far; ``publish`` makes the
estimator hold that run.
"""

from dataclasses import dataclass

from ._problem import fresh_params
from ._training import Progress, Training, n_rows


@dataclass
class _Starts:
    """The random starts of one fit: what each trains on, and with which solver."""

    estimator: object
    problem: object
    split: tuple
    solver: object
    settings: object

    def run(self, tasks):
        """Train from each start; return the best run and whether Ctrl-C ended the fit.

        In an interruptible fit, a ``KeyboardInterrupt`` ends the fit with the
        best start trained so far, wherever it lands: inside a start's epoch
        loop (which keeps that start's completed epochs), between two starts,
        or in a callback at a start's end. Before any start is trained, it
        propagates.
        """
        best = None
        for start in range(tasks.n_starts):
            try:
                run, end_task = self._one(start, tasks)
                if best is None or run.selection_key() > best.selection_key():
                    best = run
                stop = end_task()
            except KeyboardInterrupt:
                if best is None or not self.solver.interruptible:
                    raise
                return best, True
            if run.interrupted:
                return best, True
            if stop:
                break
        return best, False

    def _one(self, start, tasks):
        """Train start ``start``; return its run and the call that ends its task."""
        problem, fitted_attributes = self.problem, self.estimator._fitted_attributes
        start_problem = problem if start == 0 else problem.restart(start)
        params = problem.params if start == 0 else fresh_params(start_problem)
        task = tasks.begin_start()
        hooks = tasks.epoch_hooks(task, lambda p: fitted_attributes(problem, p),
                                  self.solver.task_name)
        run = self._train(start_problem, params, hooks)
        return run, lambda: tasks.end_start(
            task, lambda: fitted_attributes(problem, run.params))

    def _train(self, problem, params, hooks):
        """Train ``params`` in place from one start; return its ``TrainingRun``."""
        estimator, solver = self.estimator, self.solver
        data, validation = self.split
        judge = (validation is not None and problem.config.early_stopping
                 and solver.uses_early_stopping)
        fitted = vars(estimator) if problem.resume else None
        progress = Progress.from_fitted(fitted, judge, validation is not None)
        kept = getattr(estimator, "_optimizer", None)
        continued = (problem.config.incremental and kept is not None
                     and kept.solver == problem.config.solver)
        training = Training(problem.network, params, data, progress, validation, hooks,
                            problem.rng, kept if continued else None)
        run = solver.train(training, self.settings)
        run.check_finished()
        return run


def train_starts(estimator, problem, split, solver, tasks):
    """Train ``problem`` on ``split``, ``(data, validation)``, from each random start.

    Returns
    -------
    best : TrainingRun
    interrupted : bool
        Whether Ctrl-C ended the fit.
    """
    settings = solver.settings(n_rows(split[0]))
    return _Starts(estimator, problem, split, solver, settings).run(tasks)


def publish(estimator, problem, best, solver):
    """Make ``estimator`` hold the ``best`` run: its weights, ``loss_``, ``n_iter_``, records.

    Without a validation set, a solver without early stopping (L-BFGS) sets
    no validation records, as MLPClassifier's sets none; L-BFGS, which has
    no learning rate, sets no ``learning_rate_curve_``.
    """
    estimator.__dict__.update(estimator._fitted_attributes(problem, best.params))
    estimator.loss_, estimator.n_iter_ = best.loss, best.n_iter
    if best.update_rule is not None:
        estimator._optimizer = best.update_rule
    else:  # the update rule of earlier weights would not fit the ones L-BFGS trained
        estimator.__dict__.pop("_optimizer", None)
    records = best.progress.fitted_attributes()
    left_out = [] if solver.has_learning_rate else ["learning_rate_curve_"]
    if not solver.uses_early_stopping and best.progress.validation_scores is None:
        left_out += ["validation_scores_", "validation_loss_curve_", "best_validation_score_"]
    for name in left_out:
        del records[name]
        estimator.__dict__.pop(name, None)
    estimator.__dict__.update(records)
