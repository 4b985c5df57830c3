"""Base models and model helpers every app may use (the lowest layer)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def constrained_field(constraint: models.BaseConstraint) -> str | None:
    """The one field a unique constraint on an expression is about (`name` in
    `UniqueConstraint(Lower("name"))`), or None."""
    if not isinstance(constraint, models.UniqueConstraint) or constraint.fields:
        return None
    names = {
        expr.name
        for expression in constraint.expressions
        for expr in expression.flatten()
        if isinstance(expr, F)
    }
    return next(iter(names)) if len(names) == 1 else None


class UniqueErrorOnFieldMixin:
    """Report a case-insensitive uniqueness error on the field it is about.

    Django reports a unique constraint on an expression such as `Lower("email")` as
    an error of the whole record, so a form would show "already exists" away from
    the email field. Such an error about one field is moved onto that field.
    """

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            by_message = {
                constraint.get_violation_error_message(): field
                for constraint in self._meta.constraints
                if (field := constrained_field(constraint))
            }
            errors = dict(exc.error_dict)
            remaining = []
            for error in errors.pop(NON_FIELD_ERRORS, []):
                field = by_message.get(error.message)
                if field:
                    errors.setdefault(field, []).append(error)
                else:
                    remaining.append(error)
            if remaining:
                errors[NON_FIELD_ERRORS] = remaining
            raise ValidationError(errors) from None
