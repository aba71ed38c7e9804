"""Coded values of the registry, with their Chinese and English labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Hukou(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER = "other", _("Other")


class DisabilityCategory(models.TextChoices):
    VISUAL = "visual", _("Visual")
    HEARING = "hearing", _("Hearing")
    SPEECH = "speech", _("Speech")
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    MULTIPLE = "multiple", _("Multiple")


class DisabilityGrade(models.IntegerChoices):
    GRADE_1 = 1, _("Grade 1")
    GRADE_2 = 2, _("Grade 2")
    GRADE_3 = 3, _("Grade 3")
    GRADE_4 = 4, _("Grade 4")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Never married")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRESCHOOL = "preschool", _("Pre-school")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior middle school")
    SENIOR = "senior", _("Senior middle / vocational school")
    COLLEGE = "college", _("College or above")


class Employment(models.TextChoices):
    FARMING = "farming", _("Farming")
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    MIGRANT = "migrant", _("Migrant worker")
    UNEMPLOYED = "unemployed", _("Unemployed")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    UNABLE = "unable", _("Unable to work")
    CHILD = "child", _("Pre-school child")


class SelfCare(models.TextChoices):
    FULL = "full", _("Manages all six daily activities")
    PARTIAL = "partial", _("Cannot manage 1–3 daily activities")
    NONE = "none", _("Cannot manage 4 or more daily activities")


class OrphanStatus(models.TextChoices):
    ORPHAN = "orphan", _("Orphan")
    NO_DE_FACTO_CARER = "no_de_facto_carer", _("Child without a de facto carer")


class NotCounted(models.TextChoices):
    CLERGY = "clergy", _("Clergy living apart 3+ years")
    PRISON = "prison", _("In prison or compulsory rehabilitation")
    MISSING = "missing", _("Declared missing")


class IncomeKind(models.TextChoices):
    WAGES = "wages", _("Wages")
    BUSINESS = "business", _("Business income")
    FARMING = "farming", _("Farming income")
    PROPERTY = "property", _("Property income")
    PENSION = "pension", _("Pension")
    TRANSFER = "transfer", _("Transfers and support")
    OTHER = "other", _("Other income")


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", _("Bank deposits")
    SECURITIES = "securities", _("Securities and insurance")
    CAR = "car", _("Motor vehicle")
    MOTORCYCLE = "motorcycle", _("Ordinary motorcycle")
    MOBILITY_VEHICLE = "mobility_vehicle", _("Disability mobility vehicle")
    HOUSE = "house", _("House")
    OTHER = "other", _("Other asset")


FINANCIAL_ASSETS = (AssetKind.DEPOSIT, AssetKind.SECURITIES)
# Disability mobility vehicles and ordinary motorcycles do not count as vehicles.
COUNTED_VEHICLES = (AssetKind.CAR,)


class ExpenseKind(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    EDUCATION = "education", _("Education")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    DISASTER = "disaster", _("Disaster")
