"""Referrals: candidates and clients the scope owns that were added in the period with
a referrer, the period's placements from a referral (its candidate or its client
was referred), and the top referrers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from clients.models import Candidate, Client, Contact

from ..cells import Cell, Table
from ..drilldowns import Drilldown
from ..figures import Section

TOP_REFERRERS = 10
REFERRED = Q(referred_by_candidate__isnull=False) | Q(referred_by_contact__isnull=False)


@dataclass
class Referrer:
    kind: str  # "candidate" or "contact"
    pk: int
    candidates: int = 0
    clients: int = 0
    placements: int = 0
    person: Candidate | Contact | None = None

    @property
    def referrals(self) -> int:
        return self.candidates + self.clients


def parse_referrer(value: str | None) -> tuple[str, int] | None:
    """ "candidate:12" or "contact:5" (a top referrer's lists), else None."""
    kind, _, pk = (value or "").partition(":")
    if kind in ("candidate", "contact") and pk.isdecimal():
        return kind, int(pk)
    return None


class ReferralFigures(Section):
    MEASURES = {
        "clients_referred": "clients",
        "candidates_referred": "candidates",
        "placements_referral": "placements",
    }

    def _referred(self, model) -> QuerySet:
        return model.objects.filter(
            self.f.scope.q("owner"), self.f.period.during("created_at"), REFERRED
        )

    def referred_candidates(self) -> QuerySet[Candidate]:
        return self._referred(Candidate)

    def referred_clients(self) -> QuerySet[Client]:
        return self._referred(Client)

    @cached_property
    def referrals(self) -> dict:
        """Referrals received in the period, and the top referrers: three grouped
        counts (candidates, clients, placements by referrer), then the names of the
        top ones. Python only adds up the database's counts per person."""
        people: dict[tuple[str, int], Referrer] = {}

        def referrer(kind: str, pk: int) -> Referrer:
            return people.setdefault((kind, pk), Referrer(kind=kind, pk=pk))

        totals = {"candidates": 0, "clients": 0}
        for name, queryset in (
            ("candidates", self.referred_candidates()),
            ("clients", self.referred_clients()),
        ):
            rows = (
                queryset.order_by()
                .values("referred_by_candidate", "referred_by_contact")
                .annotate(n=Count("pk"))
            )
            for row in rows:
                totals[name] += row["n"]
                person = (
                    referrer("candidate", row["referred_by_candidate"])
                    if row["referred_by_candidate"]
                    else referrer("contact", row["referred_by_contact"])
                )
                setattr(person, name, getattr(person, name) + row["n"])
        rows = (
            self.f.period_placements()
            .filter(from_referral=True)
            .order_by()
            .values(
                "candidate__referred_by_candidate",
                "candidate__referred_by_contact",
                "client__referred_by_candidate",
                "client__referred_by_contact",
            )
            .annotate(n=Count("pk"))
        )
        for row in rows:
            # A placement whose candidate and client were both referred counts for
            # both referrers (once for a person who referred both).
            credited = {
                (kind, row[f"{side}__referred_by_{kind}"])
                for side in ("candidate", "client")
                for kind in ("candidate", "contact")
                if row[f"{side}__referred_by_{kind}"]
            }
            for kind, pk in credited:
                referrer(kind, pk).placements += row["n"]
        top = sorted(
            people.values(),
            key=lambda r: (-r.referrals, -r.placements, r.kind, r.pk),
        )[:TOP_REFERRERS]
        names: dict[tuple[str, int], Candidate | Contact] = {}
        for kind, model in (("candidate", Candidate), ("contact", Contact)):
            ids = [r.pk for r in top if r.kind == kind]
            if ids:
                queryset = model.objects.filter(pk__in=ids)
                if model is Contact:
                    queryset = queryset.select_related("client")
                names.update({(kind, obj.pk): obj for obj in queryset})
        for row in top:
            row.person = names.get((row.kind, row.pk))
        return {**totals, "top": top}

    def drilldown(
        self, measure: str, *, referrer: tuple[str, int] | None = None
    ) -> Drilldown:
        """The records behind one figure, or (`referrer`) those one person referred."""
        if measure == "placements_referral":
            found = Drilldown(
                measure,
                "placements",
                "Placements from a referral",
                self.f.period_placement_list(Q(from_referral=True)),
            )
        else:
            kind = self.MEASURES[measure]
            found = Drilldown(
                measure,
                kind,
                f"{kind.capitalize()} referred in the period",
                self._referred(Candidate if kind == "candidates" else Client)
                .select_related("owner", "referred_by_candidate", "referred_by_contact")
                .order_by("-created_at", "pk"),
                columns=("Referred by", "Added"),
                cells=lambda c: [
                    Cell(str(c.referrer or "")),
                    Cell(c.created_at.date()),
                ],
            )
        if referrer is None:
            return found
        return _through(found, referrer)


def _through(found: Drilldown, referrer: tuple[str, int]) -> Drilldown:
    by, pk = referrer
    if found.kind == "placements":
        queryset = found.queryset.filter(
            Q(**{f"candidate__referred_by_{by}": pk})
            | Q(**{f"client__referred_by_{by}": pk})
        )
    else:
        queryset = found.queryset.filter(**{f"referred_by_{by}": pk})
    model = Candidate if by == "candidate" else Contact
    person = model.objects.filter(pk=pk).first()
    if person is None:
        raise Http404("No such referrer.")
    return replace(found, title=f"{found.title}, through {person}", queryset=queryset)


# Tables


def referrals_table(r: ReferralFigures) -> Table:
    links, currency = r.f.links, r.f.currency
    received, b = r.referrals, r.f.period_business
    return Table(
        key="referrals",
        title="Received in the period",
        columns=["Measure", "In the period"],
        rows=[
            [
                Cell("Candidates referred", header=True),
                Cell(received["candidates"], url=links.drill("candidates_referred")),
            ],
            [
                Cell("Clients referred", header=True),
                Cell(received["clients"], url=links.drill("clients_referred")),
            ],
            [
                Cell("Placements from a referral", header=True),
                Cell(b["referral"], url=links.drill("placements_referral")),
            ],
            [
                Cell(f"Fees from referral placements ({currency})", header=True),
                Cell(b["referral_fees"], url=links.drill("placements_referral")),
            ],
        ],
        note=(
            "Referred: candidates and clients the team owns, added in the period "
            "with a referrer. A placement is from a referral when its candidate or "
            "its client was referred."
        ),
    )


def top_referrers_table(r: ReferralFigures) -> Table:
    links = r.f.links
    rows = []
    for referrer in r.referrals["top"]:
        key = f"{referrer.kind}:{referrer.pk}"
        person = referrer.person
        who = (
            "Candidate"
            if referrer.kind == "candidate"
            else f"Contact at {person.client}"
            if person
            else "Contact"
        )
        rows.append(
            [
                Cell(
                    str(person) if person else "(removed)",
                    url=person.get_absolute_url() if person else "",
                    header=True,
                ),
                Cell(who),
                Cell(
                    referrer.candidates,
                    url=links.drill("candidates_referred", referrer=key),
                ),
                Cell(
                    referrer.clients,
                    url=links.drill("clients_referred", referrer=key),
                ),
                Cell(
                    referrer.placements,
                    url=links.drill("placements_referral", referrer=key),
                ),
            ]
        )
    return Table(
        key="top_referrers",
        title="Top referrers in the period",
        columns=[
            "Referrer",
            "Who",
            "Candidates referred",
            "Clients referred",
            "Placements from their referrals",
        ],
        rows=rows,
        empty="No referral in the period.",
    )
