"""MLPBackpropRegressor: MLPRegressor's behaviour, and the extras it shares with the classifier."""

import inspect
import pickle
import re
import warnings

import numpy as np
import pytest
from arrays import host
from sklearn import config_context
from sklearn.datasets import make_regression
from sklearn.exceptions import DataConversionWarning
from sklearn.neural_network import MLPRegressor
from sklearn_version import needs_sklearn

from skxor import InvalidParameterError, MLPBackpropRegressor, check_gradients

pytestmark = pytest.mark.usefixtures("quiet_convergence")

X, Y = make_regression(n_samples=120, n_features=5, n_targets=2, noise=1.0, random_state=0)
Y = Y / Y.std(axis=0)
COUNTS = np.random.RandomState(0).poisson(np.exp(0.4 * X[:, 0]))
BASE = dict(hidden_layer_sizes=(8,), max_iter=40, random_state=0)
POISSON = needs_sklearn((1, 7), "MLPRegressor has loss='poisson' since 1.7")


def relative_weight_difference(ours, theirs):
    return max(np.max(np.abs(mine - other)) / np.max(np.abs(other))
               for mine, other in zip(ours.coefs_ + ours.intercepts_,
                                      theirs.coefs_ + theirs.intercepts_, strict=True))


@pytest.mark.parametrize(("name", "params", "y"), [
    ("adam", {}, Y[:, 0]),
    ("sgd", dict(solver="sgd", learning_rate_init=0.01), Y[:, 0]),
    ("lbfgs", dict(solver="lbfgs"), Y[:, 0]),
    ("two outputs, adam", {}, Y),
    ("two outputs, lbfgs", dict(solver="lbfgs"), Y),
    pytest.param("poisson, adam", dict(loss="poisson"), COUNTS, marks=POISSON),
    pytest.param("poisson, lbfgs", dict(loss="poisson", solver="lbfgs"), COUNTS,
                 marks=POISSON),
    ("early stopping", dict(early_stopping=True, validation_fraction=0.2), Y[:, 0]),
])
def test_the_same_random_state_gives_mlpregressors_weights(name, params, y):
    ours = MLPBackpropRegressor(**BASE, **params).fit(X, y)
    theirs = MLPRegressor(**BASE, **params).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    assert relative_weight_difference(ours, theirs) < 1e-9
    if hasattr(theirs, "loss_curve_"):  # MLPRegressor's lbfgs keeps none
        np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-9)
    assert ours.predict(X).shape == theirs.predict(X).shape


@needs_sklearn((1, 7), "MLPRegressor takes sample_weight since 1.7")
def test_sample_weights_and_partial_fit_match_mlpregressor():
    weights = np.random.RandomState(1).uniform(0, 2, len(X))
    ours, theirs = MLPBackpropRegressor(**BASE), MLPRegressor(**BASE)
    for estimator in (ours, theirs):
        estimator.partial_fit(X, Y, sample_weight=weights).partial_fit(X, Y)
    assert relative_weight_difference(ours, theirs) < 1e-9


def test_float32_data_train_and_predict_in_float32():
    reg = MLPBackpropRegressor(**BASE).fit(X.astype(np.float32), Y[:, 0])
    assert reg.coefs_[0].dtype == np.float32 and reg.predict(X).dtype == np.float64
    assert reg.predict(X.astype(np.float32)).dtype == np.float32


def test_a_column_vector_y_warns_as_mlpregressor_and_predicts_a_vector():
    with pytest.warns(DataConversionWarning):
        reg = MLPBackpropRegressor(**BASE).fit(X, Y[:, :1])
    assert reg.predict(X).shape == (len(X),)


def test_poisson_refuses_negative_targets():
    with pytest.raises(ValueError, match="loss='poisson' needs non-negative y"):
        MLPBackpropRegressor(loss="poisson").fit(X, Y[:, 0])


def test_a_warm_start_needs_as_many_outputs():
    reg = MLPBackpropRegressor(**BASE, warm_start=True).fit(X, Y)
    with pytest.raises(ValueError, match="y has 1 outputs, but this MLPBackpropRegressor "
                                         "was fitted with 2"):
        reg.fit(X, Y[:, 0])


def test_the_loss_takes_only_the_regressors_values():
    with pytest.raises(InvalidParameterError, match="'loss' parameter of MLPBackpropRegressor"):
        MLPBackpropRegressor(loss="log_loss").fit(X, Y[:, 0])


def test_huber_with_a_huge_threshold_is_the_squared_error():
    squared = MLPBackpropRegressor(**BASE).fit(X, Y)
    huber = MLPBackpropRegressor(**BASE, loss="huber", huber_threshold=1e6).fit(X, Y)
    np.testing.assert_allclose(huber.coefs_[0], squared.coefs_[0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(huber.loss_curve_, squared.loss_curve_, rtol=1e-12)


def test_huber_threshold_bounds_each_residuals_pull():
    y = Y[:, 0].copy()
    y[:6] += 1000.0
    clean = MLPBackpropRegressor(**BASE, loss="huber", huber_threshold=0.5).fit(X, Y[:, 0])
    spoiled = MLPBackpropRegressor(**BASE, loss="huber", huber_threshold=0.5).fit(X, y)
    squared = MLPBackpropRegressor(**BASE).fit(X, y)
    moved = np.abs(spoiled.predict(X[6:]) - clean.predict(X[6:])).mean()
    assert moved < 0.1 * np.abs(squared.predict(X[6:]) - clean.predict(X[6:])).mean()


@pytest.mark.parametrize("loss", ["squared_error", "poisson", "absolute_error", "huber",
                                  "quantile"])
def test_backprop_matches_finite_differences_for_each_loss(loss):
    y = np.abs(Y) if loss == "poisson" else Y
    result = check_gradients(MLPBackpropRegressor(loss=loss, hidden_layer_sizes=(4,),
                                                  alpha=0.1, random_state=0), X[:20], y[:20])
    assert result.passed, result


def test_validation_set_is_scored_by_r2():
    reg = MLPBackpropRegressor(**BASE).fit(X[:80], Y[:80], X_val=X[80:], y_val=Y[80:])
    assert len(reg.validation_scores_) == reg.n_iter_
    assert reg.validation_scores_[-1] == pytest.approx(reg.score(X[80:], Y[80:]))


def test_a_pickled_regressor_predicts_the_same():
    reg = MLPBackpropRegressor(**BASE).fit(X, Y)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(reg)).predict(X), reg.predict(X))


def test_a_fit_on_array_api_strict_matches_the_numpy_fit():
    array_api_strict = pytest.importorskip("array_api_strict")
    reference = MLPBackpropRegressor(**BASE, solver="sgd").fit(X, Y)
    with config_context(array_api_dispatch=True), warnings.catch_warnings():
        fitted = MLPBackpropRegressor(**BASE, solver="sgd").fit(array_api_strict.asarray(X),
                                                                array_api_strict.asarray(Y))
        predicted = fitted.predict(array_api_strict.asarray(X))
    assert type(predicted).__module__.startswith("array_api_strict")
    np.testing.assert_allclose(host(predicted), reference.predict(X), atol=1e-9)


def test_skops_round_trip_needs_only_skxor_types_trusted(tmp_path):
    sio = pytest.importorskip("skops.io")
    reg = MLPBackpropRegressor(**BASE).fit(X, Y)
    sio.dump(reg, tmp_path / "model.skops")
    trusted = ["skxor._regressor.MLPBackpropRegressor", "skxor.training.update_rules.adam.Adam"]
    assert set(sio.get_untrusted_types(file=tmp_path / "model.skops")) <= set(trusted)
    restored = sio.load(tmp_path / "model.skops", trusted=trusted)
    np.testing.assert_array_equal(restored.predict(X), reg.predict(X))


def test_an_interrupted_fit_keeps_the_completed_epochs(fail_at_batch):
    fail_at_batch(3 + 2)  # 120 rows in batches of 40: the second batch of epoch 2
    reg = MLPBackpropRegressor(**BASE, batch_size=40)
    with pytest.warns(UserWarning, match="Training interrupted by user."):
        reg.fit(X, Y)
    assert reg.n_iter_ == 1 and len(reg.loss_curve_) == 1


def test_restarts_keep_the_lowest_final_loss_and_are_reproducible():
    one = MLPBackpropRegressor(**BASE).fit(X, Y)
    restarted = MLPBackpropRegressor(**BASE, n_init=3).fit(X, Y)
    again = MLPBackpropRegressor(**BASE, n_init=3).fit(X, Y)
    assert restarted.loss_ <= one.loss_
    np.testing.assert_array_equal(restarted.coefs_[0], again.coefs_[0])


def test_a_callback_sees_every_epoch_of_a_regressor_fit():
    pytest.importorskip("sklearn.callback", reason="scikit-learn < 1.9 has no callbacks")
    seen = []

    class EpochCounter:
        def setup(self, estimator, context):
            pass

        def teardown(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context, *, X=None, y=None):
            pass

        def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
            if context.task_name == "epoch":
                seen.append(fitted_estimator.predict(X[:1]))

    reg = MLPBackpropRegressor(**BASE).set_callbacks(EpochCounter()).fit(X, Y)
    assert len(seen) == reg.n_iter_


@needs_sklearn((1, 7), "MLPRegressor has its loss parameter since 1.7")
def test_every_mlpregressor_parameter_exists_with_the_same_default_and_position():
    theirs = MLPRegressor().get_params()
    ours = MLPBackpropRegressor().get_params()
    assert {name: ours[name] for name in theirs} == theirs
    documented = re.findall(r"^    (\w+) : ", MLPBackpropRegressor.__doc__, re.M)
    assert documented[:len(ours)] == list(inspect.signature(MLPBackpropRegressor).parameters)

    def positional(cls):
        parameters = inspect.signature(cls).parameters.values()
        return [p.name for p in parameters if p.kind == p.POSITIONAL_OR_KEYWORD]

    assert positional(MLPBackpropRegressor) == positional(MLPRegressor)


def test_a_standardised_target_fits_y_in_dollars_that_the_raw_target_does_not():
    dollars = 50_000 + 1_000 * Y
    params = dict(BASE, hidden_layer_sizes=(16,), learning_rate_init=0.01, max_iter=200)
    raw = MLPBackpropRegressor(**params).fit(X, dollars)
    standardised = MLPBackpropRegressor(**params, standardize_target=True).fit(X, dollars)
    assert standardised.score(X, dollars) > 0.9 > raw.score(X, dollars)


def test_clipped_predictions_stay_within_ys_range_in_fit():
    reg = MLPBackpropRegressor(**BASE, clip_predictions=True).fit(X, Y)
    far = reg.predict(X * 100)
    assert Y.min() <= far.min() and far.max() <= Y.max()
