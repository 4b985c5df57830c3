"""Follow-up plans and their rules, edited by managers."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.rules import can_edit_plans, can_make_plan_default

from .. import plan_services
from ..forms import PlanForm, PreviewForm, RuleForm
from ..models import FollowUpPlan, PlanRule
from ..selectors import plan_preview


def _require_plan_editor(user):
    if not can_edit_plans(user):
        raise Http404("Only managers edit follow-up plans.")


def plan_list(request):
    _require_plan_editor(request.user)
    plans = FollowUpPlan.objects.all().prefetch_related("rules")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = plan_services.plan_create(by=request.user, **form.cleaned_data)
        messages.success(request, f"Plan “{plan}” created. Add its rules.")
        return redirect(plan.get_absolute_url())
    return render(request, "followups/plan_list.html", {"plans": plans, "form": form})


def plan_detail(request, pk: int):
    _require_plan_editor(request.user)
    plan = get_object_or_404(FollowUpPlan, pk=pk)
    rule_form = RuleForm(request.POST or None, prefix="rule")
    if request.method == "POST" and rule_form.is_valid():
        plan_services.rule_add(plan=plan, by=request.user, **rule_form.cleaned_data)
        messages.success(
            request, "Rule added. Existing placements get it within the hour."
        )
        return redirect(plan.get_absolute_url())
    today = request.user.local_today()
    preview_form = PreviewForm(
        request.GET if "start_date" in request.GET else None,
        initial={"start_date": today, "end_date": today + timedelta(days=180)},
    )
    sample = (
        preview_form.cleaned_data
        if preview_form.is_bound and preview_form.is_valid()
        else {
            "start_date": today,
            "end_date": today + timedelta(days=180),
            "guarantee_days": 90,
        }
    )
    return render(
        request,
        "followups/plan_detail.html",
        {
            "plan": plan,
            "rules": plan.rules.all(),
            "rule_form": rule_form,
            "preview_form": preview_form,
            "preview": plan_preview(plan=plan, **sample),
            "sample": sample,
        },
    )


def rule_edit(request, pk: int):
    _require_plan_editor(request.user)
    rule = get_object_or_404(PlanRule.objects.select_related("plan"), pk=pk)
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        plan_services.rule_update(rule=rule, by=request.user, **form.cleaned_data)
        messages.success(request, "Rule saved.")
        return redirect(rule.plan.get_absolute_url())
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": f"Edit rule of {rule.plan}",
            "submit_label": "Save rule",
            "cancel_url": rule.plan.get_absolute_url(),
        },
    )


@require_POST
def rule_delete(request, pk: int):
    _require_plan_editor(request.user)
    rule = get_object_or_404(PlanRule.objects.select_related("plan"), pk=pk)
    plan = rule.plan
    plan_services.rule_delete(rule=rule, by=request.user)
    messages.success(request, "Rule removed; its open follow-ups are cancelled.")
    return redirect(plan.get_absolute_url())


@require_POST
def rule_move(request, pk: int):
    _require_plan_editor(request.user)
    rule = get_object_or_404(PlanRule.objects.select_related("plan"), pk=pk)
    plan_services.rule_move(
        rule=rule,
        by=request.user,
        direction=-1 if request.POST.get("direction") == "up" else 1,
    )
    return redirect(rule.plan.get_absolute_url())


@require_POST
def plan_make_default(request, pk: int):
    plan = get_object_or_404(FollowUpPlan, pk=pk)
    if not can_make_plan_default(request.user):
        raise Http404("Only admins choose the default plans.")
    plan_services.plan_make_default(plan=plan, by=request.user)
    messages.success(
        request,
        f"New {plan.get_placement_type_display().lower()} placements now get “{plan}”.",
    )
    return redirect(plan.get_absolute_url())
