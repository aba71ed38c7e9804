"""The hotline case page as the hotline and the child director read it: the history says
what each step did in the reader's language (not the stored key), and the child is
labelled as a child (儿童), not as a household relation (子女)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from safetynet.children.models import CaseStep
from safetynet.children.services import hotline as child_hotline
from safetynet.core.actor import Actor
from tests.children.test_hotline import CASE
from tests.conftest import client_for


def test_history_shows_translated_step_labels(hotline, director) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    case = child_hotline.refer_case(Actor.of(director), case, "education", "请教育局核查")
    child_hotline.close_case(Actor.of(director), case, "学校已安排寄宿")
    html = client_for(director).get(reverse("children:case", args=[case.pk]),
                                    HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    history = html[html.index('class="history"'):]
    for label in ("办理中（责任人）", "已派单至部门", "已办结"):
        assert label in history
    for key in ("· open", "· refer", "· close"):
        assert key not in history


def test_step_label_follows_the_language(hotline, director) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    step = CaseStep.objects.get(case=case, action="open")
    with translation.override("en"):
        assert step.label == "Open, with the responsible person"
    with translation.override("zh-hans"):
        assert step.label == "办理中（责任人）"
    assert CaseStep(action="unknown").label == "unknown"  # never hides what was stored


def test_child_is_labelled_as_a_child(hotline, director) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    client = client_for(director)
    for url in (reverse("children:case", args=[case.pk]), reverse("children:cases")):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "儿童" in html and "子女" not in html, url
