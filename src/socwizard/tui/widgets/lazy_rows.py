"""Table rows built on first display: 10,000 entries cost nothing until scrolled to."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar, overload

from socwizard.tui.widgets.entry_table import Row

T = TypeVar("T")


class LazyRows(Sequence[Row], Generic[T]):
    """A sequence of table rows, each built from its item by ``build`` when first read."""

    def __init__(self, items: Sequence[T], build: Callable[[T], Row]) -> None:
        self.items = items
        self.build = build
        self.built: dict[int, Row] = {}

    def __len__(self) -> int:
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | Sequence[Row]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self.items)
        row = self.built.get(index)
        if row is None:
            row = self.built[index] = self.build(self.items[index])
        return row
