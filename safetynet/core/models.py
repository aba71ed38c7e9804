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
