"""Bridge from the training loops to scikit-learn's callbacks (``sklearn.callback``).

scikit-learn 1.9 added a callback framework: an estimator lays out its fit as
a tree of tasks, and callbacks such as ``ProgressBar`` and ``ScoringMonitor``
are told when each task begins and ends. A fit here is the root task; its
subtasks are the epochs (L-BFGS iterations), or with ``n_init > 1`` the random
starts, each with its epochs. On an older scikit-learn there are no callbacks
and this module does nothing.
"""

from .training.progress import EpochHooks

try:
    from sklearn.callback import CallbackSupportMixin, with_callbacks
except ImportError:  # scikit-learn < 1.9

    class CallbackSupportMixin:
        """Stand-in for scikit-learn's mixin where the callback framework is missing."""

    def with_callbacks(method):
        """Without callbacks, there is nothing to set up or tear down."""
        return method


class FitTasks:
    """The callback task tree of one call to ``fit`` or ``partial_fit``.

    Makes the root context (and sets the callbacks up) at once, first thing
    in a fit: scikit-learn's wrapper tears the callbacks down afterwards only
    where that context exists, whether the fit succeeds or fails.

    Parameters
    ----------
    estimator : MLPBackpropClassifier or MLPBackpropRegressor
    n_starts : int
        Random starts this fit trains from.
    max_epochs : int
        Most epochs (or L-BFGS iterations) a start can run.

    Attributes
    ----------
    attributes_for : callable
        ``attributes_for(params)``, the attributes that make a copy of the
        estimator predict with ``params``: what a callback gets when it asks
        for the model of an epoch or a start. The estimator sets it once the
        network exists; it runs only if a callback asks.
    """

    def __init__(self, estimator, n_starts, max_epochs):
        self.estimator = estimator
        self.n_starts = n_starts
        self.max_epochs = max_epochs
        self.attributes_for = None
        self.root = None
        if hasattr(estimator, "_init_callback_context"):
            self.root = estimator._init_callback_context(
                max_subtasks=n_starts if n_starts > 1 else max_epochs)
        self.active = self.root is not None and bool(getattr(estimator, "_skl_callbacks",
                                                             None))
        self._training_data = {}

    def begin(self, X, y, sample_weight):
        """The fit begins, on validated training data."""
        metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        self._training_data = {"X": X, "y": y, "metadata": metadata}
        if self.active:
            self.root.call_on_fit_task_begin(estimator=self.estimator,
                                             **self._training_data)

    def end(self):
        """The fit ended and the estimator holds its fitted attributes."""
        if self.active:
            self.root.call_on_fit_task_end(estimator=self.estimator,
                                           reconstruction_attributes={},
                                           **self._training_data)

    def begin_start(self):
        """A random start begins; return the task its epochs belong to."""
        if not self.active or self.n_starts == 1:
            return self.root
        start = self.root.subcontext(task_name="random start",
                                     max_subtasks=self.max_epochs)
        start.call_on_fit_task_begin(estimator=self.estimator, **self._training_data)
        return start

    def end_start(self, start, params):
        """A random start ended with ``params``; True asks to stop."""
        if not self.active or self.n_starts == 1:
            return False
        return start.call_on_fit_task_end(
            estimator=self.estimator,
            reconstruction_attributes=lambda: self.attributes_for(params),
            **self._training_data)

    def epoch_hooks(self, start, task_name):
        """Hooks that make each epoch of ``start`` a callback task, or None."""
        if not self.active:
            return None
        return _CallbackEpochs(self.estimator, start, task_name, self.attributes_for,
                               self._training_data)


class _CallbackEpochs(EpochHooks):
    """Each epoch a subtask of ``parent``, begun and ended around the training step."""

    def __init__(self, estimator, parent, task_name, fitted_attributes, training_data):
        self.estimator = estimator
        self.parent = parent
        self.task_name = task_name
        self.fitted_attributes = fitted_attributes
        self.training_data = training_data
        self.context = None

    def begin(self):
        """Open this epoch's task."""
        self.context = self.parent.subcontext(task_name=self.task_name)
        self.context.call_on_fit_task_begin(estimator=self.estimator, **self.training_data)

    def end(self, params):
        """Close this epoch's task; True when a callback asks training to stop.

        ``params`` is None for an L-BFGS iteration that began but never
        finished: its task ends with nothing to evaluate.
        """
        if params is None:
            return self.context.call_on_fit_task_end(estimator=self.estimator)
        return self.context.call_on_fit_task_end(
            estimator=self.estimator,
            reconstruction_attributes=lambda: self.fitted_attributes(params.copy()),
            **self.training_data)


class UnobservedStarts:
    """The tasks of a single random start that no callback observes.

    What ``training.starts.train_starts`` asks of a fit's tasks, answered for a
    start the callbacks are not told of (the tabular estimators' networks
    after the first).
    """

    n_starts = 1

    def begin_start(self):
        """Nothing to begin."""

    def end_start(self, start, params):
        """Nothing to end: never asks to stop."""
        return False

    def epoch_hooks(self, start, task_name):
        """No hooks: no epoch is observed."""
        return None
