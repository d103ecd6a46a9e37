"""``python -m skxor``: the seeds' XOR networks, then a small grid search.

Says what skxor is, with the one-line import swap, and what the seeds are;
fits the networks of the XOR notebooks with ``MLPBackpropClassifier`` and
prints, for each, the four inputs with the predicted class and probability,
the epochs run and the final loss; then tunes a ``Pipeline`` with
``GridSearchCV`` on ``make_moons``.
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
    yield ("seed 000: 3-4-1 sigmoid, squared error, 60,000 passes", trask_network(),
           with_bias_column(XOR_X))
    yield ("seed 001: 2-2-1 tanh, notebook's weights, 1,000 passes", seed_001_network(),
           XOR_X)
    yield ("seed 002: 2-4-4-1 tanh, L-BFGS",
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
    print("skxor: scikit-learn's MLPClassifier with a from-scratch backpropagation core. "
          "Swap one import and keep your code:")
    print("    from skxor import MLPBackpropClassifier as MLPClassifier")
    print("It grew from three XOR notebooks (the seeds): 000 trains a 3-4-1 sigmoid network "
          "on squared error, 001 a 2-2-1 tanh network it checks by finite differences, "
          "002 layers of any depth. Their networks, fitted by skxor:")
    for title, clf, inputs in xor_networks():
        show_xor(title, clf, inputs)
    grid_search()
    print(f"\ndone in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
