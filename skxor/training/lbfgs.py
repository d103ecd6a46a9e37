"""The L-BFGS solver: SciPy's L-BFGS-B on the network's exact full-batch loss and gradient.

``LbfgsSolver`` is its entry in the solver registry: it refuses dropout,
trains one start (``train``) and words MLPClassifier's unconverged warning
and its own divergence remedy. ``minimize_lbfgs`` runs SciPy, recording each
iteration as an epoch, with SciPy's own BLAS on one thread.
"""

import os
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cache

import numpy as np
import scipy
import scipy.optimize
from threadpoolctl import ThreadpoolController

from ..network.primitives import primitives
from ..utils.parameters import Parameter, integer
from .progress import EpochHooks, TrainingRun, report_epoch

_STOCHASTIC_ONLY = (
    ("dropout", "L-BFGS minimises one fixed objective, and dropout draws a different "
                "network for every batch."),
    ("lr_schedule", "L-BFGS has no learning rate; its line search sizes every step."),
    ("warmup", "L-BFGS has no learning rate; its line search sizes every step."),
    ("weight_decay", "L-BFGS takes no steps of its own to decay. For a penalty on the "
                     "weights in the objective L-BFGS minimises, use alpha."),
    ("max_grad_norm", "L-BFGS needs the true gradient of its objective: a clipped one "
                      "would break its line search and its curvature estimates."),
)
"""The parameters L-BFGS refuses when set, each with the reason."""


def _is_set(config, name):
    """Whether parameter ``name`` of ``config`` asks for something other than its default."""
    if name == "dropout":
        return any(config.dropout_rates)
    return getattr(config, name) not in (None, 0)


class LbfgsSolver:
    """lbfgs, for the solver registry.

    Parameters
    ----------
    config : FitConfig
        With a parameter of the stochastic solvers set (dropout, a schedule,
        weight decay, clipping), construction raises ``ValueError``.
    """

    task_name = "iteration"
    uses_early_stopping = False
    interruptible = False
    trains_incrementally = False
    has_learning_rate = False
    parameters = (Parameter("max_fun", 15000, integer(1), "int",
                            'Maximum loss evaluations of ``"lbfgs"``.'),)
    summary = ("SciPy's L-BFGS-B on the full-batch loss, fed by the backpropagated gradient; "
               "for small data it often converges faster and better")

    def __init__(self, config):
        for name, why in _STOCHASTIC_ONLY:
            if _is_set(config, name):
                raise ValueError(f"{name}={getattr(config, name)!r} needs solver='sgd' or "
                                 f"'adam': {why}")
        self.config = config

    @property
    def max_epochs(self):
        """Most iterations one start can begin: one more than ``max_iter`` finish,
        the one whose line search fails."""
        return self.config.max_iter + 1

    def check_dtype(self, dtype):
        """L-BFGS-B has no step size of the user's to lose in ``dtype``."""

    def settings(self, n_train):
        """The fit's configuration: L-BFGS reads ``max_iter``, ``max_fun``, ``alpha``, ``tol``
        and ``verbose`` from it, whatever the number of rows."""
        return self.config

    def train(self, training, settings):
        """Train ``training.params`` in place from one start; return the ``TrainingRun``."""
        result = minimize_lbfgs(training, settings)
        unconverged = None if result.finished else _unconverged(result, settings.max_iter)
        return TrainingRun(training.params, result.loss, result.n_iter, unconverged,
                           training.progress)

    def divergence_message(self, divergence):
        """What diverged, and the remedy: scaled X."""
        return divergence.worded(
            f"L-BFGS diverged after {divergence.epoch} iterations: the loss reached "
            f"{divergence.loss:.3g}. Scale X, for example with StandardScaler.")


def _unconverged(result, max_iter):
    """MLPClassifier's words when L-BFGS-B ends without converging."""
    message = (f"lbfgs failed to converge after {result.n_iter} iteration(s) "
               f"(status={result.status}):\n{result.message}\n")
    if result.n_iter == max_iter:
        message += ("\nIncrease the number of iterations to improve the convergence "
                    f"(max_iter={max_iter}).")
    return message + ("\nYou might also want to scale the data as shown in:\n"
                      "    https://scikit-learn.org/stable/modules/preprocessing.html")


@dataclass
class LbfgsResult:
    """Outcome of ``minimize_lbfgs``: SciPy's ``status`` and ``message``, and whether
    it ``finished`` (converged, or a hook stopped it)."""

    loss: float
    n_iter: int
    finished: bool
    status: int
    message: str


@cache
def _scipy_own_blas():
    """threadpoolctl handle on the BLAS libraries inside SciPy's installation, or None.

    SciPy's wheels bundle an OpenBLAS of their own, separate from NumPy's.
    L-BFGS-B calls it for small vector operations, where waking a second
    thread costs more than the work: on digits with 100 hidden units, one
    thread there made the whole lbfgs fit 3.4 times faster. When SciPy and
    NumPy share one BLAS (as in conda), limiting it would slow the network's
    matrix products too, so nothing is selected.
    """
    scipy_home = os.path.dirname(scipy.__file__)
    controller = ThreadpoolController()
    own = [library.filepath for library in controller.lib_controllers
           if library.user_api == "blas" and library.filepath.startswith(scipy_home)]
    return controller.select(filepath=own) if own else None


def _one_thread_for_scipy_blas():
    """SciPy's own BLAS on one thread inside the block, for a fit on the main thread.

    OpenBLAS (0.3.30 measured) does not reliably apply a thread count set
    from any other thread: such a limit may not take, and its restore may
    not either, which left the process on one thread after concurrent fits
    (GridSearchCV with the threading backend). So a fit on another thread
    leaves SciPy's BLAS as it is, and each limit is restored by the thread
    that set it; nested fits restore in order, as threadpoolctl's limits do.
    """
    own = _scipy_own_blas()
    if own is None or threading.current_thread() is not threading.main_thread():
        return nullcontext()
    return own.limit(limits=1)


def minimize_lbfgs(training, settings):
    """Minimise the full-batch loss with SciPy's L-BFGS-B; ``training.params`` is updated.

    SciPy works in float64; the network computes in the dtype of the
    parameters. Each iteration is recorded in ``training.progress`` with the
    loss of the point it ended on (L-BFGS-B ends every iteration on the point
    its line search evaluated last). ``settings`` gives ``max_iter``,
    ``max_fun``, ``alpha``, ``tol`` (the gradient tolerance) and ``verbose``;
    the validation set and hooks are told of each iteration as of an epoch.
    A hook's ``begin`` comes with the iteration's first evaluation.
    """
    network, params, progress = training.network, training.params, training.progress
    validation, hooks = training.validation, training.hooks or EpochHooks()
    ops = primitives(params)
    grad = ops.empty(params.shape, params)
    last_loss = []
    state = {"in_iteration": False, "stopped": False}
    start = len(progress.loss_curve)

    def loss_and_gradient(vector):
        if not state["in_iteration"]:
            hooks.begin()
            state["in_iteration"] = True
        ops.assign_from_host(params, vector)
        loss = float(training.data.loss_gradient(network, params, settings.alpha, grad))
        last_loss[:] = [loss]
        return loss, ops.to_numpy(grad).astype(np.float64)

    def end_of_iteration(vector):
        ops.assign_from_host(params, vector)
        scores = None if validation is None else validation(params)
        progress.record(last_loss[0], params, settings.tol, scores)
        report_epoch(settings.verbose, len(progress.loss_curve) - start, last_loss[0], scores)
        state["in_iteration"] = False
        if hooks.end(params):
            state["stopped"] = True
            raise StopIteration

    with _one_thread_for_scipy_blas():
        result = scipy.optimize.minimize(
            loss_and_gradient, ops.to_numpy(params).astype(np.float64), method="L-BFGS-B",
            jac=True,
            callback=end_of_iteration,
            options={"maxiter": settings.max_iter, "maxfun": settings.max_fun,
                     "gtol": settings.tol},
        )
    if state["in_iteration"]:
        hooks.end(None)
    ops.assign_from_host(params, result.x)
    n_iter = len(progress.loss_curve) - start
    return LbfgsResult(float(result.fun), n_iter, result.status == 0 or state["stopped"],
                       int(result.status), str(result.message))
