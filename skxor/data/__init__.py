"""What training reads: the rows of a fit, in memory or in chunks on a Dask cluster.

``InMemoryData`` (``in_memory``) and ``ChunkedData`` (``chunked``) answer the
same questions, so the solvers never ask which they have: the number of
rows, the full-batch loss and gradient, the rows an epoch visits, a
held-out split and the validation set made of it. ``checks`` checks what a
user passes in, ``placement`` decides where the arrays of a fit live, and
the ``dask_*`` modules, imported only for dask inputs, turn dask
collections into chunks and predict on them lazily.
"""
