from django.urls import path

from .urls_io import urlpatterns as io_urlpatterns
from .views import clusters, communities, organisations, teachers

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
]

urlpatterns += io_urlpatterns
