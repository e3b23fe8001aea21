"""pandas imported on first use (issue 15, item 3): ``from ._pandas_spaet import pd``.

Only ``pd.DataFrame`` and ``pd.Series`` are offered, for the two uses the adapters have:
``isinstance(x, pd.DataFrame)`` asks pandas only once pandas is imported (before that no value
can be a pandas object), and ``pd.DataFrame(...)`` imports pandas and builds the real one.

>>> import sys
>>> isinstance([1], pd.DataFrame)
False
>>> df = pd.DataFrame({"a": [1, 2]})
>>> "pandas" in sys.modules, isinstance(df, pd.DataFrame), isinstance(df["a"], pd.Series)
(True, True, True)
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["pd"]


class _PandasTyp(type):
    """A stand-in class for a pandas class of the same name."""

    def __instancecheck__(cls, obj: Any) -> bool:
        pandas = sys.modules.get("pandas")
        return pandas is not None and isinstance(obj, getattr(pandas, cls.__name__))

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        import pandas

        return getattr(pandas, cls.__name__)(*args, **kwargs)


class pd:
    """The pandas names the adapters use, resolved on first use."""

    DataFrame = _PandasTyp("DataFrame", (), {})
    Series = _PandasTyp("Series", (), {})
