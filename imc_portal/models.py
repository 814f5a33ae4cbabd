"""The portal's user: a person with one role, tied to a district or to an organisation."""
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from core.permissions import role_can
from core.roles import Role

__all__ = ["Role", "User"]

# Set on the request's user by imc_portal/district_switch.py while a city user or the portal admin
# reads a district's pages; never stored.
VIEWED_DISTRICT_ATTR = "_viewed_district"
HOME_DISTRICT_ATTR = "_home_district_id"


class User(AbstractUser):
    role = models.CharField("роль", max_length=20, choices=Role.choices, default=Role.METHODIST)
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField("должность", max_length=200, blank=True)
    district = models.ForeignKey(
        "clusters.District",
        verbose_name="район",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    organisation = models.ForeignKey(
        "clusters.Organisation",
        verbose_name="организация",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    # A city user (городской методист / комитет) reads every district of this region and belongs to none.
    region = models.ForeignKey(
        "clusters.Region",
        verbose_name="регион (город)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Только для роли «Городской методист / комитет»: районы этого региона",
    )

    class Meta:
        verbose_name = "пользователь"
        verbose_name_plural = "пользователи"

    def clean(self) -> None:
        super().clean()
        if role_can(self.role, "account.works_in_organisation"):
            if not self.organisation_id:
                raise ValidationError({"organisation": "Администратору ОУ нужна организация."})
            # The school administrator's district always follows their organisation.
            self.district_id = self.organisation.district_id
        elif role_can(self.role, "account.works_in_district"):
            if not self.district_id:
                raise ValidationError({"district": "Для этой роли нужно указать район."})
            if self.organisation_id:
                raise ValidationError({"organisation": "Организация указывается только для администратора ОУ."})
        elif role_can(self.role, "account.works_in_region"):
            if not self.region_id:
                raise ValidationError({"region": "Городскому методисту нужен регион (город), районы которого он видит."})
            errors = {}
            if self.district_id:
                errors["district"] = "Городской методист не относится к району: он видит все районы региона."
            if self.organisation_id:
                errors["organisation"] = "Организация указывается только для администратора ОУ."
            if errors:
                raise ValidationError(errors)
        if self.region_id and not role_can(self.role, "account.works_in_region"):
            raise ValidationError({"region": "Регион указывается только для городского методиста."})

    def save(self, *args, **kwargs) -> None:
        if role_can(self.role, "account.works_in_organisation") and self.organisation_id and not self.district_id:
            self.district_id = self.organisation.district_id
        if role_can(self.role, "account.administers_portal"):
            self.is_staff = True
        viewed = self.__dict__.get(VIEWED_DISTRICT_ATTR)
        if viewed is None:
            super().save(*args, **kwargs)
            return
        # A district picked through the switcher (imc_portal/district_switch.py) lives in the session
        # only: the user is stored with their own (empty) district, and the request keeps reading.
        self.district_id = self.__dict__.get(HOME_DISTRICT_ATTR) or None
        try:
            super().save(*args, **kwargs)
        finally:
            self.district = viewed

    @property
    def display_name(self) -> str:
        """«Иванова А.П.» — the form names take on Russian documents."""
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        if self.last_name:
            return f"{self.last_name} {initials}".strip()
        return self.get_username()

    def __str__(self) -> str:
        # People are shown by name everywhere ({{ report.created_by }}, a user's default choice label,
        # the admin's lists), never by login; the login shows only where it is asked for.
        return self.display_name
