"""The declared file layout of each department's data (one row per event).

Every source names its columns: a key, the Chinese header the department's file uses, the
English label (gettext msgid), a kind (ID number, date, money, grade, text) and whether it
is required. Headers are matched ignoring spaces, ``*`` and case; the key, the Chinese
header and the English label are all accepted. docs/discovery.md prints these layouts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

IDNUM, DATE, MONEY, GRADE, TEXT = "id", "date", "money", "grade", "text"


class SourceKind(models.TextChoices):
    MEDICAL = "medical", _("Health insurance: medical expenses")
    DISABILITY = "disability", _("Disabled persons' federation: disability certificates")
    DEATH = "death", _("Public security: deaths")
    EMPLOYMENT = "employment", _("Human resources: unemployment and social-insurance stops")
    DISASTER = "disaster", _("Emergency management: disaster damage")
    HOTLINE = "hotline", _("12345 hotline: complaints and requests")


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    label: Promise
    kind: str
    required: bool = False


@dataclass(frozen=True)
class Layout:
    source: str
    department: str  # accounts.roles.Department, for referrals back to the department
    date_column: str  # the event date
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


ID = Column("id_number", "公民身份号码", _("ID number"), IDNUM, required=True)
NAME = Column("name", "姓名", _("Name"), TEXT)

LAYOUTS: dict[str, Layout] = {
    SourceKind.MEDICAL: Layout(SourceKind.MEDICAL, "health_insurance", "settled_on", (
        ID, NAME,
        Column("settled_on", "结算日期", _("Settlement date"), DATE, required=True),
        Column("total_cost", "医疗总费用", _("Total medical cost (yuan)"), MONEY),
        Column("out_of_pocket", "个人自付金额", _("Out-of-pocket amount (yuan)"), MONEY,
               required=True),
        Column("hospital", "医疗机构", _("Hospital"), TEXT),
        Column("diagnosis", "诊断", _("Diagnosis"), TEXT),
    )),
    SourceKind.DISABILITY: Layout(SourceKind.DISABILITY, "disabled_federation", "issued_on", (
        ID, NAME,
        Column("certificate", "残疾证号", _("Certificate number"), TEXT),
        Column("category", "残疾类别", _("Disability category"), TEXT),
        Column("grade", "残疾等级", _("Disability grade (1–4)"), GRADE, required=True),
        Column("issued_on", "发证日期", _("Date issued"), DATE, required=True),
    )),
    SourceKind.DEATH: Layout(SourceKind.DEATH, "civil_affairs", "died_on", (
        ID, NAME,
        Column("died_on", "死亡日期", _("Date of death"), DATE, required=True),
        Column("cancelled_on", "注销日期", _("Registration cancelled on"), DATE),
    )),
    SourceKind.EMPLOYMENT: Layout(SourceKind.EMPLOYMENT, "human_resources", "event_on", (
        ID, NAME,
        Column("event", "事项", _("Event (unemployment / insurance stopped)"), TEXT,
               required=True),
        Column("event_on", "发生日期", _("Event date"), DATE, required=True),
        Column("employer", "原工作单位", _("Former employer"), TEXT),
    )),
    SourceKind.DISASTER: Layout(SourceKind.DISASTER, "civil_affairs", "disaster_on", (
        ID, NAME,
        Column("disaster_on", "受灾日期", _("Disaster date"), DATE, required=True),
        Column("disaster_type", "灾害种类", _("Type of disaster"), TEXT),
        Column("damage", "损失程度", _("Damage (collapsed / severe / ordinary)"), TEXT,
               required=True),
        Column("loss", "直接经济损失", _("Direct economic loss (yuan)"), MONEY),
    )),
    SourceKind.HOTLINE: Layout(SourceKind.HOTLINE, "hotline", "received_on", (
        ID, NAME,
        Column("ticket", "工单编号", _("Ticket number"), TEXT, required=True),
        Column("received_on", "受理日期", _("Date received"), DATE, required=True),
        Column("summary", "诉求内容", _("What the caller asks"), TEXT, required=True),
    )),
}

# Coded text values the rules read: Chinese or English, normalised to a code.
DAMAGE = {"倒塌": "collapsed", "房屋倒塌": "collapsed", "全部倒塌": "collapsed",
          "collapsed": "collapsed", "严重损坏": "severe", "severe": "severe",
          "一般损坏": "ordinary", "ordinary": "ordinary", "农作物受灾": "crops",
          "crops": "crops"}
EMPLOYMENT_EVENTS = {"失业登记": "unemployed", "失业": "unemployed",
                     "unemployed": "unemployed", "unemployment": "unemployed",
                     "停保": "insurance_stopped", "断保": "insurance_stopped",
                     "社保停缴": "insurance_stopped", "insurance_stopped": "insurance_stopped"}
CODED = {(SourceKind.DISASTER.value, "damage"): DAMAGE,
         (SourceKind.EMPLOYMENT.value, "event"): EMPLOYMENT_EVENTS}


def layout(source: str) -> Layout:
    try:
        return LAYOUTS[source]
    except KeyError as exc:
        raise ValueError(f"unknown source {source!r}") from exc
