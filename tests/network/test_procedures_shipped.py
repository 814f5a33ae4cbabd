"""The shipped procedures survive a flush (post_migrate recreates them, as Django does content types)."""
import pytest
from django.core.management import call_command

from network.models import Procedure
from network.procedures import SHIPPED


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_the_shipped_procedures():
    Procedure.objects.filter(district=None, name="ВПР").delete()
    call_command("flush", verbosity=0, interactive=False)
    names = set(Procedure.objects.filter(district=None).values_list("name", flat=True))
    assert names == {name for name, _ in SHIPPED}
    # Running it again creates nothing twice.
    call_command("flush", verbosity=0, interactive=False)
    assert Procedure.objects.filter(district=None).count() == len(SHIPPED)
