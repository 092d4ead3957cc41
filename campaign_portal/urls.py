from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from campaigns import views as campaign_views
from campaigns.adminscope import keep_infrastructure_to_superusers
from campaigns.forms import AdminLoginForm, LoginForm
from campaigns.planning.rules import may_use_admin

from .health import favicon, healthz

admin.site.site_header = _("Campaign Portal administration")
admin.site.site_title = _("Campaign Portal")
admin.site.index_title = _("Campaign administration")
admin.site.login_form = AdminLoginForm
# The campaign office plans its campaigns in the admin, with its role's permissions only.
admin.site.has_permission = lambda request: may_use_admin(request.user)  # type: ignore[method-assign]
# Every other admin is scoped by the office tree (campaigns/adminscope.py); the
# machinery's (sign-in attempts, periodic tasks) is the superusers' alone.
keep_infrastructure_to_superusers(admin.site)

urlpatterns = [
    path("", campaign_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon),
    path("staff/complaints/", include("complaints.staff_urls")),
    path("staff/inbox/", include("notifications.urls")),
    # /staff/dashboard/, /staff/deliverables/, /staff/ledgers/, /staff/bulletins/ ...
    path("staff/", include("oversight.staff_urls")),
    path("staff/rectification/", include("rectification.staff_urls")),
    path("staff/appraisal/", include("evaluations.staff_urls")),
    path("staff/", include("campaigns.urls")),
    path("complaints/", include("complaints.public_urls")),
    path("open311/v2/", include("complaints.open311.urls")),
    path("commitments/", include("rectification.urls")),
    path("appraisal/", include("evaluations.urls")),
    path("results/", include("oversight.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Django's language switch without the CSRF check: all a forged request could
    # do is change the visitor's language, and without a token in the switcher
    # the public pages that have no other form can be cached compressed
    # (kernel/pagecache.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
