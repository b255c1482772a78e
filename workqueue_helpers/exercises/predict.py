"""Predict, then run: compare what the learner predicted with what RabbitMQ did."""

from __future__ import annotations

from typing import Any

from workqueue_helpers.language import translated


def reveal(prediction: Any, actual: Any) -> None:
    """Print the prediction beside what happened, and whether they agree.

    A prediction left as ``...`` (the cell's starting value) is not judged.
    """
    if prediction is ...:
        print(translated("You predicted:  nothing yet (write it in the cell above, then run both again)"))
        print(translated("RabbitMQ did:   ") + _shown(actual))
        return
    print(translated("You predicted:  ") + _shown(prediction))
    print(translated("RabbitMQ did:   ") + _shown(actual))
    right = _normal(prediction) == _normal(actual)
    print(translated("Right." if right else "Not what you predicted: the next cells say why."))


def _normal(value: Any) -> Any:
    """Lists and tuples compared in order (an order can be the prediction); sets by their
    items, whatever their order."""
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normal(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_normal(item) for item in value), key=repr)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(map(str, items)) + "]"
    return str(value)
