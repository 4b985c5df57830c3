"""`{% two_factor_summary user as tf %}`: whether `user` signs in with a second
factor, for pages of the apps above (the profile)."""

from __future__ import annotations

from django import template

from accounts.selectors import TwoFactorSummary
from accounts.selectors import two_factor_summary as summary_of

register = template.Library()


@register.simple_tag
def two_factor_summary(user) -> TwoFactorSummary:
    return summary_of(user)
