"""A searchable select for long lists of areas (the county has 371 villages): a filter box
above the select, driven by static/safetynet/picker.js (no CDN, no library). Without
JavaScript the plain select still works."""

from __future__ import annotations

from typing import Any

from django import forms
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


class SearchableSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        attrs = dict(attrs or {})
        base = attrs.get("id") or f"id_{name}"
        attrs.update({"data-filter-input": f"{base}_filter",
                      "data-filter-status": f"{base}_filter_status",
                      "data-filter-found": _("%(n)s found"),
                      "data-filter-none": _("No village or community matches")})
        select = super().render(name, value, attrs, renderer)
        return format_html(
            '<input type="search" id="{}_filter" class="picker-filter" autocomplete="off" '
            'placeholder="{}" aria-label="{}" aria-controls="{}">'
            '<small id="{}_filter_status" class="help" aria-live="polite"></small>'
            '{}<script src="{}" defer></script>',
            base, _("Type part of the name or code"), _("Filter the list"), base, base,
            select, static("safetynet/picker.js"))
