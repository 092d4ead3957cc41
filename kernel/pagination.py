"""Pagination for lists that may hold a million rows.

Django's Paginator counts every matching row (``SELECT COUNT(*)``) and lets a
visitor ask for any page (``OFFSET``), both of which read the whole list at a
million complaints. ``BoundedPaginator`` counts at most ``limit`` rows and
offers the pages within them: beyond that the list says "more than 1,000" and
asks for a narrower filter or the other sort order, which reach any row. The
export still holds every row.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

#: Rows counted, and reachable by page number, in one list (40 pages of 25).
COUNT_LIMIT = 1000


class BoundedPaginator(Paginator):  # type: ignore[type-arg]  # of any rows
    def __init__(self, object_list: Any, per_page: int, *, limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit or COUNT_LIMIT

    @cached_property
    def count(self) -> int:
        # One row more than the limit tells whether there are more.
        counted: int = self.object_list[: self.limit + 1].count()  # type: ignore[attr-defined]  # a QuerySet
        self.truncated = counted > self.limit
        return min(counted, self.limit)

    @cached_property
    def truncated(self) -> bool:
        self.count  # noqa: B018 - sets it
        truncated: bool = self.__dict__["truncated"]
        return truncated

    def get_page(self, number: Any) -> Page:  # type: ignore[type-arg]
        """Like Paginator.get_page; a page past the reachable ones is the last
        reachable one, with ``requested_beyond`` set so the page can say why."""
        self.requested_beyond = False
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            self.requested_beyond = self.truncated and str(number).isdigit() and int(number) > self.num_pages
            number = self.num_pages
        return self.page(number)
