"""Random starts: train a fit's problem from each start, and keep the best run.

The estimator hands down a ``TrainingProblem``: the network, its starting
parameters, the training rows, the validation set, the fit's generator and
its ``FitConfig``, and what a warm or partial fit continues. ``train_starts``
trains one start after another (``n_init`` of them, one for a warm or
partial fit), keeps the best run by ``TrainingRun.selection_key`` and lets
Ctrl-C end the fit with the best start so far. The estimator then holds the
best run: training never touches it.
"""

import copy
from dataclasses import dataclass

import numpy as np

from ..data.placement import Placement, put
from ..network.constants import numpy_dtype
from ..network.initialization import initialize
from ..network.network import Network
from .config import FitConfig
from .progress import Progress, Training


@dataclass
class Continuation:
    """What a warm or partial fit goes on from.

    ``records`` are the fitted estimator's attributes, whose curves and
    counts ``Progress.from_fitted`` continues; ``update_rule`` is the rule
    the last fit ended with, which a ``partial_fit`` of the same solver
    continues (None after L-BFGS).
    """

    records: dict
    update_rule: object = None


@dataclass
class TrainingProblem:
    """What one fit trains: the network, its starting parameters, rows and validation set.

    ``data`` is the training rows (``InMemoryData`` or ``ChunkedData``) and
    ``validation`` a validation set or None. ``placement`` is X's namespace
    and device under array API dispatch, where ``params`` and the data
    live; None for NumPy.

    ``rng`` is the fit's generator, which the first start draws from just as
    MLPClassifier does. Each further random start draws (its weights, its
    shuffles) from a generator of its own, seeded by ``restart_seeds``: they
    are read off ``rng`` once its starting weights are drawn and before any
    draw that depends on the data (see ``peeked_seeds``), so that no start
    depends on how many rows the one before it shuffled (weighting a row then
    trains as repeating it), and the fit's own generator sees MLPClassifier's
    draws alone.
    """

    network: Network
    params: np.ndarray
    data: object
    validation: object
    rng: np.random.RandomState
    config: FitConfig
    placement: Placement | None = None
    restart_seeds: tuple = ()
    continued: Continuation | None = None

    def start(self, index):
        """``(rng, params)`` of random start ``index``: the fit's own for the first (0).

        A further start draws fresh weights from a generator of its own.
        """
        if index == 0:
            return self.rng, self.params
        rng = np.random.RandomState(self.restart_seeds[index - 1])
        config = self.config
        params = initialize(self.network, config.weight_init, config.activation, rng,
                            numpy_dtype(self.params.dtype))
        return rng, put(self.placement, params)


def peeked_seeds(rng, count):
    """``count`` seeds read off a copy of ``rng``: ``rng`` itself draws nothing."""
    if count == 0:
        return ()
    return tuple(copy.deepcopy(rng).randint(np.iinfo(np.int32).max, size=count))


@dataclass
class _Starts:
    """The random starts of one fit: what each trains on, and with which solver."""

    problem: TrainingProblem
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
        rng, params = self.problem.start(start)
        task = tasks.begin_start()
        run = self._train(rng, params, tasks.epoch_hooks(task, self.solver.task_name))
        return run, lambda: tasks.end_start(task, run.params)

    def _train(self, rng, params, hooks):
        """Train ``params`` in place from one start; return its ``TrainingRun``."""
        problem, solver = self.problem, self.solver
        config, continued = problem.config, problem.continued
        judge = (problem.validation is not None and config.early_stopping
                 and solver.uses_early_stopping)
        progress = Progress.from_fitted(continued and continued.records, judge,
                                        problem.validation is not None)
        kept = continued and continued.update_rule
        goes_on = config.incremental and kept is not None and kept.solver == config.solver
        training = Training(problem.network, params, problem.data, progress,
                            problem.validation, hooks, rng, kept if goes_on else None)
        run = solver.train(training, self.settings)
        run.check_finished()
        return run


def train_starts(problem, solver, tasks):
    """Train ``problem`` from each random start, as ``tasks`` counts and observes them.

    ``tasks`` (the estimator's callback tasks) gives ``n_starts`` and is told
    as each start begins (``begin_start``) and ends (``end_start(task,
    params)``, True to stop); ``epoch_hooks(task, task_name)`` observe each
    epoch.

    Returns
    -------
    best : TrainingRun
    interrupted : bool
        Whether Ctrl-C ended the fit.
    """
    settings = solver.settings(problem.data.n_rows)
    return _Starts(problem, solver, settings).run(tasks)
