"""``python -m skxor``: three networks that learn XOR, a small grid search, where to go next.

Says what skxor is, with the one-line import swap, and what XOR asks of a
network; fits three small networks (``skxor.seeds``) with
``MLPBackpropClassifier`` and prints, for each, the four inputs with the
predicted class and probability, the epochs run and the final loss; then
tunes a ``Pipeline`` with ``GridSearchCV`` on ``make_moons``, saying how to
read its ranks; and ends with what to read next.
"""

import time
import warnings

from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier
from skxor.seeds import XOR_X, XOR_Y, seed_001_network, trask_network, with_bias_column


def xor_networks():
    """The three notebooks' networks, each with a title and its inputs."""
    yield ("4 sigmoid hidden units, squared error, 60,000 epochs of gradient descent (a "
           "constant third input stands in for biases)", trask_network(),
           with_bias_column(XOR_X))
    yield ("2 tanh hidden units from fixed starting weights, 1,000 epochs of gradient "
           "descent", seed_001_network(), XOR_X)
    yield ("two layers of 4 tanh units, L-BFGS (a quasi-Newton solver) until it converges",
           MLPBackpropClassifier(hidden_layer_sizes=(4, 4), activation="tanh",
                                 solver="lbfgs", random_state=0), XOR_X)


def show_xor(title, clf, inputs):
    """Fit one network on XOR and print its four predictions."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(inputs, XOR_Y)
    print(f"\n{title}")
    probability = clf.predict_proba(inputs)[:, 1]
    for row, label, p in zip(inputs, clf.predict(inputs), probability, strict=True):
        print(f"  input {row[:2].astype(int).tolist()} -> class {label}  P(class 1) = {p:.4f}")
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
    print("\n2. As any scikit-learn estimator: GridSearchCV over a StandardScaler + "
          "MLPBackpropClassifier pipeline (two interleaved half-moons, 3-fold CV):")
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
    print("  Equal mean accuracies share a rank. A setting with too few units or too small "
          "a step for max_iter=300 epochs stays near chance (0.5); such fits would warn "
          "(ConvergenceWarning), which the demo silences.")


def main():
    """Run the demo."""
    start = time.perf_counter()
    print("skxor: scikit-learn's MLPClassifier and MLPRegressor with a backpropagation core "
          "written from scratch. Code written for scikit-learn keeps working after one "
          "changed import:")
    print("    from skxor import MLPBackpropClassifier as MLPClassifier")
    print("\n1. XOR: the class is 1 when exactly one of two inputs is 1. No straight line "
          "separates the classes, so a network needs a hidden layer. Three networks that "
          "learn it:")
    for title, clf, inputs in xor_networks():
        show_xor(title, clf, inputs)
    grid_search()
    print("\nNext: the Getting-started tutorial, docs/getting_started.md, ten minutes from a "
          "first fit to a saved model (scaling, the loss curve, a grid search, a DataFrame "
          "with categories and missing values). Then the user guide (docs/guide/index.md), "
          "the API reference (docs/api.rst), the FAQ (docs/faq.md) and the gallery's "
          "examples (examples/). To read them as a website: pip install \".[docs]\" && "
          "python -m sphinx -b html docs docs/_build/html, then open "
          "docs/_build/html/index.html.")
    print(f"done in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
