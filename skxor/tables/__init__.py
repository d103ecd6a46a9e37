"""Tables in: reading DataFrames column by column, encoding them, and their input layers.

``columns`` reads pandas and polars DataFrames and arrays column by column,
``encoding`` learns how each column becomes numbers (``TableEncoder``), and
``layers`` holds the input layers the tabular estimators learn on top of
them. NumPy only.
"""
