"""Records of personal-information processing (PIPL arts. 55–56), generated from the models.

Each app says in its own ``pipl.py`` what personal data its models hold: ``DECLARATIONS``
(per model, groups of fields with category, purpose, legal basis, retention and the roles
that can access them) and ``NON_PERSONAL`` (models that hold none, with the reason). This
module finds those modules through the app registry (core imports no app), builds the
records from the models' own metadata (field names, verbose names, tables, change history)
and reports every model or field that no declaration covers, so a field added later
without a declaration shows up on the page and fails the tests.

This module also declares the framework's and core's own tables.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Text = str | Promise
PROJECT_PACKAGE = "safetynet."


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity")
    ID_DOCUMENT = "id_document", _("Identity document number")
    CONTACT = "contact", _("Contact and residence")
    FAMILY = "family", _("Family and social circumstances")
    FINANCES = "finances", _("Income, assets and expenses")
    FINANCIAL_ACCOUNT = "account", _("Financial account")
    HEALTH = "health", _("Health and disability")
    ASSISTANCE = "assistance", _("Social-assistance status (specific identity)")
    MINORS = "minors", _("Personal information of children under 14")
    EXTRACT = "extract", _("Registry extract (several of the categories above)")
    STAFF = "staff", _("Staff identity and duties")
    CREDENTIALS = "credentials", _("Authentication credentials")
    ACTIVITY = "activity", _("Activity and security logs")


# Sensitive personal information: PIPL art. 28 (medical health, financial accounts, specific
# identity, minors under 14) and GB/T 35273-2020 annex B (ID numbers, property information,
# authentication credentials). Processing it needs a specific purpose and strict protection.
SENSITIVE = frozenset({
    Category.ID_DOCUMENT, Category.FINANCES, Category.FINANCIAL_ACCOUNT, Category.HEALTH,
    Category.ASSISTANCE, Category.MINORS, Category.EXTRACT, Category.CREDENTIALS,
})

READ = _("read")
EDIT = _("edit")
FULL_VALUE = _("full number, on request with a reason (audited)")
SYSTEM_ONLY = _("no role: used only by the system and server operators")

STATUTORY_DUTY_SECURITY = _(
    "PIPL art. 13(1)3, necessary to fulfil a statutory duty: Cybersecurity Law art. 21 "
    "(security measures, network logs kept at least six months) and the level-3 "
    "requirements of the classified protection scheme (GB/T 22239-2019)")


@dataclass(frozen=True)
class Access:
    kind: Text
    roles: frozenset[Any]


@dataclass(frozen=True)
class Group:
    """Fields of one model that hold one kind of personal data, for one purpose.

    ``fields=()`` means every declared field of the model, for groups about a subset of the
    records (``applies_to``), such as the records of children under 14.
    """

    title: Text
    fields: tuple[str, ...]
    category: Category
    purpose: Text
    basis: Text
    retention: Text
    access: tuple[Access, ...] = ()
    applies_to: Text = ""


@dataclass(frozen=True)
class Declaration:
    model: str  # "app_label.ModelName"
    subjects: Text  # whose personal data this is
    groups: tuple[Group, ...]
    not_personal: tuple[str, ...] = ()  # fields that hold no personal data


@dataclass(frozen=True)
class FieldInfo:
    name: str
    label: str


@dataclass(frozen=True)
class Record:
    """One line of the processing records: one group of one model."""

    app: str
    model: str
    table: str
    subjects: str
    title: str
    fields: tuple[FieldInfo, ...]
    category: str
    sensitive: bool
    purpose: str
    basis: str
    retention: str
    access: tuple[tuple[str, tuple[str, ...]], ...]
    applies_to: str
    history_table: str

    @property
    def field_labels(self) -> str:
        return ", ".join(f.label for f in self.fields)


UNDECLARED, INVALID = "undeclared", "invalid"
MODEL_UNDECLARED = _("model not declared: say what personal data it holds, or that it holds none")


@dataclass(frozen=True)
class Problem:
    model: str
    field: str
    message: Text
    kind: str = INVALID  # UNDECLARED: data no declaration covers


@dataclass
class Catalogue:
    declarations: list[Declaration] = field(default_factory=list)
    non_personal: dict[str, Text] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # model label -> declaring module


# --- finding the declarations -------------------------------------------------------------


def pipl_modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "pipl"):
            yield importlib.import_module(f"{config.name}.pipl")


def catalogue(modules: Iterable[ModuleType] | None = None) -> tuple[Catalogue, list[Problem]]:
    """Every app's declarations, and what is declared twice."""
    found, problems = Catalogue(), []
    for module in pipl_modules() if modules is None else modules:
        for declaration in getattr(module, "DECLARATIONS", ()):
            problems += _add_source(found, declaration.model, module.__name__)
            found.declarations.append(declaration)
        for label, reason in getattr(module, "NON_PERSONAL", {}).items():
            problems += _add_source(found, label, module.__name__)
            found.non_personal[label.lower()] = reason
    return found, problems


def _add_source(found: Catalogue, label: str, module: str) -> list[Problem]:
    key = label.lower()
    previous = found.sources.setdefault(key, module)
    if previous != module or key in found.non_personal or _declared(found, key):
        return [Problem(label, "", format_lazy(_("declared more than once ({a}, {b})"),
                                               a=previous, b=module))]
    return []


def _declared(found: Catalogue, key: str) -> bool:
    return any(d.model.lower() == key for d in found.declarations)


# --- from the models ------------------------------------------------------------------------


def candidate_fields(model: type[models.Model]) -> list[Any]:
    """Every field that stores a value: all but automatic ids and links."""
    meta = model._meta
    return [f for f in [*meta.concrete_fields, *meta.many_to_many] if not f.auto_created]


def history_of(model: type[models.Model]) -> type[models.Model] | None:
    """The django-simple-history table that keeps earlier values of ``model``."""
    for candidate in apps.get_models():
        if getattr(candidate, "instance_type", None) is model:
            return candidate
    return None


def is_history(model: type[models.Model]) -> bool:
    """History tables repeat their model's fields and are covered by its declaration."""
    instance_type = getattr(model, "instance_type", None)
    return instance_type is not None and instance_type is not model


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def problems(found: Catalogue) -> list[Problem]:
    """Unknown models and fields, undeclared models and undeclared fields."""
    result: list[Problem] = []
    for declaration in found.declarations:
        result += _declaration_problems(declaration)
    for label in found.non_personal:
        if _model(label) is None:
            result.append(Problem(label, "", _("declared as non-personal, but no such model")))
    for model in apps.get_models():
        if not is_history(model) and _label(model) not in found.sources:
            result.append(Problem(model._meta.label, "", MODEL_UNDECLARED, UNDECLARED))
    return result


def _declaration_problems(declaration: Declaration) -> list[Problem]:
    model = _model(declaration.model)
    if model is None:
        return [Problem(declaration.model, "", _("no such model"))]
    named = {name for group in declaration.groups for name in group.fields}
    known = {f.name for f in candidate_fields(model)}
    result = [Problem(declaration.model, name, _("no such field"))
              for name in sorted((named | set(declaration.not_personal)) - known)]
    result += [Problem(declaration.model, name, _("declared both personal and non-personal"))
               for name in sorted(named & set(declaration.not_personal))]
    result += [Problem(declaration.model, name, _("field not declared: put it in a group, or "
                                                   "in not_personal"), UNDECLARED)
               for name in sorted(known - named - set(declaration.not_personal))]
    return result


def undeclared_fields(found: Catalogue | None = None) -> list[Problem]:
    found = found or catalogue()[0]
    return [p for p in problems(found) if p.kind == UNDECLARED]


# --- the records ----------------------------------------------------------------------------


def role_labels(roles: Iterable[Any]) -> tuple[str, ...]:
    """Role names in the order the role enumeration declares them."""
    def position(role: Any) -> tuple[int, str]:
        order = list(type(role)) if isinstance(role, enum.Enum) else []
        return (order.index(role) if role in order else len(order), str(role))

    return tuple(str(getattr(role, "label", role)) for role in sorted(roles, key=position))


def shown(verbose_name: Any) -> str:
    """A model's or field's name in the reader's language. Names Django derives from the
    attribute (``created_by`` -> "created by") and the framework's own names are looked
    up in our catalogue by their English text."""
    text = str(capfirst(verbose_name))
    return gettext(text)


def _fields(model: type[models.Model], declaration: Declaration,
            group: Group) -> tuple[FieldInfo, ...]:
    names = group.fields or tuple(
        name for g in declaration.groups for name in g.fields if g.fields)
    result = []
    for name in dict.fromkeys(names):
        try:
            model_field: Any = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        result.append(FieldInfo(name, shown(model_field.verbose_name)))
    return tuple(result)


def _record(model: type[models.Model], declaration: Declaration, group: Group) -> Record:
    history = history_of(model)
    access = tuple((str(a.kind), role_labels(a.roles)) for a in group.access if a.roles)
    return Record(
        app=shown(apps.get_app_config(model._meta.app_label).verbose_name),
        model=shown(model._meta.verbose_name), table=model._meta.db_table,
        subjects=str(declaration.subjects), title=str(group.title),
        fields=_fields(model, declaration, group), category=str(group.category.label),
        sensitive=group.category in SENSITIVE, purpose=str(group.purpose),
        basis=str(group.basis), retention=str(group.retention),
        access=access or ((str(SYSTEM_ONLY), ()),), applies_to=str(group.applies_to),
        history_table=history._meta.db_table if history is not None else "")


def _app_rank(model: type[models.Model]) -> tuple[int, int]:
    """Higher apps first: the domain apps' data about citizens, then accounts and core (staff
    and security), then the framework's tables."""
    configs = list(apps.get_app_configs())
    config = apps.get_app_config(model._meta.app_label)
    own = config.name.startswith(PROJECT_PACKAGE)
    return (0 if own else 1, -configs.index(config) if own else configs.index(config))


def records(found: Catalogue | None = None) -> list[Record]:
    """The processing records, in the current language."""
    found = found or catalogue()[0]
    declared = [(m, d) for d in found.declarations if (m := _model(d.model)) is not None]
    declared.sort(key=lambda pair: _app_rank(pair[0]))
    return [_record(model, declaration, group)
            for model, declaration in declared for group in declaration.groups]


def non_personal_models(found: Catalogue | None = None) -> list[tuple[str, str, str]]:
    """(table, model name, why it holds no personal data)."""
    found = found or catalogue()[0]
    result = []
    for label, reason in sorted(found.non_personal.items()):
        model = _model(label)
        if model is not None:
            result.append((model._meta.db_table, shown(model._meta.verbose_name),
                           str(reason)))
    return result


# --- core's and the framework's own tables --------------------------------------------------

NON_PERSONAL: dict[str, Text] = {
    "core.Area": _("Administrative divisions: codes and names of places"),
    "core.AuditHead": _("The hash of the newest audit event"),
    "core.WorkerHeartbeat": _("When each background worker process last reported alive"),
    "contenttypes.ContentType": _("Names of the system's data types"),
    "auth.Permission": _("Names of permissions"),
}

DECLARATIONS = [
    Declaration(
        model="django_tasks_database.DBTaskResult",
        subjects=_("Staff who start background tasks; persons named in a task's data"),
        groups=(
            Group(
                title=_("Background task arguments, results and errors"),
                fields=("args_kwargs", "return_value", "traceback"),
                category=Category.ACTIVITY,
                purpose=_("Run long work (imports, whole-registry rules) outside web "
                          "requests and show its progress"),
                basis=_("As for the records the task works on"),
                retention=_("Until removed with `safetynet prune_db_task_results`"),
            ),
        ),
        not_personal=("id", "status", "enqueued_at", "started_at", "finished_at",
                      "priority", "task_path", "worker_ids", "queue_name", "backend_name",
                      "run_after", "exception_class_path"),
    ),
]
