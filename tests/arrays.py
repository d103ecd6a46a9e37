"""Arrays of any namespace brought to NumPy, for comparisons in the tests."""

import numpy as np


def host(array):
    """A NumPy copy of ``array`` (NumPy, PyTorch, array-api-strict...), or None."""
    if array is None or isinstance(array, np.ndarray):
        return array
    if hasattr(array, "detach"):  # a torch tensor, perhaps on a GPU
        return array.detach().cpu().numpy()
    return np.from_dlpack(array)
