"""Form fields shared by every app."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files, possibly empty, at most ``max_files`` of them
    (Django's "Uploading multiple files" recipe)."""

    def __init__(self, *args: Any, max_files: int | None = None, accept: str = "", **kwargs: Any) -> None:
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else None))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, (list, tuple)) else [data]
        cleaned = [single(f, initial) for f in files if f]
        if self.max_files is not None and len(cleaned) > self.max_files:
            raise forms.ValidationError(
                _("At most %(n)d files can be attached."), code="too_many", params={"n": self.max_files}
            )
        return cleaned
