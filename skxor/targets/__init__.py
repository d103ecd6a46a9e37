"""What the estimators train toward: class labels, or values, and the ``loss`` names.

Each estimator hands the training machinery one targets object
(``labels.ClassLabels``, ``values.RegressionValues``) that encodes and checks
y, weighs the samples, names the output activation, scores outputs and
gives the fitted attributes of its encoding. ``losses`` holds the registries
of the ``loss`` parameter's values; ``quantiles`` the parts of quantile
regression outside the core.
"""
