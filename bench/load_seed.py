"""Work for bench/load.py's approvers, added to a demo county (SAFETYNET_ENV=demo).

    python bench/load_seed.py --approvers 5 --applications 60

Creates approver2 … approverN (county approvers like the demo's `approver`, each with a
confirmed TOTP device: one-time codes cannot be replayed, so every approver session needs
its own account) and moves N new dibao applications of the demo village through the
single window to the county (accepted, checked, visited, reviewed, noticed, notice closed),
as the demo does for its own two. Prints one JSON object: the approvers' usernames with
their TOTP keys (hex) and the applications' ids.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from safetynet.accounts.models import User  # noqa: E402
from safetynet.demo.accounts import DEMO_PASSWORD  # noqa: E402
from safetynet.demo.applications import CHECK, REVIEW, _new_family, _visit  # noqa: E402
from safetynet.intake.models import Kind  # noqa: E402
from safetynet.intake.services import applications  # noqa: E402


def approvers(count: int) -> dict[str, str]:
    """username -> TOTP key (hex) of the demo approver and count - 1 more like it."""
    model = User.objects.get(username="approver")
    keys = {}
    for n in range(1, count + 1):
        user = model if n == 1 else User.objects.filter(username=f"approver{n}").first()
        if user is None:
            user = User(username=f"approver{n}", role=model.role, display_name=f"审批员{n}",
                        must_change_password=False)
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.areas.set(model.areas.all())
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
            TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        keys[user.username] = device.key
    return keys


def at_county(count: int, seed: int = 16) -> list[int]:
    staff = {u.username: u for u in User.objects.filter(username__in=["clerk", "officer",
                                                                       "village"])}
    clerk, officer = staff["clerk"], staff["officer"]
    village = staff["village"].areas.get()
    rng = random.Random(seed)
    long_ago = timezone.localdate() - dt.timedelta(days=30)
    ids = []
    for _ in range(count):
        with transaction.atomic():
            household = _new_family(clerk, village, rng)
            head = household.members.order_by("pk")[0]
            app = applications.create_application(clerk, kind=Kind.DIBAO, household=household,
                                                  applicant=head, reason="家庭困难，申请救助")
            for actor, action, data in [
                    (clerk, "accept", {}), (clerk, "check", CHECK),
                    (officer, "visit", _visit(long_ago)), (officer, "review", REVIEW),
                    (clerk, "post_notice", {"notice_start": long_ago,
                                            "backdate_reason": "压力测试：公示早已张贴"}),
                    (clerk, "close_notice", {})]:
                app = applications.take_action(actor, app, action, data)
            ids.append(app.pk)
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--approvers", type=int, default=1)
    parser.add_argument("--applications", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps({"approvers": approvers(args.approvers),
                      "applications": at_county(args.applications)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
