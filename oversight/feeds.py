"""RSS 2.0 and Atom feeds of the published public bulletins."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors.public import public_bulletins

FEED_ITEMS = 30


class BulletinFeed(Feed):
    title = _("Campaign bulletins")
    link = reverse_lazy("oversight:bulletins")
    description = _(
        "Bulletins the campaign office has published: progress, commendations, criticism and negative typical cases."
    )

    def items(self):
        return public_bulletins()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text: the feed framework escapes it, so markup in a bulletin stays text.
        return item.body

    def item_link(self, item):
        return reverse("oversight:bulletin", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [str(item.get_kind_display())]

    def item_author_name(self, item):
        return item.issuing_office.name if item.issuing_office_id else None


class BulletinAtomFeed(BulletinFeed):
    feed_type = Atom1Feed
    subtitle = BulletinFeed.description
