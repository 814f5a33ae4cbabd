"""Access-matrix rows (tests/test_access_matrix.py) of the consultations log and teachers' achievements.

Consultations hold teachers' names: methodists write (events.journal), the director reads
(registry.view_personal_data), observers and school administrators get 403. Achievements: methodists write the
district's, school administrators (events.school_journal) their own teachers' — the object belongs to a teacher
of school A, so the other school's administrator gets 404; the director reads the list."""
from tests.events.factories import AchievementFactory, ConsultationFactory
from tests.test_access_matrix import Row, once

#                            anon met dir obs sa  osa ometh padm
CONSULTATIONS_LIST = "L 200 200 403 403 403 200 403"
CONSULTATIONS_WRITE = "L 200 403 403 403 403 200 403"
CONSULTATION_OBJECT = "L 200 403 403 403 403 404 403"
ACHIEVEMENTS_LIST = "L 200 200 403 200 200 200 403"
ACHIEVEMENTS_WRITE = "L 200 403 403 200 200 200 403"
ACHIEVEMENT_OBJECT = "L 200 403 403 200 404 404 403"

consultation = once(lambda w: ConsultationFactory(district=w.district_a, teachers=[w.teacher]))
achievement = once(lambda w: AchievementFactory(teacher=w.teacher))

ROWS: dict = {
    "events:consultations": Row(CONSULTATIONS_LIST),
    "events:consultation_create": Row(CONSULTATIONS_WRITE),
    "events:consultation_update": Row(CONSULTATION_OBJECT, lambda w: {"pk": consultation(w).pk}),
    "events:consultation_delete": Row(CONSULTATION_OBJECT, lambda w: {"pk": consultation(w).pk}),
    "events:consultations_import": Row(CONSULTATIONS_WRITE),
    "events:consultations_template": Row(CONSULTATIONS_WRITE),
    "events:achievements": Row(ACHIEVEMENTS_LIST),
    "events:achievement_create": Row(ACHIEVEMENTS_WRITE),
    "events:achievement_update": Row(ACHIEVEMENT_OBJECT, lambda w: {"pk": achievement(w).pk}),
    "events:achievement_delete": Row(ACHIEVEMENT_OBJECT, lambda w: {"pk": achievement(w).pk}),
    "events:achievements_import": Row(ACHIEVEMENTS_WRITE),
    "events:achievements_template": Row(ACHIEVEMENTS_WRITE),
}
