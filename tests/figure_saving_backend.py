"""A matplotlib backend for the example tests: ``plt.show()`` saves the open figures.

``tests/test_examples.py`` runs each example as a user would, ``python
examples/SECTION/plot_NAME.py``, with ``MPLBACKEND=module://figure_saving_backend``.
Where a user's backend opens a window, this one writes each open figure to
``figure_1.png``, ``figure_2.png``, ... in the working directory, in the order
they were shown, and closes it, as a user closes the window to go on.
"""

from itertools import count

from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas

__all__ = ["FigureCanvas", "show"]

_shown = count(1)


def show(*args, **kwargs):
    """Save every open figure as ``figure_N.png`` in the working directory, then close it."""
    import matplotlib.pyplot as plt

    for number in plt.get_fignums():
        plt.figure(number).savefig(f"figure_{next(_shown)}.png", dpi=100)
        plt.close(number)
