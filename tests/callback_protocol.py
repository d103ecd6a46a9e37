"""A scikit-learn FitCallback that does nothing, for tests to override one hook of."""


class SilentCallback:
    """Every hook of ``sklearn.callback``'s FitCallback protocol, doing nothing."""

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        pass

    def on_fit_task_end(self, estimator, context, **kwargs):
        return False
