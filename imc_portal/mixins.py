"""Temporary re-export while the apps move to `core.mixins` (removed at the end of the renovation)."""
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from core.mixins import *  # noqa: F403
from core.mixins import LIST_PAGE_SIZE, CapabilityRequiredMixin  # noqa: F401


def require_role(user, roles: Iterable[str]) -> None:
    if not user.is_authenticated or user.role not in roles:
        raise PermissionDenied("Этот раздел недоступен для вашей роли.")


class RoleRequiredMixin:
    allowed_roles: Iterable[str] = ()

    def dispatch(self, request, *args, **kwargs):
        require_role(request.user, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)
