"""
Progress bars and early stopping with scikit-learn's callbacks
==============================================================

scikit-learn 1.9 lets estimators report their progress to callbacks, objects passed to
``set_callbacks`` that are told when each step of a fit begins and ends. skxor's estimators
report every epoch and every random start. This example draws progress bars for a fit and for
a grid search (``ProgressBar`` needs rich), records the accuracy after every epoch with
``ScoringMonitor``, and writes a small callback of its own that stops training once the
accuracy reaches a target.
"""

# %%
# The digits, scaled to [0, 1]. rich draws the bars as wide as the terminal, and 80 columns
# wide when the output is not a terminal, as on this page, where the grid search's long bar
# labels would be cut short; so outside a terminal the console gets 130 columns.
import warnings

import matplotlib.pyplot as plt
import rich
from sklearn.callback import ProgressBar, ScoringMonitor
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from skxor import MLPBackpropClassifier

X, y = load_digits(return_X_y=True)
X = X / 16
if not rich.get_console().is_terminal:
    rich.reconfigure(width=130)

# %%
# A fit from three random starts (``n_init=3``) of 30 epochs each: one bar for the fit, and
# under it one bar per start, advancing epoch by epoch. Outside a terminal only the finished
# bars are printed. 30 epochs are too few to converge; the warnings that say so are silenced.
network = MLPBackpropClassifier(hidden_layer_sizes=(32,), max_iter=30, n_init=3,
                                random_state=0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    network.set_callbacks(ProgressBar()).fit(X, y)
print(f"kept the start with the lowest final loss, {network.loss_:.4f}")

# %%
# Set on a ``GridSearchCV``, the bar reaches into the search: one line for the search, one
# for each cross-validation fit (two hidden sizes, three folds), and one for the refit of the
# best setting.
search = GridSearchCV(MLPBackpropClassifier(max_iter=40, random_state=0),
                      {"hidden_layer_sizes": [(8,), (32,)]}, cv=3)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.set_callbacks(ProgressBar()).fit(X, y)
print(f"best: {search.best_params_}, CV accuracy {search.best_score_:.3f}")

# %%
# A callback is any object with the four methods below. At the end of each task, such as an
# epoch, it is handed the estimator as fitted so far (``fitted_estimator``) and the training
# data; returning True asks the estimator to stop. This one stops once the training accuracy
# reaches its target.


class StopAtAccuracy:
    """A callback that ends training once an epoch reaches ``target`` training accuracy."""

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


# %%
# ``ScoringMonitor`` records a score after every epoch; beside it, ``StopAtAccuracy(0.99)``
# ends the fit once the training accuracy reaches 99 %, long before the 200 epochs allowed.
# A fit stopped by a callback is not a failure to converge, so it does not warn.
monitor = ScoringMonitor(scoring="accuracy")
network = MLPBackpropClassifier(hidden_layer_sizes=(32,), max_iter=200, random_state=0)
network.set_callbacks(monitor, StopAtAccuracy(0.99)).fit(X, y)
log = monitor.get_logs().data_as_pandas
accuracy = log[log["task_name"] == "epoch"]["accuracy"].to_numpy()
for epoch in [*range(10, len(accuracy), 10), len(accuracy)]:
    print(f"epoch {epoch:3d}: training accuracy {accuracy[epoch - 1]:.5f}")
print(f"stopped after {network.n_iter_} of 200 epochs")

# %%
# The monitor's record as a curve, from 80 % up (reached at epoch 10): the accuracy climbs
# quickly over the first 20 epochs, then slowly, and the fit ends at the first epoch on or
# above the target.
figure, axes = plt.subplots(figsize=(8, 4.2))
axes.plot(range(1, len(accuracy) + 1), accuracy, label="ScoringMonitor: training accuracy")
axes.axhline(0.99, color="tab:red", linestyle="--", label="StopAtAccuracy(0.99): target")
axes.axvline(network.n_iter_, color="0.5", linestyle=":",
             label=f"stopped after epoch {network.n_iter_}")
axes.set_xlabel("epoch")
axes.set_ylabel("training accuracy")
axes.set_ylim(0.8, 1.0)
axes.set_title("Digits, (32,) ReLU network: accuracy after every epoch")
axes.grid(True, alpha=0.3)
axes.legend(loc="lower right")
plt.show()
