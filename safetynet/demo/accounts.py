"""Demo logins: one per role, all with the same password, created only in demo mode."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext as _

from safetynet.accounts.models import User
from safetynet.accounts.roles import Department, Role
from safetynet.core.models import Area

DEMO_PASSWORD = "SafetyNet-2022"
COUNTY, TOWNSHIP, VILLAGE = "county", "township", "village"

# username, role, which area it is assigned, display name
DEMO_USERS: list[tuple[str, Role, str, str]] = [
    ("clerk", Role.CLERK, TOWNSHIP, "王芳"),
    ("officer", Role.OFFICER, TOWNSHIP, "李强"),
    ("eldercare", Role.OFFICER, COUNTY, "高静"),
    ("approver", Role.APPROVER, COUNTY, "张敏"),
    ("finance", Role.FINANCE, COUNTY, "刘洋"),
    ("village", Role.VILLAGE, VILLAGE, "陈刚"),
    ("childdir", Role.CHILD_DIRECTOR, VILLAGE, "赵丽"),
    ("childsup", Role.CHILD_SUPERVISOR, TOWNSHIP, "孙丽娟"),
    ("provider", Role.PROVIDER, COUNTY, "孙伟"),
    ("yibao", Role.PARTNER, COUNTY, "陈静"),
    ("hotline", Role.PARTNER, COUNTY, "周敏"),
    ("leader", Role.LEADER, COUNTY, "周华"),
    ("sysadmin", Role.SYSADMIN, COUNTY, "吴军"),
    ("secadmin", Role.SECADMIN, COUNTY, "郑磊"),
    ("auditadmin", Role.AUDITADMIN, COUNTY, "冯静"),
]


# Partner handlers: the health insurance bureau answers referrals; the 12345 hotline opens
# minors' cases.
DEMO_DEPARTMENTS = {"yibao": Department.HEALTH_INSURANCE, "hotline": Department.HOTLINE}


def demo_areas(county_code: str) -> dict[str, Area]:
    """The county, its first township and that township's first village."""
    county = Area.objects.get(code=county_code)
    township = Area.objects.filter(parent=county).order_by("code").first()
    village = Area.objects.filter(parent=township, code__gte=f"{township.code}200").order_by(
        "code").first() if township else None
    if township is None or village is None:
        raise ImproperlyConfigured("the demo county has no township or village yet")
    return {COUNTY: county, TOWNSHIP: township, VILLAGE: village}


def create_demo_accounts(county_code: str) -> list[User]:
    if not settings.DEMO_MODE and settings.SAFETYNET_ENV != "test":
        raise ImproperlyConfigured("demo accounts exist only in demo mode (SAFETYNET_ENV=demo)")
    areas = demo_areas(county_code)
    users = []
    for username, role, scope, display in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username)
        user.role, user.display_name = role, display
        user.department = DEMO_DEPARTMENTS.get(username, "")
        user.must_change_password = False  # demo convenience; real accounts must change it
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.areas.set([areas[scope]])
        users.append(user)
    return users


SCOPE_NAMES = {COUNTY: "the county 东海县 (320722)",
               TOWNSHIP: "the first township 牛山街道 (320722001)",
               VILLAGE: "the first village of 牛山街道 (320722001200)"}
LOGINS_START, LOGINS_END = "<!-- demo logins: start -->", "<!-- demo logins: end -->"


def demo_logins_markdown() -> str:
    """The login table of docs/demo.md, from DEMO_USERS (tests/demo checks the file)."""
    rows = ["| login | role | name | assigned area |", "|---|---|---|---|"]
    for username, role, scope, display in DEMO_USERS:
        with translation.override("zh-hans"):
            chinese = str(role.label)
        with translation.override("en"):
            english = str(role.label)
        department = DEMO_DEPARTMENTS.get(username)
        if department is not None:
            with translation.override("zh-hans"):
                english += f", {department.name.lower().replace('_', ' ')} ({department.label})"
        rows.append(f"| `{username}` | {english} · {chinese} | {display} | {SCOPE_NAMES[scope]} |")
    return "\n".join([LOGINS_START, *rows, LOGINS_END])


def describe_demo_logins() -> str:
    lines = [_("Demo logins (password %(p)s):") % {"p": DEMO_PASSWORD}]
    for username, role, _scope, display in DEMO_USERS:
        lines.append(f"  {username:<11} {role.label} · {display}")
    lines.append(_("approver, finance and the administrators need a one-time code: "
                   "make otp USER=approver"))
    return "\n".join(str(line) for line in lines)
