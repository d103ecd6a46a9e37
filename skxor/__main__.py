"""``python -m skxor``: the seeds' XOR networks, then a small grid search.

Fits the networks of the XOR notebooks with ``MLPBackpropClassifier`` and
prints, for each, the four inputs with the predicted class and probability,
the epochs run and the final loss; then tunes a ``Pipeline`` with
``GridSearchCV`` on ``make_moons``.
"""

import time
import warnings

import numpy as np
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

XOR_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
XOR_LABELS = np.array([0, 1, 1, 0])


def trask_network():
    """Seed 000: a 3-4-1 sigmoid network, bias as a constant input column.

    The notebook adds the summed gradient of ``1/2 sum (y - t)**2``; our loss
    is the mean over the 4 samples, so a learning rate of 4 takes its steps.
    """
    inputs = np.hstack([XOR_INPUTS, np.ones((4, 1))])
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(4,), activation="sigmoid", solver="sgd",
        loss="squared_error", weight_init="uniform", learning_rate_init=4.0,
        momentum=0.0, alpha=0.0, max_iter=60_000, tol=0.0, random_state=1)
    return "seed 000: 3-4-1 sigmoid, squared error, 60,000 passes", clf, inputs


def gradient_check_network():
    """Seed 001: 2-2-1 tanh/sigmoid network from the notebook's initial weights."""
    notebook_rng = np.random.RandomState(2)
    hidden_weights = notebook_rng.randn(2, 2) * 0.1
    output_weights = notebook_rng.randn(1, 2) * 0.1
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(2,), activation="tanh", solver="sgd",
        loss="squared_error", learning_rate_init=10.0, momentum=0.0, alpha=0.0,
        max_iter=1_000, tol=0.0, warm_start=True, random_state=0)
    clf.coefs_ = [hidden_weights.T, output_weights.T]
    clf.intercepts_ = [np.full(2, 0.1), np.full(1, 0.1)]
    return "seed 001: 2-2-1 tanh, notebook's weights, 1,000 passes", clf, XOR_INPUTS


def layered_network():
    """Seed 002's Network class: two hidden layers, trained the scikit-learn way."""
    clf = MLPBackpropClassifier(hidden_layer_sizes=(4, 4), activation="tanh",
                                solver="lbfgs", random_state=0)
    return "seed 002: 2-4-4-1 tanh, L-BFGS", clf, XOR_INPUTS


def show_xor(title, clf, inputs):
    """Fit one network on XOR and print its four predictions."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(inputs, XOR_LABELS)
    print(f"\n{title}")
    probability = clf.predict_proba(inputs)[:, 1]
    for row, label, p in zip(inputs, clf.predict(inputs), probability, strict=True):
        print(f"  input {row[:2].tolist()} -> class {label}  P(class 1) = {p:.4f}")
    print(f"  epochs: {clf.n_iter_}, final loss: {clf.loss_:.6f}")


def grid_search():
    """Tune hidden size and learning rate of a scaled network on two moons."""
    features, labels = make_moons(n_samples=400, noise=0.2, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(features, labels,
                                                        random_state=0)
    pipeline = make_pipeline(StandardScaler(),
                             MLPBackpropClassifier(max_iter=300, random_state=0))
    grid = {"mlpbackpropclassifier__hidden_layer_sizes": [(2,), (8,), (32,)],
            "mlpbackpropclassifier__learning_rate_init": [0.001, 0.01]}
    search = GridSearchCV(pipeline, grid, cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X_train, y_train)
    print("\nGridSearchCV over a StandardScaler + MLPBackpropClassifier pipeline"
          " (make_moons, 3-fold CV)")
    results = search.cv_results_
    for rank, params, score in sorted(zip(results["rank_test_score"],
                                          results["params"],
                                          results["mean_test_score"], strict=True),
                                      key=lambda row: row[0]):
        hidden = params["mlpbackpropclassifier__hidden_layer_sizes"]
        rate = params["mlpbackpropclassifier__learning_rate_init"]
        print(f"  rank {rank}: hidden_layer_sizes={hidden!s:6} "
              f"learning_rate_init={rate:<6} mean CV accuracy {score:.3f}")
    print(f"  held-out accuracy of the best pipeline: {search.score(X_test, y_test):.3f}")


def main():
    """Run the demo."""
    start = time.perf_counter()
    print("skxor: the XOR networks of the notebooks, as a scikit-learn estimator")
    for build in (trask_network, gradient_check_network, layered_network):
        show_xor(*build())
    grid_search()
    print(f"\ndone in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
