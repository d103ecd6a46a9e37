"""Faults, abuse and odd data: nothing lost, nothing silently wrong, every error names its cause.

Two tables. ``FAILURES``: calls on a fitted model that must fail, each with
the error class and the words that name the cause; after each, the model
must be bit-identical to what it was (its pickled state) and must train on
exactly like an untouched copy. ``RESULTS``: unusual but legal use, each
with the result it must give.
"""

import copy
import pickle
import threading
import tracemalloc
import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest
import scipy.sparse
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_info

from skxor import MLPBackpropClassifier
from skxor.training.lbfgs import _scipy_own_blas

X, Y = make_classification(n_samples=300, n_features=6, n_informative=4, random_state=0)
X32 = X.astype(np.float32)
BASE = dict(hidden_layer_sizes=(8,), max_iter=20, random_state=0)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

needs_callbacks = pytest.mark.skipif(
    not hasattr(MLPBackpropClassifier, "set_callbacks"),
    reason="needs scikit-learn >= 1.9: sklearn.callback")


class Callback:
    """A FitCallback that raises in ``raise_in``, or keeps snapshots, or holds a file."""

    def __init__(self, raise_in=None, keep_snapshots=False, file=None):
        self.raise_in = raise_in
        self.keep_snapshots = keep_snapshots
        self.file = file
        self.snapshots = []

    def _hook(self, name):
        if name == self.raise_in:
            raise RuntimeError(f"callback failed in {name}")

    def setup(self, estimator, context):
        self._hook("setup")

    def teardown(self, estimator, context):
        self._hook("teardown")

    def on_fit_task_begin(self, estimator, context, **kwargs):
        self._hook("on_fit_task_begin")

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None, **kwargs):
        self._hook("on_fit_task_end")
        if self.keep_snapshots and fitted_estimator is not None:
            self.snapshots.append(copy.deepcopy(fitted_estimator))
        return False


@dataclass
class Failure:
    """A call on a fitted model that must raise ``error`` with ``words``."""

    name: str
    call: object
    error: type
    words: str | None
    prepare: object = None
    marks: list = field(default_factory=list)


def warm_fit(**params):
    return lambda model, _: model.set_params(warm_start=True, **params).fit(X, Y)


def with_callback(hook, method="fit"):
    def call(model, _):
        model.set_callbacks(Callback(raise_in=hook))
        if method == "fit":
            model.set_params(warm_start=True).fit(X, Y)
        else:
            model.partial_fit(X, Y)
    return call


def assign_nan(model):
    model.coefs_[0][0, 0] = np.nan


def interrupted(solver, method):
    def call(model, fail_at_batch):
        fail_at_batch(2)
        model.set_params(solver=solver, warm_start=True)
        model.fit(X, Y) if method == "fit" else model.partial_fit(X, Y)
    return call


def out_of_memory(model, fail_at_batch):
    fail_at_batch(3, MemoryError("injected"))
    model.set_params(warm_start=True).fit(X, Y)


def zero_weights_on(part):
    def call(model, _):
        # rows early_stopping draws with random_state=0 for validation_fraction=0.1
        held_out = np.zeros(len(Y), dtype=bool)
        held_out[_validation_rows()] = True
        weights = (~held_out if part == "validation" else held_out).astype(float)
        model.set_params(early_stopping=True, warm_start=False).fit(X, Y, sample_weight=weights)
    return call


def _validation_rows():
    from sklearn.model_selection import train_test_split

    rows = np.arange(len(Y))
    return train_test_split(rows, test_size=0.1, random_state=_rng_after_init(),
                            stratify=Y.astype(bool))[1]


def _rng_after_init():
    """The fit's random state once the initial weights are drawn, as split_off sees it."""
    rng = np.random.RandomState(0)
    for fan_in, fan_out in [(6, 8), (8, 1)]:
        rng.uniform(size=(fan_in, fan_out))
        rng.uniform(size=fan_out)
    return rng


FAILURES = [
    Failure("callback raises in setup", with_callback("setup"), RuntimeError,
            "callback failed in setup", marks=[needs_callbacks]),
    Failure("callback raises in on_fit_task_begin", with_callback("on_fit_task_begin"),
            RuntimeError, "failed in on_fit_task_begin", marks=[needs_callbacks]),
    Failure("callback raises in on_fit_task_end", with_callback("on_fit_task_end"),
            RuntimeError, "failed in on_fit_task_end", marks=[needs_callbacks]),
    Failure("callback raises in teardown after a warm fit", with_callback("teardown"),
            RuntimeError, "failed in teardown", marks=[needs_callbacks]),
    Failure("callback raises in teardown after partial_fit",
            with_callback("teardown", "partial_fit"), RuntimeError, "failed in teardown",
            marks=[needs_callbacks]),
    Failure("NaN assigned to coefs_ before a warm start", warm_fit(), ValueError,
            r"coefs_\[0\] holds NaN or infinity.*Assign finite weights", prepare=assign_nan),
    Failure("Adam epsilon that is 0 in float32",
            lambda model, _: model.set_params(epsilon=1e-50).fit(X32, Y), ValueError,
            r"epsilon=1e-50 is 0 in float32, the dtype training computes in \(X.s dtype"),
    Failure("learning rate that is 0 in float32",
            lambda model, _: model.set_params(solver="sgd", learning_rate_init=1e-60)
            .fit(X32, Y), ValueError, r"learning_rate_init=1e-60 is 0 in float32"),
    Failure("lbfgs on X of scale 1e200",
            lambda model, _: model.set_params(solver="lbfgs").fit(X * 1e200, Y),
            ValueError, r"L-BFGS diverged after \d+ iterations.*Scale X[^_]*$"),
    Failure("sgd with a learning rate far too high",
            lambda model, _: model.set_params(solver="sgd", learning_rate_init=1e12)
            .fit(X * 1e6, Y), ValueError,
            r"diverged at epoch \d+.*Lower learning_rate_init \(now 1000000000000.0\)"),
    Failure("labels mixing numbers and strings",
            lambda model, _: model.fit(X, np.array([1, "1"] * 150, dtype=object)),
            ValueError, r"y mixes label types \(number, string\)"),
    Failure("labels mixing strings and None",
            lambda model, _: model.fit(X, np.array(["a", None] * 150, dtype=object)),
            ValueError, r"y mixes label types \(None, string\)"),
    Failure("float32 weights beyond float32's range",
            lambda model, _: model.fit(X32, Y, sample_weight=np.full(300, 1e39)),
            ValueError, r"sample_weight holds 1e\+39, beyond the largest float32"),
    Failure("float32 weights that underflow to zero",
            lambda model, _: model.fit(X32, Y, sample_weight=np.full(300, 1e-50)),
            ValueError, r"sample_weight sums to zero in float32"),
    Failure("float64 weights whose sum overflows",
            lambda model, _: model.fit(X, Y, sample_weight=np.full(300, 1e307)),
            ValueError, r"sample_weight sums to infinity"),
    Failure("class weights times sample weights beyond float32",
            lambda model, _: model.set_params(class_weight={0: 1e20, 1: 1.0})
            .fit(X32, Y, sample_weight=np.full(300, 1e20)), ValueError,
            r"The class weights times sample_weight holds 1e\+40"),
    Failure("zero sample_weight_val",
            lambda model, _: model.fit(X, Y, X_val=X, y_val=Y,
                                        sample_weight_val=np.zeros(300)),
            ValueError, r"sample_weight_val sums to zero"),
    Failure("early stopping whose validation rows all weigh 0", zero_weights_on("validation"),
            ValueError, r"drew for validation is zero.*X_val/y_val"),
    Failure("early stopping whose training rows all weigh 0", zero_weights_on("training"),
            ValueError, r"drew for training is zero"),
    Failure("early stopping with a class of one sample",
            lambda model, _: model.set_params(early_stopping=True).fit(
                X, np.r_[np.zeros(299, int), 1]), ValueError,
            r"stratified by class.*class 1 has a single sample.*X_val/y_val.*"
            r"validation_fraction"),
    Failure("Ctrl-C in partial_fit", interrupted("adam", "partial_fit"), KeyboardInterrupt,
            None),
    Failure("Ctrl-C in an lbfgs fit", interrupted("lbfgs", "fit"), KeyboardInterrupt, None),
    Failure("MemoryError in training", out_of_memory, MemoryError, "injected"),
]


def outcome_of_training_on(model):
    """The weights after one more partial_fit epoch, or the error it raises."""
    try:
        model.partial_fit(X, Y)
    except ValueError as error:
        return str(error)
    return [array.copy() for array in model.coefs_ + model.intercepts_]


@pytest.mark.parametrize("case", [pytest.param(case, id=case.name, marks=case.marks)
                                  for case in FAILURES])
def test_failure_names_its_cause_and_leaves_the_model_as_it_was(case, monkeypatch,
                                                                 fail_at_batch):
    model = MLPBackpropClassifier(**BASE).fit(X, Y)
    if case.prepare is not None:
        case.prepare(model)
    params = model.get_params()
    untouched = copy.deepcopy(model)
    state = pickle.dumps(model)
    with pytest.raises(case.error, match=case.words):
        case.call(model, fail_at_batch)
    monkeypatch.undo()
    model.set_params(**params)
    if hasattr(model, "set_callbacks"):
        model.set_callbacks()
    assert pickle.dumps(model) == state
    ours, theirs = outcome_of_training_on(model), outcome_of_training_on(untouched)
    if isinstance(theirs, str):
        assert ours == theirs
    else:
        for mine, reference in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(mine, reference)


def test_float32_weights_near_the_dtypes_limit_train_like_unit_weights():
    huge = MLPBackpropClassifier(**BASE, alpha=0.0).fit(X32, Y,
                                                        sample_weight=np.full(300, 1e37))
    unit = MLPBackpropClassifier(**BASE, alpha=0.0).fit(X32, Y)
    assert huge.loss_curve_[-1] < 0.9 * huge.loss_curve_[0]
    np.testing.assert_allclose(huge.loss_curve_, unit.loss_curve_, rtol=1e-4)


def test_a_batch_that_weighs_nothing_is_skipped():
    weights = np.r_[np.zeros(250), np.ones(50)]
    params = dict(BASE, batch_size=50, shuffle=False, max_iter=5)
    weighted = MLPBackpropClassifier(**params).fit(X, Y, sample_weight=weights)
    last_batch_only = MLPBackpropClassifier(**params).fit(X[250:], Y[250:])
    for mine, reference in zip(weighted.coefs_, last_batch_only.coefs_, strict=True):
        np.testing.assert_array_equal(mine, reference)
    np.testing.assert_allclose(np.array(weighted.loss_curve_) * 6,
                               last_batch_only.loss_curve_, rtol=1e-12)


def test_a_class_weight_of_zero_skips_batches_of_that_class_alone():
    order = np.argsort(Y, kind="stable")
    params = dict(BASE, batch_size=10, shuffle=False, max_iter=3,
                  class_weight={0: 0.0, 1: 1.0})
    clf = MLPBackpropClassifier(**params).fit(X[order], Y[order])
    assert clf.n_iter_ == 3 and np.isfinite(clf.loss_curve_).all()


@needs_callbacks
def test_snapshots_of_the_fitted_estimator_stay_the_same_size():
    keeper = Callback(keep_snapshots=True)
    clf = MLPBackpropClassifier(**dict(BASE, max_iter=30)).set_callbacks(keeper)
    tracemalloc.start()
    clf.fit(X, Y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # one snapshot per epoch, then the whole fit's, which adds the update rule's state
    # (about the weights' size again) and the records: a few floats per epoch, of
    # loss_curve_ and learning_rate_curve_
    *epochs, whole_fit = [len(pickle.dumps(snapshot)) for snapshot in keeper.snapshots]
    assert len(epochs) == 30 and max(epochs) == min(epochs)
    assert whole_fit < 2 * epochs[0] + 40 * len(epochs)
    assert all(not hasattr(snapshot, "_skl_callbacks") for snapshot in keeper.snapshots)
    assert peak < 20 * 2**20


@needs_callbacks
def test_a_model_fitted_with_a_callback_holding_a_file_pickles_without_it(tmp_path):
    with open(tmp_path / "log.txt", "w") as file:
        clf = MLPBackpropClassifier(**BASE).set_callbacks(Callback(file=file)).fit(X, Y)
        loaded = pickle.loads(pickle.dumps(clf))
    assert clf._skl_callbacks and not hasattr(loaded, "_skl_callbacks")
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


@pytest.mark.parametrize("duplicate", [pickle.dumps, copy.copy, copy.deepcopy])
def test_copying_or_pickling_leaves_the_live_estimator_untouched(duplicate):
    clf = MLPBackpropClassifier(**BASE).fit(X, Y)
    before = dict(vars(clf))
    duplicate(clf)
    assert vars(clf).keys() == before.keys()
    assert all(vars(clf)[name] is value for name, value in before.items())


def scipy_blas_threads():
    own = _scipy_own_blas()
    paths = {library.filepath for library in own.lib_controllers} if own else set()
    return [info["num_threads"] for info in threadpool_info() if info["filepath"] in paths]


def _fit_in_threads(estimators_per_thread):
    def fit_each(estimators):
        for estimator in estimators:
            estimator.fit(X, Y)

    threads = [threading.Thread(target=fit_each, args=(estimators,))
               for estimators in estimators_per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_concurrent_lbfgs_fits_leave_the_thread_settings_as_they_were():
    """Fits of different lengths in 4 threads, so that they start and end interleaved."""
    before = scipy_blas_threads()
    per_thread = [[MLPBackpropClassifier(**dict(BASE, solver="lbfgs", random_state=fit,
                                                max_iter=5 + (fit * thread) % 7))
                   for fit in range(20)] for thread in range(4)]
    _fit_in_threads(per_thread)
    assert scipy_blas_threads() == before
    for estimators in per_thread:
        for estimator in estimators:
            serial = MLPBackpropClassifier(**estimator.get_params()).fit(X, Y)
            np.testing.assert_array_equal(estimator.coefs_[0], serial.coefs_[0])


def test_an_interrupted_stochastic_fit_keeps_its_progress(fail_at_batch):
    fail_at_batch(5)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        clf = MLPBackpropClassifier(**dict(BASE, batch_size=100)).fit(X, Y)
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 1


def _odd_containers():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame((X * 10).round().astype(int)).astype("Int64")
    return {
        "memmap": lambda tmp: _memmap(X, tmp),
        "Fortran order": lambda tmp: np.asfortranarray(X),
        "csr": lambda tmp: scipy.sparse.csr_matrix(X),
        "csc": lambda tmp: scipy.sparse.csc_matrix(X),
        "coo": lambda tmp: scipy.sparse.coo_matrix(X),
        "pandas nullable Int64": lambda tmp: frame,
        "pandas nullable Float64": lambda tmp: pd.DataFrame(X).astype("Float64"),
    }


def _memmap(array, tmp):
    path = tmp / "X.dat"
    mapped = np.memmap(path, dtype=array.dtype, mode="w+", shape=array.shape)
    mapped[:] = array
    return np.memmap(path, dtype=array.dtype, mode="r", shape=array.shape)


@pytest.mark.parametrize("container", ["memmap", "Fortran order", "csr", "csc", "coo",
                                       "pandas nullable Int64", "pandas nullable Float64"])
def test_odd_containers_train_like_plain_arrays(container, tmp_path):
    data = _odd_containers()[container](tmp_path)
    plain = np.asarray(data.toarray() if scipy.sparse.issparse(data) else data, dtype=float)
    odd = MLPBackpropClassifier(**BASE).fit(data, Y)
    reference = MLPBackpropClassifier(**BASE).fit(plain, Y)
    np.testing.assert_allclose(odd.coefs_[0], reference.coefs_[0], rtol=1e-12)
    np.testing.assert_array_equal(odd.predict(data), reference.predict(plain))


def test_pandas_missing_values_are_refused_naming_X():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X).astype("Float64")
    frame.iloc[0, 0] = pd.NA
    with pytest.raises(ValueError, match="Input X contains NaN"):
        MLPBackpropClassifier(**BASE).fit(frame, Y)


def test_persistence_round_trip_keeps_training_identically():
    clf = MLPBackpropClassifier(**BASE).fit(X, Y)
    loaded = pickle.loads(pickle.dumps(clf))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.partial_fit(X, Y)
        loaded.partial_fit(X, Y)
    np.testing.assert_array_equal(loaded.coefs_[0], clf.coefs_[0])
