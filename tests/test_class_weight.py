"""class_weight: per-class weights multiplied into sample_weight."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

X, Y = make_classification(n_samples=300, n_features=4, random_state=0)

pytestmark = pytest.mark.usefixtures("quiet_convergence")


def small(**params):
    return MLPBackpropClassifier(hidden_layer_sizes=(5,), max_iter=20, random_state=0,
                                 **params)


def test_balanced_class_weight_raises_the_minority_recall_on_95_5_data():
    X, y = make_classification(n_samples=2000, weights=[0.95, 0.05], flip_y=0,
                               class_sep=0.5, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, stratify=y,
                                                        random_state=0)

    def minority_recall(class_weight):
        model = make_pipeline(StandardScaler(), MLPBackpropClassifier(
            hidden_layer_sizes=(16,), class_weight=class_weight, max_iter=300,
            random_state=0))
        return recall_score(y_test, model.fit(X_train, y_train).predict(X_test))

    assert minority_recall("balanced") >= minority_recall(None) + 0.05


def test_class_weight_dict_trains_exactly_like_the_same_sample_weight():
    by_class = small(class_weight={0: 1.0, 1: 5.0}).fit(X, Y)
    by_sample = small().fit(X, Y, sample_weight=np.where(Y == 1, 5.0, 1.0))
    np.testing.assert_array_equal(by_class.coefs_[0], by_sample.coefs_[0])


def test_class_weight_multiplies_sample_weight():
    sample_weight = np.random.RandomState(1).uniform(0.5, 2.0, len(Y))
    both = small(class_weight={0: 1.0, 1: 3.0}).fit(X, Y, sample_weight=sample_weight)
    product = small().fit(X, Y, sample_weight=sample_weight * np.where(Y == 1, 3.0, 1.0))
    np.testing.assert_array_equal(both.coefs_[0], product.coefs_[0])


def test_balanced_class_weight_weighs_classes_inversely_to_their_frequency():
    y = (np.arange(len(Y)) % 4 == 0).astype(int)
    balanced = small(class_weight="balanced").fit(X, y)
    explicit = small(class_weight={0: 300 / (2 * 225), 1: 300 / (2 * 75)}).fit(X, y)
    np.testing.assert_allclose(balanced.coefs_[0], explicit.coefs_[0], rtol=1e-12)


def test_partial_fit_refuses_balanced_class_weight():
    with pytest.raises(ValueError, match="class_weight='balanced'.*partial_fit"):
        small(class_weight="balanced").partial_fit(X, Y, classes=[0, 1])


def test_partial_fit_applies_a_class_weight_dict():
    by_class = small(class_weight={0: 1.0, 1: 4.0}).partial_fit(X, Y, classes=[0, 1])
    by_sample = small().partial_fit(X, Y, classes=[0, 1],
                                    sample_weight=np.where(Y == 1, 4.0, 1.0))
    np.testing.assert_array_equal(by_class.coefs_[0], by_sample.coefs_[0])


def test_class_weight_is_refused_for_multilabel_targets():
    with pytest.raises(ValueError, match="class_weight is not supported for multilabel"):
        small(class_weight="balanced").fit(X, np.column_stack([Y, 1 - Y]))
