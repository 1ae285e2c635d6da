from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("submit/", views.case_submit_view, name="submit"),
    path("submit/thanks/", views.case_thanks, name="thanks"),
    path("status/<str:token>/", views.case_status, name="status"),
    path("<slug:slug>/", views.case_detail, name="detail"),
]
