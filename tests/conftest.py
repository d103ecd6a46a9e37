import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")
