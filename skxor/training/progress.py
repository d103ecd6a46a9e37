"""What every solver shares: the job of one random start, its records, and its end.

``Training`` is one start's job (network, parameters, data, records,
validation set, callback hooks, generator); ``TrainingRun`` what the start
produced. ``Progress`` records epochs (L-BFGS iterations) and applies the
no-improvement count; ``Diverged`` and ``check_divergence`` stop a fit whose
numbers left the region where they mean anything; ``EpochHooks`` is the
observer the callbacks bridge subclasses.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from ..network.network import Network
from ..network.primitives import primitives

DIVERGENCE_FACTOR = 1e4


class Diverged(ArithmeticError):
    """Training left the region where its numbers mean anything.

    Raised when an epoch's loss or a parameter is not finite, or the loss
    exceeds ``DIVERGENCE_FACTOR`` times the larger of 1 and the first epoch's
    loss: the log loss is clipped and the squared error bounded, so only
    exploding weights (through the L2 term) get there.
    """

    def __init__(self, epoch, loss):
        super().__init__(f"training diverged at epoch {epoch}: the loss reached {loss:.3g}")
        self.epoch = epoch
        self.loss = loss

    def worded(self, message):
        """A solver's ``message`` for this divergence.

        Where the numbers stopped being finite, it begins with scikit-learn's
        own sentence for non-finite weights.
        """
        if math.isfinite(self.loss):
            return message
        return ("Solver produced non-finite parameter weights. The input data may contain "
                f"large values and need to be preprocessed. {message}")


def check_divergence(epoch, loss, params, reference_loss):
    """Raise ``Diverged`` if this epoch's loss (unless None) or ``params`` (unless None) blew up.

    The training loops check only the loss after each epoch: a parameter
    that is not finite makes the next epoch's loss not finite. The final
    parameters are checked once, by ``TrainingRun.check_finished``.
    """
    limit = DIVERGENCE_FACTOR * max(reference_loss, 1.0)
    if loss is not None and not (math.isfinite(loss) and loss <= limit):
        raise Diverged(epoch, loss)
    if params is not None and not primitives(params).all_finite(params):
        raise Diverged(epoch, loss)


@dataclass
class Progress:
    """What training has recorded so far; carried across warm starts.

    With a validation set, each epoch's accuracy and loss on it are recorded
    too; the stochastic solvers record each epoch's first learning rate.
    When ``judge_on_validation`` (early stopping), progress is judged by the
    validation accuracy and the best parameters seen are kept in
    ``best_params``; otherwise by the training loss against ``best_loss``.
    """

    loss_curve: list = field(default_factory=list)
    learning_rate_curve: list = field(default_factory=list)
    best_loss: float = np.inf
    validation_scores: list | None = None
    validation_loss_curve: list | None = None
    best_validation_score: float = -np.inf
    best_params: np.ndarray | None = None
    samples_seen: int = 0
    no_improvement_count: int = 0
    judge_on_validation: bool = False

    @classmethod
    def from_fitted(cls, fitted, judge_on_validation, with_validation):
        """Fresh records, or those of ``fitted`` (an estimator's attributes) to continue.

        ``fitted`` is None for a fresh fit. A warm or partial fit continues
        the curves and the count of epochs without improvement, as
        MLPClassifier does: a fit that stopped on ``n_iter_no_change`` stops
        after one more epoch without improvement.
        """
        continued = fitted is not None and "loss_curve_" in fitted
        if not with_validation:
            curves = None, None
        elif continued and fitted.get("validation_scores_") is not None:
            curves = list(fitted["validation_scores_"]), list(fitted["validation_loss_curve_"])
        else:
            curves = [], []
        if not continued:
            return cls(validation_scores=curves[0], validation_loss_curve=curves[1],
                       judge_on_validation=judge_on_validation)
        return cls(
            loss_curve=list(fitted["loss_curve_"]),
            learning_rate_curve=list(fitted.get("learning_rate_curve_") or []),
            best_loss=_none_as(fitted["best_loss_"], np.inf),
            validation_scores=curves[0],
            validation_loss_curve=curves[1],
            best_validation_score=_none_as(fitted.get("best_validation_score_"), -np.inf),
            samples_seen=fitted["t_"],
            no_improvement_count=fitted["_no_improvement_count"],
            judge_on_validation=judge_on_validation,
        )

    def fitted_attributes(self):
        """The records as the estimator's fitted attributes (None where a record is off)."""
        return {
            "loss_curve_": self.loss_curve,
            "learning_rate_curve_": self.learning_rate_curve,
            "t_": self.samples_seen,
            "_no_improvement_count": self.no_improvement_count,
            "best_loss_": None if self.judge_on_validation else self.best_loss,
            "validation_scores_": self.validation_scores,
            "validation_loss_curve_": self.validation_loss_curve,
            "best_validation_score_": (None if self.validation_scores is None
                                       else self.best_validation_score),
        }

    def record(self, loss, params, tol, validation=None):
        """Add an epoch's results and update the no-improvement count.

        ``validation`` is the epoch's ``(accuracy, loss)`` on the validation
        set, or None without one.
        """
        self.loss_curve.append(loss)
        if self.judge_on_validation:
            stalled = validation[0] < self.best_validation_score + tol
        else:
            stalled = loss > self.best_loss - tol
        self.best_loss = min(self.best_loss, loss)
        if validation is not None:
            self._record_validation(*validation, params)
        self.no_improvement_count = self.no_improvement_count + 1 if stalled else 0

    def _record_validation(self, score, loss, params):
        self.validation_scores.append(score)
        self.validation_loss_curve.append(loss)
        if score > self.best_validation_score:
            self.best_validation_score = score
            if self.judge_on_validation:
                self.best_params = primitives(params).copy(params)


class EpochHooks:
    """Observer of a training loop, told when each epoch (or iteration) begins and ends.

    This base observes nothing; the estimator passes a subclass that forwards
    to scikit-learn's callbacks.
    """

    def begin(self):
        """An epoch is about to run."""

    def end(self, params):
        """An epoch ended with ``params``; return True to stop training."""
        return False


def _none_as(value, default):
    """``value``, or ``default`` where a fitted record holds None."""
    return default if value is None else value


def report_epoch(verbose, iteration, loss, validation):
    """MLPClassifier's verbose lines for one epoch (L-BFGS iteration)."""
    if verbose:
        print(f"Iteration {iteration}, loss = {loss:.8f}")
        if validation is not None:
            print(f"Validation score: {validation[0]:f}")


@dataclass
class Training:
    """One random start's job: what a solver trains, on what, and who is told.

    ``params`` is trained in place; ``data`` the training rows (an
    ``InMemoryData`` or a dask fit's ``ChunkedData``: the solvers ask the
    same of either); ``validation`` a ``ValidationSet`` or None;
    ``hooks`` an ``EpochHooks`` (None observes nothing); ``rng`` draws this
    start's shuffles and dropout seed; ``update_rule`` the fitted rule a
    ``partial_fit`` continues, or None for a fresh one.
    """

    network: Network
    params: np.ndarray
    data: object
    progress: Progress
    validation: object = None
    hooks: EpochHooks | None = None
    rng: np.random.RandomState | None = None
    update_rule: object = None


@dataclass
class TrainingRun:
    """What training from one start produced; ``params`` holds its final weights.

    ``unconverged`` is the ConvergenceWarning's text, or None; ``diverged``
    marks a run that early stopping brought back from a divergence.
    """

    params: np.ndarray
    loss: float | None
    n_iter: int
    unconverged: str | None
    progress: Progress
    update_rule: object = None
    interrupted: bool = False
    diverged: bool = False

    def selection_key(self):
        """Larger is better: validation accuracy first when there is one, then low loss.

        Early stopping has restored the best parameters, so their score is the
        best one; otherwise the final parameters are kept and scored last. A
        run interrupted before its first epoch ended (loss None) ranks last.
        """
        loss = -np.inf if self.loss is None else -self.loss
        progress = self.progress
        if progress.validation_scores is None:
            return (loss,)
        if progress.judge_on_validation:
            return progress.best_validation_score, loss
        return (progress.validation_scores[-1] if progress.validation_scores
                else -np.inf), loss

    def check_finished(self):
        """Raise ``Diverged`` if the final weights (or L-BFGS's loss) left the numbers.

        The stochastic loops check every epoch's loss; this checks the final
        weights, and L-BFGS's loss. A run that diverged under early stopping
        has gone back to its best weights, away from the loss it diverged with.
        """
        check_divergence(self.n_iter, None if self.diverged else self.loss, self.params,
                         reference_loss=self.loss or 0.0)
