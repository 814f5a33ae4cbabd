"""Access-matrix rows (tests/test_access_matrix.py) of the diagnostics profiles pages."""
from tests.test_access_matrix import Row, once, pk

#                      anon met dir obs sa  osa ometh padm
PROFILE_OBJECT = "L 200 200 403 200 404 404 403"  # diagnostics.view | diagnostics.school, a teacher of school A
PUBLIC = "200 200 200 200 200 200 200 200"  # the teacher's own link: no account

PROFILE_TOKEN = "matrixProfileToken_0123456789abcdefghijklmn"


def _submitted_diagnosis(world):
    from decimal import Decimal

    from diagnostics.models import InvitationStatus
    from diagnostics.services.campaigns import hash_token
    from tests.diagnostics.factories import AreaScoreFactory, InvitationFactory, area

    invitation = InvitationFactory(teacher=world.teacher, campaign__district=world.district_a,
                                   status=InvitationStatus.SUBMITTED, token_hash=hash_token(PROFILE_TOKEN))
    AreaScoreFactory(invitation=invitation, area=area("subject"), score=Decimal("0.625"))
    AreaScoreFactory(invitation=invitation, area=area("methodical"), score=Decimal("0.400"))
    return invitation


submitted_diagnosis = once(_submitted_diagnosis)


def _token(world) -> dict:
    submitted_diagnosis(world)
    return {"token": PROFILE_TOKEN}


ROWS: dict = {
    "diagnostics:teacher_profile": Row(PROFILE_OBJECT, pk("teacher")),
    "diagnostics:teacher_profile_pdf": Row(PROFILE_OBJECT, pk("teacher")),
    "diagnostics:level_settings": Row("L 200 403 403 403 403 200 403"),  # diagnostics.build (methodists)
    "diagnostics_public:profile": Row(PUBLIC, _token),
    "diagnostics_public:profile_pdf": Row(PUBLIC, _token),
}
