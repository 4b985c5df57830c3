"""Links in emails: done and snooze without signing in, undo, unsubscribe."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.ratelimit import Limit, by_address, by_url, rate_limited

from .. import email_actions

# Every request to a link (opening it too: guessing tokens is opening links)
# counts for its token and for the client's address, across the three views.
email_link_limits = rate_limited(
    Limit("email-link", "RATE_LIMIT_EMAIL_LINK", by_url("token")),
    Limit("email-link-address", "RATE_LIMIT_EMAIL_LINK_ADDRESS", by_address),
)


def _email_link_page(request, result, *, template="followups/email_action.html"):
    # Times on the page in the follow-up owner's zone: nobody is signed in.
    zone = result.user.tzinfo if result.user is not None else None
    with timezone.override(zone):
        response = render(request, template, {"result": result}, status=result.status)
    # A link in an email is a secret: keep it out of caches and search engines.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@email_link_limits
def email_action(request, token: str):
    """A done or snooze link from a digest. Opening it (GET, HEAD: what mail security
    scanners do too) changes nothing and asks; the page's button (POST) acts, once,
    then offers an undo."""
    if request.method == "HEAD":
        return HttpResponse(headers={"Cache-Control": "no-store"})
    if request.method == "GET":
        return _email_link_page(
            request, email_actions.email_action_preview(token=token)
        )
    return _email_link_page(request, email_actions.email_action_apply(token=token))


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@email_link_limits
def email_action_undo(request, token: str):
    if request.method == "HEAD":
        return HttpResponse(headers={"Cache-Control": "no-store"})
    if request.method == "GET":
        return _email_link_page(request, email_actions.email_undo_preview(token=token))
    return _email_link_page(request, email_actions.email_action_undo(token=token))


@login_not_required
@csrf_exempt  # RFC 8058: mail providers POST here without a session or a token
@require_http_methods(["GET", "HEAD", "POST"])
@email_link_limits
def email_unsubscribe(request, token: str):
    """GET shows a button (link scanners must not unsubscribe anyone); POST, from
    that button or from the mail client's one-click unsubscribe, turns it off."""
    target = email_actions.unsubscribe_target(token)
    if target is None:
        response = render(
            request, "followups/email_unsubscribe.html", {"invalid": True}, status=400
        )
    else:
        done = request.method == "POST"
        if done:
            email_actions.email_unsubscribe(target=target)
        response = render(
            request,
            "followups/email_unsubscribe.html",
            {"target": target, "done": done},
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
