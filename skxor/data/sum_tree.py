"""A fixed binary tree over chunk indices, in which chunked sums are added up.

A floating-point sum depends on the order of its terms. So that a dask fit's
full-batch loss and gradient are the same bits whichever worker holds which
chunk, and however many workers there are, every sum of per-chunk terms
follows one tree fixed by the number of chunks alone: a span of chunks
``[first, stop)`` is the sum of its two halves, split at their midpoint, and
a span of one chunk is that chunk's term.

A worker adds up the largest spans whose chunks it holds all
(``held_spans``, ``span_sum``); the client adds those partial sums up to the
root (``root_sum``), in the same tree. Where each worker holds consecutive
chunks, it sends back a few partial sums instead of one term per chunk.
"""


def halves(span):
    """The two halves of a span of two chunks or more, split at its midpoint."""
    first, stop = span
    middle = (first + stop) // 2
    return (first, middle), (middle, stop)


def held_spans(held, n_chunks):
    """The largest spans of the tree over ``n_chunks`` chunks whose chunks are all ``held``.

    ``held`` is a set of chunk indices. The spans come in chunk order.
    """
    def visit(span):
        first, stop = span
        if all(index in held for index in range(first, stop)):
            return [span]
        if stop - first == 1:
            return []
        left, right = halves(span)
        return visit(left) + visit(right)

    return visit((0, n_chunks)) if n_chunks else []


def span_sum(span, term, add):
    """The sum of ``term(index)`` over the chunks of ``span``, added up in the tree."""
    first, stop = span
    if stop - first == 1:
        return term(first)
    left, right = halves(span)
    return add(span_sum(left, term, add), span_sum(right, term, add))


def root_sum(partial_sums, n_chunks, add):
    """The sum over all ``n_chunks`` chunks, from the partial sums of spans that cover them.

    ``partial_sums`` maps each span to its sum; together the spans cover
    every chunk once, each a span of the tree.
    """
    def visit(span):
        if span in partial_sums:
            return partial_sums[span]
        left, right = halves(span)
        return add(visit(left), visit(right))

    return visit((0, n_chunks))


def partial_sums_sent(n_chunks, n_workers):
    """How many partial sums come back per sum when ``n_chunks`` chunks are spread over
    ``n_workers`` in runs of consecutive chunks, as a fit spreads them."""
    runs = [set(range(worker * n_chunks // n_workers, (worker + 1) * n_chunks // n_workers))
            for worker in range(n_workers)]
    return sum(len(held_spans(run, n_chunks)) for run in runs if run)
