"""The tabular estimators' input layers (``skxor.tables.layers``): how each starts."""

import numpy as np

from skxor.tables.layers import CategoricalEmbedding, FeatureScale


def test_a_feature_scale_starts_as_the_identity():
    scales = np.zeros(3)
    FeatureScale(3).initialize(np.random.RandomState(0), [scales])
    np.testing.assert_array_equal(scales, [1.0, 1.0, 1.0])


def test_the_missing_level_of_each_column_starts_at_zero_and_the_others_do_not():
    layer = CategoricalEmbedding(levels=(3, 40), size=4)
    tables = np.full(layer.parameter_shapes[0][0], np.nan)
    layer.initialize(np.random.RandomState(0), [tables])
    missing_rows = [0, 4]  # row 0 of each column's table: 3 levels, then 40
    np.testing.assert_array_equal(tables[missing_rows], 0.0)
    levels = np.delete(tables, missing_rows, axis=0)
    assert np.all(levels != 0.0) and 0.8 < levels.std() < 1.2
