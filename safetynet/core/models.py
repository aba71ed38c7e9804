"""Shared kernel models: the area tree."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.core import areas


def validate_area_code(code: str) -> None:
    try:
        areas.level_of(code)
    except areas.AreaCodeError as exc:
        raise ValidationError(str(exc), code="invalid_area") from exc


class Area(models.Model):
    LEVELS = [(areas.COUNTY, _("County")), (areas.TOWNSHIP, _("Township")),
              (areas.VILLAGE, _("Village / community"))]

    code = models.CharField(_("division code"), max_length=12, primary_key=True,
                            validators=[validate_area_code])
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=LEVELS)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent area"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.level = areas.level_of(self.code)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def full_name(self) -> str:
        names = [self.name]
        node = self.parent
        while node is not None and node.level != areas.COUNTY:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class AuditEvent(models.Model):
    """One security-relevant event. Append-only and hash-chained (see core/audit.py).

    A database trigger refuses UPDATE, and DELETE of events younger than the retention.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True, db_index=True)
    result = models.CharField(_("result"), max_length=10, default="ok")
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.result}"


class AuditHead(models.Model):
    """The hash of the newest audit event; locking this row serialises the chain."""

    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash[:12]


class WorkerHeartbeat(models.Model):
    """The last sign of life of one background-job worker (`safetynet worker`)."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.IntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
