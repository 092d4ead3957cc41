"""The current campaign has one home (campaigns/current.py): a cached summary for the
page header, the row itself for views and services."""

import pytest
from django.http import Http404

from campaigns.current import current_campaign, current_campaign_or_404, get_current_campaign
from campaigns.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_the_row_is_the_campaign_marked_current(campaign):
    CampaignFactory(name="上一年度活动")
    assert get_current_campaign() == campaign == current_campaign_or_404()


def test_without_a_current_campaign_there_is_none_and_pages_that_need_one_are_404():
    CampaignFactory(name="草拟中的活动")
    assert get_current_campaign() is None and current_campaign() is None
    with pytest.raises(Http404):
        current_campaign_or_404()


def test_the_header_summary_names_the_same_campaign_and_today_s_phase(campaign, phase):
    summary = current_campaign()
    assert (summary.pk, summary.name, summary.phase.name) == (campaign.pk, campaign.name, phase.name)


def test_the_header_summary_costs_no_query_once_cached(campaign, phase, django_assert_num_queries):
    current_campaign()
    with django_assert_num_queries(0):
        assert current_campaign().pk == campaign.pk


def test_making_another_campaign_current_is_seen_at_once(campaign):
    current_campaign()
    campaign.is_current = False
    campaign.save()
    other = CampaignFactory(is_current=True)
    assert current_campaign().pk == other.pk == get_current_campaign().pk
