"""What every layer of skxor may use: parameter declarations and warnings.

Nothing here imports another part of skxor, so every folder can stand on it.
"""
