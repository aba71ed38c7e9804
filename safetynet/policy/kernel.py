"""The compiled loop of :mod:`safetynet.policy.fast`, derived from the programme modules.

Every eligibility rule and amount here is a call of the programme module's formula (a
function marked ``@formula`` in ``policy/programs/``, the same function the readable path
calls on arrays); parameters are read by the formulas themselves from ``t``, the row of
the parameter table of the household (its columns are the ``parameter(...)`` declarations
of the modules). This module holds only what is not a rule: the decoding of the columns,
the order of evaluation (a pass over each household's members, the household's dibao,
and a second pass for what depends on it), and where each programme's rows go.

Numba caches the compiled loop on disk keyed on this file alone: a change to a formula in
another file would not be seen. ``fast`` therefore loads this module from a copy named by
a hash of this file and the programme modules (``fast.kernel_module``), so that any change
to a rule compiles a new kernel. See docs/rules.md "How the kernel is derived".
"""

from __future__ import annotations

import numba
import numpy as np

from safetynet.policy.context import S_RURAL, S_URBAN
from safetynet.policy.programs import (
    common,
    dibao,
    disability_living,
    disability_nursing,
    home_care,
    orphan_allowance,
    tekun_basic,
    tekun_care,
)


@numba.njit(cache=True, nogil=True, inline="always")
def _u(index):  # type: ignore[no-untyped-def]
    """A non-negative index as unsigned: numba then leaves out the negative-index
    wrap-around (a sign test and the length loaded from the stack) of each array access."""
    return np.uint64(index)


@numba.njit(cache=True, nogil=True, inline="always")
def _bit(bits, offset, i):  # type: ignore[no-untyped-def]
    j = _u(offset) + i
    return (bits[j >> 3] >> (j & 7)) & 1 != 0


@numba.njit(cache=True, nogil=True, inline="always")
def _put(out_h, out_p, out_a, o, h_value, p_value, amount):  # type: ignore[no-untyped-def]
    """Write row (household, person, amount) at o; the next row goes to o + 1 only when
    amount > 0 (a row not paid is overwritten: only the pages of rows paid are touched)."""
    out_h[_u(o)] = h_value
    out_p[_u(o)] = p_value
    out_a[_u(o)] = amount
    return o + np.int64(amount > 0)


@numba.njit(cache=True, nogil=True, inline="always")
def _put_rare(out_h, out_p, out_a, o, h_value, p_value, amount):  # type: ignore[no-untyped-def]
    """``_put`` for a programme few persons receive: a branch, rarely taken, rather than
    three stores for every person."""
    if amount > 0:
        out_h[_u(o)] = h_value
        out_p[_u(o)] = p_value
        out_a[_u(o)] = amount
        return o + 1
    return o


@numba.njit(cache=True, nogil=True, _nrt=False)  # type: ignore[call-overload]  # numba option
def chunk(  # type: ignore[no-untyped-def]  # noqa: PLR0913, PLR0915
    h0,
    h1,
    p0,
    p1,
    out_h,
    out_p,
    out_a,
    ends,
    key,
    order,
    grouped,
    hid,
    pid,
    days,
    age_start,
    ages,
    income,
    income_scale,
    dis_raw,
    dis_lookup,
    grade,
    ability,
    care_raw,
    care_lookup,
    orphan_raw,
    orphan_lookup,
    serious,
    serious_off,
    no_supporter,
    no_supporter_off,
    institution,
    institution_off,
    student,
    student_off,
    hukou_raw,
    urban_lookup,
    assets,
    assets_scale,
    vehicles,
    houses,
    table,
    group,
    elderly,
    state,
):
    """Households h0..h1-1, whose members are persons p0..p1-1 (positions k; person
    ``order[k]``, or k itself when ``grouped``), into their own part of the output
    buffers (see fast._kernel): each row is (``hid`` of the household, ``pid`` of the
    person, or ``hid`` again on a household's dibao row, amount), ids or indexes as the
    caller passes them. A household's members are the run of positions whose ``key`` is
    its ``hid``. Returns False, possibly before the end, when that does not hold for
    every position (the ids not strictly increasing, or a person out of the households'
    order): the caller then groups the persons itself.

    First pass over each household's members: orphan allowance, tekun (basic, care) and
    nursing for their candidates only, the elderly allowance, the members counted for
    dibao with their income. Then the household's dibao, and a second pass over the
    members for what depends on it: single-person dibao and the disability living
    allowance (for their candidates), home care. ``state`` (one value per position) holds
    (age + 1) << 2 | counted << 1 | tekun of each member from the first pass to the second.

    Compiled without numba's reference counting (``_nrt=False``; the loop allocates
    nothing): with it, every array handed to an inlined helper inside a branch was
    incref'd and decref'd (two atomic operations) per person, which made the gated loop
    2.8x slower (158 against 57 ms for 2.55 M persons, measured)."""
    n_h = len(hukou_raw)
    m = len(days)
    uniform = len(group) == 1 and n_h != 1
    n_table = len(ages)
    o0 = np.int64(h0)
    base = n_h + p0
    o1, o2, o3, o4 = base, base + m, base + 2 * m, base + 3 * m
    o5, o6, o7, o8 = base + 4 * m, base + 5 * m, base + 6 * m, base + 7 * m
    increasing = True
    last = p0
    for h in range(h0, h1):
        hu = _u(h)  # unsigned, as _u: no wrap-around code for the household's columns
        hv = hid[hu]
        increasing &= h == 0 or hv > hid[hu - np.uint64(1)]
        # The household's members: the run of persons from here whose key is its id.
        first = last
        while last < p1 and key[_u(last)] == hv:
            last += 1
        if last < p1 and key[_u(last)] < hv:
            return False  # a person out of the households' order: not grouped
        g = _u(0 if uniform else group[hu])
        t = table[g]
        s = t[S_URBAN] if urban_lookup[hukou_raw[hu]] else t[S_RURAL]
        h_assets = assets[hu] * assets_scale
        assets_all = common.assets_within_limits_rule(
            h_assets, vehicles[hu], houses[hu], last - first, s, t
        )
        n = np.int64(0)
        inc = np.int64(0)
        for k in range(first, last):
            i = _u(k if grouped else order[k])
            index = days[i] - age_start
            a = np.int64(-1)
            if index < n_table:
                a = np.int64(ages[_u(max(index, 0))])
            d = np.int64(dis_lookup[dis_raw[i]])
            gr = np.int64(grade[i])
            own = income[i] * income_scale
            pv = pid[i]
            orphan_code = orphan_lookup[orphan_raw[i]]
            no_supporter_i = _bit(no_supporter, no_supporter_off, i)
            tekun = False
            # The rare programmes (orphan, tekun and its care, nursing) only for their
            # candidates, one person in nine: each formula is False for a non-candidate.
            if (
                orphan_allowance.candidate_rule(orphan_code)
                | tekun_basic.candidate_rule(no_supporter_i)
                | disability_nursing.candidate_rule(d)
            ):
                is_orphan = orphan_allowance.eligible_rule(
                    a, orphan_code, _bit(student, student_off, i), t
                )
                orphan = orphan_allowance.amount_rule(is_orphan, t)
                o6 = _put_rare(out_h, out_p, out_a, o6, hv, pv, orphan)
                tekun = tekun_basic.eligible_rule(
                    a, d, gr, own, no_supporter_i, is_orphan, assets_all, s, t
                )
                basic = tekun_basic.amount_rule(tekun, s, t)
                o2 = _put_rare(out_h, out_p, out_a, o2, hv, pv, basic)
                level = min(max(np.int64(care_lookup[care_raw[i]]), 0), 2)
                care = tekun_care.amount_rule(tekun, level, t)
                o3 = _put_rare(out_h, out_p, out_a, o3, hv, pv, care)
                in_institution = _bit(institution, institution_off, i)
                nursing = disability_nursing.amount_rule(d, gr, tekun, in_institution, t)
                o5 = _put_rare(out_h, out_p, out_a, o5, hv, pv, nursing)
            o7 = _put(out_h, out_p, out_a, o7, hv, pv, elderly[g, _u(a + 1)])
            counted = dibao.counted_rule(a, tekun)
            state[_u(k)] = np.int16(
                np.int16(tekun) | (np.int16(counted) << 1) | np.int16((a + 1) << 2)
            )
            n += np.int64(counted)
            inc += own if counted else 0
        assets_ok = common.assets_within_limits_rule(h_assets, vehicles[hu], houses[hu], n, s, t)
        eligible, amount = dibao.household_rule(n, inc, assets_ok, s)
        o0 = _put_rare(out_h, out_p, out_a, o0, hv, hv, amount)
        single_ok = dibao.single_household_rule(n, inc, assets_ok, s, t)
        # Second pass: the rows that depend on the household's dibao (single-person
        # dibao and the living allowance for their candidates only, home care).
        for k in range(first, last):
            i = _u(k if grouped else order[k])
            st = state[_u(k)]
            a = np.int64(st >> 2) - 1
            counted, tekun = (st & 2) != 0, (st & 1) != 0
            pv = pid[i]
            d = np.int64(dis_lookup[dis_raw[i]])
            serious_i = _bit(serious, serious_off, i)
            enrolled = False
            if dibao.single_candidate_rule(single_ok, d, serious_i):
                enrolled, single = dibao.single_rule(
                    counted,
                    single_ok,
                    d,
                    np.int64(grade[i]),
                    serious_i,
                    income[i] * income_scale,
                    s,
                )
                o1 = _put_rare(out_h, out_p, out_a, o1, hv, pv, single)
            if disability_living.candidate_rule(d):
                living = disability_living.amount_rule(
                    d, np.int64(grade[i]), counted, eligible, enrolled, tekun, t
                )
                o4 = _put_rare(out_h, out_p, out_a, o4, hv, pv, living)
            everyone = home_care.everyone_rule(a, t)
            supported = home_care.supported_rule(
                a, np.int64(ability[i]), tekun, eligible | enrolled, t
            )
            o8 = _put(
                out_h, out_p, out_a, o8, hv, pv, home_care.amount_rule(everyone, supported, t)
            )
    ends[0], ends[1], ends[2], ends[3], ends[4] = o0, o1, o2, o3, o4
    ends[5], ends[6], ends[7], ends[8] = o5, o6, o7, o8
    return increasing and last == p1
