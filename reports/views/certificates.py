"""«Сертификат подписи»: a signer's own PKCS#12 — what it says, upload or replace it, remove it."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from core.permissions import require

from .. import certificates, services
from ..forms import SigningCertificateForm
from ..models import SigningCredential


def _status(credential: SigningCredential | None, user) -> str:
    if credential is None:
        return ""
    return certificates.signing_refusal(services.certificates.credential_facts(credential), user)


def signing_certificate(request):
    user = request.user
    require(user, services.certificates.SIGNING_CAPABILITY)
    form = SigningCertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "delete":
                if services.signing_credential_delete(owner=user, by=user):
                    messages.success(request, "Сертификат подписи удалён. Чтобы подписывать справки, загрузите новый.")
                return redirect("reports:signing_certificate")
            if form.is_valid():
                upload = form.cleaned_data["file"]
                services.signing_credential_store(owner=user, data=upload.read(),
                                                  password=form.cleaned_data["password"], by=user)
                messages.success(request, "Сертификат подписи сохранён: справки вы подписываете им.")
                return redirect("reports:signing_certificate")
        except services.ReportForbiddenError as error:
            raise PermissionDenied(str(error)) from error
        except services.ReportError as error:
            form.add_error("file", str(error))
    credential = SigningCredential.objects.filter(user=user).first()
    return render(request, "reports/signing_certificate.html", {
        "credential": credential, "form": form, "problem": _status(credential, user),
        "facts": services.certificates.credential_facts(credential) if credential else None,
    })
