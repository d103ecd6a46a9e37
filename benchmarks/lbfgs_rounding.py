"""How far L-BFGS fits of skxor and MLPClassifier drift apart through rounding.

Both libraries start from the same weights and minimise the same loss, but
sum in different orders; L-BFGS-B amplifies the difference over its
iterations. On scikit-learn's ``plot_mlp_alpha`` setting (three 2-D data
sets, five alphas, hidden (10, 10), early_stopping=True, which L-BFGS
ignores), this prints each fit's ``n_iter_`` and test accuracy for both, how
many of the 15 fits run to convergence end at a different iteration, and
the largest weight difference after 20 and 80 iterations.

Run: python benchmarks/lbfgs_rounding.py
"""

import warnings

import numpy as np
from sklearn.datasets import make_circles, make_classification, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from skxor import MLPBackpropClassifier

ALPHAS = np.logspace(-1, 1, 5)


def datasets():
    """The three data sets of scikit-learn's plot_mlp_alpha example, scaled and split."""
    separable_X, separable_y = make_classification(
        n_features=2, n_redundant=0, n_informative=2, random_state=0, n_clusters_per_class=1)
    separable_X += 2 * np.random.RandomState(2).uniform(size=separable_X.shape)
    for name, (X, y) in [("moons", make_moons(noise=0.3, random_state=0)),
                         ("circles", make_circles(noise=0.2, factor=0.5, random_state=1)),
                         ("linearly separable", (separable_X, separable_y))]:
        yield name, train_test_split(StandardScaler().fit_transform(X), y, test_size=0.4,
                                     random_state=42)


def both(alpha, max_iter, X, y):
    """The same L-BFGS fit by each library."""
    params = dict(solver="lbfgs", alpha=alpha, random_state=1, early_stopping=True,
                  hidden_layer_sizes=[10, 10], max_iter=max_iter)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return MLPBackpropClassifier(**params).fit(X, y), MLPClassifier(**params).fit(X, y)


def weight_difference(ours, theirs):
    return max(np.abs(mine - reference).max() for mine, reference in
               zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_,
                   strict=True))


def main():
    apart = 0
    differences = {20: [], 80: []}
    for name, (X_train, X_test, y_train, y_test) in datasets():
        for alpha in ALPHAS:
            ours, theirs = both(alpha, 2000, X_train, y_train)
            apart += ours.n_iter_ != theirs.n_iter_
            print(f"{name}, alpha={alpha:.3g}: n_iter_ {ours.n_iter_} (skxor) vs "
                  f"{theirs.n_iter_} (sklearn), test accuracy {ours.score(X_test, y_test):.3f}"
                  f" vs {theirs.score(X_test, y_test):.3f}")
            for iterations, found in differences.items():
                found.append(weight_difference(*both(alpha, iterations, X_train, y_train)))
    print(f"fits run to convergence that end at a different iteration: {apart} of 15")
    for iterations, found in differences.items():
        print(f"largest weight difference after {iterations} iterations: median "
              f"{np.median(found):.1e}, worst {np.max(found):.1e}")


if __name__ == "__main__":
    main()
