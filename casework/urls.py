from django.urls import path

from . import views

app_name = "casework"

CASE = "kringen/<slug:circle_slug>/casussen/<int:case_id>/"

urlpatterns = [
    path("kringen/<slug:circle_slug>/casussen/", views.case_list, name="case_list"),
    path("kringen/<slug:circle_slug>/casussen/nieuw/", views.case_create, name="case_create"),
    path(CASE, views.case_detail, name="case_detail"),
    path(CASE + "bewerken/", views.case_edit, name="case_edit"),
    path(CASE + "fase/", views.case_phase, name="case_phase"),
    path(CASE + "vragen/", views.question_create, name="question_create"),
    path(CASE + "vragen/<int:question_id>/antwoord/", views.question_answer, name="question_answer"),
    path(CASE + "feedback/", views.feedback_create, name="feedback_create"),
    path(CASE + "feedback/<int:feedback_id>/nuttig/", views.feedback_helpful, name="feedback_helpful"),
    path(CASE + "reflectie/", views.case_reflection, name="case_reflection"),
    path(CASE + "les/", views.lesson_save, name="lesson_save"),
    path(CASE + "les/vervolg/", views.lesson_followup, name="lesson_followup"),
    path(CASE + "les/publiceren/", views.lesson_propose, name="lesson_propose"),
    path(CASE + "bijlagen/", views.attachment_upload, name="attachment_upload"),
    path(CASE + "bijlagen/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(CASE + "bijlagen/<int:attachment_id>/verwijderen/", views.attachment_delete, name="attachment_delete"),
    path(CASE + "gasten/", views.guest_invite, name="guest_invite"),
    path(CASE + "gasten/<int:guest_id>/intrekken/", views.guest_revoke, name="guest_revoke"),
    path("casusgast/<str:token>/", views.guest_accept, name="guest_accept"),
]
