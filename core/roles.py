"""The portal's roles. A leaf module: the user model, the permission table and forms import it."""
from django.db import models


class Role(models.TextChoices):
    METHODIST = "methodist", "Методист"
    DIRECTOR = "director", "Директор ИМЦ"
    SCHOOL_ADMIN = "school_admin", "Администратор ОУ"
    OBSERVER = "observer", "Наблюдатель"
    PORTAL_ADMIN = "portal_admin", "Администратор портала"
    CITY = "city", "Городской методист / комитет"
