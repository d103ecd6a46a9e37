"""``hidden_activations``: a fitted network's hidden layers as features."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import config_context
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skxor import MLPBackpropClassifier, MLPBackpropRegressor

X = np.random.RandomState(0).normal(size=(50, 4))
Y = (X[:, 0] * X[:, 1] > 0).astype(int)


def fitted(model, X=X, y=Y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


def two_layers(**params):
    return fitted(MLPBackpropClassifier((6, 3), activation="tanh", max_iter=20,
                                        random_state=0, **params))


def test_the_last_hidden_layer_by_default_is_its_activation_of_the_layer_before():
    clf = two_layers()
    first = np.tanh(X @ clf.coefs_[0] + clf.intercepts_[0])
    expected = np.tanh(first @ clf.coefs_[1] + clf.intercepts_[1])
    np.testing.assert_allclose(clf.hidden_activations(X), expected, rtol=1e-12)


def test_a_list_of_layers_gives_a_list_in_its_order():
    clf = two_layers()
    last, first = clf.hidden_activations(X, layer=[-1, 0])
    assert first.shape == (50, 6) and last.shape == (50, 3)
    np.testing.assert_array_equal(first, clf.hidden_activations(X, layer=0))


def test_sparse_x_gives_the_dense_features():
    clf = two_layers()
    np.testing.assert_allclose(clf.hidden_activations(sp.csr_matrix(X)),
                               clf.hidden_activations(X), rtol=1e-12)


def test_the_features_come_in_the_networks_dtype():
    clf = two_layers(dtype="float32")
    assert clf.hidden_activations(X).dtype == np.float32
    reg = fitted(MLPBackpropRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0),
                 X.astype(np.float32), X[:, 0])
    assert reg.hidden_activations(X).dtype == np.float32


def test_the_features_feed_a_pipeline_through_function_transformer():
    clf = two_layers()
    pipeline = make_pipeline(FunctionTransformer(clf.hidden_activations), LogisticRegression())
    assert pipeline.fit(X, Y).predict(X).shape == (50,)


def test_it_is_not_a_transform():
    assert not hasattr(two_layers(), "transform")


@pytest.mark.parametrize("layer", [2, -3, [0, 5]])
def test_a_layer_that_is_not_there_is_refused_naming_the_count(layer):
    with pytest.raises(ValueError, match=r"names no hidden layer: this network has 2"):
        two_layers().hidden_activations(X, layer=layer)


@pytest.mark.parametrize("layer", ["last", 1.0, [], True])
def test_a_layer_that_is_not_an_index_is_a_type_error(layer):
    with pytest.raises(TypeError, match="layer must be an int or a non-empty list of ints"):
        two_layers().hidden_activations(X, layer=layer)


def test_a_network_without_hidden_layers_has_no_hidden_activations():
    clf = fitted(MLPBackpropClassifier(hidden_layer_sizes=(), max_iter=5, random_state=0))
    with pytest.raises(ValueError, match="has no hidden layer"):
        clf.hidden_activations(X)


def test_an_unfitted_model_says_so():
    with pytest.raises(NotFittedError):
        MLPBackpropClassifier().hidden_activations(X)


def test_a_torch_fit_gives_torch_features():
    torch = pytest.importorskip("torch")
    with config_context(array_api_dispatch=True):
        clf = fitted(MLPBackpropClassifier((6, 3), max_iter=5, random_state=0),
                     torch.asarray(X), Y)
        features = clf.hidden_activations(torch.asarray(X))
    assert isinstance(features, torch.Tensor) and tuple(features.shape) == (50, 3)
