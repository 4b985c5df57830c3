"""What the dashboard's sections read in common: the scope and period, the moment,
the agency's settings, and the scope's placements (those of the period, as new or
repeat business and from a referral, feed two sections).

Every figure is an aggregate or an annotation, so the page runs the same number of
queries whatever the agency's size; the lists behind the figures (the drill-downs)
use the very same conditions, so a list always holds as many rows as the number
that links to it. A placement is from a repeat client when the same client had an
earlier live placement in the scope; from a referral when its candidate or its
client was referred. Fees count placements in the agency's currency.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import AgencySettings
from placements.models import Placement

from .cells import Links
from .drilldowns import Drilldown
from .selectors import Period, Scope

TOP = 20  # rows in the dashboard's lists; the drill-downs hold them all
FROM_REFERRAL = (
    Q(candidate__referred_by_candidate__isnull=False)
    | Q(candidate__referred_by_contact__isnull=False)
    | Q(client__referred_by_candidate__isnull=False)
    | Q(client__referred_by_contact__isnull=False)
)


class Figures:
    """The inputs of one scope and period, each read once, when first asked for."""

    def __init__(self, *, scope: Scope, period: Period, now: datetime | None = None):
        self.scope = scope
        self.period = period
        self.now = now or timezone.now()
        self.today = period.end

    @cached_property
    def links(self) -> Links:
        return Links(self.scope, self.period)

    @cached_property
    def settings(self) -> AgencySettings:
        return AgencySettings.load()

    @property
    def currency(self) -> str:
        return self.settings.default_currency

    def placements(self) -> QuerySet[Placement]:
        """The scope's live placements (its recruiters')."""
        return Placement.objects.live().filter(self.scope.q("recruiter"))

    def _earlier(self, field_name: str) -> Exists:
        """An earlier live placement in the scope with the same client/candidate."""
        return Exists(
            self.placements().filter(
                Q(start_date__lt=OuterRef("start_date"))
                | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk")),
                **{field_name: OuterRef(field_name)},
            )
        )

    def period_placements(self) -> QuerySet[Placement]:
        return (
            self.placements()
            .filter(self.period.on("start_date"))
            .annotate(
                repeat_client=self._earlier("client"),
                repeat_candidate=self._earlier("candidate"),
                from_referral=ExpressionWrapper(
                    FROM_REFERRAL, output_field=BooleanField()
                ),
            )
        )

    @cached_property
    def period_business(self) -> dict:
        """The period's placements: new against repeat clients, from referrals."""
        mine = Q(currency=self.currency)
        zero = Value(Decimal("0"))
        fees = DecimalField(max_digits=14, decimal_places=2)

        def fee(condition: Q):
            return Coalesce(
                Sum("fee", filter=condition & mine), zero, output_field=fees
            )

        new, repeat = Q(repeat_client=False), Q(repeat_client=True)
        referral = Q(from_referral=True)
        return self.period_placements().aggregate(
            total=Count("pk"),
            fees=fee(Q()),
            new=Count("pk", filter=new),
            new_fees=fee(new),
            repeat=Count("pk", filter=repeat),
            repeat_fees=fee(repeat),
            referral=Count("pk", filter=referral),
            referral_fees=fee(referral),
            candidates_again=Count(
                "candidate", distinct=True, filter=Q(repeat_candidate=True)
            ),
            other_currency=Count("pk", filter=~mine),
        )

    def period_placement_list(self, condition: Q) -> QuerySet[Placement]:
        """The period's placements behind one of the figures above, newest first."""
        return (
            self.period_placements()
            .filter(condition)
            .select_related("candidate", "client", "recruiter")
            .order_by("-start_date", "-pk")
        )


class Section:
    """One section of the dashboard: its figures over the shared inputs `f`, the
    tables that show them and the lists behind them."""

    # The lists behind the section's figures: measure -> kind of record listed.
    MEASURES: dict[str, str] = {}

    def __init__(self, f: Figures) -> None:
        self.f = f

    def drilldown(self, measure: str) -> Drilldown:
        raise NotImplementedError


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
