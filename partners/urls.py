from django.urls import path

from .views import questions

app_name = "partners"

urlpatterns = [
    path("kennisvragen/", questions.question_list, name="questions"),
    path("kennisvragen/nieuw/", questions.question_ask, name="ask"),
    path("kennisvragen/inbox/", questions.inbox, name="inbox"),
    path("kennisvragen/overzicht/", questions.overview, name="overview"),
    path("kennisvragen/<int:pk>/", questions.question_detail, name="question"),
    path("kennisvragen/<int:pk>/bijlage/", questions.question_attachment, name="attachment"),
    path("kennisvragen/<int:pk>/faq/", questions.question_faq, name="faq"),
    path("kennisvragen/<int:pk>/<slug:slug>/", questions.question_action, name="action"),
]
