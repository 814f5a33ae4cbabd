from django.urls import path

from .urls_io import urlpatterns as io_urlpatterns
from .views import clusters, communities, development, organisations, teachers

app_name = "clusters"

urlpatterns = [
    path("organisations/", organisations.OrganisationList.as_view(), name="organisation_list"),
    path("organisations/new/", organisations.OrganisationCreate.as_view(), name="organisation_create"),
    path("organisations/<int:pk>/", organisations.OrganisationDetail.as_view(), name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.OrganisationUpdate.as_view(), name="organisation_update"),
    path("organisations/<int:pk>/delete/", organisations.OrganisationDelete.as_view(), name="organisation_delete"),
    path("my-organisation/", organisations.my_organisation, name="my_organisation"),
    path("clusters/", clusters.ClusterList.as_view(), name="cluster_list"),
    path("clusters/new/", clusters.ClusterCreate.as_view(), name="cluster_create"),
    path("clusters/<int:pk>/", clusters.ClusterDetail.as_view(), name="cluster_detail"),
    path("clusters/<int:pk>/edit/", clusters.ClusterUpdate.as_view(), name="cluster_update"),
    path("clusters/<int:pk>/delete/", clusters.ClusterDelete.as_view(), name="cluster_delete"),
    path("memberships/new/", clusters.MembershipCreate.as_view(), name="membership_create"),
    path("memberships/<int:pk>/edit/", clusters.MembershipUpdate.as_view(), name="membership_update"),
    path("memberships/<int:pk>/delete/", clusters.MembershipDelete.as_view(), name="membership_delete"),
    path("teachers/", teachers.TeacherList.as_view(), name="teacher_list"),
    path("teachers/new/", teachers.TeacherCreate.as_view(), name="teacher_create"),
    path("teachers/<int:pk>/", teachers.TeacherDetail.as_view(), name="teacher_detail"),
    path("teachers/<int:pk>/edit/", teachers.TeacherUpdate.as_view(), name="teacher_update"),
    path("teachers/<int:pk>/delete/", teachers.TeacherDelete.as_view(), name="teacher_delete"),
    path("communities/", communities.CommunityList.as_view(), name="community_list"),
    path("communities/new/", communities.CommunityCreate.as_view(), name="community_create"),
    path("communities/<int:pk>/", communities.CommunityDetail.as_view(), name="community_detail"),
    path("communities/<int:pk>/edit/", communities.CommunityUpdate.as_view(), name="community_update"),
    path("communities/<int:pk>/delete/", communities.CommunityDelete.as_view(), name="community_delete"),
    path("communities/<int:community_pk>/members/new/", communities.CommunityMemberCreate.as_view(),
         name="community_member_create"),
    path("communities/members/<int:pk>/edit/", communities.CommunityMemberUpdate.as_view(),
         name="community_member_update"),
    path("communities/members/<int:pk>/delete/", communities.CommunityMemberDelete.as_view(),
         name="community_member_delete"),
    path("trainings/", development.TrainingList.as_view(), name="training_list"),
    path("trainings/new/", development.TrainingCreate.as_view(), name="training_create"),
    path("trainings/<int:pk>/edit/", development.TrainingUpdate.as_view(), name="training_update"),
    path("trainings/<int:pk>/delete/", development.TrainingDelete.as_view(), name="training_delete"),
    path("trainings/programs/", development.TrainingProgramList.as_view(), name="training_program_list"),
    path("trainings/programs/new/", development.TrainingProgramCreate.as_view(), name="training_program_create"),
    path("trainings/programs/<int:pk>/edit/", development.TrainingProgramUpdate.as_view(),
         name="training_program_update"),
    path("trainings/programs/<int:pk>/delete/", development.TrainingProgramDelete.as_view(),
         name="training_program_delete"),
    path("routes/", development.RouteList.as_view(), name="route_list"),
    path("routes/new/", development.RouteCreate.as_view(), name="route_create"),
    path("routes/<int:pk>/edit/", development.RouteUpdate.as_view(), name="route_update"),
    path("routes/<int:pk>/delete/", development.RouteDelete.as_view(), name="route_delete"),
    path("mentorships/", development.MentorshipList.as_view(), name="mentorship_list"),
    path("mentorships/new/", development.MentorshipCreate.as_view(), name="mentorship_create"),
    path("mentorships/<int:pk>/edit/", development.MentorshipUpdate.as_view(), name="mentorship_update"),
    path("mentorships/<int:pk>/delete/", development.MentorshipDelete.as_view(), name="mentorship_delete"),
]

urlpatterns += io_urlpatterns
