"""The regressor's ``out_activation``: a bounded output layer, refused where it makes no sense."""

import numpy as np
import pytest
from sklearn.datasets import make_regression

from skxor import InvalidParameterError, MLPBackpropRegressor, check_gradients

pytestmark = pytest.mark.usefixtures("quiet_convergence")

X, RAW = make_regression(n_samples=150, n_features=4, noise=1.0, random_state=0)
RAW = RAW / RAW.std()
TARGETS = {"logistic": 1 / (1 + np.exp(-RAW)), "tanh": np.tanh(RAW),
           "softplus": np.log1p(np.exp(RAW)), "exp": np.exp(0.5 * RAW)}
RANGES = {"logistic": (0, 1), "tanh": (-1, 1), "softplus": (0, np.inf), "exp": (0, np.inf)}
BASE = dict(hidden_layer_sizes=(8,), max_iter=60, random_state=0)


@pytest.mark.parametrize("activation", list(TARGETS))
def test_predictions_stay_in_the_activations_range_far_from_the_data(activation):
    model = MLPBackpropRegressor(out_activation=activation, **BASE).fit(X, TARGETS[activation])
    far = 100 * np.random.RandomState(0).standard_normal((200, X.shape[1]))
    predicted = model.predict(far)
    low, high = RANGES[activation]
    assert model.out_activation_ == activation
    assert ((predicted >= low) & (predicted <= high)).all()
    identity = MLPBackpropRegressor(**BASE).fit(X, TARGETS[activation]).predict(far)
    assert ((identity < low) | (identity > high)).any()  # the range is the activation's doing


@pytest.mark.parametrize("activation", list(TARGETS))
def test_a_bounded_output_fits_targets_in_its_range(activation):
    model = MLPBackpropRegressor(out_activation=activation, solver="lbfgs", **BASE)
    assert model.fit(X, TARGETS[activation]).score(X, TARGETS[activation]) > 0.95


def test_none_is_the_identity_as_in_mlpregressor():
    default = MLPBackpropRegressor(**BASE).fit(X, RAW)
    named = MLPBackpropRegressor(out_activation="identity", **BASE).fit(X, RAW)
    assert default.out_activation_ == "identity"
    for mine, theirs in zip(default.coefs_, named.coefs_, strict=True):
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("activation", ["identity", "logistic", "tanh", "softplus"])
def test_poisson_refuses_every_output_but_its_exponential(activation):
    with pytest.raises(ValueError, match=f"loss='poisson' fixes out_activation='exp'.*"
                                         f"out_activation='{activation}'"):
        MLPBackpropRegressor("poisson", out_activation=activation, **BASE).fit(
            X, TARGETS["exp"])


def test_poisson_takes_exp_named_as_its_own():
    default = MLPBackpropRegressor("poisson", **BASE).fit(X, TARGETS["exp"])
    named = MLPBackpropRegressor("poisson", out_activation="exp", **BASE).fit(X, TARGETS["exp"])
    np.testing.assert_array_equal(default.coefs_[0], named.coefs_[0])


@pytest.mark.parametrize("activation", list(TARGETS))
def test_targets_outside_the_range_are_refused_naming_both(activation):
    low = RANGES[activation][0]
    y = TARGETS[activation].copy()
    y[3] = low - 0.5
    with pytest.raises(ValueError, match=f"out_activation='{activation}' predicts values in "
                                         f".*but y holds values from {low - 0.5:g}"):
        MLPBackpropRegressor(out_activation=activation, **BASE).fit(X, y)


def test_validation_targets_outside_the_range_are_refused_naming_y_val():
    y = TARGETS["logistic"]
    with pytest.raises(ValueError, match="but y_val holds values from"):
        MLPBackpropRegressor(out_activation="logistic", **BASE).fit(
            X[:100], y[:100], X_val=X[100:], y_val=y[100:] + 1)


def test_targets_on_the_ranges_edge_are_allowed():
    y = (RAW > 0).astype(float)
    model = MLPBackpropRegressor(out_activation="logistic", **BASE).fit(X, y)
    assert ((model.predict(X) > 0) & (model.predict(X) < 1)).all()


@pytest.mark.parametrize("activation", ["relu", "softmax", "sigmoid", 1])
def test_out_activation_takes_only_the_regressors_outputs(activation):
    with pytest.raises(InvalidParameterError, match="'out_activation' parameter of "
                                                    "MLPBackpropRegressor must be a str among"):
        MLPBackpropRegressor(out_activation=activation, **BASE).fit(X, RAW)


@pytest.mark.parametrize("loss", ["squared_error", "absolute_error", "huber", "quantile"])
@pytest.mark.parametrize("activation", list(TARGETS))
def test_backprop_through_each_output_matches_finite_differences(activation, loss):
    model = MLPBackpropRegressor(loss, hidden_layer_sizes=(4,), alpha=0.1,
                                 out_activation=activation, quantile=[0.2, 0.8],
                                 random_state=0)
    result = check_gradients(model, X[:20], TARGETS[activation][:20])
    assert result.passed, result


@pytest.mark.parametrize(("activation", "positive"), [(None, False), ("logistic", False),
                                                     ("softplus", True), ("exp", True)])
def test_a_positive_output_tags_its_targets_positive(activation, positive):
    tags = MLPBackpropRegressor(out_activation=activation).__sklearn_tags__()
    assert tags.target_tags.positive_only is positive
