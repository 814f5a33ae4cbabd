"""URLs of events: certificates (included by events/urls.py under the «events» namespace).

Certificates verify on reports' public page /v/<code>/ (events/verification.py registers there)."""
from django.urls import path
from django.views.decorators.http import require_POST

from .views import certificates

urlpatterns = [
    path("<int:pk>/certificates/", certificates.CertificatesView.as_view(), name="certificates"),
    path("<int:pk>/certificates/issue/", require_POST(certificates.CertificatesIssueView.as_view()), name="certificates_issue"),
    path("certificate-jobs/<int:pk>/", certificates.CertificatesJobStatusView.as_view(),
         name="certificates_job_status"),
    path("<int:pk>/certificates.zip", certificates.CertificatesZipView.as_view(), name="certificates_zip"),
    path("certificates/<int:pk>/pdf/", certificates.CertificateDownloadView.as_view(), name="certificate_download"),
]
