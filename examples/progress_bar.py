"""Watch training live with scikit-learn's callbacks (scikit-learn >= 1.9, rich)
=============================================================================

Three uses of ``sklearn.callback`` on the digits data:

1. ``ProgressBar()`` on a fit from three random starts (``n_init=3``): one
   bar for the fit, one per start, advancing epoch by epoch.
2. The same bar on a ``GridSearchCV`` over hidden sizes: one line per
   cross-validation fit, nested under the search.
3. ``ScoringMonitor`` recording the training accuracy after every epoch,
   beside a callback of our own that stops training once that accuracy
   reaches 99%.

Run: ``python examples/progress_bar.py``
"""

import warnings

from sklearn.callback import ProgressBar, ScoringMonitor
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skxor import MLPBackpropClassifier


class StopAtAccuracy:
    """A callback that ends training once an epoch reaches ``target`` accuracy."""

    def __init__(self, target):
        self.target = target

    def setup(self, estimator, context):
        """Nothing to prepare."""

    def teardown(self, estimator, context):
        """Nothing to release."""

    def on_fit_task_begin(self, estimator, context):
        """Nothing to do when a task begins."""

    def on_fit_task_end(self, estimator, context, *, X=None, y=None, fitted_estimator=None):
        """Ask to stop when the weights of the epoch just ended are accurate enough."""
        if context.task_name != "epoch" or fitted_estimator is None:
            return False
        return fitted_estimator.score(X, y) >= self.target


def main():
    X, y = load_digits(return_X_y=True)
    X = X / 16

    print("1. A fit from three random starts, 30 epochs each:")
    model = MLPBackpropClassifier(hidden_layer_sizes=(32,), max_iter=30, n_init=3,
                                  random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.set_callbacks(ProgressBar()).fit(X, y)
    print(f"   kept the start with final loss {model.loss_:.4f}\n")

    print("2. GridSearchCV over hidden sizes, 3-fold:")
    search = GridSearchCV(MLPBackpropClassifier(max_iter=40, random_state=0),
                          {"hidden_layer_sizes": [(8,), (32,)]}, cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.set_callbacks(ProgressBar()).fit(X, y)
    print(f"   best: {search.best_params_}, CV accuracy {search.best_score_:.3f}\n")

    print("3. Training accuracy after each epoch, stopping at 99%:")
    monitor = ScoringMonitor(scoring="accuracy")
    model = MLPBackpropClassifier(hidden_layer_sizes=(32,), max_iter=200, random_state=0)
    model.set_callbacks(monitor, StopAtAccuracy(0.99)).fit(X, y)
    log = monitor.get_logs().data_as_pandas
    epochs = log[log["task_name"] == "epoch"]
    for epoch, accuracy in enumerate(epochs["accuracy"], start=1):
        if epoch % 10 == 0 or epoch == len(epochs):
            print(f"   epoch {epoch:3d}: training accuracy {accuracy:.5f}")
    print(f"   stopped after {model.n_iter_} of 200 epochs, without a ConvergenceWarning")


if __name__ == "__main__":
    main()
