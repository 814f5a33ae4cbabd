"""Personal diagnostic campaigns: creation (one invitation per active teacher, e-mail with the personal
link), closing, progress per organisation and the printable list of links (tokens regenerated on print).

Only a SHA-256 hash of a token is stored; the raw token exists in the e-mail and on the printed list.
"""
from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from clusters.models import Organisation, Teacher
from clusters.personal_data import log_export
from core.errors import ClosedError, InvalidError
from core.links import absolute_url
from core.outbox import mail_enqueue

from ..models import DiagnosticCampaign, Invitation, InvitationStatus

LINKS_LIST_NAME = "diagnostic_links"
LINKS_LIST_TITLE = "Персональные ссылки на самодиагностику"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def public_path(token: str) -> str:
    return reverse("diagnostics_public:start", args=[token])


def _mail_body(campaign: DiagnosticCampaign, teacher: Teacher, url: str) -> str:
    return (
        f"Здравствуйте, {teacher.full_name}!\n\n"
        f"Информационно-методический центр приглашает вас пройти самодиагностику «{campaign.title}».\n"
        f"Ваша персональная ссылка (не передавайте её другим): {url}\n"
        f"Ссылка действует до {timezone.localtime(campaign.closes_at):%d.%m.%Y %H:%M}.\n\n"
        "Результаты увидят только вы, администратор вашей организации, методисты и директор ИМЦ района.\n"
    )


def create_campaign(*, user, district, instrument, title: str, year: int, period_label: str, level: str,
                    profession: str, organisations, opens_at, closes_at) -> DiagnosticCampaign:
    """The campaign, one invitation per active teacher of the organisations, a mail where there is an e-mail."""
    organisations = list(organisations)
    if not organisations:
        message = "Выберите хотя бы одну организацию."
        raise InvalidError(message, field_errors={"organisations": [message]})
    if any(org.district_id != district.pk for org in organisations):
        raise InvalidError("Можно выбрать только организации своего района.")
    if instrument.district_id not in (None, district.pk):
        raise InvalidError("Инструмент другого района недоступен.")
    with transaction.atomic():
        campaign = DiagnosticCampaign(
            district=district, instrument=instrument, title=title, year=year, period_label=period_label,
            level=level, profession=profession, opens_at=opens_at, closes_at=closes_at, created_by=user)
        campaign.full_clean()
        campaign.save()
        campaign.organisations.set(organisations)
        teachers = Teacher.objects.filter(organisation__in=organisations, is_active=True).order_by("pk")
        now = timezone.now()
        for teacher in teachers:
            token = new_token()
            invitation = Invitation.objects.create(campaign=campaign, teacher=teacher, token_hash=hash_token(token))
            if teacher.email:
                mail_enqueue(subject=f"Самодиагностика: {campaign.title}",
                             body=_mail_body(campaign, teacher, absolute_url(public_path(token))),
                             to=[teacher.email], dedup_key=f"diagnostic-invitation:{invitation.pk}")
                Invitation.objects.filter(pk=invitation.pk).update(emailed_at=now)
    return campaign


def close_campaign(campaign: DiagnosticCampaign) -> DiagnosticCampaign:
    with transaction.atomic():
        campaign = DiagnosticCampaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.closed_at is not None:
            raise ClosedError("Кампания уже закрыта.")
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at"])
    return campaign


def is_open(campaign: DiagnosticCampaign, now=None) -> bool:
    now = now or timezone.now()
    return campaign.closed_at is None and campaign.opens_at <= now < campaign.closes_at


def progress(campaign: DiagnosticCampaign, organisation: Organisation | None = None) -> list[dict]:
    """Per organisation (or only the given one): invited (all links), declined, draft, submitted counts."""
    invitations = Invitation.objects.filter(campaign=campaign)
    if organisation is not None:
        invitations = invitations.filter(teacher__organisation=organisation)
    rows = (invitations
            .values("teacher__organisation_id", "teacher__organisation__short_name")
            .annotate(total=Count("pk"),
                      declined=Count("pk", filter=Q(status=InvitationStatus.DECLINED)),
                      draft=Count("pk", filter=Q(status=InvitationStatus.DRAFT)),
                      submitted=Count("pk", filter=Q(status=InvitationStatus.SUBMITTED)))
            .order_by("teacher__organisation__short_name"))
    return [{"organisation_id": r["teacher__organisation_id"], "organisation": r["teacher__organisation__short_name"],
             "total": r["total"], "declined": r["declined"], "draft": r["draft"], "submitted": r["submitted"]}
            for r in rows]


def teacher_states(campaign: DiagnosticCampaign, organisation: Organisation) -> list[Invitation]:
    """The organisation's invitations with their teachers, by name — the school administrator's checklist."""
    return list(Invitation.objects.filter(campaign=campaign, teacher__organisation=organisation)
                .select_related("teacher").order_by("teacher__full_name", "pk"))


def regenerate_links(*, user, campaign: DiagnosticCampaign, organisation: Organisation, query_string: str = ""):
    """New tokens for the not-yet-submitted (and not declined) invitations of the organisation: the old links
    stop working. Returns [(invitation, absolute url)]; the print is logged as an export of personal data."""
    with transaction.atomic():
        invitations = list(
            Invitation.objects.select_for_update().filter(
                campaign=campaign, teacher__organisation=organisation,
                status__in=[InvitationStatus.INVITED, InvitationStatus.DRAFT])
            .select_related("teacher").order_by("teacher__full_name", "pk"))
        rows = []
        for invitation in invitations:
            token = new_token()
            invitation.token_hash = hash_token(token)
            invitation.save(update_fields=["token_hash"])
            rows.append((invitation, absolute_url(public_path(token))))
        log_export(user=user, list_name=LINKS_LIST_NAME, list_title=f"{LINKS_LIST_TITLE}: {campaign.title}",
                   query_string=query_string, row_count=len(rows))
    return rows
