"""Forms of the results pages: the upload, and a district's own assessment procedure."""
from __future__ import annotations

from django import forms

from clusters.imports import normalise_label
from core import xlsx
from core.forms import DistrictOwnedForm, PortalForm

from .models import Procedure


class ResultsUploadForm(PortalForm):
    # Empty files reach the import, which explains the refusal in the same words as other refusals.
    file = forms.FileField(
        label="Файл XLSX",
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + xlsx.XLSX_CONTENT_TYPE}),
    )


class ProcedureForm(DistrictOwnedForm):
    class Meta:
        model = Procedure
        fields = ["name", "description"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        # The import matches names ignoring case and spaces: a twin would make a file ambiguous.
        taken = Procedure.objects.filter(district__isnull=True) | Procedure.objects.filter(district=self.user.district)
        for other in taken.exclude(pk=self.instance.pk):
            if normalise_label(other.name) == normalise_label(name):
                raise forms.ValidationError(f"Процедура «{other.name}» уже есть — выберите другое название.")
        return name
