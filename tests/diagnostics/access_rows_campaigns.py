"""Access-matrix rows (tests/test_access_matrix.py) of the diagnostics campaigns pages and the public link."""
from diagnostics.services.campaigns import hash_token
from tests.diagnostics.factories import DiagnosticCampaignFactory, InvitationFactory, ItemFactory
from tests.test_access_matrix import POST_ONLY, Row, once

MATRIX_TOKEN = "matrix-diagnostic-token-0123456789abcdefghijk"  # 45 URL-safe characters
CONSENTED_TOKEN = "matrix-diagnostic-consented-0123456789abcdefg"


def _campaign(w):
    campaign = DiagnosticCampaignFactory(district=w.district_a, title="Самодиагностика (матрица)")
    campaign.organisations.set([w.school_a, w.school_b])
    ItemFactory(instrument=campaign.instrument)
    InvitationFactory(campaign=campaign, teacher=w.teacher, token_hash=hash_token(MATRIX_TOKEN))
    InvitationFactory(campaign=campaign, teacher=w.mentee, token_hash=hash_token(CONSENTED_TOKEN),
                      status="draft", consent_at=campaign.opens_at)
    return campaign


campaign = once(_campaign)

#                       anon met dir obs sa  osa ometh padm
ROWS: dict = {
    "diagnostics:campaigns": Row("L 200 200 403 200 200 200 403"),
    "diagnostics:campaign_create": Row("L 200 403 403 403 403 200 403"),
    # school admins of the campaign's organisations (school_b takes part too): their own rows
    "diagnostics:campaign_detail": Row("L 200 200 403 200 200 404 403", lambda w: {"pk": campaign(w).pk}),
    "diagnostics:campaign_close": Row(POST_ONLY, lambda w: {"pk": campaign(w).pk}),
    # school admins of the campaign's organisations (school_b takes part too), methodists of the district
    "diagnostics:campaign_links": Row("L 200 403 403 200 200 404 403", lambda w: {"pk": campaign(w).pk}),
    # the personal link: the consent page for everybody (no account needed)
    "diagnostics_public:start": Row(" ".join(["200"] * 8), lambda w: (campaign(w), {"token": MATRIX_TOKEN})[1]),
    "diagnostics_public:form": Row(" ".join(["200"] * 8), lambda w: (campaign(w), {"token": CONSENTED_TOKEN})[1]),
}
