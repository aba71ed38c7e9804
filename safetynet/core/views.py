"""Home page: the work list of the logged-in user's role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safetynet.core.worklist import work_list_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"work": work_list_for(request.user)})
