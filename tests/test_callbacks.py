"""scikit-learn's callbacks (sklearn.callback): one task per epoch or L-BFGS iteration."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

from skxor import MLPBackpropClassifier

pytest.importorskip("sklearn.callback", reason="scikit-learn < 1.9 has no callbacks")

RNG = np.random.RandomState(0)
X = RNG.normal(size=(60, 3))
Y = (X[:, 0] + X[:, 1] > 0).astype(int)


class Recorder:
    """A callback that writes down every hook call, and can ask to stop."""

    def __init__(self, stop_after=None):
        self.stop_after = stop_after
        self.events = []
        self.fitted = []

    def setup(self, estimator, context):
        self.events.append(("setup", None))

    def teardown(self, estimator, context):
        self.events.append(("teardown", None))

    def on_fit_task_begin(self, estimator, context, *, X=None, y=None):
        self.events.append(("begin", context.task_name))

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        self.events.append(("end", context.task_name))
        if context.task_name in ("epoch", "iteration") and fitted_estimator is not None:
            self.fitted.append(fitted_estimator)
        return self.stop_after is not None and len(self.fitted) >= self.stop_after

    def ends(self, task_name):
        return sum(event == ("end", task_name) for event in self.events)


def small(**params):
    return MLPBackpropClassifier(hidden_layer_sizes=(4,), max_iter=12, random_state=0,
                                 **params)


@pytest.fixture
def quiet():
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


@pytest.mark.usefixtures("quiet")
@pytest.mark.parametrize(("solver", "task"), [("adam", "epoch"), ("sgd", "epoch"),
                                              ("lbfgs", "iteration")])
def test_every_epoch_or_iteration_is_a_task_of_the_fit(solver, task):
    recorder = Recorder()
    clf = small(solver=solver).set_callbacks(recorder).fit(X, Y)
    assert recorder.ends(task) == clf.n_iter_
    assert recorder.events[:3] == [("setup", None), ("begin", "fit"), ("begin", task)]
    assert recorder.events[-2:] == [("end", "fit"), ("teardown", None)]


@pytest.mark.usefixtures("quiet")
def test_the_estimator_handed_to_a_callback_predicts_with_that_epochs_weights():
    recorder = Recorder()
    clf = small().set_callbacks(recorder).fit(X, Y)
    first, last = recorder.fitted[0], recorder.fitted[-1]
    np.testing.assert_array_equal(last.predict_proba(X), clf.predict_proba(X))
    assert not np.array_equal(first.coefs_[0], clf.coefs_[0])


@pytest.mark.parametrize("solver", ["adam", "lbfgs"])
def test_a_callback_asking_to_stop_ends_training_cleanly(solver):
    recorder = Recorder(stop_after=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf = small(solver=solver).set_callbacks(recorder).fit(X, Y)
    assert clf.n_iter_ == 3 == len(clf.loss_curve_)
    np.testing.assert_array_equal(clf.predict_proba(X), recorder.fitted[-1].predict_proba(X))


@pytest.mark.usefixtures("quiet")
def test_random_starts_are_tasks_holding_their_epochs():
    recorder = Recorder()
    small(n_init=3).set_callbacks(recorder).fit(X, Y)
    names = [name for kind, name in recorder.events if kind == "begin"]
    assert names.count("random start") == 3
    assert names.index("epoch") == names.index("random start") + 1


def test_partial_fit_is_one_epoch_task():
    recorder = Recorder()
    small().set_callbacks(recorder).partial_fit(X, Y, classes=[0, 1])
    assert recorder.ends("epoch") == 1


def test_callbacks_are_torn_down_when_fit_fails():
    recorder = Recorder()
    clf = small().set_callbacks(recorder)
    with pytest.raises(ValueError):
        clf.fit(X, np.arange(len(X)) * 1.5)
    assert recorder.events[-1] == ("teardown", None)
    assert not hasattr(clf, "_callback_fit_ctx")


@pytest.mark.usefixtures("quiet")
def test_scoring_monitor_scores_every_epoch():
    from sklearn.callback import ScoringMonitor

    monitor = ScoringMonitor(scoring="accuracy")
    clf = small().set_callbacks(monitor).fit(X, Y)
    scores = monitor.get_logs().data_as_pandas["accuracy"]
    assert len(scores) == clf.n_iter_ + 1
    assert scores.iloc[-1] == clf.score(X, Y)


@pytest.mark.usefixtures("quiet")
def test_progress_bar_draws_the_fits_inside_grid_search(capsys):
    pytest.importorskip("rich")
    from sklearn.callback import ProgressBar
    from sklearn.model_selection import GridSearchCV

    search = GridSearchCV(small(), {"hidden_layer_sizes": [(2,), (3,)]}, cv=2)
    search.set_callbacks(ProgressBar()).fit(X, Y)
    output = capsys.readouterr().out
    assert "MLPBackpropClassifier - fit" in output
    assert "GridSearchCV - fit" in output


def test_without_sklearn_callback_everything_else_works():
    # scikit-learn 1.9 imports its callbacks itself, so load what skxor needs
    # first, then hide sklearn.callback from skxor's import, as on 1.8.
    script = (
        "import sys, sklearn.model_selection, sklearn.utils.class_weight\n"
        "sys.modules['sklearn.callback'] = None\n"
        "from skxor import MLPBackpropClassifier\n"
        "clf = MLPBackpropClassifier(hidden_layer_sizes=(2,), solver='lbfgs')\n"
        "clf.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])\n"
        "print(hasattr(clf, 'set_callbacks'), clf.n_iter_ > 0)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.usefixtures("quiet")
def test_a_callback_sees_and_stops_a_scheduled_fit():
    recorder = Recorder(stop_after=3)
    clf = small(lr_schedule="cosine", warmup=1, weight_decay=0.01, max_grad_norm=1.0,
                dtype="float32").set_callbacks(recorder).fit(X, Y)
    assert clf.n_iter_ == 3 and len(recorder.fitted) == 3
    assert recorder.fitted[-1].coefs_[0].dtype == np.float32
    np.testing.assert_array_equal(recorder.fitted[-1].predict_proba(X), clf.predict_proba(X))
