"""Access-matrix rows (tests/test_access_matrix.py) of the network app's practices and mentors pages.

Readers of practices: network.view_practices (M, D, OBS and school administrators of the district —
the base is for sharing); writers: network.contribute_practice (a methodist any practice of the
district, a school administrator only their own organisation's). Mentors (personal data):
network.view (M, D, OBS) read, network.edit (M) write.
"""
from tests.network.factories import MentorProfileFactory, PracticeFactory
from tests.test_access_matrix import Row, once

# A practice of school A (the school administrator's), with one stored PDF file.
practice = once(lambda w: PracticeFactory(district=w.district_a, organisation=w.school_a, event=w.event))


def _practice_file(w):
    from django.core.files.base import ContentFile

    from network.models import PracticeFile

    record = PracticeFile(practice=practice(w), original_name="Конспект урока.pdf", content_type="application/pdf",
                          size=12)
    record.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
    record.save()
    return record


practice_file = once(_practice_file)
mentor = once(lambda w: MentorProfileFactory(teacher=w.teacher))

#                      anon met dir obs sa  osa ometh padm
PRACTICE_READERS = "L 200 200 200 200 200 200 403"
PRACTICE_OBJECT = "L 200 200 200 200 200 404 403"  # a practice of district A: every reader of the district
CONTRIBUTOR_NEW = "L 200 403 403 200 200 200 403"
CONTRIBUTOR_OBJECT = "L 200 403 403 200 404 404 403"  # … a practice of school A: its school and the methodist
MENTOR_READERS = "L 200 200 200 403 403 200 403"
MENTOR_WRITER_NEW = "L 200 403 403 403 403 200 403"
MENTOR_WRITER_OBJECT = "L 200 403 403 403 403 404 403"
POST_ONLY = "L 405 405 405 405 405 405 405"

ROWS: dict = {
    "network:practices": Row(PRACTICE_READERS),
    "network:practice_create": Row(CONTRIBUTOR_NEW),
    "network:practice_detail": Row(PRACTICE_OBJECT, lambda w: {"pk": practice(w).pk}),
    "network:practice_update": Row(CONTRIBUTOR_OBJECT, lambda w: {"pk": practice(w).pk}),
    "network:practice_delete": Row(CONTRIBUTOR_OBJECT, lambda w: {"pk": practice(w).pk}),
    "network:practice_verify": Row(POST_ONLY, lambda w: {"pk": practice(w).pk}),
    "network:practice_file": Row(PRACTICE_OBJECT, lambda w: {"pk": practice_file(w).pk}),
    "network:practice_file_delete": Row(POST_ONLY, lambda w: {"pk": practice_file(w).pk}),
    "network:mentors": Row(MENTOR_READERS),
    "network:mentor_create": Row(MENTOR_WRITER_NEW),
    "network:mentor_update": Row(MENTOR_WRITER_OBJECT, lambda w: {"pk": mentor(w).pk}),
    "network:mentor_delete": Row(MENTOR_WRITER_OBJECT, lambda w: {"pk": mentor(w).pk}),
}
