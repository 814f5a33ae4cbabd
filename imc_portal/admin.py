from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "district", "organisation", "region",
                    "is_active")
    list_filter = ("role", "district", "region", "is_active")
    search_fields = ("username", "last_name", "first_name", "email")
    autocomplete_fields = ("organisation",)
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Роль и место работы", {"fields": ("role", "patronymic", "position", "district", "organisation", "region")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Роль и место работы", {"fields": ("role", "last_name", "first_name", "district", "organisation", "region")}),
    )
