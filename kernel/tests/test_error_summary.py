"""{% error_summary form %}: one link per error, to the input the browser can focus."""

from django import forms
from django.template import Context, Template

from kernel.templatetags.portal_forms import summary_items


class Sample(forms.Form):
    name = forms.CharField(label="Name")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    secret = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Whole form")


def test_each_error_links_to_its_input_and_radios_to_their_first_option(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    translation.activate("en")
    form = Sample(data={})
    assert summary_items(form) == [
        ("", "", "Whole form"),
        ("id_name", "Name", "This field is required."),
        ("id_kind_0", "Kind", "This field is required."),
        ("", "Secret", "This field is required."),
    ]


def test_the_summary_is_rendered_only_for_a_form_sent_back_with_errors():
    template = Template("{% load portal_forms %}{% error_summary form %}")
    assert "data-error-summary" not in template.render(Context({"form": Sample()}))
    html = template.render(Context({"form": Sample(data={})}))
    assert "data-error-summary" in html and 'href="#id_kind_0"' in html and 'tabindex="-1"' in html
