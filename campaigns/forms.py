from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kernel.validators import validate_attachment

from .models import TaskReport, User


class FilterForm(forms.Form):
    """GET filters for list pages: an invalid value is shown next to its field
    and ignored, and every widget gets Bootstrap's small form classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")

    def value(self, name, empty=None):
        """The cleaned value of a field; ``empty`` when it was left empty or is invalid."""
        if not self.is_bound:
            return empty
        self.is_valid()  # fills cleaned_data with the fields that are valid
        value = self.cleaned_data.get(name)
        return empty if value is None or value is False or value == "" else value


class TaskReportForm(forms.ModelForm):
    class Meta:
        model = TaskReport
        fields = ["text", "progress", "contribution_complete", "attachment"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }
        labels = {"text": _("What was done")}

    def __init__(self, *args, show_contribution: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = _("Optional. PDF, image, Office document or plain text, at most 10 MB.")
        self.fields["attachment"].validators = [validate_attachment]
        if not show_contribution:
            del self.fields["contribution_complete"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_progress(self):
        progress = self.cleaned_data["progress"]
        if progress is not None and not 0 <= progress <= 100:
            raise forms.ValidationError(_("Progress is a percentage between 0 and 100."))
        return progress

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if len(text) < 5:
            raise forms.ValidationError(_("Please describe what was done (at least 5 characters)."))
        return text


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "preferred_language", "notify_by_email", "notify_by_sms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip().replace(" ", "").replace("-", "")
        if phone and not (phone.lstrip("+").isdigit() and 7 <= len(phone.lstrip("+")) <= 15):
            raise forms.ValidationError(_("Enter a phone number of 7 to 15 digits."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_by_sms") and "phone" not in self.errors:
            from notifications.sms import is_valid_mobile

            if not is_valid_mobile(cleaned.get("phone", "")):
                self.add_error("phone", _("SMS notifications need a mobile phone number, e.g. 13800138000."))
        if cleaned.get("notify_by_email") and not cleaned.get("email"):
            self.add_error("email", _("E-mail notifications need an e-mail address."))
        return cleaned


# --- Logging in -------------------------------------------------------------------
class _NoImpossibleUsernames:
    """A username longer than any account's is a wrong login, refused before
    authenticate(): django-axes would try to store it (at most 255 characters)."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if len(username) > User._meta.get_field(User.USERNAME_FIELD).max_length:
            raise self.get_invalid_login_error()
        return super().clean()


class LoginForm(_NoImpossibleUsernames, AuthenticationForm):
    pass


class AdminLoginForm(_NoImpossibleUsernames, AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        # The campaign office plans in the admin without being a "staff" account.
        from .planning.rules import may_use_admin

        AuthenticationForm.confirm_login_allowed(self, user)
        if not may_use_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
