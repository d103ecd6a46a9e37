"""The NumPy core: activations, losses, the flat parameter vector, forward pass."""


import numpy as np
import pytest
import scipy.special

from skxor.network import constants
from skxor.network.activations import ACTIVATIONS, ALIASES, hidden_activations
from skxor.network.losses import LogLoss, SquaredError
from skxor.network.network import Network

EXTREMES = np.array([[-1e6, -1e3, -40.0, 0.0, 40.0, 1e3, 1e6]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_is_finite_and_silent_at_extreme_inputs(name, dtype):
    z = EXTREMES.astype(dtype)
    with np.errstate(all="raise"):
        a = ACTIVATIONS[name].forward(z.copy())
    assert a.dtype == dtype
    assert np.isfinite(a).all()


def test_logistic_matches_its_definition_and_keeps_tiny_values():
    z = np.linspace(-30, 30, 61)[np.newaxis]
    a = ACTIVATIONS["logistic"].forward(z.copy())
    np.testing.assert_allclose(a, 1 / (1 + np.exp(-z)), rtol=1e-15)
    tiny = ACTIVATIONS["logistic"].forward(np.array([[-200.0]]))
    np.testing.assert_allclose(tiny, np.exp(-200.0), rtol=1e-12)


def test_softmax_rows_are_probabilities():
    z = np.array([[1.0, 2.0, 3.0], [1e6, 0.0, -1e6]])
    a = ACTIVATIONS["softmax"].forward(z.copy())
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    # exp is floored at tiny ** (1/3), so no entry underflows to 0
    np.testing.assert_allclose(a[1], [1.0, 0.0, 0.0], atol=1e-100)
    assert (a > 0).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("spread", [1.0, 1e3], ids=["one shift for all rows", "per-row shift"])
def test_softmax_matches_scipy_whether_rows_are_close_or_far_apart(spread, dtype):
    rng = np.random.RandomState(0)
    z = (rng.normal(size=(50, 7)) + spread * rng.normal(size=(50, 1))).astype(dtype)
    expected = scipy.special.softmax(z.astype(np.float64), axis=1)
    a = ACTIVATIONS["softmax"].forward(z)
    np.testing.assert_allclose(a, expected, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_relu_is_the_same_above_and_below_the_size_where_it_switches_loops():
    rng = np.random.RandomState(0)
    for rows in [2, 200]:
        z = rng.normal(size=(rows, 256))
        np.testing.assert_array_equal(ACTIVATIONS["relu"].forward(z.copy()),
                                      np.where(z > 0, z, 0.0))


def test_relu_keeps_zero_arrays_for_a_bounded_number_of_shapes():
    for rows in range(100, 140):
        ACTIVATIONS["relu"].forward(np.ones((rows, 64)))
    assert 0 < len(constants._ZEROS) <= constants._MAX_ZERO_SHAPES


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_backward_matches_finite_differences(name):
    rng = np.random.RandomState(0)
    z = rng.normal(size=(5, 3))
    upstream = rng.normal(size=(5, 3))
    activation = ACTIVATIONS[name]
    output = activation.forward(z.copy())
    saved = z if activation.backward_from == "input" else output
    analytic = activation.backward(saved, upstream.copy())
    step = 1e-6
    numeric = np.empty_like(z)
    for index in np.ndindex(z.shape):
        shift = np.zeros_like(z)
        shift[index] = step
        plus = (activation.forward(z + shift) * upstream).sum()
        minus = (activation.forward(z - shift) * upstream).sum()
        numeric[index] = (plus - minus) / (2 * step)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_log_loss_of_known_binary_probabilities():
    proba = np.array([[0.8], [0.4]])
    target = np.array([[1.0], [0.0]])
    expected = -(np.log(0.8) + np.log(0.6)) / 2
    assert LogLoss().value(proba, target, None, "logistic") == pytest.approx(
        expected)


def test_log_loss_of_known_multiclass_probabilities_with_weights():
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    target = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    weights = np.array([0.25, 0.75])
    expected = -(0.25 * np.log(0.7) + 0.75 * np.log(0.1))
    assert LogLoss().value(proba, target, weights, "softmax") == pytest.approx(
        expected)


def test_log_loss_is_finite_for_saturated_probabilities():
    proba = np.array([[0.0], [1.0]])
    target = np.array([[1.0], [0.0]])
    assert np.isfinite(LogLoss().value(proba, target, None, "logistic"))


def test_squared_error_is_half_the_mean_over_samples_and_outputs():
    proba = np.array([[0.5, 0.2], [0.1, 0.9]])
    target = np.array([[1.0, 0.0], [0.0, 1.0]])
    expected = 0.5 * np.mean((proba - target) ** 2)
    assert SquaredError().value(proba, target, None, "logistic") == (
        pytest.approx(expected))


def make_network(sizes=(3, 4, 2, 1), hidden="tanh", output="logistic", loss=None):
    return Network.perceptron(sizes, hidden, output, loss or LogLoss())


def dense_views(network, params):
    return network.dense_parameters(network.unpack(params))


def test_unpack_returns_views_into_the_flat_vector():
    network = make_network()
    params = np.arange(network.size, dtype=float)
    coefs, intercepts = dense_views(network, params)
    assert [c.shape for c in coefs] == [(3, 4), (4, 2), (2, 1)]
    assert [b.shape for b in intercepts] == [(4,), (2,), (1,)]
    coefs[1][0, 0] = -1.0
    intercepts[2][0] = -2.0
    assert np.shares_memory(coefs[0], params) and (params == -1.0).sum() == 1
    assert params[-1] == -2.0


def test_pack_inverts_unpack():
    network = make_network()
    params = np.random.RandomState(0).normal(size=network.size)
    np.testing.assert_array_equal(network.pack(network.unpack(params), float), params)


def test_the_weights_come_first_in_the_vector_and_the_biases_last():
    network = make_network()
    coefs, intercepts = dense_views(network, np.arange(network.size))
    assert network.n_coef_params == sum(coef.size for coef in coefs)
    assert max(coef.max() for coef in coefs) < min(bias.min() for bias in intercepts)


def test_forward_computes_the_layer_formula():
    network = make_network(sizes=(2, 3, 1), hidden="tanh", output="logistic")
    params = np.random.RandomState(1).normal(size=network.size)
    coefs, intercepts = dense_views(network, params)
    X = np.random.RandomState(2).normal(size=(5, 2))
    hidden = np.tanh(X @ coefs[0] + intercepts[0])
    expected = 1 / (1 + np.exp(-(hidden @ coefs[1] + intercepts[1])))
    np.testing.assert_allclose(network.forward(network.unpack(params), X), expected)
    np.testing.assert_allclose(network.forward(network.unpack(params), X, up_to=1), hidden)


def test_l2_penalty_is_alpha_half_squared_weights_over_samples():
    network = make_network(sizes=(2, 3, 1))
    params = np.random.RandomState(3).normal(size=network.size)
    X = np.random.RandomState(4).normal(size=(6, 2))
    target = (X[:, :1] > 0).astype(float)
    grad = np.empty_like(params)
    plain = network.loss_gradient(params, (X, target, None), 0.0, grad)
    penalised = network.loss_gradient(params, (X, target, None), 0.5, grad)
    weights = params[: network.n_coef_params]
    assert penalised - plain == pytest.approx(0.5 / 2 * (weights @ weights) / 6)


def test_sample_weights_equal_repeated_samples():
    network = make_network(sizes=(2, 3, 3), output="softmax")
    params = np.random.RandomState(5).normal(size=network.size)
    X = np.random.RandomState(6).normal(size=(4, 2))
    target = np.eye(3)[[0, 1, 2, 1]]
    counts = np.array([1, 3, 0, 2])
    grad_weighted, grad_repeated = np.empty_like(params), np.empty_like(params)
    weighted = network.loss_gradient(params, (X, target, counts.astype(float)), 0.1,
                                     grad_weighted)
    repeated = network.loss_gradient(
        params, (X.repeat(counts, axis=0), target.repeat(counts, axis=0), None), 0.1,
        grad_repeated)
    assert weighted == pytest.approx(repeated)
    np.testing.assert_allclose(grad_weighted, grad_repeated)


@pytest.mark.parametrize("n_rows", [1, 5, 1024, 2500])
def test_chunked_predict_equals_one_forward_pass(n_rows):
    network = make_network(sizes=(3, 7, 5, 4), output="softmax")
    layer_params = network.unpack(np.random.RandomState(0).normal(size=network.size))
    X = np.random.RandomState(1).normal(size=(n_rows, 3))
    np.testing.assert_allclose(network.predict(layer_params, X, chunk_rows=1024),
                               network.forward(layer_params, X), rtol=1e-12)


def test_each_hidden_layer_uses_its_own_activation():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(4, 3))
    network = Network.perceptron((3, 5, 2, 1), ["relu", "tanh"], "logistic", LogLoss())
    params = rng.normal(size=network.size)
    coefs, intercepts = dense_views(network, params)
    hidden = np.maximum(X @ coefs[0] + intercepts[0], 0)
    hidden = np.tanh(hidden @ coefs[1] + intercepts[1])
    expected = 1 / (1 + np.exp(-(hidden @ coefs[2] + intercepts[2])))
    np.testing.assert_allclose(network.forward(network.unpack(params), X), expected,
                               rtol=1e-12)


@pytest.mark.parametrize(("name", "reference"), [
    ("leaky_relu", lambda z: np.where(z > 0, z, 0.01 * z)),
    ("elu", lambda z: np.where(z > 0, z, np.exp(z) - 1)),
    ("softplus", lambda z: np.log(1 + np.exp(z))),
    ("gelu", lambda z: 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi)
                                              * (z + 0.044715 * z**3)))),
])
def test_new_activation_matches_its_textbook_formula(name, reference):
    z = np.linspace(-6, 6, 49)[np.newaxis]
    np.testing.assert_allclose(ACTIVATIONS[name].forward(z.copy()), reference(z),
                               rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_an_activation_alias_builds_the_network_of_its_registry_name(alias):
    network = Network.perceptron((2, 3, 1), alias, "logistic", LogLoss())
    assert [layer.name for layer in network.layers if hasattr(layer, "name")] == [
        ALIASES[alias]]
    assert alias not in ACTIVATIONS


@pytest.mark.parametrize(("value", "expected"), [
    ("tanh", ("tanh", "tanh")), (["relu", "sigmoid"], ("relu", "logistic")),
    (("gelu", "elu"), ("gelu", "elu")),
])
def test_one_name_or_one_per_hidden_layer_expands_once(value, expected):
    assert hidden_activations(value, 2) == expected


def test_label_smoothing_is_the_cross_entropy_against_smoothed_targets():
    proba = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    target = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    smoothed = 0.9 * target + 0.1 / 3
    expected = -np.mean(np.sum(smoothed * np.log(proba), axis=1))
    assert LogLoss(0.1).value(proba, target, None, "softmax") == pytest.approx(expected)
    delta = LogLoss(0.1).output_delta(proba, target, None, "softmax", np.empty_like(proba))
    np.testing.assert_allclose(delta, (proba - smoothed) / 2)
