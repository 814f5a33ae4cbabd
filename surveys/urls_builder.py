"""The questionnaire builder (methodists; directors and observers read)."""
from django.urls import path

from .views import builder

urlpatterns = [
    path("questionnaires/", builder.QuestionnaireList.as_view(), name="questionnaire_list"),
    path("questionnaires/new/", builder.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/<int:pk>/", builder.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/edit/", builder.questionnaire_update, name="questionnaire_update"),
    path("questionnaires/<int:pk>/delete/", builder.questionnaire_delete, name="questionnaire_delete"),
    path("questionnaires/<int:pk>/copy/", builder.questionnaire_copy, name="questionnaire_copy"),
    path("questionnaires/<int:pk>/preview/", builder.questionnaire_preview, name="questionnaire_preview"),
    path("questionnaires/<int:pk>/sections/new/", builder.section_create, name="section_create"),
    path("questionnaires/sections/<int:pk>/edit/", builder.section_update, name="section_update"),
    path("questionnaires/sections/<int:pk>/delete/", builder.section_delete, name="section_delete"),
    path("questionnaires/sections/<int:pk>/move/", builder.section_move, name="section_move"),
    path("questionnaires/<int:pk>/questions/new/", builder.question_create, name="question_create"),
    path("questionnaires/questions/<int:pk>/edit/", builder.question_update, name="question_update"),
    path("questionnaires/questions/<int:pk>/delete/", builder.question_delete, name="question_delete"),
    path("questionnaires/questions/<int:pk>/move/", builder.question_move, name="question_move"),
]
